"""Render the page contexts with Jinja2 and markdown-it-py into {path: bytes}.

Every template is autoescaped whatever its name; markdown is rendered with raw
HTML off and only http(s) or relative links, so text from content can never
become markup.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from markupsafe import Markup

from .export import to_csv, to_json
from .model import Paper
from .pages import Pages

_SAFE_SCHEME = re.compile(r"^(https?:|[^:]*$)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class Site:
    """What every template may use about the site."""

    title: str
    description: str
    base_url: str  # absolute, ends with "/"
    prefix: str  # path part of base_url, ends with "/"
    updated: str  # newest date in the catalogue (YYYY-MM-DD)
    live_reload: bool = False


def safe_link(url: str) -> bool:
    """Only http(s) and relative links survive; javascript:, data: and the like do not."""
    return bool(_SAFE_SCHEME.match(_CONTROL.sub("", url)))


def markdown_renderer():
    """text -> safe HTML. Bare URLs become links; texts without one skip that slow pass."""
    plain = MarkdownIt("commonmark", {"html": False})
    linking = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")
    for renderer in (plain, linking):
        renderer.validateLink = safe_link

    def render(text: str) -> str:
        has_url = "://" in text or "www." in text.lower()
        return (linking if has_url else plain).render(text)

    return render


def environment(templates: Path, site: Site, static_files: dict[str, bytes]) -> Environment:
    env = Environment(loader=FileSystemLoader(templates), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    renderer = markdown_renderer()
    versions = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in static_files.items()}
    env.globals.update(
        site=site,
        url=lambda path="": site.prefix + path,
        absolute=lambda path="": site.base_url + path,
        asset=lambda name: f"{site.prefix}static/{name}?v={versions[name]}",
    )
    env.filters["markdown"] = lambda text: Markup(renderer(text))
    item_template = env.get_template("_paper_item.html")

    @functools.cache
    def paper_item(item) -> Markup:
        """A paper in a list looks the same on every page: render it once."""
        return Markup(item_template.render(item=item).strip())

    env.globals["paper_item"] = paper_item
    env.filters["json_script"] = lambda text: Markup(text)  # made script-safe by pages.json_ld
    return env


def render_site(pages: Pages, papers: list[Paper], site: Site, about: dict[str, str],
                templates: Path, static: Path) -> dict[str, bytes]:
    """Every output file of the site, by its path relative to the site root."""
    static_files = {p.relative_to(static).as_posix(): p.read_bytes()
                    for p in sorted(static.rglob("*")) if p.is_file()}
    env = environment(templates, site, static_files)

    def page(template: str, **context) -> bytes:
        return env.get_template(template).render(**context).encode("utf-8")

    files = {"index.html": page("home.html", home=pages.home, path="")}
    for paper_page in pages.papers:
        files[paper_page.item.url + "index.html"] = page("paper.html", page=paper_page,
                                                         path=paper_page.item.url)
    files["topics/index.html"] = page("topics.html", topics=pages.topic_index, path="topics/")
    for topic in pages.topics:
        files[topic.topic.url + "index.html"] = page("topic.html", page=topic, path=topic.topic.url)
    for cell in pages.cells:
        path = f"{cell.topic.url}{cell.family.id}/"
        files[path + "index.html"] = page("cell.html", page=cell, path=path)
    files["families/index.html"] = page("families.html", tree=pages.family_tree,
                                        path="families/")
    for family in pages.families:
        files[family.family.url + "index.html"] = page("family.html", page=family,
                                                       path=family.family.url)
    files["search/index.html"] = page("search.html", path="search/")
    for name, text in about.items():
        files[f"{name}/index.html"] = page("page.html", text=text, path=f"{name}/")
    files["404.html"] = page("404.html", path="404.html")
    html_paths = sorted(p.removesuffix("index.html") for p in files if p.endswith("index.html"))
    files["sitemap.xml"] = page("sitemap.xml", paths=html_paths)
    files["robots.txt"] = page("robots.txt")
    files["feed.xml"] = page("feed.xml", recent=pages.home.recent, papers={p.id: p for p in papers})
    files["papers.json"] = to_json(papers).encode("utf-8")
    files["papers.csv"] = to_csv(papers).encode("utf-8")
    files.update({f"static/{name}": data for name, data in static_files.items()})
    return dict(sorted(files.items()))
