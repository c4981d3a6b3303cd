"""A labels file's papers found in the catalogue: by id, else by title, else as the same
paper by the catalogue's own rules (`match.compare`, or an abstract all but equal to
its abstract), else classified from the abstract the file gives.

Finding the same paper under another title matters for honest figures: a paper the file
gives as new, whose copy the catalogue holds, would be taught its own labels by that copy;
and two entries that are one paper would count it twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sitegen.catalogue import blocking, match
from sitegen.core.model import Paper, Problem, field_path
from sitegen.core.text import title_key
from sitegen.ingest.goldfile import GoldPaper
from sitegen.ingest.titleindex import TitleIndex

# An abstract this similar to a catalogue paper's is that paper's, whatever its title says.
SAME_PAPER_ABSTRACT = match.RENAMED_ABSTRACT


@dataclass(frozen=True)
class Found:
    """A labelled paper and what it was found as: a catalogue paper (`known`, found by its
    `field`: id, title or abstract), else its own abstract (`known` None), else nothing."""

    paper: GoldPaper
    known: Paper | None
    field: str  # "id", "title" or "abstract"; "" when the catalogue lacks it

    def text(self) -> tuple[str, str, str] | None:
        """The title, abstract and catalogue id ("": none) to propose labels for."""
        if self.known is not None:
            return self.known.title, self.known.abstract, self.known.id
        return (self.paper.title, self.paper.abstract, "") if self.paper.abstract else None


class Finder:
    """The catalogue's papers by id and by title, and its titles and abstracts' openings
    for a paper given under another title (made only when one is)."""

    def __init__(self, papers: dict[str, Paper]) -> None:
        self.papers = papers
        self.by_title: dict[str, Paper] = {}
        for paper in papers.values():
            self.by_title.setdefault(title_key(paper.title), paper)
        self._index: TitleIndex | None = None

    def find(self, paper: GoldPaper) -> Found:
        if paper.id in self.papers:
            return Found(paper, self.papers[paper.id], "id")
        known = self.by_title.get(title_key(paper.title))
        if known is not None:
            return Found(paper, known, "title")
        same = self.same_paper(paper.title, paper.abstract) if paper.abstract else None
        return Found(paper, same, "abstract" if same else "")

    def same_paper(self, title: str, abstract: str) -> Paper | None:
        """The catalogue paper that the rules take for this one, or whose abstract is all
        but this abstract: the most alike, if any."""
        matches = []
        for pid in self._candidates(title, abstract):
            known = self.papers[pid]
            verdict = match.compare(title, abstract, known.title, known.abstract)
            score = match.abstract_similarity(abstract, known.abstract) or 0.0
            if verdict.decision == match.SAME or score >= SAME_PAPER_ABSTRACT:
                matches.append((verdict.decision != match.SAME, -score, -verdict.title_score,
                                pid))
        return self.papers[min(matches)[-1]] if matches else None

    def _candidates(self, title: str, abstract: str) -> list[str]:
        """Papers of a close title, and papers whose abstract holds one of the same first
        runs of words."""
        if self._index is None:
            self._index = TitleIndex(self.papers)
        found = self._index.candidates(title, abstract=abstract)
        found += self._index.opening_with(blocking.abstract_keys(abstract))
        return sorted({pid for pid, _ in found})


def find_all(gold: Iterable[GoldPaper], papers: dict[str, Paper],
             shown: str) -> tuple[list[Found], list[Problem]]:
    """Each labelled paper as found, and a problem for each that cannot be evaluated."""
    finder = Finder(papers)
    found = [finder.find(paper) for paper in gold]
    problems = [Problem(shown, f.paper.line, field_path((*f.paper.place, "title")),
                        f"{f.paper.title!r} is not in the catalogue",
                        "ingest the dump that holds it, or give its abstract in the labels file")
                for f in found if f.text() is None]
    return found, problems


def labelled_twice(found: Iterable[Found], shown: str) -> list[Problem]:
    """A problem for each entry that is a catalogue paper an earlier entry is: whether by
    its id, its title or its abstract, it would count twice, perhaps with other labels."""
    first: dict[str, int] = {}
    problems = []
    for entry in found:
        if entry.known is None:
            continue
        line = first.setdefault(entry.known.id, entry.paper.line)
        if line != entry.paper.line:
            field = "id" if entry.field == "id" else "title"
            problems.append(Problem(shown, entry.paper.line,
                                    field_path((*entry.paper.place, field)),
                                    f"{_named(entry, entry.known.id)} already labelled on "
                                    f"line {line}",
                                    "keep one entry for each paper: it would count twice"))
    return problems


def _named(entry: Found, known: str) -> str:
    """The entry as found: "'id' is", or "'Title' is the catalogue's id (by its abstract),"."""
    if entry.field == "id":
        return f"{entry.paper.id!r} is"
    how = " (by its abstract)" if entry.field == "abstract" else ""
    return f"{entry.paper.title!r} is the catalogue's {known}{how},"
