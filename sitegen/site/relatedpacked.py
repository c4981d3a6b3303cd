"""The files `relatedmemo` keeps a related-papers index's state in (`packed`).

The base: a JSON head (the ids, the taxonomy's names, the terms, each paper's labels, the
reasons papers are related for, and the token the changes name it by) and arrays (how
many papers hold each term, each paper's text digest, terms and weighted terms, and the
related papers found). The changes: a head naming the base by its token (with the names,
the terms added since the base, the numbers of the papers changed, their labels and
reasons), the counts and text digests of all terms and papers, and the changed papers'
arrays, as the base has them.
"""

from __future__ import annotations

import bisect
import functools
import math
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Any

from sitegen.site.codedigest import code_digest
from sitegen.site.packed import pack
from sitegen.site.relatedterms import IndexState, Labels, Names, Related, TermWeights

MAGIC = b"sitegen related papers 2\n"
CHANGES_MAGIC = b"sitegen related papers, changed 2\n"
_PAPER_TYPES = "iiiidiiiii"  # the arrays of a run of papers, in the order `_paper_arrays`
#                              writes them: held terms, weighted terms, related papers
_TYPES = "iQ" + _PAPER_TYPES  # after each term's count and each paper's text digest


@dataclass(frozen=True)
class Base:
    """The base a changes file applies to: its token, and how many terms it has."""

    token: str
    terms: int


@dataclass
class Parts:
    """A state as read back, before it is made an `IndexState` (`state_of`)."""

    ids: list[str]
    names: Names
    terms: list[str]
    counts: array
    texts: array
    held: list[array]
    weighted: list[dict[str, float]]
    labels: list[Labels]
    lists: dict[str, list[Related]]


@dataclass(frozen=True)
class _Papers:
    """Some papers' held terms, weighted terms, labels and related papers (if found)."""

    held: list[array]
    weighted: list[dict[str, float]]
    labels: list[Labels]
    lists: list[list[Related] | None]


def dump(state: IndexState, token: str) -> bytes:
    """The whole state, as a base named by `token`."""
    reasons, arrays = _paper_arrays(state, range(len(state.ids)))
    head = {"version": code_digest(), "token": token, "ids": state.ids,
            "names": list(state.names), "vocabulary": list(state.weights.vocabulary),
            "labels": state.labels, "reasons": reasons}
    return pack(MAGIC, head, [*_totals(state), *arrays])


def dump_changes(state: IndexState, base: Base, changed: Sequence[int]) -> bytes:
    """The state as changes to `base`: the papers `changed` (by number) differ from it."""
    reasons, arrays = _paper_arrays(state, changed)
    terms = list(state.weights.vocabulary)
    head = {"version": code_digest(), "base": base.token, "names": list(state.names),
            "vocabulary": terms[base.terms:], "numbers": list(changed),
            "labels": [state.labels[i] for i in changed], "reasons": reasons}
    return pack(CHANGES_MAGIC, head, [*_totals(state), *arrays])


def _totals(state: IndexState) -> list[array]:
    weights = state.weights
    return [array("i", map(weights.frequency.__getitem__, weights.vocabulary)),
            array("Q", weights.texts)]


def _paper_arrays(state: IndexState, numbers: Sequence[int]) -> tuple[list[str], list[array]]:
    """The reasons the papers `numbers` are related for, and their arrays: how many terms
    each holds and their numbers, how many weighted terms and their numbers and weights,
    then their related papers (`_lists_arrays`)."""
    weights, vocabulary = state.weights, state.weights.vocabulary
    held = [weights.held[i] for i in numbers]
    weighted = [weights.weighted[i] for i in numbers]
    number = state.number.__getitem__ if len(numbers) == len(state.ids) else (
        functools.partial(_number_of, state.ids))  # a few: looked up, not all numbered
    reasons, lists = _lists_arrays(state, [state.ids[i] for i in numbers], number)
    return reasons, [
        array("i", map(len, held)), array("i", b"".join(part.tobytes() for part in held)),
        array("i", map(len, weighted)),
        array("i", (vocabulary[t] for terms in weighted for t in terms)),
        array("d", (w for terms in weighted for w in terms.values())), *lists]


def _number_of(ids: list[str], paper_id: str) -> int:
    """The paper's number: its place among the ids, which are in order (KeyError if none)."""
    place = bisect.bisect_left(ids, paper_id)
    if place == len(ids) or ids[place] != paper_id:
        raise KeyError(paper_id)
    return place


def _lists_arrays(state: IndexState, ids: list[str], number: Callable[[str], int]
                  ) -> tuple[list[str], list[array]]:
    """The related papers of these papers, as arrays: how many each paper has (-1: none
    found), each one's number and its reasons' number, each set of reasons' size and the
    numbers of its reasons in the list of reasons. (As JSON they took most of the file:
    16 MB at 20,000 papers, a tenth of a second to write and more to read; sets of reasons
    recur, 22,000 sets for 100,000 related papers, and are read once each.)"""
    texts: dict[str, int] = {}
    sets: dict[tuple[str, ...], int] = {}
    sizes, numbers, chosen = array("i"), array("i"), array("i")
    for pid in ids:
        found = state.lists.get(pid)
        sizes.append(-1 if found is None else len(found))
        for related in found or ():
            numbers.append(number(related.id))
            chosen.append(sets.setdefault(related.reasons, len(sets)))
    counts = array("i", map(len, sets))
    reasons = array("i", (texts.setdefault(text, len(texts)) for set_ in sets for text in set_))
    return list(texts), [sizes, numbers, chosen, counts, reasons]


def base_parts(head: dict[str, Any], arrays: list[array]) -> tuple[Parts, str] | None:
    """A base's parts and token (None if other code wrote it; errors if it is not whole)."""
    if head["version"] != code_digest() or "".join(a.typecode for a in arrays) != _TYPES:
        return None
    ids, terms = [str(pid) for pid in head["ids"]], [str(t) for t in head["vocabulary"]]
    counts, texts = arrays[:2]
    if len(ids) != len(texts) or len(counts) != len(terms):
        raise ValueError("the base's parts do not agree in size")
    families, topics = head["names"]
    papers = _papers(ids, terms, head, arrays[2:], len(ids))
    return Parts(ids, (dict(families), dict(topics)), terms, counts, texts, papers.held,
                 papers.weighted, papers.labels,
                 {pid: found for pid, found in zip(ids, papers.lists, strict=True)
                  if found is not None}), str(head["token"])


def apply_changes(parts: Parts, token: str, head: dict[str, Any], arrays: list[array]
                  ) -> list[int] | None:
    """The papers (by number) these changes give `parts` anew, once given; None, and the
    parts as they were, if they are changes to another base or other code wrote them. All
    is read before any part is changed: one not whole (an error) changes none."""
    if (head["version"] != code_digest() or head["base"] != token
            or "".join(a.typecode for a in arrays) != _TYPES):
        return None
    terms = parts.terms + [str(t) for t in head["vocabulary"]]
    numbers = [int(n) for n in head["numbers"]]
    counts, texts = arrays[:2]
    if (len(counts) != len(terms) or len(texts) != len(parts.ids)
            or any(not 0 <= n < len(parts.ids) for n in numbers)):
        raise ValueError("the changes do not fit their base")
    papers = _papers(parts.ids, terms, head, arrays[2:], len(numbers))
    families, topics = head["names"]
    parts.names, parts.terms, parts.counts, parts.texts = (
        (dict(families), dict(topics)), terms, counts, texts)
    for k, n in enumerate(numbers):
        parts.held[n], parts.weighted[n], parts.labels[n] = (
            papers.held[k], papers.weighted[k], papers.labels[k])
        found = papers.lists[k]
        if found is None:
            parts.lists.pop(parts.ids[n], None)
        else:
            parts.lists[parts.ids[n]] = found
    return numbers


def _papers(ids: list[str], terms: list[str], head: dict[str, Any], arrays: list[array],
            count: int) -> _Papers:
    """`count` papers' parts (ValueError, IndexError if the arrays do not hold them, whole)."""
    held_sizes, held, weighted_sizes, weighted_terms, weights = arrays[:5]
    labels = [(list(map(str, f)), list(map(str, t))) for f, t in head["labels"]]
    if not (len(held_sizes) == len(weighted_sizes) == len(labels) == len(arrays[5]) == count
            and sum(held_sizes) == len(held)
            and sum(weighted_sizes) == len(weighted_terms) == len(weights)):
        raise ValueError("the papers' parts do not agree in size")
    weighted = [dict(zip(map(terms.__getitem__, weighted_terms[a:b]), weights[a:b], strict=True))
                for a, b in _spans(weighted_sizes)]
    lists = _lists(ids, [str(text) for text in head["reasons"]], arrays[5:])
    return _Papers([held[a:b] for a, b in _spans(held_sizes)], weighted, labels, lists)


def _lists(ids: list[str], texts: list[str], arrays: list[array]
           ) -> list[list[Related] | None]:
    """The related papers of `_lists_arrays`'s arrays, for each of their papers (IndexError,
    ValueError if they do not hold them, whole)."""
    sizes, numbers, chosen, counts, reasons = arrays
    if len(numbers) != len(chosen) or sum(counts) != len(reasons) or any(
            min(part, default=0) < 0 for part in (numbers, chosen, counts, reasons)):
        raise ValueError("the related papers' arrays do not agree")
    sets = [tuple(texts[r] for r in reasons[a:b]) for a, b in _spans(counts)]
    listed = [Related(ids[n], sets[k]) for n, k in zip(numbers, chosen, strict=True)]
    lists: list[list[Related] | None] = []
    taken = 0
    for size in sizes:
        lists.append(listed[taken:taken + size] if size >= 0 else None)
        taken += max(size, 0)
    if taken != len(numbers):
        raise ValueError("the lists do not hold every related paper")
    return lists


def state_of(parts: Parts) -> IndexState:
    """The state these parts hold."""
    terms, ids = parts.terms, parts.ids
    frequency = Counter({term: n for term, n in zip(terms, parts.counts, strict=True) if n > 0})
    idf = {term: math.log(len(ids) / n) for term, n in frequency.items() if n > 1}
    weights = TermWeights(frequency, idf, parts.weighted, {t: k for k, t in enumerate(terms)},
                          parts.held, list(parts.texts))
    return IndexState(ids, parts.names, weights, parts.labels, parts.lists)


def _spans(sizes: array) -> list[tuple[int, int]]:
    """The [start, end) of each of consecutive parts of these sizes."""
    return list(pairwise(accumulate(sizes, initial=0)))
