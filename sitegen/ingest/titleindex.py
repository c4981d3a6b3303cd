"""Every title the catalogue knows a paper by, found again without scanning them all.

Ingest asks, for each entry, which known titles could be the same paper. Scoring every
known title would make ingesting N entries cost N² comparisons, so the index first
picks candidates from inverted lists, then scores only those with rapidfuzz:

- a title with the same key (`title_key`: case, spacing, punctuation aside);
- a title of as many words sharing one of the entry's BLOCKING_TOKENS rarest words
  (rarest among titles of that length). Two titles that `typos.title_typos` accepts
  have the same number of words and differ in at most MAX_TYPOS of them, so a title
  of three words or more shares one of any three of the other's distinct words: no
  title that can be SAME is missed, and the lists stay short as the catalogue grows;
- a title of one or two words: every known title of as many words (they are few);
- the titles of a paper whose abstract holds one of the same first runs of words (a
  renamed paper, as `sitegen check` finds look-alikes: `blocking.abstract_keys`).

Scoring all titles (`limit=None`, one look-up for one paper) still scans them all.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from sitegen.catalogue import blocking, match
from sitegen.catalogue.provenance import sighting_checksum
from sitegen.core.model import Entry, Paper, Source
from sitegen.core.text import arxiv_paper, title_key, title_tokens

SHORT = 2  # words: a title this short may differ from its look-alike in every word


class TitleIndex:
    """Every title a paper is known by, for exact and fuzzy lookup, and the papers' arXiv ids."""

    def __init__(self, papers: dict[str, Paper]):
        # (dump, line, title key) -> (paper id, the checksum recorded there, if any), made
        # from `unplaced` (in the order sightings came) when first needed: an ingest finds
        # the entries earlier ingests recorded by their checksums
        self.by_source: dict[tuple[str, int, str], tuple[str, str]] = {}
        self.unplaced: list[tuple[str, Source]] = []
        # (dump, checksum) -> paper id: the entries earlier ingests recorded, wherever they are
        self.by_checksum = {(s.dump, s.checksum): p.id for p in papers.values()
                            for s in p.sources if s.checksum}
        self.by_arxiv = {arxiv_paper(p.arxiv): p.id for p in papers.values() if p.arxiv}
        self.choices: list[str] = []
        self.owners: list[tuple[str, str]] = []  # (paper id, title) per choice
        self.known: set[tuple[str, str]] = set()
        self.postings: dict[object, list[int]] = {}  # key (word, title key, ...) -> choices
        self.openings: dict[str, tuple[str, ...]] = {}  # paper id -> `blocking.abstract_keys`
        # Titles not indexed yet, with the abstract their paper had: an ingest whose entries
        # are all known sightings never needs the lists.
        self.waiting: list[tuple[str, str, str | None]] | None = []
        for paper in papers.values():
            self.add(paper)

    def add(self, paper: Paper) -> None:
        self._add_title(paper.id, paper.title, paper.abstract)
        for source in paper.sources:
            self.add_source(paper.id, source)

    def add_source(self, paper_id: str, source: Source) -> None:
        """One more sighting of a paper: found again by its place, and by its title."""
        self.unplaced.append((paper_id, source))
        self._add_title(paper_id, source.title)

    def sighting(self, entry: Entry, papers: dict[str, Paper]) -> tuple[str, bool]:
        """The paper a dump entry was recorded as ("" if none), and whether the entry holds
        its text. An entry an earlier ingest recorded with its checksum is that paper's
        wherever its line has moved, whatever the paper's text became (a person folded
        another copy into it under `same_as`, or rewrote its abstract). Its place in the
        dump, under the title seen there, counts while it holds the paper's text, or where
        the text is a person's: a rewritten abstract, or copies folded in by `same_as` when
        the place was recorded without a checksum (by an ingest before they were kept)."""
        found = self.recorded_as(entry)
        if found in papers:
            return found, match.same_text(entry.abstract, papers[found].abstract)
        at, recorded = self._by_place().get((entry.dump, entry.line, title_key(entry.title)),
                                            ("", ""))
        if at not in papers:
            return "", False
        again = match.same_text(entry.abstract, papers[at].abstract)
        if again or "abstract" in papers[at].human or (papers[at].same_as and not recorded):
            return at, again
        return "", False

    def recorded_as(self, entry: Entry) -> str:
        """The paper an earlier ingest recorded the entry as, by its checksum ("" if none)."""
        return self.by_checksum.get((entry.dump, sighting_checksum(entry.title, entry.abstract)),
                                    "")

    def _by_place(self) -> dict[tuple[str, int, str], tuple[str, str]]:
        """`by_source`, with the sightings added since it was last asked for."""
        for paper_id, source in self.unplaced:
            self.by_source[(source.dump, source.line, title_key(source.title))] = (
                paper_id, source.checksum)
        self.unplaced.clear()
        return self.by_source

    def _add_title(self, paper_id: str, title: str, abstract: str | None = None) -> None:
        if (paper_id, title) in self.known:  # a paper seen again and again: once
            return
        self.known.add((paper_id, title))
        if self.waiting is not None:
            self.waiting.append((paper_id, title, abstract))
        else:
            self._index(paper_id, title, abstract)

    def _ready(self) -> None:
        """Index the titles waiting, in the order they came."""
        waiting, self.waiting = self.waiting or [], None
        for paper_id, title, abstract in waiting:
            self._index(paper_id, title, abstract)

    def _index(self, paper_id: str, title: str, abstract: str | None) -> None:
        if abstract is not None:
            self.openings[paper_id] = blocking.abstract_keys(abstract)
        tokens = title_tokens(title)
        number = len(self.choices)
        self.choices.append(" ".join(tokens))
        self.owners.append((paper_id, title))
        keys: list[object] = [*blocking.sized_words(tokens), ("key", "".join(tokens))]
        if len(tokens) <= SHORT:
            keys.append(("short", len(tokens)))
        keys += [("opening", key) for key in self.openings.get(paper_id, ())]
        for key in keys:
            self.postings.setdefault(key, []).append(number)

    def _blocked(self, title: str, opened: tuple[str, ...]) -> list[int]:
        """The choices that could be the same paper as a title and an abstract of these
        keys (`blocking.abstract_keys`), in index order."""
        self._ready()
        tokens = title_tokens(title)
        rarest = sorted(blocking.sized_words(tokens),
                        key=lambda t: (len(self.postings.get(t, ())), t))
        keys: list[object] = [*rarest[:blocking.BLOCKING_TOKENS], ("key", "".join(tokens)),
                              *(("opening", key) for key in opened)]
        if len(tokens) <= SHORT:
            keys.append(("short", len(tokens)))
        found: set[int] = set()
        for key in keys:
            found.update(self.postings.get(key, ()))
        return sorted(found)

    def candidates(self, title: str, limit: int | None = 8,
                   abstract: str = "") -> list[tuple[str, str]]:
        """(paper id, known title) of the titles closest to `title` (all of them: None), and
        those of papers whose abstract opens with all the words this one does, whatever
        their titles (a paper retitled whole)."""
        query = " ".join(title_tokens(title))
        self._ready()
        opened = blocking.abstract_keys(abstract)
        numbers = range(len(self.choices)) if limit is None else self._blocked(title, opened)
        found = process.extract(query, _picked(self.choices, numbers), scorer=fuzz.ratio,
                                limit=limit, score_cutoff=match.RENAMED_TITLE)
        close = {self.owners[numbers[index]] for _, _, index in found}
        if limit is not None and len(found) == limit:  # the closest may leave some out
            close.update(self._same_words_and_opening(title, opened))
        if opened and blocking.same_text_key(opened[-1]):  # the last key, when there is one
            close.update(self.opening_with(opened[-1:], blocking.CLOSEST_LATER))
        return sorted(close)

    def _same_words_and_opening(self, title: str, opened: tuple[str, ...]
                                ) -> set[tuple[str, str]]:
        """(paper id, known title) of the titles of the very same words whose paper's
        abstract opens as this one does, in one of its runs: among many papers of one title
        ("Technical Report"), those the look-alike check will pair with this one."""
        same = self.postings.get(("key", "".join(title_tokens(title))), ())
        opening = {n for key in opened for n in self.postings.get(("opening", key), ())}
        return {self.owners[number] for number in same if number in opening}

    def opening_with(self, keys: Sequence[str], limit: int | None = None
                     ) -> set[tuple[str, str]]:
        """(paper id, known title) of the titles of papers whose abstract holds one of these
        keys (`blocking.abstract_keys`), whatever the titles: the first `limit` of each."""
        self._ready()
        return {self.owners[number] for key in keys
                for number in self.postings.get(("opening", key), ())[:limit]}


def _picked(items: list[str], numbers: Sequence[int]) -> Sequence[str]:
    """items[k] for each k, in order (picked in C: the blocks of a large catalogue hold
    thousands of titles)."""
    if isinstance(numbers, range) and len(numbers) == len(items):
        return items
    return operator.itemgetter(*numbers)(items) if len(numbers) > 1 else [
        items[k] for k in numbers]
