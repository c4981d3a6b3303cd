"""The index's terms in the order the page sorts them: JavaScript's string order.

The page finds a query's terms in the vocabulary by binary search, so `search/index.json`
lists the terms as JavaScript sorts strings (by UTF-16 code units, not by code points).
Sorting a large vocabulary takes a tenth of a second at 50,000 papers; postings brought up
to date for a few edited papers (`update`) touch a few terms, which are put in their
places, or taken out, in the order the last plan made.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator

from sitegen.search.postings import Postings
from sitegen.search.update import Counted


def js_key(term: str) -> bytes:
    """What orders terms as JavaScript orders strings (by UTF-16 code units)."""
    return term.encode("utf-16-be")


def js_order(terms: list[str]) -> list[int]:
    """Term numbers in JavaScript's string order."""
    return sorted(range(len(terms)), key=lambda i: js_key(terms[i]))


def sorted_terms(now: Counted) -> list[str]:
    """The terms in JavaScript's order: as the postings brought up to date from had them,
    with the touched terms that came put in their places and those that went taken out
    (when few were touched), else sorted. `now` keeps them for the next plan."""
    terms = now.postings.terms
    if now.ordered and now.ordered[0][0] == terms:
        names = now.ordered[0][1]
    elif now.ordered and now.touched is not None and len(now.touched) * RESORT <= len(terms):
        names = _resorted(now.ordered[0][1], now.touched, now.postings)
    else:
        names = [terms[i] for i in js_order(terms)]
    now.ordered[:] = [(terms, names)]
    return names


RESORT = 100  # past 1/RESORT of the terms touched, sorting them all is quicker


def _resorted(names: list[str], touched: frozenset[str], postings: Postings) -> list[str]:
    """The sorted terms `names` (of the postings these were brought up to date from), with
    each touched term in them exactly when `postings` hold it: the only terms that can
    have come or gone."""
    names = list(names)
    for term in touched:
        k, there = _place(names, term)
        held = postings.holds(term)
        if held and not there:
            names.insert(k, term)
        elif there and not held:
            del names[k]
    return names


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
