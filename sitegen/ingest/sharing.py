"""The papers an ingest shares with its caller until an entry changes one: a settled
paper is copied only then (copying 50,000 of them took a second)."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from sitegen.catalogue.provenance import placed_sightings, sighting_checksum
from sitegen.core.model import Entry, Paper


def copied(paper: Paper) -> Paper:
    """The paper with its own lists and mappings (their items are never changed in place):
    a deep copy of every paper took seconds at 50,000 papers."""
    twin = copy.copy(paper)
    for name, value in vars(paper).items():
        if isinstance(value, (list, dict)):
            setattr(twin, name, type(value)(value))
    return twin


def own(papers: dict[str, Paper], paper_id: str, shared: set[str]) -> Paper:
    """The paper, copied first while it is still the caller's."""
    if paper_id in shared:
        shared.discard(paper_id)
        papers[paper_id] = copied(papers[paper_id])
    return papers[paper_id]


def sighted(papers: dict[str, Paper], paper_id: str, shared: set[str], entry: Entry,
            again: bool, lines: Sequence[int]) -> Paper | None:
    """The paper an entry was recorded as, its sightings of the entry's text placed at the
    lines the dump holds that text on now (`lines`; `provenance.placed_sightings`), owned
    first where that may change it, or (`again`: the entry holds the paper's text) a longer
    abstract or an id the entry gives; None where the entry is one more occurrence of the
    text than the paper has sightings of (to be matched, and recorded, as a new one)."""
    paper = papers[paper_id]
    placed = placed_sightings(paper.sources, entry, lines)
    if placed is None:
        return None
    if placed is not paper.sources or (again and (len(entry.abstract) > len(paper.abstract)
                                              or (entry.arxiv and not paper.arxiv))):
        paper = own(papers, paper_id, shared)
        paper.sources = placed
    return paper


class SightingLines:
    """The lines each text stands on in each dump of an ingest's entries (by the checksum of
    its sighting), worked out for a dump when first asked: an ingest of new papers asks for
    none."""

    def __init__(self, entries: Iterable[Entry]):
        self.entries: dict[str, list[Entry]] = {}
        for entry in entries:
            self.entries.setdefault(entry.dump, []).append(entry)
        self.lines: dict[str, dict[str, list[int]]] = {}

    def of(self, entry: Entry) -> list[int]:
        if entry.dump not in self.lines:
            found: dict[str, list[int]] = {}
            for each in self.entries.get(entry.dump, ()):
                found.setdefault(sighting_checksum(each.title, each.abstract), []).append(
                    each.line)
            self.lines[entry.dump] = found
        return self.lines[entry.dump].get(sighting_checksum(entry.title, entry.abstract),
                                          [entry.line])
