"""The titles and abstracts an ingest memo holds, each written once in a table of them all.

A dump's entry and the paper made from it hold the same title and abstract, and the memo
keeps both (`sitegen.ingest.memo`): at 50,000 new papers, 72 of its 199 MB were the
dumps' entries, mostly texts the papers' rows held too. In the file, each title and
abstract of a row is its place in the table; in memory, the text itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sitegen.core.model import Entry, Paper

TEXTS = "texts"  # the memo's key for the table


def _places(cls: Any) -> tuple[int, ...]:
    """Where a row of the dataclass (`memo.row`) holds its title and its abstract."""
    names = [f.name for f in dataclasses.fields(cls)]
    return names.index("title"), names.index("abstract")


_ENTRY, _PAPER = _places(Entry), _places(Paper)


def texts_apart(memo: dict[str, Any]) -> dict[str, Any]:
    """The memo with each title and abstract of its entries' and papers' rows replaced by
    its place in a table of them all (under `TEXTS`)."""
    table: dict[str, int] = {}

    def place(text: str) -> int:
        return table.setdefault(text, len(table))
    return {**_each_row(memo, place), TEXTS: list(table)}


def texts_in_place(memo: dict[str, Any]) -> dict[str, Any]:
    """The memo as `texts_apart` had it, its rows holding their texts again (changed in
    place: a memo just read is no one else's, and copying 100,000 rows took 0.2 s);
    ValueError if it does not hold a table and rows that refer to it."""
    table = memo.get(TEXTS)
    if not isinstance(table, list):
        raise ValueError("no table of texts")

    def text(place: int) -> str:
        if not isinstance(place, int) or not 0 <= place < len(table):
            raise ValueError(f"no text at {place!r}")
        return table[place]  # type: ignore[no-any-return]
    try:
        found = _each_row(memo, text, in_place=True)
    except (KeyError, IndexError, TypeError, AttributeError) as error:
        raise ValueError(f"rows not as written: {error}") from None
    found.pop(TEXTS)
    return found


def _each_row(memo: dict[str, Any], change: Callable[[Any], Any],
              in_place: bool = False) -> dict[str, Any]:
    """The memo with `change` applied to the title and abstract of each entry's row (in
    its dumps' part) and each paper's row (in its catalogue), in copies of those rows
    unless `in_place`."""
    changed = dict(memo)
    if "dumps" in memo:
        changed["dumps"] = {path: {**part, "entries": _rows(part["entries"], _ENTRY, change,
                                                             in_place)}
                            for path, part in memo["dumps"].items()}
    if memo.get("catalogue"):
        catalogue = memo["catalogue"]
        changed["catalogue"] = {**catalogue, "papers": _rows(catalogue["papers"], _PAPER,
                                                             change, in_place)}
    return changed


def _rows(rows: list[list], places: tuple[int, ...], change: Callable[[Any], Any],
          in_place: bool) -> list[list]:
    changed = rows if in_place else [list(values) for values in rows]
    for values in changed:
        for place in places:
            values[place] = change(values[place])
    return changed
