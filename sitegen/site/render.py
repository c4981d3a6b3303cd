"""Render the page contexts with Jinja2 and markdown-it-py into {path: bytes}.

HTML and XML templates are autoescaped, and every value interpolated into XML
loses the characters XML cannot hold; plain-text templates (robots.txt) are not
escaped, but every value they interpolate stays on one line. Markdown is
rendered with raw HTML off, only http(s) or relative links and no images (an
image shows its text, so no page loads anything from elsewhere), and abstracts
have no headings, so text from content can never become markup.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from sitegen.catalogue.links import Linkifier
from sitegen.core.model import Paper
from sitegen.core.text import BREAKS, REFUSED, xml_text
from sitegen.site.export import csv_text, json_text, records
from sitegen.site.pages import Pages, PaperPage

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


def markdown_renderer(headings: bool = True):
    """text -> safe HTML. Bare URLs become links; texts without one skip that slow pass.

    Without `headings` (abstracts), a line such as `# x` is a paragraph like any other.
    """
    plain = MarkdownIt("commonmark", {"html": False})
    linking = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")
    linking.linkify = links = Linkifier()
    linking.inline.ruler.at("linkify", links.inline_rule)  # linear in the text
    for renderer in (plain, linking):
        renderer.validateLink = safe_link  # type: ignore[method-assign]
        renderer.add_render_rule("image", _image_as_text)
        if not headings:
            renderer.disable(["heading", "lheading"])

    def render(text: str) -> str:
        has_url = links.pretest(text)
        if not has_url and is_plain_paragraph(text):
            return f"<p>{escapeHtml(text)}</p>\n"  # what markdown-it makes of it, quicker
        return (linking if has_url else plain).render(text)

    return render


def _image_as_text(self, tokens, idx, options, env) -> str:
    """An image is shown as its description: a remote image would let its host follow
    every reader of the page."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


# Characters that may start markup anywhere in a line, and those that may at its start.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>&!~]")
_BLOCK_START = frozenset("#>-+=*0123456789|:")


def is_plain_paragraph(text: str) -> bool:
    """True when markdown would make one paragraph of the text as it is: one printable
    line, no leading or trailing space, nothing that could start a block or inline markup."""
    return (bool(text) and text.isprintable() and text[0] not in _BLOCK_START
            and text == text.strip() and not _INLINE_MARKUP.search(text))


def environment(site: Site, assets: dict[str, bytes]) -> Environment:
    env = Environment(loader=FileSystemLoader(site.templates), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True, auto_reload=False)
    renderer, abstracts = markdown_renderer(), markdown_renderer(headings=False)
    versions = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in assets.items()}
    env.globals.update(
        site=site,
        url=lambda path="": site.prefix + path,
        absolute=lambda path="": site.base_url + path,
        asset=lambda name: f"{site.prefix}static/{name}?v={versions[name]}",
        search_version=site.search_version,
    )
    env.filters["markdown"] = lambda text: Markup(renderer(text))
    env.filters["abstract"] = lambda text: Markup(abstracts(text))
    item_template = env.get_template("_paper_item.html")

    @functools.cache
    def paper_item(item) -> Markup:
        """A paper in a list looks the same on every page: render it once."""
        return Markup(item_template.render(item=item).strip())

    env.globals["paper_item"] = paper_item

    @functools.cache
    def partial(name: str) -> Markup:
        """A partial that shows only the site's settings (the header, the footer) is the same
        on every page: render it once. (Its last line break is the including line's.)"""
        return Markup(env.get_template(name).render().removesuffix("\n"))

    env.globals["partial"] = partial
    env.filters["json_script"] = lambda text: Markup(text)  # made script-safe by pages.json_ld
    return env


class Environments:
    """The environment of each kind of template, by its file's suffix: HTML, XML (whose
    every value loses what XML cannot hold) and plain text (not escaped; no value can
    add a line or hide a character)."""

    def __init__(self, html: Environment):
        self.html = html
        self.by_suffix = {".xml": html.overlay(finalize=xml_text),
                          ".txt": html.overlay(autoescape=False, finalize=_one_line)}

    def template(self, name: str):
        return self.by_suffix.get(Path(name).suffix, self.html).get_template(name)


def _one_line(value: object) -> object:
    return BREAKS.sub("", REFUSED.sub("", value)) if isinstance(value, str) else value


Files = Iterable[tuple[str, bytes]]
Stream = Files | Callable[[], Files]


def site_files(pages: Callable[[], Pages], papers: list[Paper], site: Site,
               about: dict[str, str], assets: dict[str, bytes],
               search: Callable[[], dict[str, bytes]], shares: int = 1) -> list[Stream]:
    """Every output file as (path, bytes), rendered lazily as each is asked for.

    `pages` makes the page contexts; `assets` are the static files (by name under
    static/); `search` makes the search data files, by path. The files come in
    `shares` disjoint streams that separate processes may consume: with more than
    one, the first holds the data files and the others the pages, dealt
    round-robin. A stream of pages is a callable that prepares what every page
    needs (once, for all of them) and returns the stream itself: called before a
    process is forked, the preparing is shared. Together they hold the site.
    """
    prepare = functools.cache(lambda: _prepare(pages(), papers, site, about, assets))

    def data() -> Files:
        yield from search().items()
        rows = records(papers)
        yield "papers.json", utf8(json_text(rows))
        yield "papers.csv", utf8(csv_text(rows))
        for name, content in assets.items():
            yield f"static/{name}", content

    def share(index: int) -> Files:
        envs, jobs = prepare()
        return _render(envs, jobs[index::max(1, shares - 1)])

    if shares == 1:
        return [lambda: itertools.chain(data(), share(0))]
    return [data(), *(functools.partial(share, i) for i in range(shares - 1))]


def _prepare(pages: Pages, papers: list[Paper], site: Site, about: dict[str, str],
             assets: dict[str, bytes]) -> tuple[Environments, list[Job]]:
    """The template environments, their templates compiled, and every page to render."""
    envs = Environments(environment(site, assets))
    jobs = _html_pages(pages, about)
    html_paths = sorted(p.removesuffix("index.html") for p, _, _ in jobs if p != "404.html")
    jobs += sitemaps(html_paths, site.base_url)
    jobs += [("robots.txt", "robots.txt", {}),
             ("feed.xml", "feed.xml", {"recent": pages.home.recent,
                                       "papers": {p.id: p for p in papers}})]
    for template in sorted({template for _, template, _ in jobs}):
        envs.template(template)
    return envs, jobs


# What the sitemaps protocol allows in one file: 50,000 addresses and 50 MB.
SITEMAP_URLS, SITEMAP_BYTES = 50_000, 50_000_000
_SITEMAP_ENTRY = len("  <url><loc></loc></url>\n")


def sitemaps(paths: list[str], base_url: str) -> list[Job]:
    """`sitemap.xml` listing every page; when the protocol's limits do not let one file
    hold them all (a catalogue of 50,000 papers), it lists files under `sitemap/` that do
    (`sitemap` is a reserved page name)."""
    longest = 5 * len(base_url) + max(map(len, paths), default=0) + _SITEMAP_ENTRY  # escaped
    per_file = max(1, min(SITEMAP_URLS, (SITEMAP_BYTES - 1000) // longest))
    if len(paths) <= per_file:
        return [("sitemap.xml", "sitemap.xml", {"paths": paths})]
    parts = [(f"sitemap/{n}.xml", "sitemap.xml", {"paths": paths[start:start + per_file]})
             for n, start in enumerate(range(0, len(paths), per_file), start=1)]
    return [("sitemap.xml", "sitemap-index.xml", {"sitemaps": [path for path, _, _ in parts]}),
            *parts]


def _render(envs: Environments, jobs: list[Job]) -> Files:
    for path, template, context in jobs:
        values = context() if callable(context) else context
        yield path, utf8(envs.template(template).render(**values))


def utf8(text: str) -> bytes:
    """Text as UTF-8; a lone surrogate, which UTF-8 cannot hold (and stored text never
    has), becomes '?' rather than stopping the build."""
    return text.encode("utf-8", "replace")


Job = tuple[str, str, dict | Callable[[], dict]]  # path, template, context (or its maker)


def _html_pages(pages: Pages, about: dict[str, str]) -> list[Job]:
    """(output path, template, context) of every HTML page."""
    jobs = [("index.html", "home.html", {"home": pages.home, "path": ""})]
    jobs += [(pages.papers.url(i) + "index.html", "paper.html",
              functools.partial(_paper_context, pages.papers, i))
             for i in range(len(pages.papers))]
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


def _paper_context(papers: Sequence[PaperPage], index: int) -> dict:
    page = papers[index]
    return {"page": page, "path": page.item.url}
