"""Many problems told in a few lines (`core.summary`): what the preview shows."""

from __future__ import annotations

from sitegen.core.model import Problem
from sitegen.core.summary import FIRST, summary_lines


def unknown_topic(index: int, position: int = 0) -> Problem:
    return Problem(f"content/papers/p{index:04}.yaml", 6, f"topics[{position}]",
                   "unknown topic 'reasoning'", "use an id from content/taxonomy.yaml")


def test_a_few_problems_are_each_shown_as_they_are():
    problems = [unknown_topic(i) for i in range(FIRST)]
    assert summary_lines(problems) == [str(p) for p in problems]


def test_a_thousand_problems_of_one_kind_are_one_count_with_an_example():
    problems = [unknown_topic(i, position=i % 3) for i in range(1000)]
    problems.append(Problem("content/taxonomy.yaml", 3, "topics", "is empty"))
    lines = summary_lines(problems)
    assert lines[:3] == [
        "1,001 problems in 1,001 file(s); the commonest:",
        "  1,000 x topics[]: unknown topic 'reasoning' (hint: use an id from "
        "content/taxonomy.yaml) (e.g. content/papers/p0000.yaml:6)",
        "  1 x topics: is empty (e.g. content/taxonomy.yaml:3)",
    ]
    assert lines[3] == f"the first {FIRST}:"
    assert lines[4:] == [f"  {p}" for p in problems[:FIRST]]


def test_the_same_mistake_at_other_columns_is_one_kind():
    problems = [Problem(f"content/papers/p{i:03}.yaml", 3, "title",
                        f"invalid YAML: the quote in column {70 + i % 40} ends the value",
                        "quote the whole value") for i in range(108)]
    lines = summary_lines(problems)
    assert lines[:2] == [
        "108 problems in 108 file(s); the commonest:",
        "  108 x title: invalid YAML: the quote in column N ends the value (hint: quote the "
        "whole value) (e.g. content/papers/p000.yaml:3)",
    ]
    assert lines[3] == f"  {problems[0]}"  # each example as it is, its column told
