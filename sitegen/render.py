"""Render the page contexts with Jinja2 and markdown-it-py into {path: bytes}.

Every template is autoescaped whatever its name; markdown is rendered with raw
HTML off and only http(s) or relative links, so text from content can never
become markup.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterator
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
    templates: Path
    search_version: str  # changes whenever the search data would
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


def environment(site: Site, assets: dict[str, bytes]) -> Environment:
    env = Environment(loader=FileSystemLoader(site.templates), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, auto_reload=False)
    renderer = markdown_renderer()
    versions = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in assets.items()}
    env.globals.update(
        site=site,
        url=lambda path="": site.prefix + path,
        absolute=lambda path="": site.base_url + path,
        asset=lambda name: f"{site.prefix}static/{name}?v={versions[name]}",
        search_version=site.search_version,
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


def site_files(pages: Pages, papers: list[Paper], site: Site, about: dict[str, str],
               assets: dict[str, bytes], search: Callable[[], dict[str, bytes]],
               shares: int = 1) -> list[Iterator[tuple[str, bytes]]]:
    """Every output file as (path, bytes), rendered lazily as each is asked for.

    `assets` are the static files (by name under static/); `search` makes the
    search data files, by path. The files come in `shares` disjoint streams that separate
    processes may consume: with more than one, the first holds the data files
    and the others the pages, dealt round-robin. Together they hold the site.
    """
    env = environment(site, assets)
    jobs = _html_pages(pages, about)
    html_paths = sorted(p.removesuffix("index.html") for p, _, _ in jobs if p != "404.html")
    jobs += [("sitemap.xml", "sitemap.xml", {"paths": html_paths}),
             ("robots.txt", "robots.txt", {}),
             ("feed.xml", "feed.xml", {"recent": pages.home.recent,
                                       "papers": {p.id: p for p in papers}})]
    data: list[tuple[str, Callable[[], bytes]]] = [
        ("papers.json", lambda: to_json(papers).encode("utf-8")),
        ("papers.csv", lambda: to_csv(papers).encode("utf-8")),
    ]
    data += [(f"static/{name}", functools.partial(bytes, content))
             for name, content in assets.items()]

    def share(index: int) -> Iterator[tuple[str, bytes]]:
        if index == 0:  # the data files (the search index above all) make one share
            yield from search().items()
            for path, make in data:
                yield path, make()
        pages_share = jobs[index - 1::shares - 1] if shares > 1 else jobs
        if index or shares == 1:
            for path, template, context in pages_share:
                yield path, env.get_template(template).render(**context).encode("utf-8")

    return [share(index) for index in range(shares)]


def _html_pages(pages: Pages, about: dict[str, str]) -> list[tuple[str, str, dict]]:
    """(output path, template, context) of every HTML page."""
    jobs = [("index.html", "home.html", {"home": pages.home, "path": ""})]
    jobs += [(p.item.url + "index.html", "paper.html", {"page": p, "path": p.item.url})
             for p in pages.papers]
    jobs.append(("topics/index.html", "topics.html", {"topics": pages.topic_index,
                                                      "path": "topics/"}))
    jobs += [(t.topic.url + "index.html", "topic.html", {"page": t, "path": t.topic.url})
             for t in pages.topics]
    for cell in pages.cells:
        path = f"{cell.topic.url}{cell.family.id}/"
        jobs.append((path + "index.html", "cell.html", {"page": cell, "path": path}))
    jobs.append(("families/index.html", "families.html", {"tree": pages.family_tree,
                                                          "path": "families/"}))
    jobs += [(f.family.url + "index.html", "family.html", {"page": f, "path": f.family.url})
             for f in pages.families]
    jobs.append(("search/index.html", "search.html", {"path": "search/"}))
    jobs += [(f"{name}/index.html", "page.html", {"text": text, "path": f"{name}/"})
             for name, text in about.items()]
    jobs.append(("404.html", "404.html", {"path": "404.html"}))
    return jobs
