"""The postings of a positioned field (a title, an abstract), counted for every document at
once with NumPy.

Counting them term by term in Python took most of a cold build's search data: about five
seconds at 20,000 papers, a microsecond for each of millions of (term, document) pairs.
Here the field's tokens become one array of term numbers, which a stable sort groups by
term; within a term they stay in the order of the documents and of their places there, so
each (term, document) pair is a run of equal neighbours, and its count, first place and
gaps come from differences of neighbours. Only the splitting into each term's arrays is
left to Python, once per term.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

INT = np.intc  # the C int: what an array of typecode "i" holds
WIDTH = array("i").itemsize


@dataclass
class Tally:
    """One field's postings, term by term in the order the terms first appear in the field
    (by document, then place): the documents holding each term and how many times each
    does; the runs of its places (see `postings.run_of`); and where it first stands, as
    (document, place)."""

    found: dict[str, tuple[array, array]]
    places: dict[str, array]
    first: dict[str, tuple[int, int]]


def tally(tokens: Sequence[Sequence[str]]) -> Tally:
    """The postings of a field whose document d has the terms tokens[d], in order."""
    every = [term for terms in tokens for term in terms]
    names = list(dict.fromkeys(every))  # numbered in the order they first appear
    number = {term: i for i, term in enumerate(names)}
    ids = np.fromiter(map(number.__getitem__, every), INT, len(every))
    lengths = np.fromiter(map(len, tokens), INT, len(tokens))
    doc = np.repeat(np.arange(len(tokens), dtype=INT), lengths)
    place = np.arange(len(every), dtype=INT) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    order = np.argsort(ids, kind="stable")  # by term; by document and place within one
    return _split(names, ids[order], doc[order], place[order])


def _split(names: list[str], ids: np.ndarray, doc: np.ndarray, place: np.ndarray) -> Tally:
    """The Tally of tokens sorted by term, then document, then place."""
    size = len(ids)
    new_term = np.ones(size, bool)
    new_term[1:] = ids[1:] != ids[:-1]
    new_pair = new_term.copy()
    new_pair[1:] |= doc[1:] != doc[:-1]
    pairs = np.flatnonzero(new_pair)  # where each (term, document) run starts
    counts = np.diff(np.append(pairs, size)).astype(INT)
    runs = _runs(place, new_pair, pairs, counts)
    term_pairs = np.flatnonzero(new_term[pairs])  # the first pair of each term
    pair_ends = np.append(term_pairs, len(pairs))[1:]
    at = pairs[term_pairs]  # each term's first token
    run_starts = at + term_pairs  # each pair's run holds its count too
    run_ends = np.append(run_starts, len(runs))[1:]
    docs_of, counts_of, runs_of = (part.tobytes() for part in (doc[pairs], counts, runs))
    found: dict[str, tuple[array, array]] = {}
    places: dict[str, array] = {}
    first: dict[str, tuple[int, int]] = {}
    for name, start, end, run_start, run_end, at_doc, at_place in zip(
            names, (term_pairs * WIDTH).tolist(), (pair_ends * WIDTH).tolist(),
            (run_starts * WIDTH).tolist(), (run_ends * WIDTH).tolist(), doc[at].tolist(),
            place[at].tolist(), strict=True):
        found[name] = (array("i", docs_of[start:end]), array("i", counts_of[start:end]))
        places[name] = array("i", runs_of[run_start:run_end])
        first[name] = (at_doc, at_place)
    return Tally(found, places, first)


def _runs(place: np.ndarray, new_pair: np.ndarray, pairs: np.ndarray,
          counts: np.ndarray) -> np.ndarray:
    """Each (term, document) pair's run, one after another: its count, its first place and
    the gaps to the next places."""
    steps = np.empty(len(place), INT)
    steps[1:] = place[1:] - place[:-1]
    steps[pairs] = place[pairs]  # (the first token starts a pair)
    runs = np.empty(len(place) + len(pairs), INT)
    runs[np.arange(len(place)) + np.cumsum(new_pair)] = steps
    runs[pairs + np.arange(len(pairs))] = counts
    return runs
