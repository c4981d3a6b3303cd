"""What is checked of each paper file against the rest of the content: its labels
against the taxonomy, the papers it names, its dates; each problem at its value's line."""

from __future__ import annotations

import dataclasses

from sitegen.catalogue import yamlio
from sitegen.catalogue.provenance import decided_fields
from sitegen.catalogue.store import serialise
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.catalogue.yamlio import Loaded
from sitegen.core.model import LABEL_FIELDS, LABEL_NOUNS, Paper, Problem

# The code of an unknown label the rules proposed: commands that relabel let it pass
PROPOSED_UNKNOWN = "proposed-unknown"


class Lines:
    """The lines of a valid paper file's values, in the text that was read (never read
    again: the file may have changed since). A file in canonical form is the paper's
    canonical text, whose lines are found only when a problem is reported: most files
    have none, and the papers travel between processes."""

    def __init__(self, paper: Paper, lines: dict[tuple, int] | None):
        self.paper = paper
        self._loaded = None if lines is None else Loaded(None, lines)

    def line_of(self, path: tuple) -> int:
        if self._loaded is None:
            self._loaded = yamlio.load(serialise(self.paper).decode("utf-8"))
        return self._loaded.line_of(path)


def check_labels(paper: Paper, document: Lines, where: str, taxonomy: Taxonomy,
                  taxonomy_file: str) -> list[Problem]:
    """Each label the taxonomy lacks: one the rules proposed is theirs to replace (a topic
    or family renamed or removed, `sitegen classify` proposes labels again, which it may
    do with this problem standing); a person's is the person's to correct."""
    problems: list[Problem] = []
    for name, known in (("topics", taxonomy.topics), ("families", taxonomy.families)):
        for i, label in enumerate(getattr(paper, name)):
            if label in known:
                continue
            noun = LABEL_NOUNS[name]
            problem = Problem(where, document.line_of((name, i)), f"{name}[{i}]",
                              f"unknown {noun} {label!r}",
                              f"use an id from {taxonomy_file}: {', '.join(sorted(known))}")
            if name not in decided_fields(paper, LABEL_FIELDS):  # asked of the few only
                problem = dataclasses.replace(
                    problem, code=PROPOSED_UNKNOWN,
                    hint=f"the rules proposed it, and {taxonomy_file} has no such {noun} now: "
                         "run `sitegen classify` to propose this paper's labels again")
            problems.append(problem)
    return problems


def check_references(paper: Paper, document: Lines, where: str,
                      papers: dict[str, Paper], papers_folder: str) -> list[Problem]:
    problems = []
    for i, other in enumerate(paper.distinct_from):
        if other not in papers:
            problems.append(Problem(where, document.line_of(("distinct_from", i)),
                                    f"distinct_from[{i}]", f"no paper has the id {other!r}",
                                    f"use the id of a file in {papers_folder}/"))
    return problems


def check_dates(paper: Paper, document: Lines, where: str) -> list[Problem]:
    """`updated`, the date of the paper's latest version, is never before `published`."""
    if not (paper.updated and paper.published and paper.updated < paper.published):
        return []
    return [Problem(where, document.line_of(("updated",)), "updated",
                    f"{paper.updated!r} is before the paper was published ({paper.published!r})",
                    "updated is the date of its latest version, on or after published: "
                    "correct the one that is wrong (or swap them)")]


def check_shared_sources(loaded: dict[str, tuple[Paper, Lines, str]]) -> list[Problem]:
    """An error for each paper that claims a sighting (dump, line, title) of another paper,
    titled as that sighting: one entry of a dump is one paper, so the file is a copy of
    the other (whose `machine` checksums would make the labels kept in it count as the
    tool's). Only a sighting titled otherwise than its paper is looked up (most are not):
    a duplicate titled alike is the look-alike check's."""
    others = [(pid, i, source) for pid, (paper, _, _) in loaded.items()
              for i, source in enumerate(paper.sources) if source.title != paper.title]
    by_title = {paper.title: pid for pid, (paper, _, _) in loaded.items()} if others else {}
    problems, told = [], set()
    for pid, i, source in others:
        owner = by_title.get(source.title)
        if owner is not None and owner != pid and pid not in told and any(
                (s.dump, s.line) == (source.dump, source.line)
                for s in loaded[owner][0].sources):
            problems.append(_shared(loaded[pid], i, source.dump, source.line, owner))
            told.add(pid)
    return problems


def _shared(claimant: tuple[Paper, Lines, str], index: int, dump: str, line: int,
            owner: str) -> Problem:
    paper, document, where = claimant
    return Problem(
        where, document.line_of(("sources", index)), f"sources[{index}]",
        f"{dump} line {line} is a sighting of {owner!r}: one entry of a dump is one paper",
        f"if this file began as a copy of {owner}.yaml, remove its sources, machine and "
        "evidence, which are that paper's (its labels then count as yours); if it is the "
        f"same paper, list {paper.id} under `same_as:` in {owner}.yaml and run `sitegen "
        "ingest`")
