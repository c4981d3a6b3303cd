"""The look-alike check: two paper files that hold the same paper, unless a person said
they differ; and that check made before the files are written (`Foreseen`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from sitegen.catalogue import match
from sitegen.catalogue.sameas import marked_distinct
from sitegen.core.model import Paper, Problem
from sitegen.core.parallel import split_map


class HasLines(Protocol):
    def line_of(self, path: tuple) -> int: ...


Item = tuple[Paper, HasLines, str]  # a paper, the lines of its file, the name it is shown by
Duplicates = Callable[[Mapping[str, Item], bool], list[Problem]]


def check_duplicates(loaded: Mapping[str, Item], parallel: bool = False) -> list[Problem]:
    """Two files that hold the same paper, unless a person said they differ."""
    items = list(loaded.values())
    pairs = match.candidate_pairs([paper.title for paper, _, _ in items],
                                  [paper.abstract for paper, _, _ in items], parallel)

    def judge(pair: tuple[int, int]) -> match.Verdict | None:
        first, second = items[pair[0]][0], items[pair[1]][0]
        if marked_distinct(first, second):
            return None
        return match.compare(second.title, second.abstract, first.title, first.abstract)

    problems = []
    verdicts = split_map(judge, pairs, parallel, min_items=2_000)  # ~0.1 ms a pair
    for (i, j), found in zip(pairs, verdicts, strict=True):
        (first, _, _), (second, document, where) = items[i], items[j]
        if found is None or found.decision == match.DIFFERENT:
            continue
        problems.append(Problem(
            where, document.line_of(("title",)), "title",
            f"looks like the same paper as {first.id!r} ({found.explain()})",
            f"if it is, list {second.id} under `same_as:` in {first.id}.yaml and run "
            f"`sitegen ingest`; if not, list {first.id} under `distinct_from:` here",
            warning=found.decision == match.UNSURE))
    return problems


class Foreseen:
    """The look-alike check of papers made before their files are written: taken by the load
    that finds those very paper objects, under the same names in the same order (a command
    that wrote them reads them back from memory); any other load makes the check itself."""

    def __init__(self, items: Mapping[str, Item], problems: list[Problem]):
        self.items = [(paper, where) for paper, _, where in items.values()]
        self.problems = problems

    def __call__(self, loaded: Mapping[str, Item], parallel: bool = False) -> list[Problem]:
        if self._found_in(loaded):
            return list(self.problems)
        return check_duplicates(loaded, parallel)

    def _found_in(self, loaded: Mapping[str, Item]) -> bool:
        return len(loaded) == len(self.items) and all(
            paper is kept and where == named
            for (paper, _, where), (kept, named) in zip(loaded.values(), self.items, strict=True))


def foresee(items: Mapping[str, Item]) -> Foreseen:
    """The check of these papers, in two processes, to be taken when they are loaded."""
    return Foreseen(items, check_duplicates(items, parallel=True))
