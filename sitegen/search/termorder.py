"""The index's terms in the order the page sorts them (JavaScript's string order), with what
the search plan measures of each term, in that order.

The page finds a query's terms in the vocabulary by binary search, so `search/index.json`
lists the terms as JavaScript sorts strings (by UTF-16 code units, not by code points).
Sorting a large vocabulary takes a tenth of a second at 50,000 papers, and so does any pass
over its 126,000 terms, which lie all over a large process's memory: joining them for the
page, hashing them for the shard boundaries, looking up their entries' sizes. Postings
brought up to date for a few edited papers (`update`) touch a few terms, so the last
plan's `TermOrder` is taken, with each touched term put in its place, taken out, or
measured again; nothing else is read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from sitegen.search.boundaries import term_hashes
from sitegen.search.update import Counted


def js_key(term: str) -> bytes:
    """What orders terms as JavaScript orders strings (by UTF-16 code units)."""
    return term.encode("utf-16-be")


def js_order(terms: list[str]) -> list[int]:
    """Term numbers in JavaScript's string order."""
    return sorted(range(len(terms)), key=lambda i: js_key(terms[i]))


@dataclass(frozen=True, eq=False)
class TermOrder:
    """The postings' terms `terms` in the page's order (`names`), and, in that order, each
    term's entry size (`sizes`) and hash (`boundaries.term_hashes`), the names each with a
    newline after it (`lines`) and where each name's line ends there (`ends`). Never
    changed once made: a plan brought up to date makes another."""

    terms: list[str]
    names: list[str]
    sizes: np.ndarray
    hashes: np.ndarray
    lines: str
    ends: np.ndarray

    def __eq__(self, other: object) -> bool:
        """Equal orders hold the same terms, names and facts (arrays compared whole)."""
        return isinstance(other, TermOrder) and (
            self.terms, self.names, self.lines) == (other.terms, other.names, other.lines) and all(
            np.array_equal(mine, theirs) for mine, theirs in (
                (self.sizes, other.sizes), (self.hashes, other.hashes), (self.ends, other.ends)))

    __hash__ = None  # type: ignore[assignment]  # (equal by value, and holds lists)

    @classmethod
    def of(cls, terms: list[str], names: list[str], sizes: Iterable[int]) -> TermOrder:
        """The order of `terms` as `names`, with their entries' sizes (in that order)."""
        ends = np.cumsum(np.fromiter(map(len, names), dtype=np.int64, count=len(names)) + 1)
        return cls(terms, names, np.fromiter(sizes, dtype=np.int64, count=len(names)),
                   term_hashes(names), "".join(f"{name}\n" for name in names), ends)


Measure = Callable[[str], int]  # a term's entry size


def term_order(now: Counted, measure: Measure) -> TermOrder:
    """The terms of `now`'s postings in the page's order: the order of the postings brought
    up to date from, with the touched terms put in their places, taken out or measured
    again (when few were touched), else sorted and measured afresh. `now` keeps it for the
    next plan."""
    terms = now.postings.terms
    last = now.ordered[0] if now.ordered else None
    if last is not None and now.touched == frozenset() and last.terms == terms:
        found = last
    elif last is not None and now.touched is not None and len(now.touched) * RESORT <= len(
            terms):
        found = _retouched(last, terms, now.touched, now.postings.holds, measure)
    else:
        names = [terms[i] for i in js_order(terms)]
        found = TermOrder.of(terms, names, map(measure, names))
    now.ordered[:] = [found]
    return found


RESORT = 100  # past 1/RESORT of the terms touched, sorting them all is quicker


def _retouched(last: TermOrder, terms: list[str], touched: frozenset[str],
               holds: Callable[[str], bool], measure: Measure) -> TermOrder:
    """The order `last`, of the terms before an update, for `terms` after it: each touched
    term in it exactly when the postings hold it (`holds`: the only terms that can have come
    or gone), and its size measured again."""
    names, sizes, hashes = list(last.names), last.sizes.copy(), last.hashes.copy()
    ends, lines = last.ends.copy(), last.lines
    for term in touched:
        k, there = _place(names, term)
        held = holds(term)
        if held and there:
            sizes[k] = measure(term)
        elif held or there:
            start = int(ends[k - 1]) if k else 0
            if held:
                lines = f"{lines[:start]}{term}\n{lines[start:]}"
                names.insert(k, term)
                sizes, hashes = (np.insert(sizes, k, measure(term)),
                                 np.insert(hashes, k, term_hashes([term])))
                ends = np.insert(ends, k, start)
                ends[k:] += len(term) + 1
            else:
                lines = lines[:start] + lines[int(ends[k]):]
                del names[k]
                sizes, hashes = np.delete(sizes, k), np.delete(hashes, k)
                ends = np.delete(ends, k)
                ends[k:] -= len(term) + 1
    return TermOrder(terms, names, sizes, hashes, lines, ends)


def positions_of(names: list[str], terms: Iterable[str]) -> Iterator[int]:
    """Where each of `terms` stands in `names` (in this order), for those it holds."""
    for term in terms:
        k, there = _place(names, term)
        if there:
            yield k


def _place(names: list[str], term: str) -> tuple[int, bool]:
    """Where the term stands, or would stand, in `names` (in this order), and whether it is
    there."""
    k = bisect_left(names, js_key(term), key=js_key)
    return k, k < len(names) and names[k] == term
