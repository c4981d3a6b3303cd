"""The related-papers index's term weights (tf-idf), made afresh or from an earlier
index's: an edit reweighs only the papers whose terms it can change (see `term_weights`)."""

from __future__ import annotations

import heapq
import math
import operator
from array import array
from collections import Counter
from collections.abc import Callable, Collection
from itertools import compress, count, repeat
from typing import TypeVar

from sitegen.core.model import Paper
from sitegen.core.perpaper import other_places
from sitegen.site.relatedterms import (
    TERMS_PER_PAPER,
    IndexState,
    TermWeights,
    paper_terms,
    text_digest,
)

T = TypeVar("T")
Change = tuple[Collection[str], Collection[str]]  # a paper's terms before, and after


def term_weights(papers: list[Paper], earlier: IndexState | None = None,
                 replaced: list[int] | None = None) -> TermWeights:
    """The papers' term weights; from an earlier index's where they cannot differ: its
    papers as many, and a paper with the same text, none of its terms held by more or
    fewer papers than before, is weighted as it was. `replaced`: the places where the
    papers are other objects than `earlier.papers`, the same ids (`replaced_in_place`),
    which spares a pass over every paper."""
    if earlier is None or len(earlier.ids) != len(papers):
        return _weights_afresh(papers)
    was = earlier.weights
    same = _same_texts(papers, earlier) if replaced is None else _same_in_place(
        papers, was, replaced)
    fresh = list(compress(count(), map(operator.is_, same, repeat(None))))
    in_place = replaced is not None
    changes: list[Change] = [(_terms_before(earlier, papers, k, in_place),
                              paper_terms(papers[k]).keys()) for k in fresh]
    changes += [(earlier.terms_held(earlier.number[gone]), ())
                for gone in (() if in_place else _gone(earlier.ids, papers))]
    frequency, moved = _frequency_moved(was.frequency, changes)
    vocabulary = _grown(was.vocabulary, moved)
    texts = _taken(was.texts, same, fresh, lambda k: text_digest(papers[k]), in_place)
    held = _taken(was.held, same, fresh, lambda k: array(
        "i", map(vocabulary.__getitem__, paper_terms(papers[k]))), in_place)
    idf = _idf_moved(was.idf, frequency, moved, len(papers))
    weighted, renewed = (_reweighed(papers, same, was, {vocabulary[term] for term in moved}, idf)
                         if moved or not in_place else _weighed_in_place(papers, was, fresh, idf))
    return TermWeights(frequency, idf, weighted, vocabulary, held, texts, frozenset(renewed))


def replaced_in_place(papers: list[Paper], earlier: IndexState | None) -> list[int] | None:
    """The places where `papers` hold other objects than the earlier index's papers, if it
    kept them (in memory), they are as many and those places have the same ids; else None.
    The session never changes a paper object: any other place holds the very same paper."""
    before = earlier.papers if earlier is not None else None
    if before is None or earlier is None or len(before) != len(papers):
        return None
    places = other_places(before, papers)
    if any(papers[k].id != earlier.ids[k] for k in places):
        return None
    return places


def _same_in_place(papers: list[Paper], was: TermWeights, replaced: list[int]
                   ) -> list[int | None]:
    """`_same_texts` where only the papers at `replaced` may differ (at their own places)."""
    same: list[int | None] = list(range(len(papers)))
    for k in replaced:
        if was.texts[k] != text_digest(papers[k]):
            same[k] = None
    return same


def _taken(values: list[T], same: list[int | None], fresh: list[int],
           make: Callable[[int], T], in_place: bool) -> list[T]:
    """Each paper's value from the earlier index's, by its number there (`same`), made
    anew (`make`) at the `fresh` places; `in_place`: each other paper's number is its
    place, and the earlier list is copied whole."""
    if not in_place:
        return [values[n] if n is not None else make(k) for k, n in enumerate(same)]
    found = list(values)
    for k in fresh:
        found[k] = make(k)
    return found


def _reweighed(papers: list[Paper], same: list[int | None], was: TermWeights,
               moved: set[int], idf: dict[str, float]) -> tuple[list[dict[str, float]], set[int]]:
    """Each paper's weighted terms, the earlier index's where the paper's text is the same
    and it holds none of the `moved` terms (by number); and the papers (by number) whose
    text changed or were weighted anew."""
    weighted, renewed = [], set[int]()
    for k, (paper, number) in enumerate(zip(papers, same, strict=True)):
        if number is not None and (not moved or moved.isdisjoint(was.held[number])):
            weighted.append(was.weighted[number])
        else:
            weighted.append(_weighted(paper_terms(paper), idf))
            renewed.add(k)
    return weighted, renewed


def _weighed_in_place(papers: list[Paper], was: TermWeights, fresh: list[int],
                      idf: dict[str, float]) -> tuple[list[dict[str, float]], set[int]]:
    """`_reweighed` where every other paper is at its own place and no term moved: only
    the papers at the `fresh` places are weighted anew."""
    weighted = list(was.weighted)
    for k in fresh:
        weighted[k] = _weighted(paper_terms(papers[k]), idf)
    return weighted, set(fresh)


def _same_texts(papers: list[Paper], earlier: IndexState) -> list[int | None]:
    """Each paper's number in the earlier index if its text is the same there: the very
    paper object the earlier index was made from (the preview's session keeps one while
    its file is unchanged, and never changes it), or one of an equal `text_digest`. Papers
    are first looked for at their own place (the same ids, in the same order, mostly)."""
    was, before, ids = earlier.weights.texts, earlier.papers, earlier.ids
    found: list[int | None] = []
    for place, paper in enumerate(papers):
        if before is not None and place < len(before) and before[place] is paper:
            found.append(place)
            continue
        number = place if place < len(ids) and ids[place] == paper.id else (
            earlier.number.get(paper.id))
        if number is not None and was[number] != text_digest(paper):
            number = None
        found.append(number)
    return found


def _gone(ids: list[str], papers: list[Paper]) -> set[str]:
    """The ids no paper has any more (none, when the papers have the same ids in order)."""
    if len(ids) == len(papers) and all(map(str.__eq__, ids, (p.id for p in papers))):
        return set()
    return set(ids).difference(paper.id for paper in papers)


def _grown(vocabulary: dict[str, int], terms: Collection[str]) -> dict[str, int]:
    """The vocabulary with the terms it lacks numbered after the others (a new dict if
    any: the earlier index's is left as it was)."""
    new = sorted(set(terms).difference(vocabulary))
    if not new:
        return vocabulary
    return {**vocabulary, **{term: len(vocabulary) + k for k, term in enumerate(new)}}


def _weights_afresh(papers: list[Paper]) -> TermWeights:
    counts = [paper_terms(p) for p in papers]
    frequency: Counter = Counter()
    for terms in counts:
        frequency.update(iter(terms))  # an iterable counts each term once per paper
    idf = {t: math.log(len(papers) / n) for t, n in frequency.items() if n > 1}
    vocabulary = {term: k for k, term in enumerate(frequency)}
    return TermWeights(frequency, idf, [_weighted(terms, idf) for terms in counts], vocabulary,
                       [array("i", map(vocabulary.__getitem__, terms)) for terms in counts],
                       [text_digest(p) for p in papers])


def _terms_before(earlier: IndexState, papers: list[Paper], k: int, in_place: bool
                  ) -> Collection[str]:
    """The terms the k-th paper held in the earlier index (none if it was not there)."""
    if in_place and earlier.papers is not None:  # the paper that was at its place
        return paper_terms(earlier.papers[k]).keys()
    before = earlier.number.get(papers[k].id)
    return () if before is None else earlier.terms_held(before)


def _frequency_moved(frequency: Counter, changes: list[Change]) -> tuple[Counter, set[str]]:
    """How many papers hold each term once papers' terms changed (from the first of each
    pair to the second), and the terms held by more or fewer papers (those a paper gained
    or lost): `frequency` itself if there are none, else a copy."""
    differences = [(set(gone).difference(came), set(came).difference(gone))
                   for gone, came in changes]
    moved = set[str]().union(*(lost | gained for lost, gained in differences))
    if not moved:
        return frequency, moved
    frequency = frequency.copy()
    for lost, gained in differences:
        frequency.subtract(lost)
        frequency.update(gained)
    return frequency, moved


def _idf_moved(idf: dict[str, float], frequency: Counter, moved: set[str],
               papers: int) -> dict[str, float]:
    """The earlier idf, with that of the terms held by more or fewer papers made again
    (and the terms no paper holds any more forgotten)."""
    idf = dict(idf)
    for term in moved:
        held = frequency[term]
        if held < 1:
            del frequency[term]
        if held > 1:
            idf[term] = math.log(papers / held)
        else:
            idf.pop(term, None)
    return idf


def _weighted(terms: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    """A paper's TERMS_PER_PAPER terms of highest tf-idf, with their weights."""
    weights = [(-n * idf[t], t) for t, n in terms.items() if t in idf]
    return {t: -weight for weight, t in heapq.nsmallest(TERMS_PER_PAPER, weights)}


def weigh_alone(paper: Paper, idf: dict[str, float]) -> dict[str, float]:
    """A paper's weighted terms by the idf given (of a catalogue without it, say)."""
    return _weighted(paper_terms(paper), idf)
