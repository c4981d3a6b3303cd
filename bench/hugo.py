"""A plain Hugo site of the same papers, built next to ours for scale.

bench/hugo_site/ holds its configuration and minimal layouts (a page per paper, a
list per topic and per family, home, sitemap, feed; no related papers, matrix or
search); `hugo_project` copies them and writes one Markdown page per paper, its
front matter in JSON on the first line.

Hugo is Debian's `hugo` package: `./dev.sh bench` installs it with apt-get when it is
missing; run otherwise, the Hugo figures fail with MISSING as their reason (or are left
out with `--no-hugo`).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from bench.harness import StepFailed

SKELETON = Path(__file__).with_name("hugo_site")
MISSING = "hugo is not installed: `./dev.sh bench` installs it (Debian's hugo), or pass --no-hugo"


def require() -> None:
    """StepFailed saying how to get Hugo, when it is not on the PATH."""
    if shutil.which("hugo") is None:
        raise StepFailed(MISSING)


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


def page_path(project: Path, paper_id: str) -> Path:
    return project / "content" / "papers" / f"{paper_id}.md"


def page_url(paper_id: str) -> str:
    """A paper's page in the Hugo site, from the server's root (its slug is the id)."""
    return f"papers/{paper_id}/"


def page_title(text: str) -> str:
    """The title in a page's front matter."""
    return str(json.loads(text.split("\n", 1)[0])["title"])


def retitled(text: str, title: str) -> bytes:
    """A page's text with another title in its front matter."""
    head, rest = text.split("\n", 1)
    front = json.loads(head)
    front["title"] = title
    return (json.dumps(front, ensure_ascii=False) + "\n" + rest).encode()


def server_command(project: Path, port: int, cache: Path) -> list[str]:
    """`hugo server` on `project` at http://127.0.0.1:PORT/, as it starts by default (pages
    rendered to memory, live reload, fast render mode), with a cache of its own."""
    return ["hugo", "server", "--source", str(project), "--bind", "127.0.0.1",
            "--port", str(port), "--baseURL", f"http://127.0.0.1:{port}/", "--appendPort=false",
            "--cacheDir", str(cache)]


def build_command(project: Path, out: Path, cache: Path) -> list[str]:
    """Hugo building `project` into `out`, with a cache of its own (a cold build)."""
    return ["hugo", "--source", str(project), "--destination", str(out),
            "--cacheDir", str(cache), "--quiet"]


def clear_resources(project: Path) -> None:
    """Remove the project's own small cache of processed resources, before a cold build."""
    shutil.rmtree(project / "resources", ignore_errors=True)
