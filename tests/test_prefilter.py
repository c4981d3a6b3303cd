"""The prefilter: a loaded taxonomy matches its patterns first all together, in one RE2 set,
and runs only those that can match. Labels and evidence must be exactly those of running
every pattern."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_patterns import HOSTILE, HOSTILE_TEXTS

from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.taxonomy import (
    CUE_LISTS,
    SET_MEMORY,
    Prefilter,
    Taxonomy,
    possible,
    repeats_a_wide_class,
)
from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.core.patterns import Pattern, compile_pattern
from sitegen.ingest.classify import classify


def plain(taxonomy: Taxonomy) -> Taxonomy:
    """The same taxonomy with every pattern compiled again from its text: no gate."""
    def each(patterns: tuple[Pattern, ...]) -> tuple[Pattern, ...]:
        return tuple(compile_pattern(p.source) for p in patterns)

    return Taxonomy(
        topics={k: dataclasses.replace(t, strong=each(t.strong), weak=each(t.weak))
                for k, t in taxonomy.topics.items()},
        families={k: dataclasses.replace(f, patterns=each(f.patterns), exclude=each(f.exclude))
                  for k, f in taxonomy.families.items()},
        settings=dataclasses.replace(taxonomy.settings, **{
            name: each(getattr(taxonomy.settings, name)) for name in CUE_LISTS}))


SHIPPED = load_catalogue(ROOT / "content")
TAXONOMY = SHIPPED.taxonomy
assert TAXONOMY is not None
PATTERNS = [p for t in TAXONOMY.topics.values() for p in (*t.strong, *t.weak)] + [
    p for f in TAXONOMY.families.values() for p in f.patterns]


def test_prefiltered_labels_and_evidence_are_those_of_every_pattern_on_every_shipped_paper():
    assert TAXONOMY is not None
    slow = plain(TAXONOMY)
    for paper in SHIPPED.papers.values():
        assert classify(paper.title, paper.abstract, TAXONOMY) == classify(
            paper.title, paper.abstract, slow), paper.id


def test_the_loaded_taxonomys_patterns_are_gated_and_most_are_never_run():
    assert all(p.gate is not None for p in PATTERNS)
    text = b"qlora: efficient finetuning of quantized llms such as llama 2"
    opened = [p.source for p in PATTERNS
              if p.gate is not None and not p.gate[1].isdisjoint(p.gate[0](text) or ())]
    assert 0 < len(opened) < len(PATTERNS) // 10


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["llama", " 2", "-3", "gpt-4", " lora", "quantiz", "ation",
                                 " 4-bit", " survey", " we ", "agent", ".", "\u00e9", " "]),
                max_size=30).map("".join))
def test_a_pattern_is_reported_where_its_main_part_matches(text):
    """The set reports a pattern exactly where its main part (before any trailing (?!X))
    matches: so a pattern it does not report matches nowhere."""
    prefilter = Prefilter(PATTERNS)
    found = prefilter.found(text.encode("utf-8"))
    assert found is not None
    expected = {k for k, p in enumerate(PATTERNS) if compile_pattern(p.main).search(text)}
    assert found - {len(PATTERNS)} == expected


def test_hostile_patterns_on_hostile_texts_give_the_labels_of_every_pattern():
    taxonomy, problems = load_taxonomy(HOSTILE / "taxonomy.yaml", "taxonomy.yaml")
    assert taxonomy is not None, problems
    slow = plain(taxonomy)
    for text in HOSTILE_TEXTS:
        assert classify(text[:500], text, taxonomy) == classify(text[:500], text, slow)


def test_patterns_too_many_for_one_set_are_left_ungated():
    """RE2 refuses a set larger than its memory budget: every pattern then simply runs."""
    count = 400 * SET_MEMORY // (32 << 20)  # 400 such patterns need more than 32 MiB
    huge = [compile_pattern(f"(?:{k}[a-z ]{{1,40}}){{1,8}}x") for k in range(count)]
    assert all(p is q for p, q in zip(Prefilter(huge).gated(huge), huge, strict=True))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["llama", " 2", "-3", "gpt-4", " lora", "quantiz", "ation",
                                 " 4-bit", " survey", " we ", "agent", ".", "\u00e9", " "]),
                max_size=30).map("".join))
def test_possible_keeps_every_pattern_that_matches_and_only_those_its_gate_allows(text):
    kept = possible(PATTERNS, text)
    assert [p for p in PATTERNS if p.search(text)] == [p for p in kept if p.search(text)]
    assert all(p.gate is not None and not p.gate[1].isdisjoint(p.gate[0](text.encode()) or ())
               for p in kept)


def test_possible_keeps_patterns_without_a_gate():
    ungated = [compile_pattern("llama"), compile_pattern("mistral")]
    assert possible(ungated, "no model here") == ungated


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["llama", " 2", "-3", "gpt-4", " lora", "quantiz", "ation",
                                 " 4-bit", " survey", " we ", "agent", ".", "mamba", " "]),
                max_size=30).map("".join))
def test_a_gated_index_names_every_cue_that_matches_in_the_order_given(text):
    """The topics' cues asked through their gate in one pass: every cue whose pattern
    matches is among them, in the order of the taxonomy, as `possible` gives them; and
    asked without a gate (patterns compiled afresh), every cue is."""
    assert TAXONOMY is not None
    cues = TAXONOMY.topic_cues
    named = cues.possible(text)
    assert named == [c for c in cues.cues if c[2] in possible([c[2]], text)]
    assert {id(c) for c in cues.cues if c[2].search(text)} <= {id(c) for c in named}
    ungated = plain(TAXONOMY).topic_cues
    assert ungated.possible(text) == ungated.cues
    assert [(t, p) for t, p, _ in cues.cues] == [
        (t.id, points) for t in TAXONOMY.topics.values()
        for points, patterns in ((2.0, t.strong), (1.0, t.weak)) for _ in patterns]


@pytest.mark.parametrize(("main", "wide"), [
    (r"\bteacher\b.{0,60}\bstudent\b", True),  # any character, counted
    (r"\b(we|paper) (\w+ ){0,2}introduce", True),  # a word character, repeated
    (r"\ban? open\b[^.:]{0,50}\bmodels?\b", True),  # all but two characters
    (r"(\S+ ){0,3}benchmark", True),
    (r"\bqlora\b|\bgptq\b", False),
    (r"\b[1-4](\.\d+)?-?bits?\b", False),  # digits and a few letters only
    (r"\bllama[- ]?\d+", False),
    (r"a.?b", False),  # one character at most
    (r"\.+|[^.]x", False),  # a dot, repeated; a wide class, once
])
def test_patterns_that_repeat_a_wide_class_are_told_apart(main, wide):
    """They get a set of their own (`Prefilter`): with the others they kept its DFA
    making new states; the labels are the same either way (the tests above)."""
    assert repeats_a_wide_class(main) is wide


def test_a_prefilter_of_wide_and_narrow_patterns_reports_each_by_its_own_number():
    patterns = [compile_pattern(source) for source in (
        r"\bteacher\b.{0,20}\bstudent\b", r"\bqlora\b", r"(\w+ ){0,2}benchmark", r"\blora\b")]
    prefilter = Prefilter(patterns)
    assert prefilter.found(b"the teacher and student use qlora on a benchmark") == {0, 1, 2}
    assert prefilter.found(b"lora") == {3}
    assert prefilter.found(b"nothing") == frozenset()
