"""The pages of the paper files just saved, put in place before the rest of a rebuild.

A preview rebuild checks every file and works out every page before it can trust
any: seconds, for tens of thousands of papers. The author of an edit looks at one
page, the saved paper's. So the session first makes that page from the paper as
saved and the rest of the site as its last good build left it, and puts it in
place at once. Only a paper file that is valid on its own (it parses, its id is
its file's name, its labels are the taxonomy's) of a paper already in the site
is taken so; anything else waits for the rebuild.

The rebuild that follows makes every file as a build would, these pages too: it
corrects what a first look cannot know (the catalogue's term weights with the
edit in them, for the related papers), and when it fails, the pages are put back
as they were (`put_back`): the last good site is what stays served.

A save made while a rebuild runs waits for the next one, but its page gets a first
look at once (`Looks`); the running rebuild leaves that page for the next to make.

The rebuild itself may put the files that show the edit in place before its checks,
from the same catalogue a first look sees (`as_saved`); `Looks` keeps what they held
too (`hold`), to put back with the first looks should the rebuild fail.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.catalogue.load import PaperRead, ValidCatalogue, parsed
from sitegen.catalogue.store import read_paper_text
from sitegen.core.model import Paper, Problem
from sitegen.site.bibtex import citation_keys, key_base
from sitegen.site.jinja import Job
from sitegen.site.output import remove_file, write_files
from sitegen.site.pages import item
from sitegen.site.paperpages import paper_url
from sitegen.site.render import PageJobs

Replaced = dict[Path, bytes | None]  # each file written, and what it held (None: nothing)


@dataclass(frozen=True)
class LastGood:
    """What the last good build was made from, and its pages' contents and templates."""

    catalogue: ValidCatalogue
    jobs: PageJobs


def first_look(last: LastGood, saved: list[Path], out: Path) -> Replaced:
    """Put the pages of the `saved` paper files in `out`, made from `last` with those
    papers as saved; what the files there held, to put back should the rebuild fail.
    Nothing is written unless every saved file is a known paper valid on its own."""
    papers = [_valid_alone(path, last.catalogue) for path in saved]
    if not saved or any(paper is None for paper in papers):
        return {}
    made = {out / paper_url(paper.id) / "index.html": _page(last, paper)
            for paper in papers if paper is not None}
    replaced = {path: _held(path) for path in made}
    write_files(made)
    return replaced


class Looks:
    """The first looks of a session, and what the pages they wrote held before.

    A look at the saves a rebuild builds is made at its start; a look at a save made
    while it runs is made at once, from another thread, and `pending` until a rebuild
    takes that save: the running one must not write over its page (`taken`), the
    next one makes it. `lock` keeps a look and a rebuild's writing or start apart.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.lock = threading.RLock()
        self.before: Replaced = {}  # what each page looked at held while its site was good
        self.pending: set[Path] = set()
        self.held: Replaced = {}  # what each file a rebuild put ahead of its checks held

    def look(self, last: LastGood | None, saved: list[Path], shown: Callable[[], None],
             pending: bool = False) -> None:
        with self.lock:
            replaced = first_look(last, saved, self.out) if last else {}
            for path, data in replaced.items():
                self.before.setdefault(path, data)
            if pending:
                self.pending.update(replaced)
        if replaced:
            shown()

    def hold(self, paths: Iterable[Path]) -> None:
        """Keep what these files held while the site was good, to be put back should the
        rebuild fail (`ended`) or not keep them (`undo_held`): a rebuild may put the files
        that show an edit in place before its checks are done."""
        with self.lock:
            for path in paths:
                if path not in self.held:
                    self.held[path] = self.before[path] if path in self.before else _held(path)

    def undo_held(self) -> None:
        """The files `hold` kept, as they were, but for the pages looks took since."""
        with self.lock:
            put_back({path: data for path, data in self.held.items()
                      if path not in self.pending})
            self.held = {}

    def start(self) -> None:
        """A rebuild starts, and builds every save made until it loads the catalogue: the
        pages looked at for them are its own."""
        with self.lock:
            self.pending.clear()

    def taken(self, path: Path, data: bytes | None) -> bool:
        """Whether a save the running rebuild does not build put a page at `path`: the
        rebuild then leaves it, and `data`, what it made for it, is the good page."""
        with self.lock:
            if path not in self.pending:
                return False
            if data is not None:
                self.before[path] = data
            return True

    def forget(self) -> None:
        """A whole new site replaced the one the looks wrote to: nothing to put back."""
        with self.lock:
            self.before, self.pending, self.held = {}, set(), {}

    def ended(self, good: bool) -> None:
        """A rebuild ended: a good one made its looks' pages; a failed one puts them back."""
        with self.lock:
            if not good:
                put_back(self.before)
                put_back(self.held)  # then: over a look taken since, what it held before
                self.pending.clear()
            self.before = {path: self.before[path] for path in self.pending}
            self.held = {}


def put_back(replaced: Replaced) -> None:
    """The files `first_look` wrote, as they were before it."""
    write_files({path: data for path, data in replaced.items() if data is not None})
    for path, data in replaced.items():
        if data is None:
            remove_file(path)


def as_saved(last: LastGood, saved: list[Path]) -> ValidCatalogue | None:
    """The last good catalogue with the `saved` paper files as saved, if each is a known
    paper valid on its own (as `first_look` takes them); None otherwise. It is the
    catalogue the rebuild loads, unless its checks find an error or another file changed."""
    papers = [_valid_alone(path, last.catalogue) for path in saved]
    if not saved or any(paper is None for paper in papers):
        return None
    catalogue = last.catalogue
    return dataclasses.replace(catalogue, papers={
        **catalogue.papers, **{paper.id: paper for paper in papers if paper is not None}})


def _valid_alone(path: Path, catalogue: ValidCatalogue) -> Paper | None:
    """The paper a saved file holds, if it is one of the catalogue's and has no error of
    its own; None otherwise (its problems are the rebuild's to tell)."""
    if path.suffix != ".yaml" or path.stem not in catalogue.papers or (
            path.parent.resolve() != (catalogue.root / "papers").resolve()):  # as watched
        return None
    text = read_paper_text(path, str(path))
    read: PaperRead = (None, None, [text]) if isinstance(text, Problem) else parsed(text,
                                                                                   str(path))
    paper, _, problems = read
    if paper is None or any(not problem.warning for problem in problems):
        return None
    taxonomy = catalogue.taxonomy
    if paper.id != path.stem or any(t not in taxonomy.topics for t in paper.topics) or any(
            f not in taxonomy.families for f in paper.families):
        return None
    return paper


def _page(last: LastGood, paper: Paper) -> bytes:
    pages, taxonomy = last.jobs.pages.papers, last.catalogue.taxonomy
    context = pages.as_saved(paper, item(paper, taxonomy), _key(last, paper))
    return last.jobs.templates.render(Job(context.path + "index.html", "paper.html", context))


def _key(last: LastGood, paper: Paper) -> str:
    """The paper's citation key: as it was, while what gives it is (its key's base and
    when it was added); else given again among all the papers."""
    papers = last.catalogue.papers
    before = papers[paper.id]
    if key_base(before) == key_base(paper) and before.added == paper.added:
        return last.jobs.pages.papers.key(paper.id)
    return citation_keys([*(p for p in papers.values() if p.id != paper.id), paper])[paper.id]


def _held(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
