"""A plain Hugo site of the same papers, built next to ours for scale.

bench/hugo_site/ holds its configuration and minimal layouts (a page per paper, a
list per topic and per family, home, sitemap, feed; no related papers, matrix or
search); `hugo_project` copies them and writes one Markdown page per paper.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

SKELETON = Path(__file__).with_name("hugo_site")


def hugo_project(content: Path, project: Path) -> int:
    """A Hugo project with one page per paper of `content`; returns their number."""
    shutil.copytree(SKELETON, project)
    pages = project / "content" / "papers"
    pages.mkdir(parents=True)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    count = 0
    for path in sorted((content / "papers").glob("*.yaml")):
        data = yaml.load(path.read_bytes(), Loader=loader)
        front = {"title": data["title"], "date": str(data["added"]), "slug": data["id"],
                 "topics": data["topics"], "families": data["families"]}
        (pages / f"{data['id']}.md").write_text(
            json.dumps(front, ensure_ascii=False) + "\n\n" + data["abstract"] + "\n",
            encoding="utf-8")
        count += 1
    return count


def build_command(project: Path, out: Path, cache: Path) -> list[str]:
    """Hugo building `project` into `out`, with a cache of its own (a cold build)."""
    return ["hugo", "--source", str(project), "--destination", str(out),
            "--cacheDir", str(cache), "--quiet"]


def clear_resources(project: Path) -> None:
    """Remove the project's own small cache of processed resources, before a cold build."""
    shutil.rmtree(project / "resources", ignore_errors=True)
