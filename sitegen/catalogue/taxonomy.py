"""The taxonomy's types: topics, model families and the settings of the rules.

Plain data that classification reads; loading and checking content/taxonomy.yaml is
`sitegen.catalogue.taxonomyload`, so that labelling a text needs no YAML or schema.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import re2  # type: ignore[import-untyped]

from sitegen.core.patterns import Pattern, options, pattern_tokens


@dataclass(frozen=True)
class Topic:
    """`description` is for readers (pages show it); `definition` is for labellers."""

    id: str
    name: str
    definition: str
    description: str = ""
    strong: tuple[Pattern, ...] = ()
    weak: tuple[Pattern, ...] = ()
    exclude: tuple[Pattern, ...] = ()  # a cue's match inside one of these is no cue


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
    title_only: bool = False  # counted only where the title names it (its subject)


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
    after_cues: tuple[Pattern, ...] = ()


# The settings that are lists of cue patterns, read around a family's mention.
CUE_LISTS = ("passing_cues", "example_cues", "building_cues", "tool_cues", "after_cues")


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

    @functools.cached_property
    def topic_cues(self) -> GatedIndex:
        """Every topic's patterns, each with its topic and points (strong 2, weak 1)."""
        return GatedIndex([(topic.id, points, pattern) for topic in self.topics.values()
                           for points, patterns in ((STRONG, topic.strong), (WEAK, topic.weak))
                           for pattern in patterns])

    @functools.cached_property
    def family_cues(self) -> GatedIndex:
        """Every family's patterns, each with its family (and no points)."""
        return GatedIndex([(family.id, 0.0, pattern) for family in self.families.values()
                           for pattern in family.patterns])

    def ancestors(self, family_id: str) -> list[str]:
        chain, parent = [], self.families[family_id].parent
        while parent and parent not in chain:
            chain.append(parent)
            parent = self.families[parent].parent if parent in self.families else None
        return chain


# RE2's most memory for one set's DFA, which it takes only as it meets new states. With
# its default (8 MiB) the set of the shipped topics' and families' patterns keeps
# rebuilding its states, and takes 6 times longer a text. The 690 shipped papers need
# less than 32 MiB; 10,000 papers of wider wording kept rebuilding them at 32 MiB (0.48 ms
# a paper labelled) but not at 128 MiB (0.33 ms; 256 MiB: no faster).
SET_MEMORY = 128 << 20


_WIDE_ESCAPES = frozenset(("\\w", "\\W", "\\S", "\\D", "\\C"))  # most characters
_WIDE_DOT = re.compile(r"\.[*+{]")  # any character, repeated (in a run of plain text)


def repeats_a_wide_class(main: str) -> bool:
    """Whether a pattern repeats a class of most characters (`.`, `\\w`, `\\S`, `[^.]`...)
    with `*`, `+` or a count. Such a pattern can be part way through a match at many places
    of a text at once: an RE2 set of several takes a DFA state for each mix of places, and
    keeps meeting new ones (`Prefilter` gives them a set of their own)."""
    tokens = list(pattern_tokens(main))
    for token, after in zip(tokens, [*tokens[1:], None], strict=True):
        text, kind = token.group(), token.lastgroup
        repeated = after is not None and after.group()[:1] in ("*", "+", "{")
        if kind == "other" and _WIDE_DOT.search(text):
            return True
        if repeated and (text in _WIDE_ESCAPES or (kind == "klass" and text.startswith("[^"))):
            return True
    return False


class Prefilter:
    """Patterns matched together by RE2 sets: one pass over a text tells which of them can
    match it, so that the others are never run (classifying a paper asks about 340).

    A pattern matches only where its main part does, so a pattern a set does not report
    finds nothing, and the results are those of running every pattern. Those that repeat a
    wide class (`repeats_a_wide_class`) have a set of their own: in one set with the others
    they kept its DFA making new states text after text (an abstract took 106 us at 20,000
    papers; 10 us for the other 322 patterns' set and 30 us for the 25 wide ones' apart).
    A set RE2 cannot build, or a match it gives up on (out of memory: its sentinel `^`,
    which matches every text, is then missing from the answer), lets every pattern run.
    """

    def __init__(self, patterns: Sequence[Pattern]):
        self.found = functools.lru_cache(maxsize=16)(self._match)
        wide = [repeats_a_wide_class(p.main) for p in patterns]
        parts = [[k for k, w in enumerate(wide) if w == kind] for kind in (False, True)]
        self._sets: list[tuple[re2.Set, list[int]]] | None = []
        try:
            for numbers in filter(None, parts):
                self._sets.append((_set_of([patterns[k].main for k in numbers]), numbers))
        except re2.error:
            self._sets = None

    def _match(self, data: bytes) -> frozenset[int] | None:
        """The numbers of the patterns that can match `data`; None when all can."""
        if self._sets is None:
            return None
        found: set[int] = set()
        for made, numbers in self._sets:
            got, sentinel = made.Match(data), len(numbers)  # the sentinel was added last
            if not got or sentinel not in got:
                return None
            found.update(numbers[k] for k in got if k != sentinel)
        return frozenset(found)

    def gated(self, patterns: Sequence[Pattern]) -> list[Pattern]:
        """The patterns (as numbered when the set was made), each run only where it can match."""
        if self._sets is None:
            return list(patterns)
        return [p.gated((self.found, frozenset((k,)))) for k, p in enumerate(patterns)]


def _set_of(mains: list[str]) -> re2.Set:
    """An RE2 set of these patterns' main parts, and last the sentinel `^` (re2.error if
    RE2 cannot build it)."""
    made = re2.Set.SearchSet(options(SET_MEMORY))
    for main in [*mains, "^"]:
        made.Add(main)
    made.Compile()
    return made


Cue = tuple[str, float, Pattern]  # a label, the points a match scores, and the pattern
STRONG, WEAK = 2.0, 1.0  # the points of a topic's strong and weak patterns


class GatedIndex:
    """Cues reached through their patterns' shared gate (see `Prefilter`): one pass of the
    gate over a text names the few cues worth running, without asking every pattern in
    turn as `possible` does. A cue without that gate (or behind more than one of its
    numbers) is always worth running."""

    def __init__(self, cues: list[Cue]):
        self.cues = cues
        gates = {id(gate[0]): gate[0] for *_, p in cues if (gate := p.gate) is not None}
        self._gate = next(iter(gates.values())) if len(gates) == 1 else None
        self._always: list[tuple[int, Cue]] = []
        self._by_number: dict[int, list[tuple[int, Cue]]] = {}
        for place, cue in enumerate(cues):
            gate = cue[2].gate
            if self._gate is None or gate is None or len(gate[1]) != 1:
                self._always.append((place, cue))
            else:
                self._by_number.setdefault(next(iter(gate[1])), []).append((place, cue))

    def possible(self, text: str) -> list[Cue]:
        """The cues whose pattern may match text (the others find nothing), in order."""
        found = self._gate(_utf8(text)) if self._gate is not None else None
        if found is None:
            return self.cues
        by_number = self._by_number
        kept = self._always + [cue for k in found if k in by_number for cue in by_number[k]]
        return [cue for _, cue in sorted(kept)]  # places differ: no cue is compared


def possible(patterns: Iterable[Pattern], text: str) -> list[Pattern]:
    """The patterns whose gate does not rule out a match in text (the others find nothing):
    asking each pattern costs more than the one pass their shared gate makes."""
    data, kept = _utf8(text), []
    asked, found = None, None  # the gate last asked (patterns mostly share one), its answer
    for pattern in patterns:
        gate = pattern.gate
        if gate is not None:
            if gate[0] is not asked:
                asked, found = gate[0], gate[0](data)
            if found is not None and gate[1].isdisjoint(found):
                continue
        kept.append(pattern)
    return kept


@functools.lru_cache(maxsize=64)
def _utf8(text: str) -> bytes:
    """A title or abstract as the gates read it, encoded once for the many patterns asked."""
    return text.encode("utf-8", "surrogatepass")


def prefiltered(taxonomy: Taxonomy) -> Taxonomy:
    """The taxonomy with its patterns gated by two prefilters, one for the topics' and
    families' patterns (matched on a whole title or abstract), one for the cues (matched on
    the words around a mention): labels and evidence are those of the taxonomy itself
    (`tests/test_prefilter.py`), found sooner."""
    settings = taxonomy.settings
    gated = _gated([p for t in taxonomy.topics.values() for p in (*t.strong, *t.weak)]
                   + [p for f in taxonomy.families.values() for p in f.patterns])
    gated |= _gated([p for name in CUE_LISTS for p in getattr(settings, name)])

    def each(patterns: tuple[Pattern, ...]) -> tuple[Pattern, ...]:
        return tuple(gated[id(p)] for p in patterns)

    return Taxonomy(
        topics={k: dataclasses.replace(t, strong=each(t.strong), weak=each(t.weak))
                for k, t in taxonomy.topics.items()},
        families={k: dataclasses.replace(f, patterns=each(f.patterns))
                  for k, f in taxonomy.families.items()},
        settings=dataclasses.replace(settings, **_cue_lists(settings, each)))


def _cue_lists(settings: Settings, each: Callable[[tuple[Pattern, ...]], tuple[Pattern, ...]]
               ) -> dict[str, Any]:
    """Each list of cue settings, its patterns passed through `each`."""
    return {name: each(getattr(settings, name)) for name in CUE_LISTS}


def _gated(patterns: list[Pattern]) -> dict[int, Pattern]:
    """Each pattern (by identity) gated by one prefilter of them all."""
    distinct = list({id(p): p for p in patterns}.values())
    return dict(zip(map(id, distinct), Prefilter(distinct).gated(distinct), strict=True))
