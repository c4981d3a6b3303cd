"""`sitegen build`: load and validate everything, then render, then write once."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from sitegen.catalogue.load import Catalogue, load_catalogue
from sitegen.catalogue.schema import valid_value, value_hint
from sitegen.core.model import Problem
from sitegen.search.files import search_files, search_fingerprint
from sitegen.site.output import write_site
from sitegen.site.pages import Pages, build_pages
from sitegen.site.paths import BUNDLES, CHECKOUT, STATIC, TEMPLATES, VENDORED, vendored_source
from sitegen.site.render import Site, Stream, site_files
from sitegen.site.uptodate import build_stamp, is_current, remember


@dataclass(frozen=True)
class BuildResult:
    problems: list[Problem]
    files: int = 0
    unchanged: bool = False  # the output was already built from the same inputs


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending with '/', by site.yaml's rules for `base_url`
    (checked again here for `--base-url`), or ValueError."""
    if not valid_value("site", "base_url", url):
        raise ValueError(f"base URL must be an absolute http(s) URL, not {url!r} "
                         f"(hint: {value_hint('site', 'base_url', url)})")
    return url if url.endswith("/") else url + "/"


def edit_base(catalogue: Catalogue) -> str:
    """Where 'Edit this paper' links point: site.yaml's repository, else GITHUB_REPOSITORY
    (used only if it makes a repository URL site.yaml would accept). The repository's path
    has no dot parts and the branch is a valid git branch name, percent-encoded, so a link
    never leaves `{repository}/edit/{branch}/`."""
    repository = catalogue.site.repository
    if not repository and os.environ.get("GITHUB_REPOSITORY"):
        repository = f"https://github.com/{os.environ['GITHUB_REPOSITORY']}"
        if not valid_value("site", "repository", repository):
            return ""
    if not repository:
        return ""
    return f"{repository.rstrip('/')}/edit/{quote(catalogue.site.branch, safe='/')}/"


def render(catalogue: Catalogue, base_url: str, live_reload: bool = False) -> dict[str, bytes]:
    """The whole site for a valid catalogue, as {relative path: bytes}."""
    (files,) = render_parts(catalogue, base_url, live_reload, shares=1)
    return dict(sorted(files() if callable(files) else files))


def render_parts(catalogue: Catalogue, base_url: str, live_reload: bool = False,
                 shares: int = 1) -> list[Stream]:
    """The same files as `render`, in `shares` lazy streams that can be written in parallel
    (see `render.site_files`)."""
    base = normalise_base_url(base_url or catalogue.site.base_url)
    papers = list(catalogue.papers.values())
    taxonomy = catalogue.taxonomy
    site = Site(title=catalogue.site.title, description=catalogue.site.description,
                base_url=base, prefix=urlsplit(base).path,
                updated=max((p.added for p in papers), default="1970-01-01"),
                templates=TEMPLATES, search_version=search_fingerprint(papers, taxonomy),
                live_reload=live_reload)

    def pages() -> Pages:
        with _long_lived(shares > 1):
            return build_pages(catalogue, base, edit_base(catalogue))

    return site_files(pages, papers, site, catalogue.pages, assets(),
                      lambda: search_files(papers, taxonomy), shares)


def assets() -> dict[str, bytes]:
    """The site's static files and the vendored browser libraries, by name, with the files
    of a bundle joined into it (statements separated, whatever their last line)."""
    files = {p.relative_to(STATIC).as_posix(): p.read_bytes()
             for p in sorted(STATIC.rglob("*")) if p.is_file()}
    for name in VENDORED:
        source = vendored_source(name)
        try:
            files[name] = source.read_bytes()
        except FileNotFoundError:
            raise MissingAsset(source) from None
    for name, parts in BUNDLES.items():
        files[name] = b"\n;\n".join(files.pop(part) for part in parts)
    return files


class MissingAsset(FileNotFoundError):
    def __init__(self, source: Path):
        shown = source.relative_to(CHECKOUT) if source.is_relative_to(CHECKOUT) else source
        super().__init__(f"{shown} is missing: run `npm ci` "
                         "(./dev.sh does it) to install the browser libraries")


@contextlib.contextmanager
def _long_lived(one_off: bool) -> Iterator[None]:
    """In a one-off build process, what is made in this block is made without the cycle
    collector, which would go over the growing data again and again, and is then set
    aside from it for good: it lives until the end, and forked processes copy no
    memory the collector would otherwise touch. (The preview server collects as usual.)"""
    if not one_off:
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.freeze()


def build(content: Path, out: Path, base_url: str = "", live_reload: bool = False,
          force: bool = False, stamp: str = "") -> BuildResult:
    """Load and validate everything, then render and write the site in one swap.

    Rendering and writing are shared by three processes (the data files, and two
    halves of the pages), except in the preview server, whose threads make
    forking unsafe. When nothing that goes into the site has changed since the
    output was written, the output is left as it is (unless `force`). `stamp` is
    that fingerprint when the caller has computed it already.
    """
    _refuse_overlap(content, out)
    stamp = stamp or build_stamp(content, base_url, live_reload)
    if not force and (count := is_current(out, stamp)):
        return BuildResult([], count, unchanged=True)
    forking = not live_reload and hasattr(os, "fork")
    with _long_lived(forking):
        catalogue = load_catalogue(content, parallel=forking)
    if catalogue.errors or catalogue.taxonomy is None:
        return BuildResult(catalogue.errors)
    shares = 3 if forking else 1
    written = write_site(render_parts(catalogue, base_url, live_reload, shares), out)
    remember(out, stamp, written)
    return BuildResult([], len(written))


def _refuse_overlap(content: Path, out: Path) -> None:
    """The site is written beside `out` and swapped in whole: inside what a build reads
    (content, templates, static files) it would become part of the next build's input,
    and around it, the swap would delete it. Either is refused (ValueError) before
    anything is read or written."""
    site = out.resolve()
    inputs = ((content, "the content directory"), (TEMPLATES, "the templates folder"),
              (STATIC, "the static files folder"))
    for source, what in inputs:
        if site.is_relative_to(source.resolve()):
            raise ValueError(f"cannot build into {out}: it is inside {what} {source} "
                             "(hint: choose an --out outside it, such as _site)")
        if source.resolve().is_relative_to(site):
            raise ValueError(f"cannot build into {out}: {what} {source} is inside it, and a "
                             "build replaces all of it (hint: choose an --out that does not "
                             "hold it, such as _site)")
