"""A mapping changed on top of one that stays as it was: the postings brought up to date
for a few edited papers, over the last ones.

Copying tens of thousands of terms' postings to change a few took longer than the change;
a `Layered` mapping reads the base's entries through, keeps its own changes, and never
writes to the base, so whoever still holds the base sees it unchanged. Its order is the
base's (an entry changed keeps its place, one removed leaves it), then the entries added.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import TypeVar

V = TypeVar("V")


class Layered(MutableMapping[str, V]):
    """`base`, with the entries of `own` set over it and the keys of `removed` gone."""

    def __init__(self, base: Mapping[str, V]):
        self.base = base
        self.own: dict[str, V] = {}
        self.removed: set[str] = set()

    @classmethod
    def over(cls, found: Mapping[str, V]) -> Layered[V]:
        """A mapping to change that starts as `found`: over its base, if `found` is
        layered (so that layers never pile up), with copies of its changes."""
        if not isinstance(found, Layered):
            return cls(found)
        layered = cls(found.base)
        layered.own = dict(found.own)
        layered.removed = set(found.removed)
        return layered

    def __getitem__(self, key: str) -> V:
        if key in self.own:
            return self.own[key]
        if key in self.removed:
            raise KeyError(key)
        return self.base[key]

    def __contains__(self, key: object) -> bool:
        return key in self.own or (key not in self.removed and key in self.base)

    def __setitem__(self, key: str, value: V) -> None:
        self.own[key] = value
        self.removed.discard(key)

    def __delitem__(self, key: str) -> None:
        if key not in self:
            raise KeyError(key)
        self.own.pop(key, None)
        if key in self.base:
            self.removed.add(key)

    def __iter__(self) -> Iterator[str]:
        removed, base = self.removed, self.base
        yield from (key for key in base if key not in removed)
        yield from (key for key in self.own if key not in base)

    def __len__(self) -> int:
        added = sum(1 for key in self.own if key not in self.base)
        return len(self.base) - len(self.removed) + added
