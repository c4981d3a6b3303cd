"""The related-papers index of the last build, kept for the next one to start from.

Weighing every paper's terms and finding every paper's related papers is most of a
build's work after a small edit (about ten seconds at 20,000 papers): an index made
from the last one's state (`RelatedIndex(..., earlier)`, `carry_over`) weighs again and
finds again only what the edit can change. The preview's session keeps the last index
in memory; `sitegen build` keeps its state beside the output, in the build record, as
one file (`packed`): a JSON head (the ids, the taxonomy's names, the terms, each paper's
labels, the reasons papers are related for) and arrays (how many papers hold each term,
each paper's text digest, terms and weighted terms, and the related papers found). The
state is a fact about the catalogue, true whichever build wrote it, and written whole
(`write_atomic`); a file that does not read back whole, or was written by other code,
is ignored, and the index is made afresh.
"""

from __future__ import annotations

import contextlib
import math
from array import array
from collections import Counter
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

from sitegen.site.codedigest import code_digest
from sitegen.site.output import write_atomic
from sitegen.site.packed import pack, read
from sitegen.site.related import RelatedIndex
from sitegen.site.relatedterms import IndexState, Related, TermWeights

MAGIC = b"sitegen related papers\n"
RELATED_INDEX = "related-index.bin"  # its name in the build record
_TYPES = "iQiiiidiiiii"  # the arrays' types, in the order `dump` writes them


class RelatedMemo:
    """The state of the last related-papers index, read from and written to `path`."""

    def __init__(self, path: Path):
        self.path = path

    def earlier(self) -> IndexState | None:
        return load(self.path)

    def keep(self, index: RelatedIndex) -> None:
        with contextlib.suppress(OSError):  # a cache: the build goes on without it
            write_atomic(self.path, dump(index.state()))


def dump(state: IndexState) -> bytes:
    weights = state.weights
    reasons, lists = _lists_arrays(state)
    head = {"version": code_digest(), "ids": state.ids, "names": list(state.names),
            "vocabulary": list(weights.vocabulary), "labels": state.labels, "reasons": reasons}
    weighted = array("i", (weights.vocabulary[t] for terms in weights.weighted for t in terms))
    return pack(MAGIC, head, [
        array("i", map(weights.frequency.__getitem__, weights.vocabulary)),
        array("Q", weights.texts),
        array("i", map(len, weights.held)),
        array("i", b"".join(held.tobytes() for held in weights.held)),
        array("i", map(len, weights.weighted)), weighted,
        array("d", (w for terms in weights.weighted for w in terms.values())), *lists])


def _lists_arrays(state: IndexState) -> tuple[list[str], list[array]]:
    """The related papers found so far, as arrays: how many each paper has (-1: none
    found), each one's number and its reasons' number, each set of reasons' size and the
    numbers of its reasons in the list of reasons. (As JSON they took most of the file:
    16 MB at 20,000 papers, a tenth of a second to write and more to read; sets of reasons
    recur, 22,000 sets for 100,000 related papers, and are read once each.)"""
    texts: dict[str, int] = {}
    sets: dict[tuple[str, ...], int] = {}
    sizes, numbers, chosen = array("i"), array("i"), array("i")
    for pid in state.ids:
        found = state.lists.get(pid)
        sizes.append(-1 if found is None else len(found))
        for related in found or ():
            numbers.append(state.number[related.id])
            chosen.append(sets.setdefault(related.reasons, len(sets)))
    counts = array("i", map(len, sets))
    reasons = array("i", (texts.setdefault(text, len(texts)) for set_ in sets for text in set_))
    return list(texts), [sizes, numbers, chosen, counts, reasons]


def load(path: Path) -> IndexState | None:
    """The state kept in `path`, or None if there is none that this code can use."""
    return read(path, MAGIC, _state)


def _state(head: dict[str, Any], arrays: list[array]) -> IndexState | None:
    if head["version"] != code_digest() or "".join(a.typecode for a in arrays) != _TYPES:
        return None
    counts, texts, held_sizes, held, weighted_sizes, weighted_terms, weights = arrays[:7]
    ids, terms = [str(pid) for pid in head["ids"]], [str(t) for t in head["vocabulary"]]
    if not _whole(head, arrays):
        return None
    frequency = Counter({term: n for term, n in zip(terms, counts, strict=True) if n > 0})
    idf = {term: math.log(len(ids) / n) for term, n in frequency.items() if n > 1}
    weighted = [dict(zip(map(terms.__getitem__, weighted_terms[a:b]), weights[a:b], strict=True))
                for a, b in _spans(weighted_sizes)]
    state = TermWeights(frequency, idf, weighted, {t: k for k, t in enumerate(terms)},
                        [held[a:b] for a, b in _spans(held_sizes)], list(texts))
    families, topics = head["names"]
    lists = _lists(ids, [str(text) for text in head["reasons"]], arrays[7:])
    labels = [(list(map(str, f)), list(map(str, t))) for f, t in head["labels"]]
    return IndexState(ids, (dict(families), dict(topics)), state, labels, lists)


def _lists(ids: list[str], texts: list[str], arrays: list[array]) -> dict[str, list[Related]]:
    """The related papers of `_lists_arrays`'s arrays (IndexError, ValueError if they do
    not hold them, whole)."""
    sizes, numbers, chosen, counts, reasons = arrays
    if len(numbers) != len(chosen) or sum(counts) != len(reasons) or any(
            min(part, default=0) < 0 for part in (numbers, chosen, counts, reasons)):
        raise ValueError("the related papers' arrays do not agree")
    sets = [tuple(texts[r] for r in reasons[a:b]) for a, b in _spans(counts)]
    listed = [Related(ids[n], sets[k]) for n, k in zip(numbers, chosen, strict=True)]
    lists: dict[str, list[Related]] = {}
    taken = 0
    for pid, size in zip(ids, sizes, strict=True):
        if size >= 0:
            lists[pid] = listed[taken:taken + size]
            taken += size
    if taken != len(numbers):
        raise ValueError("the lists do not hold every related paper")
    return lists


def _whole(head: dict[str, Any], arrays: list[array]) -> bool:
    """Whether the head and arrays hold as many items of each kind as they should."""
    counts, texts, held_sizes, held, weighted_sizes, weighted_terms, weights = arrays[:7]
    papers = {len(head["ids"]), len(texts), len(held_sizes), len(weighted_sizes),
              len(head["labels"]), len(arrays[7])}
    return (len(papers) == 1 and len(head["vocabulary"]) == len(counts)
            and sum(held_sizes) == len(held)
            and sum(weighted_sizes) == len(weighted_terms) == len(weights))


def _spans(sizes: array) -> list[tuple[int, int]]:
    """The [start, end) of each of consecutive parts of these sizes."""
    return list(pairwise(accumulate(sizes, initial=0)))
