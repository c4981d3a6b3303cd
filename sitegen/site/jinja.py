"""The Jinja2 environments that turn a page job (template and typed context) into bytes.

HTML and XML templates are autoescaped, and every value interpolated into XML
loses the characters XML cannot hold; plain-text templates (robots.txt) are not
escaped, but every value they interpolate stays on one line. Markdown goes
through `markdown`, so text from content can never become markup.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
)
from markupsafe import Markup

from sitegen.core.text import BREAKS, drop_refused, xml_text
from sitegen.site.contexts import Context
from sitegen.site.markdown import latex_letters, markdown_renderer
from sitegen.site.reads import Renders, record, remembered
from sitegen.site.settings import Site


class Job(NamedTuple):
    """A page to render: its output path, its template and the template's context. A
    context that is costly to make (a paper's, with its related papers) comes as the
    function that makes it, so that whichever process renders the page makes it, and
    may come with the function that gives what it is made from (`inputs`): cheaper to
    know, and equal inputs make equal contexts."""

    path: str
    template: str
    context: Context | Callable[[], Context]
    inputs: Callable[[], object] | None = None


class _Noting(Environment):
    """An environment that notes what a page reads (see `reads`): each template it loads
    (and each of the site's settings it looks at, through `_SiteReads`)."""

    def get_template(self, name, parent=None, globals=None) -> Template:  # type: ignore[override]
        record("template", str(name))
        return super().get_template(name, parent, globals)

    def select_template(self, names, parent=None, globals=None) -> Template:  # type: ignore[override]
        for name in names:
            record("template", str(name))  # each one tried counts: which exists may change
        return super().select_template(names, parent, globals)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one dict, rather than Jinja's ChainMap over the
        environment's: each render copies them, and each `{% from ... import %}` compares
        their names with the context's, which a ChainMap does name by name in Python (a
        tenth of rendering a paper's page). `environment` sets every global before any
        template loads, as Jinja asks."""
        return {**self.globals, **(d or {})}


class _SiteReads:
    """The site's settings as the templates see them (`site`): each one looked at is noted.
    (Noting them in the environment's `getattr` cost a call more on each of the hundred
    attributes a paper's page looks up: 3-5% of its rendering.)"""

    __slots__ = ("_site",)

    def __init__(self, site: Site):
        self._site = site

    def __getattr__(self, name: str) -> object:
        record("site", name)
        return getattr(self._site, name)


def asset_versions(assets: dict[str, bytes]) -> dict[str, str]:
    """The version in each static file's address: a digest of its bytes."""
    return {name: hashlib.sha256(data).hexdigest()[:10] for name, data in assets.items()}


def environment(site: Site, assets: dict[str, bytes], compiled: Path | None = None,
                kept: Renders | None = None) -> Environment:
    """The HTML environment: the site's settings, links and asset URLs as globals,
    markdown filters, and partials rendered once. Templates compiled by an earlier build
    are taken from the folder `compiled`, if given; papers' items rendered by an earlier
    build from `kept`, if given, while what they read is unchanged. (Its templates are kept
    in a plain dict, `cache_size=-1`: Jinja's LRU cache takes a lock on each of the several
    lookups a page makes, and a site has a score of templates.)"""
    env = _Noting(loader=FileSystemLoader(site.templates), autoescape=True,
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                  keep_trailing_newline=True, auto_reload=False, cache_size=-1,
                  bytecode_cache=bytecode_cache(compiled, "html"))
    renderer, abstracts = markdown_renderer(), markdown_renderer(page=False)
    versions = asset_versions(assets)

    def url(path: str = "") -> str:
        record("site", "prefix")
        return site.prefix + path

    def absolute(path: str = "") -> str:
        record("site", "base_url")
        return site.base_url + path

    def asset(name: str) -> str:
        record("asset", name)
        return f"{url()}static/{name}?v={versions[name]}"

    env.globals.update(site=_SiteReads(site), url=url, absolute=absolute, asset=asset)
    env.filters["markdown"] = lambda text: Markup(renderer(text))
    env.filters["abstract"] = lambda text: Markup(abstracts(text))
    env.filters["latex_letters"] = latex_letters
    env.filters["json_script"] = lambda text: Markup(text)  # made script-safe by json_ld
    env.filters["href"] = href
    _add_partials(env, kept)
    return env


def bytecode_cache(folder: Path | None, kind: str) -> BytecodeCache | None:
    """Compiled templates kept in `folder`/`kind` (Jinja recompiles a template whose source
    differs). Its options are not in Jinja's key: each kind of environment has its folder,
    and `folder` must change with the code that sets them."""
    if folder is None:
        return None
    (folder / kind).mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder / kind))


def _add_partials(env: Environment, kept: Renders | None) -> None:
    def paper_item(item) -> Markup:
        """A paper in a list looks the same on every page: render it once."""
        return Markup(env.get_template("_paper_item.html").render(item=item).strip())

    item_of = remembered(paper_item, kept)

    def paper_items(items: Iterable) -> Markup:
        """The items of a list's papers, a line each."""
        return Markup("".join([f"  {item_of(item)}\n" for item in items]))

    @remembered
    def partial(name: str) -> Markup:
        """A partial that shows only the site's settings (the header, the footer) is the same
        on every page: render it once. (Its last line break is the including line's.)"""
        return Markup(env.get_template(name).render().removesuffix("\n"))

    env.globals["paper_items"] = paper_items
    env.globals["partial"] = partial


class Environments:
    """The environment of each kind of template, by its file's suffix: HTML, XML (whose
    every value loses what XML cannot hold) and plain text (not escaped; no value can
    add a line or hide a character)."""

    def __init__(self, html: Environment, compiled: Path | None = None):
        self.html = html
        self.by_suffix = {  # each with its own compiled templates: its options differ
            ".xml": html.overlay(finalize=xml_text,
                                 bytecode_cache=bytecode_cache(compiled, "xml")),
            ".txt": html.overlay(autoescape=False, finalize=_one_line,
                                 bytecode_cache=bytecode_cache(compiled, "txt"))}

    def template(self, name: str) -> Template:
        return self.by_suffix.get(Path(name).suffix, self.html).get_template(name)

    def compile(self, names: Iterable[str]) -> None:
        """Compile templates now, once, rather than in each process that renders."""
        for name in sorted(set(names)):
            self.template(name)

    def render(self, job: Job) -> bytes:
        context = job.context() if callable(job.context) else job.context
        return utf8(self.template(job.template).render(vars(context)))


# What a URL may not hold as itself: quotes, spaces, angle brackets, braces, backslashes,
# carets, backticks and a % that starts no escape. Anything else is kept (non-ASCII too).
_NOT_IN_URL = re.compile(r"[^A-Za-z0-9!$&'()*+,\-./:;=?@_~#\[\]%\u00a0-\U0010ffff]"
                         r"|%(?![0-9A-Fa-f]{2})")


def href(url: str) -> str:
    """An address from content as a valid URL: the characters no URL may hold
    percent-encoded, as a browser encodes them when the link is followed."""
    return _NOT_IN_URL.sub(lambda found: quote(found.group(), safe=""), url)


def _one_line(value: object) -> object:
    return BREAKS.sub("", drop_refused(value)) if isinstance(value, str) else value


def utf8(text: str) -> bytes:
    """Text as UTF-8; a lone surrogate, which UTF-8 cannot hold (and stored text never
    has), becomes '?' rather than stopping the build."""
    return text.encode("utf-8", "replace")
