"""A compiled pattern's search, without the wrapping the library adds to each call.

The library's `search` makes a generator and a match object for every call; labelling one
paper makes tens of thousands of calls, and that wrapping took two thirds of their time.
RE2's own search is used where this release of the library exposes it, and the library's
`search` otherwise (the two are compared in `tests/test_patterns.py`).
"""

from __future__ import annotations

from collections.abc import Callable

import re2  # type: ignore[import-untyped]

Finder = Callable[[bytes, int], "tuple[int, int] | None"]

_ANCHOR = getattr(getattr(getattr(re2, "_re2", None), "RE2", None), "Anchor", None)
_NO_MATCH = (-1, -1)


def span_finder(regexp: re2._Regexp) -> Finder:
    """A function giving the byte span of the first match in data at or after position
    (at most len(data)), or None."""
    match = getattr(getattr(regexp, "_regexp", None), "Match", None)
    if _ANCHOR is None or match is None:
        return library_finder(regexp)
    unanchored = _ANCHOR.UNANCHORED

    def find(data: bytes, position: int) -> tuple[int, int] | None:
        span: tuple[int, int] = match(unanchored, data, position, len(data))[0]
        return None if span == _NO_MATCH else span

    return find


def library_finder(regexp: re2._Regexp) -> Finder:
    """`span_finder` through the library's public `search`."""
    def find(data: bytes, position: int) -> tuple[int, int] | None:
        found = regexp.search(data, position)
        return None if found is None else found.span()

    return find
