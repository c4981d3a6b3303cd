"""The preview's build session: what a build learns, kept in memory between rebuilds.

`sitegen build` starts from what it kept on disk each time: it lists every file and
parses every paper file again (from its cache of them, `papercache`), then finds what it
can reuse from the trees on disk. The preview server runs for hours and knows which
files were saved. So the session keeps every paper file's reading (with the identity of
the file it read, `papercache.identity`: device, inode, mode, size and times, of the file
itself, not of what a link points to) and the manifest of the site it serves; a rebuild
reads again only the files saved since or whose identity changed, then runs the pipeline
as a build does (every whole-catalogue check, every page's key) and writes, in place,
only the files whose key or bytes changed: the pages open in a browser first (see
`inplace`). When the files saved are papers valid on their own, the files that show the
edit are written even before the catalogue is loaded and checked (from the last good
one with those papers as saved), and put back if the checks fail.

A saved template or static file, a first build, or a rebuild that failed half way
makes a full build instead (`build.build`), after which the session starts again
from what that build left.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from sitegen.catalogue import contenttree
from sitegen.catalogue.load import PaperRead, ValidCatalogue, load_catalogue, parsed, validated
from sitegen.catalogue.store import read_paper_text
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.core.model import Problem
from sitegen.core.parallel import no_cycle_collection, set_aside_long_lived
from sitegen.core.perpaper import PaperMemo, keeping
from sitegen.site import manifest
from sitegen.site.build import BuildResult, build, compiled_templates
from sitegen.site.exportmemo import EXPORT_LINES, ExportMemo
from sitegen.site.firstlook import LastGood, Looks, as_saved
from sitegen.site.inplace import InPlace, finish, put_dependents
from sitegen.site.itemmemo import ITEM_RENDERS, ItemMemo
from sitegen.site.manifest import Manifest
from sitegen.site.papercache import Identity, PaperCache, identity
from sitegen.site.paperpages import paper_url
from sitegen.site.paths import STATIC, TEMPLATES
from sitegen.site.reads import KeptRenders
from sitegen.site.render import SiteJobs, site_jobs
from sitegen.site.searchmemo import SEARCH_POSTINGS, SearchMemo
from sitegen.site.uptodate import record_folder

Item = tuple[Path, str]  # a paper file, and the name its problems give it


class PaperFiles:
    """Every paper file's reading, by file, with the identity of the file it read: a file
    is read again when it was saved since (`saved`) or its identity differs."""

    def __init__(self) -> None:
        # by the name a file is shown by, which names one file while the session lasts
        # (a string: quicker to hash than its path)
        self.known: dict[str, tuple[Identity, PaperRead]] = {}
        self.saved: set[Path] = set()

    def read(self, items: list[Item], cache: PaperCache | None = None) -> list[PaperRead]:
        """What `load_catalogue` reads of these files; new ones through `cache` if given."""
        reads: list[PaperRead | None] = []
        missing: list[tuple[int, Item, Identity | None]] = []
        known: dict[str, tuple[Identity, PaperRead]] = {}
        saved = {os.fspath(path) for path in self.saved}
        for item in items:
            now, kept = _read_as(item[0], cache), self.known.get(item[1])
            if kept is not None and now == kept[0] and os.fspath(item[0]) not in saved:
                known[item[1]] = kept
                reads.append(kept[1])
            else:
                missing.append((len(reads), item, now))  # identity taken before reading
                reads.append(None)
        if cache is not None:  # so that saving it keeps their entries
            cache.keep(known)
        found = (cache.read_papers([item for _, item, _ in missing]) if cache
                 else [_read(item) for _, item, _ in missing])
        for (i, item, now), read in zip(missing, found, strict=True):
            reads[i] = read
            if now is not None:
                known[item[1]] = (now, read)
        self.known, self.saved = known, set()
        return [read for read in reads if read is not None]


def _read_as(path: Path, cache: PaperCache | None) -> Identity | None:
    """The identity of the file that a reading of it now goes by: the one the build took
    earlier, by which the cache finds the file's entry (a file saved since is paired with
    the bytes it had then, and read again next time), else the file's now."""
    return (cache.taken.get(str(path)) if cache is not None else None) or identity(path)


class TaxonomyFile:
    """The taxonomy as last loaded, with the identity of the file it was read from: loaded
    again when that file was saved since (`saved`) or its identity differs. (Reading it and
    compiling its patterns takes tens of milliseconds, a good part of a rebuild of the
    shipped catalogue.)"""

    def __init__(self) -> None:
        self.kept: tuple[Path, str, Identity, Taxonomy | None, list[Problem]] | None = None
        self.saved = False

    def load(self, path: Path, shown: str) -> tuple[Taxonomy | None, list[Problem]]:
        now, kept = identity(path), self.kept  # identity taken before reading
        if kept is None or self.saved or now is None or kept[:3] != (path, shown, now):
            taxonomy, problems = load_taxonomy(path, shown)
            self.kept = None if now is None else (path, shown, now, taxonomy, problems)
        else:
            taxonomy, problems = kept[3], kept[4]
        self.saved = False
        return taxonomy, list(problems)  # a catalogue adds its own problems to its list


def _read(item: Item) -> PaperRead:
    """One paper file read as `load_catalogue` reads it; a file gone is a problem."""
    text = read_paper_text(*item)
    return (None, None, [text]) if isinstance(text, Problem) else parsed(text, item[1])


Shown = Callable[[], None]
Unseen = Callable[[], list[Path]]  # the saves made since it was last called, not yet built


class Session:
    """The preview's builds of `content` into `out`, from what the last one left."""

    def __init__(self, content: Path, out: Path, base_url: str) -> None:
        self.content, self.out, self.base_url = content, out, base_url
        self.files = PaperFiles()
        self.taxonomy = TaxonomyFile()
        self.live: Manifest | None = None  # the served site's manifest, None: build fully
        self.last: LastGood | None = None  # what the served site was made from
        self.memo = PaperMemo()  # what rebuilds made from papers that are still the same
        self.looks = Looks(out)  # the first looks, and what their pages held before
        self._compiled = compiled_templates(record_folder(out))  # as `sitegen build` keeps
        # the search postings: read from what `sitegen build` kept, then kept in memory only
        self.search = SearchMemo(record_folder(out) / SEARCH_POSTINGS, write=False)
        # the papers' export lines: likewise (a start-up build may have made none)
        self.lines = ExportMemo(record_folder(out) / EXPORT_LINES, write=False)
        # the papers' items as list pages show them, first from those `sitegen build` kept
        self.renders = KeptRenders(ItemMemo(record_folder(out) / ITEM_RENDERS))

    def rebuild(self, saved: Iterable[Path] | None = None, first: Iterable[str] = (),
                shown: Shown = lambda: None) -> BuildResult:
        """Build what `saved` changed (everything, when not known). The outputs at the
        paths `first` (the pages open in a browser) and the pages of the paper files
        saved are made before the rest; `shown()` is called once they are, if `first`
        named any. The saved papers' pages are put in place even before the catalogue is
        checked (see `firstlook`); `shown()` is called then too."""
        with keeping(self.memo), no_cycle_collection():
            return self._rebuild(saved, first, shown)

    def look_meanwhile(self, unseen: Unseen, shown: Shown) -> None:
        """First looks at the saves `unseen()` gives, saves waiting for the next rebuild,
        made while one may be running (from another thread): see `firstlook.Looks`."""
        with self.looks.lock, keeping(self.memo):
            saved = unseen()
            if saved:
                self.looks.look(self.last, saved, shown, pending=True)

    def _rebuild(self, saved: Iterable[Path] | None, first: Iterable[str],
                 shown: Shown) -> BuildResult:
        paths = None if saved is None else [Path(path) for path in saved]
        tell = shown if first else lambda: None  # no page is open: no page to tell
        if self.live is None or paths is None or any(_outside_content(p) for p in paths):
            return self._full(paths is not None, tell)
        self.files.saved.update(paths)
        self.taxonomy.saved |= any(p.name == contenttree.TAXONOMY_FILE for p in paths)
        live, self.live = self.live, None  # until this rebuild has finished
        self.looks.start()  # before loading: saves looked at since are built by this one
        self.looks.look(self.last, paths, tell)
        try:
            result = self._in_place(live, set(first) | _pages_of(paths), tell, paths)
        finally:
            self.looks.ended(good=self.live is not None)  # a failed one puts them back
        if result.problems:
            self.live = live  # what was written is put back (`Looks.ended`)
        return result

    def _in_place(self, live: Manifest, first: set[str], shown: Shown,
                  paths: list[Path]) -> BuildResult:
        """Load and check everything, then bring the served site up to date, `first` first
        and the files that show the edit before the rest (see `put_dependents`). When the
        saved files are papers valid on their own, those files are put in place before the
        catalogue is loaded, from the last good one with those papers as saved, and kept
        if the catalogue loaded is that one (else put back and made again)."""
        ahead = self._dependents(live, first, shown, paths)
        catalogue = load_catalogue(self.content, read_papers=self.files.read,
                                   read_taxonomy=self.taxonomy.load)
        valid = validated(catalogue)
        if valid is None:
            if ahead is not None:  # its files are put back when the rebuild ends
                manifest.save(record_folder(self.out), self.out, live)
            return BuildResult(catalogue.errors)
        if ahead is None or not _same(ahead[0], valid):
            self.looks.undo_held()
            ahead = self._dependents(live, first, shown, paths, valid)
        assert ahead is not None
        self.live = finish(ahead[1])
        # only now: first looks meanwhile took the last rebuild's, whose related-papers
        # index was made (this one's is made once its lists are in place)
        self.last = LastGood(valid, ahead[1].site.pages())
        return BuildResult([], len(self.live.outputs))

    def _dependents(self, live: Manifest, first: set[str], shown: Shown, paths: list[Path],
                    valid: ValidCatalogue | None = None
                    ) -> tuple[ValidCatalogue, InPlace] | None:
        """The files that show the edit put in place (`put_dependents`) from `valid`, or
        ahead of the checks from the last good catalogue with the papers saved (None if
        they are not all papers valid on their own)."""
        catalogue = valid or (as_saved(self.last, paths) if self.last else None)
        if catalogue is None:
            return None
        earlier = (self.last.catalogue, self.last.jobs.pages) if self.last else None
        site = _kept_pages(site_jobs(catalogue, self.base_url, live_reload=True,
                                     compiled=self._compiled, search=self.search,
                                     kept=self.renders, lines=self.lines, earlier=earlier))
        if self.last is not None:  # the related papers that this rebuild cannot change
            site.pages().pages.papers.carry_over(self.last.jobs.pages.papers)
        return catalogue, put_dependents(self.out, record_folder(self.out), site, live, first,
                                         shown, self.looks, _ids_of(paths), hold=valid is None)

    def _full(self, force: bool, shown: Shown) -> BuildResult:
        """A whole build, as `sitegen build` makes it (`force`: even when its inputs
        look as they were); then what it read and wrote is learnt again (paper files
        through the build's own cache of them), and the open pages are told (`shown()`)
        before the session's objects are set aside, which takes seconds at 20,000 papers."""
        before, self.live = self.live, None
        result = build(self.content, self.out, self.base_url, live_reload=True, force=force,
                       read_with=self.files.read,  # its papers are those rebuilds keep
                       search=self.search)
        if result.problems or (result.unchanged and before is not None):
            self.live = None if result.problems else before  # unchanged: as it was
            return result
        self.looks.forget()  # what looks wrote meanwhile went with the tree it replaced
        cache = PaperCache(record_folder(self.out) / "papers")
        valid = validated(load_catalogue(
            self.content, read_papers=lambda items: self.files.read(items, cache),
            read_taxonomy=self.taxonomy.load))
        self.live = manifest.load(record_folder(self.out), self.out.resolve())
        self.last = None if valid is None else LastGood(
            valid, site_jobs(valid, self.base_url, live_reload=True,
                             compiled=self._compiled).pages())
        if self.last is not None:  # made now: the first save's first look needs it at once,
            self.last.jobs.pages.papers.related_index().find_all()  # its rebuild the lists
        shown()
        set_aside_long_lived()
        return result


def _kept_pages(site: SiteJobs) -> SiteJobs:
    """`site`, whose pages are made once however often they are asked for."""
    return dataclasses.replace(site, pages=functools.cache(site.pages))


def _same(ahead: ValidCatalogue, loaded: ValidCatalogue) -> bool:
    """Whether the catalogue loaded is the one the files put ahead were made from: the same
    papers in the same order, taxonomy, settings, pages and problems."""
    return (ahead.root == loaded.root and ahead.taxonomy is loaded.taxonomy
            and ahead.site == loaded.site and ahead.pages == loaded.pages
            and ahead.problems == loaded.problems and list(ahead.papers) == list(loaded.papers)
            and ahead.papers == loaded.papers)


def _pages_of(saved: list[Path]) -> set[str]:
    """The pages of the paper files saved: where their authors look for the edit."""
    return {paper_url(paper_id) + "index.html" for paper_id in _ids_of(saved)}


def _ids_of(saved: list[Path]) -> set[str]:
    """The ids of the papers whose files were saved."""
    return {path.stem for path in saved if path.suffix == ".yaml" and path.parent.name == "papers"}


def _outside_content(path: Path) -> bool:
    """A saved file that the session cannot take in place: a template or a static file."""
    return path.is_relative_to(TEMPLATES) or path.is_relative_to(STATIC)
