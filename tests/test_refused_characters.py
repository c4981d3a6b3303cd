"""The characters text.schema.json refuses, found fast and exactly: the quick schema check
(compiled, used on every paper file a build reads) tells valid from invalid as the
thorough validator does, and `drop_refused` removes what a search of every character
would find. Both try the long class on a text's distinct characters only."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue.schema import _one_character, _validator, is_valid
from sitegen.core.text import BREAKS, REFUSED, drop_refused, holds_any

PAPER = Path(__file__).parent / "fixtures/site/papers/a-survey-of-large-language-models.yaml"

# Characters the policy refuses, characters it allows, tabs and line breaks (allowed in an
# abstract, refused in a title), and astral ones (the policy names some of them).
REFUSED_SAMPLES = "\x00\x07\x1b\x7f\x85\xad\u200b\u200f\u2028\u202e\u2066\ufeff\ufffe\U000e0001"
ALLOWED_SAMPLES = "aZ09 -.,:()é中\u00a0\U0001f600"
characters = st.sampled_from(REFUSED_SAMPLES + ALLOWED_SAMPLES + "\t\n") | st.characters()


def _paper(**fields: Any) -> dict:
    return {**yaml.safe_load(PAPER.read_text("utf-8")), **fields}


def _thorough(data: dict) -> bool:
    return not list(_validator("paper").iter_errors(data))


@settings(max_examples=300, deadline=None)
@given(title=st.text(characters, min_size=1, max_size=12),
       abstract=st.text(characters, max_size=12))
def test_quick_and_thorough_checks_agree_on_any_characters(title: str, abstract: str) -> None:
    data = _paper(title=title, abstract=abstract)
    assert is_valid(data, "paper") == _thorough(data)


@pytest.mark.parametrize("character", list(REFUSED_SAMPLES))
def test_a_refused_character_anywhere_makes_a_title_and_an_abstract_invalid(
        character: str) -> None:
    assert REFUSED.search(character)
    for field in ("title", "abstract"):
        data = _paper(**{field: f"Fine {character} text"})
        assert not is_valid(data, "paper")
        assert not _thorough(data)


def test_the_fixture_paper_is_valid_to_both_checks() -> None:
    assert is_valid(_paper(), "paper") and _thorough(_paper())


def test_a_title_may_not_hold_a_line_break_but_an_abstract_may() -> None:
    assert not is_valid(_paper(title="Two\nlines"), "paper")
    assert is_valid(_paper(abstract="Two\nlines"), "paper")


def test_a_non_string_where_text_is_refused_is_invalid() -> None:
    assert not is_valid(_paper(title=42), "paper")
    assert not _thorough(_paper(title=42))


@pytest.mark.parametrize(("pattern", "one"), [
    ("[a-z]", True), ("a", True), ("[^x]", True), ("a|b", True), (r"\d", True),
    ("ab", False), ("^a", False), ("[a]+", False), (".", False), ("a$", False),
])
def test_only_a_pattern_whose_every_match_is_one_character_is_searched_by_character(
        pattern: str, one: bool) -> None:
    assert _one_character(pattern) is one


@settings(max_examples=300, deadline=None)
@given(text=st.text(characters, max_size=40))
def test_drop_refused_removes_exactly_what_a_search_of_every_character_finds(
        text: str) -> None:
    assert drop_refused(text) == REFUSED.sub("", text)
    assert holds_any(REFUSED, text) == (REFUSED.search(text) is not None)
    assert holds_any(BREAKS, text) == (BREAKS.search(text) is not None)


# A pattern matching printable ASCII characters too: printable ASCII text is no shortcut.
PATTERNS = [REFUSED, BREAKS, re.compile("[a-z]"), re.compile(" "), re.compile("[~\x00]")]


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(max_codepoint=0x7F), max_size=40),
       pattern=st.sampled_from(PATTERNS))
def test_ascii_text_holds_what_a_search_finds_whatever_the_pattern(
        text: str, pattern: re.Pattern[str]) -> None:
    assert holds_any(pattern, text) == (pattern.search(text) is not None)


def test_text_without_refused_characters_is_returned_as_it_is() -> None:
    text = "A plain abstract, with é and 中 and emoji \U0001f600."
    assert drop_refused(text) is text
    assert drop_refused("a\u200bb\x00c") == "abc"
