"""content/taxonomy.yaml, read, validated and compiled into a `Taxonomy`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sitegen.catalogue import yamlio
from sitegen.catalogue.contentfs import ContentError, read_file
from sitegen.catalogue.schema import load_document
from sitegen.catalogue.schemahints import did_you_mean
from sitegen.catalogue.taxonomy import CUE_LISTS, Family, Settings, Taxonomy, Topic, prefiltered
from sitegen.core.model import Problem, field_path
from sitegen.core.patterns import Pattern, PatternError, compile_pattern


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


class _Compiler:
    """Compiles a loaded taxonomy's patterns, each on its own: every bad one is a problem."""

    def __init__(self, loaded: yamlio.Loaded, shown: str) -> None:
        self.loaded, self.shown = loaded, shown
        self.problems: list[Problem] = []

    def patterns(self, where: tuple, patterns: list[str]) -> tuple[Pattern, ...]:
        compiled = []
        for i, pattern in enumerate(patterns):
            try:
                compiled.append(compile_pattern(pattern))
            except PatternError as error:
                self.problems.append(Problem(self.shown, self.loaded.line_of((*where, i)),
                                             field_path((*where, i)), error.message, error.hint))
        return tuple(compiled)


# The settings that are plain numbers or text (the cues are lists of patterns).
_VALUES = ("topic_threshold", "topic_relative", "title_weight", "default_topic")


def _settings(raw: dict, compiler: _Compiler) -> Settings:
    def cues(name: str) -> tuple[Pattern, ...]:
        return compiler.patterns(("settings", name), raw.get(name, []))

    lists: dict[str, Any] = {name: cues(name) for name in CUE_LISTS}
    return Settings(**{k: raw[k] for k in _VALUES if k in raw},
                    model_names=tuple(raw.get("model_names", ())), **lists)


def _build(loaded: yamlio.Loaded, shown: str) -> tuple[Taxonomy | None, list[Problem]]:
    compiler, data = _Compiler(loaded, shown), loaded.data
    taxonomy = Taxonomy(settings=_settings(data.get("settings", {}), compiler))
    problems = compiler.problems
    for i, item in enumerate(data["topics"]):
        _check_unique(taxonomy.topics, item["id"], ("topics", i), loaded, shown, problems)
        taxonomy.topics[item["id"]] = Topic(
            item["id"], item["name"], item["definition"], item["description"],
            strong=compiler.patterns(("topics", i, "strong"), item.get("strong", [])),
            weak=compiler.patterns(("topics", i, "weak"), item.get("weak", [])),
            exclude=compiler.patterns(("topics", i, "exclude"), item.get("exclude", [])))
    for i, item in enumerate(data["families"]):
        _check_unique(taxonomy.families, item["id"], ("families", i), loaded, shown, problems)
        taxonomy.families[item["id"]] = Family(
            item["id"], item["name"], item["definition"], item["description"], item.get("parent"),
            patterns=compiler.patterns(("families", i, "patterns"), item.get("patterns", [])),
            exclude=compiler.patterns(("families", i, "exclude"), item.get("exclude", [])),
            title_only=bool(item.get("title_only", False)))
    problems += _check_references(taxonomy, data, loaded, shown)
    return (None, problems) if problems else (prefiltered(taxonomy), [])


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
                                "settings.default_topic", f"unknown topic {default!r}",
                                _topic_hint(default, list(taxonomy.topics))))
    return problems


def _topic_hint(value: str, topics: list[str]) -> str:
    """The topic id the value is most likely a typo of, else every topic id."""
    return did_you_mean(value, topics) or f"use the id of a topic in this file: {', '.join(topics)}"
