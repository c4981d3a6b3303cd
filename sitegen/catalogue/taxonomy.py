"""The taxonomy's types: topics, model families and the settings of the rules.

Plain data that classification reads; loading and checking content/taxonomy.yaml is
`sitegen.catalogue.taxonomyload`, so that labelling a text needs no YAML or schema.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from sitegen.core.patterns import Pattern, any_of


@dataclass(frozen=True)
class Topic:
    """`description` is for readers (pages show it); `definition` is for labellers."""

    id: str
    name: str
    definition: str
    description: str = ""
    strong: tuple[Pattern, ...] = ()
    weak: tuple[Pattern, ...] = ()

    @property
    def any_pattern(self) -> Pattern:
        """All the topic's patterns in one: a text it misses scores nothing."""
        return _combine(self.strong + self.weak)


@dataclass(frozen=True)
class Family:
    """`description` is for readers (pages show it); `definition` is for labellers."""

    id: str
    name: str
    definition: str
    description: str = ""
    parent: str | None = None
    patterns: tuple[Pattern, ...] = ()
    exclude: tuple[Pattern, ...] = ()

    @property
    def any_pattern(self) -> Pattern:
        """All the family's patterns in one: a text it misses mentions nothing."""
        return _combine(self.patterns)


@dataclass(frozen=True)
class Settings:
    topic_threshold: float = 2.0
    topic_relative: float = 0.35
    title_weight: float = 3.0
    default_topic: str = ""
    model_names: tuple[str, ...] = ()
    passing_cues: tuple[Pattern, ...] = ()
    example_cues: tuple[Pattern, ...] = ()
    building_cues: tuple[Pattern, ...] = ()
    tool_cues: tuple[Pattern, ...] = ()


@dataclass
class Taxonomy:
    topics: dict[str, Topic] = field(default_factory=dict)
    families: dict[str, Family] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)

    def children(self, family_id: str) -> list[str]:
        return list(self._children.get(family_id, ()))

    @functools.cached_property
    def _children(self) -> dict[str | None, tuple[str, ...]]:
        """Each family's children, sorted, found in one pass over the families (a loaded
        taxonomy does not change): asking family by family stays linear in their number."""
        found: dict[str | None, list[str]] = {}
        for family in self.families.values():
            found.setdefault(family.parent, []).append(family.id)
        return {parent: tuple(sorted(ids)) for parent, ids in found.items()}

    def ancestors(self, family_id: str) -> list[str]:
        chain, parent = [], self.families[family_id].parent
        while parent and parent not in chain:
            chain.append(parent)
            parent = self.families[parent].parent if parent in self.families else None
        return chain


@functools.cache
def _combine(patterns: tuple[Pattern, ...]) -> Pattern:
    return any_of(patterns)
