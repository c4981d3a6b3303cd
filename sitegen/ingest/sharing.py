"""The papers an ingest shares with its caller until an entry changes one: a settled
paper is copied only then (copying 50,000 of them took a second)."""

from __future__ import annotations

import copy
import dataclasses

from sitegen.catalogue.provenance import moved_sighting
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
            again: bool) -> Paper:
    """The paper an entry was recorded as, with its sighting moved to the entry's line where
    an edit of the dump moved the entry; owned first where that may change it, or (`again`:
    the entry holds the paper's text) a longer abstract or an id the entry gives."""
    paper, moved = papers[paper_id], moved_sighting(papers[paper_id].sources, entry)
    if moved is not None or (again and (len(entry.abstract) > len(paper.abstract)
                                        or (entry.arxiv and not paper.arxiv))):
        paper = own(papers, paper_id, shared)
    if moved is not None:
        paper.sources[moved] = dataclasses.replace(paper.sources[moved], line=entry.line)
    return paper
