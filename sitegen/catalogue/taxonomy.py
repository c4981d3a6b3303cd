"""content/taxonomy.yaml: topics, model families and the rules that propose them."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.catalogue import yamlio
from sitegen.catalogue.contentfs import ContentError, read_file
from sitegen.catalogue.schema import load_document
from sitegen.core.model import Problem, field_path
from sitegen.core.patterns import Pattern, PatternError, any_of, compile_pattern


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    definition: str
    strong: tuple[Pattern, ...] = ()
    weak: tuple[Pattern, ...] = ()

    @property
    def any_pattern(self) -> Pattern:
        """All the topic's patterns in one: a text it misses scores nothing."""
        return _combine(self.strong + self.weak)


@dataclass(frozen=True)
class Family:
    id: str
    name: str
    definition: str
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


def load_taxonomy(path: Path, shown: str) -> tuple[Taxonomy | None, list[Problem]]:
    """Read and validate the taxonomy; any problem means no taxonomy."""
    try:
        text = read_file(path.parent, path.name, lambda _: shown)
    except ContentError as error:
        return None, [error.problem]
    if text is None:
        return None, [Problem(shown, 0, "", "taxonomy file is missing",
                              "create content/taxonomy.yaml with topics and families")]
    loaded, problems = load_document(text, "taxonomy", shown)
    if loaded is None:
        return None, problems
    return _build(loaded, shown)


def _build(loaded: yamlio.Loaded, shown: str) -> tuple[Taxonomy | None, list[Problem]]:
    problems: list[Problem] = []

    def compile_all(where: tuple, patterns: list[str]) -> tuple[Pattern, ...]:
        """Each pattern checked and compiled on its own; every bad one is a problem."""
        compiled = []
        for i, pattern in enumerate(patterns):
            try:
                compiled.append(compile_pattern(pattern))
            except PatternError as error:
                problems.append(Problem(shown, loaded.line_of((*where, i)),
                                        field_path((*where, i)), error.message, error.hint))
        return tuple(compiled)

    data = loaded.data
    raw = data.get("settings", {})
    settings = Settings(
        **{k: raw[k] for k in ("topic_threshold", "topic_relative", "title_weight",
                               "default_topic") if k in raw},
        model_names=tuple(raw.get("model_names", ())),
        passing_cues=compile_all(("settings", "passing_cues"), raw.get("passing_cues", [])),
        example_cues=compile_all(("settings", "example_cues"), raw.get("example_cues", [])),
        building_cues=compile_all(("settings", "building_cues"), raw.get("building_cues", [])),
        tool_cues=compile_all(("settings", "tool_cues"), raw.get("tool_cues", [])),
    )
    taxonomy = Taxonomy(settings=settings)
    for i, item in enumerate(data["topics"]):
        _check_unique(taxonomy.topics, item["id"], ("topics", i), loaded, shown, problems)
        taxonomy.topics[item["id"]] = Topic(
            item["id"], item["name"], item["definition"],
            compile_all(("topics", i, "strong"), item.get("strong", [])),
            compile_all(("topics", i, "weak"), item.get("weak", [])))
    for i, item in enumerate(data["families"]):
        _check_unique(taxonomy.families, item["id"], ("families", i), loaded, shown, problems)
        taxonomy.families[item["id"]] = Family(
            item["id"], item["name"], item["definition"], item.get("parent"),
            compile_all(("families", i, "patterns"), item.get("patterns", [])),
            compile_all(("families", i, "exclude"), item.get("exclude", [])))
    problems += _check_references(taxonomy, data, loaded, shown)
    return (None, problems) if problems else (taxonomy, [])


def _lineages(families: dict[str, Family]) -> tuple[set[str], dict[str, int | None]]:
    """The families in a cycle of parents, and how many generations each family's lineage
    holds (None in or below a cycle). Each family is walked once, so that a taxonomy of
    thousands of families in one chain is checked in linear time."""
    cyclic: set[str] = set()
    generations: dict[str, int | None] = {}
    for start in families:
        path: dict[str, int] = {}  # the walk from start up, in order
        node: str | None = start
        while node in families and node not in generations and node not in path:
            path[node] = len(path)
            node = families[node].parent
        walked = list(path)
        if node in path:
            cyclic.update(walked[path[node]:])
        count = None if node in path else generations.get(node, 0) if node in families else 0
        for member in reversed(walked):
            count = None if count is None else count + 1
            generations[member] = count
    return cyclic, generations


def _check_unique(seen: dict, item_id: str, where: tuple, loaded, shown, problems) -> None:
    if item_id in seen:
        problems.append(Problem(shown, loaded.line_of((*where, "id")), field_path((*where, "id")),
                                f"duplicate id {item_id!r}", "ids must be unique"))


# The most generations a lineage (a family, its parent, its parent's parent ...) may hold:
# pages draw it as lists nested as deep, and a real one holds a few.
MAX_GENERATIONS = 20


def _check_references(taxonomy: Taxonomy, data: dict, loaded, shown: str) -> list[Problem]:
    problems = []
    cyclic, generations = _lineages(taxonomy.families)
    for i, item in enumerate(data["families"]):
        parent, where = item.get("parent"), ("families", i, "parent")
        if parent and parent not in taxonomy.families:
            problems.append(Problem(shown, loaded.line_of(where), f"families[{i}].parent",
                                    f"unknown family {parent!r}",
                                    "parent must be the id of another family"))
        elif item["id"] in cyclic:
            problems.append(Problem(shown, loaded.line_of(where), f"families[{i}].parent",
                                    "parents form a cycle", "a family cannot be its own ancestor"))
        elif generations.get(item["id"]) == MAX_GENERATIONS + 1:
            problems.append(Problem(
                shown, loaded.line_of(where), f"families[{i}].parent",
                f"makes a lineage of more than {MAX_GENERATIONS} generations",
                "give the family a parent higher up: pages show a lineage as nested lists"))
    default = taxonomy.settings.default_topic
    if default and default not in taxonomy.topics:
        problems.append(Problem(shown, loaded.line_of(("settings", "default_topic")),
                                "settings.default_topic", f"unknown topic {default!r}"))
    return problems
