"""`sitegen build`: load and validate everything, then render, then write once."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.catalogue.load import (
    Catalogue,
    PaperRead,
    ReadPapers,
    load_catalogue,
    validated,
    with_problems,
)
from sitegen.core.model import Problem
from sitegen.core.perpaper import learning
from sitegen.site.codedigest import code_digest
from sitegen.site.exportmemo import EXPORT_LINES, ExportMemo
from sitegen.site.itemmemo import ITEM_RENDERS, ItemMemo
from sitegen.site.output import refuse_to_replace_other_things
from sitegen.site.papercache import PaperCache
from sitegen.site.paths import STATIC, TEMPLATES
from sitegen.site.relatedmemo import RELATED_INDEX, RelatedMemo
from sitegen.site.render import site_jobs
from sitegen.site.scheduler import Apart, Scheduler
from sitegen.site.searchmemo import SEARCH_POSTINGS, SearchMemo
from sitegen.site.settings import normalise_base_url
from sitegen.site.uptodate import Stamp, build_stamp, is_current, record_folder, remember
from sitegen.site.verdictmemo import VERDICTS, VerdictMemo

# Reads paper files as `load_catalogue` does, through the build's cache of them.
ReadWith = Callable[[list[tuple[Path, str]], PaperCache], list[PaperRead]]


@dataclass(frozen=True)
class BuildResult:
    problems: list[Problem]
    files: int = 0
    unchanged: bool = False  # the output was already built from the same inputs


def build(content: Path, out: Path, base_url: str = "", live_reload: bool = False,
          force: bool = False, stamp: Stamp | None = None, read_with: ReadWith | None = None,
          search: SearchMemo | None = None, fresh: bool = False) -> BuildResult:
    """Load and validate everything, then render and write the site in one swap.

    When nothing that goes into the site has changed since the output was written,
    the output is left as it is (unless `force`); `stamp` is that fingerprint when
    the caller has computed it already. The preview server (`live_reload`) builds
    in its own process only: its threads make forking unsafe, and it reads the paper
    files with its own reader (`read_with`, given the build's cache of them), which
    keeps the papers read for its later rebuilds, and its own memo of the search
    postings (`search`; a build keeps them beside the output). A `fresh` build makes every
    file again, taking none from the trees built before (`sitegen build --force`).
    """
    refuse_to_build(content, out)
    if base_url:  # a usage error: told before anything is read or written
        normalise_base_url(base_url)
    stamp = stamp or build_stamp(content, base_url, live_reload)
    if not force and (count := is_current(out, stamp.digest)):
        return BuildResult([], count, unchanged=True)
    with learning():  # what the paper cache kept of each paper (see `papercache`)
        return _build(content, out, base_url, live_reload, stamp, read_with, search, fresh)


def _build(content: Path, out: Path, base_url: str, live_reload: bool, stamp: Stamp,
           read_with: ReadWith | None, search: SearchMemo | None, fresh: bool) -> BuildResult:
    """The build, the look-alike check run apart (`Scheduler.apart`): the site is made
    meanwhile, and replaces the output only if the check finds no error."""
    scheduler = Scheduler(processes=not live_reload)
    cache = scheduler.long_lived(lambda: PaperCache(record_folder(out) / "papers", stamp.seen))
    read: ReadPapers = functools.partial(cache.read_papers, parallel=scheduler.processes)
    if read_with is not None:
        read = functools.partial(_read_with, read_with, cache)
    judged = VerdictMemo(record_folder(out) / VERDICTS)
    with scheduler.apart() as apart:
        catalogue = scheduler.long_lived(lambda: load_catalogue(
            content, parallel=scheduler.processes, read_papers=read, judged=judged,
            run_lookalikes=functools.partial(apart.run,
                                             then=functools.partial(_save, cache, judged))))
        valid = validated(catalogue)
        if valid is None:
            return BuildResult(_errors(catalogue, apart))
        search = search or SearchMemo(record_folder(out) / SEARCH_POSTINGS)
        site = site_jobs(valid, base_url, live_reload, compiled_templates(record_folder(out)),
                         search, kept=ItemMemo(record_folder(out) / ITEM_RENDERS),
                         related=RelatedMemo(record_folder(out) / RELATED_INDEX),
                         lines=ExportMemo(record_folder(out) / EXPORT_LINES))
        written = scheduler.write(site, out, record_folder(out),
                                  ready=lambda: not _errors(catalogue, apart), fresh=fresh)
        if written is None:
            return BuildResult(_errors(catalogue, apart))
    remember(out, stamp.digest, written)
    return BuildResult([], len(written))


def _errors(catalogue: Catalogue, apart: Apart) -> list[Problem]:
    """The catalogue's errors, with those the checks run apart found."""
    return with_problems(catalogue, apart.findings()).errors


def _save(cache: PaperCache, judged: VerdictMemo) -> None:
    """What this build read and judged, for the next one."""
    cache.save()
    judged.save()


def _read_with(read_with: ReadWith, cache: PaperCache,
               items: list[tuple[Path, str]]) -> list[PaperRead]:
    return read_with(items, cache)


def compiled_templates(record: Path) -> Path:
    """Where the templates compiled by this code are kept: those of other code (whose
    Jinja options may differ) are removed."""
    folder = record / f"templates-{code_digest()[:16]}"
    for other in record.glob("templates-*"):
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)
    return folder


def render(catalogue: Catalogue, base_url: str, live_reload: bool = False) -> dict[str, bytes]:
    """The whole site of a valid catalogue, as {relative path: bytes}, made here."""
    valid = validated(catalogue)
    if valid is None:
        raise ValueError("the catalogue has errors: see `sitegen check`")
    return dict(sorted(site_jobs(valid, base_url, live_reload).all()))


def refuse_to_build(content: Path, out: Path) -> None:
    """An --out no build may write (ValueError), or may not replace (FileExistsError)."""
    _refuse_overlap(content, out)
    refuse_to_replace_other_things(out)


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
