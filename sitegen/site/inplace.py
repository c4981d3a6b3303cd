"""The preview's site brought up to date where it is served, file by file.

`sitegen build` makes a whole tree and swaps it in: nothing of a new site is seen
until all of it is made. The preview wants the opposite: the pages a browser shows
first, told at once, then the rest. So here each changed file is written beside its
place and renamed over it (a reader gets the old bytes or the new, never part of a
file), files the new site lacks are removed last, and the tree's manifest (see
`manifest`) is forgotten before the first change and saved after the last: a
rebuild that stops half way leaves no manifest, and the next build takes nothing
from that tree. Between two files the site is a mix of the old and the new, for as
long as one rebuild takes; the live-reload answers come after the files they name.
It is done in two steps, the files that show an edit (`put_dependents`), then the rest
(`finish`), so that the session may take the first before the catalogue is checked.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.site import manifest
from sitegen.site.codedigest import code_digest
from sitegen.site.firstlook import Looks
from sitegen.site.jinja import Job
from sitegen.site.manifest import Manifest
from sitegen.site.output import write_files
from sitegen.site.paperpages import paper_url
from sitegen.site.render import KeyedFiles, PageJobs, SiteJobs
from sitegen.site.reuse import (
    Earlier,
    Output,
    Written,
    group_outputs,
    intact,
    page_outputs,
    remove_stale,
)
from sitegen.site.trees import manifest_of


@dataclass
class InPlace:
    """A site being brought up to date where it is served, part way: the files written so
    far, and the papers' pages still to put (in the order to put them)."""

    out: Path
    record: Path
    site: SiteJobs
    live: Manifest  # the manifest of the site as it was before
    looks: Looks
    earlier: Earlier
    written: Written
    rest: list[list[Job]]


def put_dependents(out: Path, record: Path, site: SiteJobs, live: Manifest, first: set[str],
                   shown: Callable[[], None], looks: Looks, saved: Collection[str] = (),
                   hold: bool = False) -> InPlace:
    """Put in place the files that show an edit of the papers `saved` (ids): the list pages
    (those open in a browser, `first`, before the others), the search data, the papers'
    pages open, then `shown()` if `first` named any page; then the pages of the papers
    whose related papers may show the edit. With `hold`, what each file written held is
    kept in `looks`, to be put back should the rebuild fail. The pages `looks` took
    meanwhile are left as they are."""
    code = code_digest()
    earlier = Earlier([(out, live)], site.values)
    pages = site.pages()
    manifest.forget(record, out)
    # The list pages (home, topics, families, feed) and the search data are few files and
    # show an edit too: before the papers' own pages, which are many, each made from its
    # inputs and its related papers (an open paper's page, often the one saved, had a first
    # look already). Each group of data files is in place as soon as it is made.
    lists, opened, rest = _shared_out(pages.jobs, first)
    written = put(out, page_outputs(pages, sorted(lists, key=lambda job: job.path not in first),
                                    earlier, code), live, looks, hold)
    for search in (group for group in site.groups if isinstance(group, KeyedFiles)):
        written.update(put(out, group_outputs([search], earlier), live, looks, hold))
    written.update(put(out, page_outputs(pages, opened, earlier, code), live, looks, hold))
    if opened or any(job.path in first for job in lists):
        shown()
    listing, *others = _listing_first(pages, rest, saved)
    written.update(put(out, page_outputs(pages, listing, earlier, code), live, looks, hold))
    return InPlace(out, record, site, live, looks, earlier, written, others)


def finish(progress: InPlace) -> Manifest:
    """The rest of the site in place (the other papers' pages, then the other files made as
    bytes), the files the new site lacks removed, and its manifest, saved."""
    out, site, live, looks, written = (progress.out, progress.site, progress.live,
                                       progress.looks, progress.written)
    pages, code = site.pages(), code_digest()
    for share in progress.rest:
        written.update(put(out, page_outputs(pages, share, progress.earlier, code), live, looks))
    for group in site.groups:  # the exports, which no page shows (and the static files)
        if not isinstance(group, KeyedFiles):
            written.update(put(out, group_outputs([group], progress.earlier), live, looks))
    remove_stale(out, live, written)
    made = manifest_of(written, site.values)
    manifest.save(progress.record, out, made)
    return made


def _shared_out(jobs: list[Job], first: set[str]) -> tuple[list[Job], list[Job], list[Job]]:
    """The list pages (made of no paper's inputs alone), the papers' pages at the paths
    `first`, and the other papers' pages, in one pass (50,000 jobs)."""
    lists: list[Job] = []
    opened: list[Job] = []
    rest: list[Job] = []
    for job in jobs:
        (lists if job.inputs is None else opened if job.path in first else rest).append(job)
    return lists, opened, rest


def _listing_first(pages: PageJobs, jobs: list[Job], saved: Collection[str]) -> list[list[Job]]:
    """The papers' pages `jobs`: first those whose related papers may show an edit of the
    papers `saved` (other papers' pages depend on it only there), then the others."""
    if not saved:
        return [[], jobs]
    listing = {paper_url(paper_id) + "index.html" for paper_id in pages.pages.papers.listing(saved)}
    first: list[Job] = []
    others: list[Job] = []
    for job in jobs:
        (first if job.path in listing else others).append(job)
    return [first, others]


def put(root: Path, outputs: Iterable[Output], live: Manifest, looks: Looks,
        hold: bool = False) -> Written:
    """Each output in place: kept when the file there holds its bytes already, else
    written (all that changed, together, each renamed over its place), but for the pages
    a first look took meanwhile (the next rebuild makes them). With `hold`, what the files
    written held is kept in `looks` (see `Looks.hold`)."""
    written: Written = {}
    changed: dict[str, tuple[Output, str]] = {}
    for output in outputs:
        old = live.outputs.get(output.path)
        if output.data is None:
            assert output.entry is not None  # taken from `root` itself, as it is
            written[output.path] = [output.key, output.reads, *output.entry[2:5]]
            continue
        data_digest = hashlib.sha256(output.data).hexdigest()
        if old is not None and old[2] == data_digest and intact(root / output.path, old):
            written[output.path] = [output.key, output.reads, *old[2:5]]
        else:
            changed[output.path] = (output, data_digest)
    with looks.lock:  # no look writes in between
        for path, (output, _) in list(changed.items()):
            if looks.taken(root / path, output.data):
                written[path] = [output.key, output.reads, "", -1, -1]  # never found intact
                del changed[path]
        if hold:
            looks.hold(root / path for path in changed)
        write_files({root / path: output.data for path, (output, _) in changed.items()
                     if output.data is not None})
    for path, (output, data_digest) in changed.items():
        status = os.stat(root / path)
        written[path] = [output.key, output.reads, data_digest, status.st_size,
                         status.st_mtime_ns]
    return written
