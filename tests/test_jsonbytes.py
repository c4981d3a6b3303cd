"""JSON as bytes: orjson's output is the standard library's compact UTF-8 JSON for every
value the site writes, and what orjson refuses is still written and read back."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.core.jsonbytes import json_bytes, json_value, spaced_json_bytes


def standard(value: object, sort_keys: bool = False) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=sort_keys).encode("utf-8")


texts = st.text(st.characters(exclude_categories=["Cs"]))  # any character but a surrogate
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(values)
def test_any_value_of_strings_integers_lists_and_dicts_is_written_as_the_standard_library_would(
        value):
    assert json_bytes(value) == standard(value)
    assert json_value(json_bytes(value)) == value
    assert json_bytes(value, sort_keys=True) == standard(value, sort_keys=True)


def test_every_control_and_special_character_is_escaped_as_the_standard_library_does():
    text = "".join(map(chr, range(0x300))) + "\u2028\u2029\ufeff\U0001f600\"\\/"
    assert json_bytes({"title": text, "n": [0, -1, 2**63 - 1]}) == standard(
        {"title": text, "n": [0, -1, 2**63 - 1]})


def test_a_lone_surrogate_is_written_escaped_and_reads_back_the_same():
    value = {"title": "half \ud800 a pair"}
    for written in (json_bytes(value), json_bytes(value, sort_keys=True)):
        assert b"\\ud800" in written
        assert json_value(written) == value


def test_an_integer_past_64_bits_and_a_key_that_is_not_a_string_are_still_written():
    """... and read back as they were: the integer too, which orjson reads as a float."""
    big = json_value(json_bytes([2**70 + 1, 10**30]))
    assert big == [2**70 + 1, 10**30] and all(isinstance(n, int) for n in big)
    assert json_value(json_bytes({1: "one"})) == {"1": "one"}


def spaced(value: object) -> bytes:
    """How the checksums stored in paper files were made (`provenance`)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.recursive(st.floats() | values, lambda inner: st.lists(inner, max_size=4)
                    | st.tuples(inner, inner)
                    | st.dictionaries(texts, inner, max_size=4), max_leaves=20))
def test_the_checksums_spaced_json_is_the_standard_librarys_for_any_value(value):
    """Floats and tuples too: the first are written by the standard library, the second
    as lists."""
    assert spaced_json_bytes(value) == spaced(value)


def test_every_character_is_written_as_the_standard_library_writes_it_for_a_checksum():
    """Each character is escaped (or not) on its own, so every one, once, covers every text."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    assert spaced_json_bytes([everything[:0x20], everything]) == spaced(
        [everything[:0x20], everything])


def test_what_the_checksums_json_leaves_to_the_standard_library_is_written_by_it():
    for value in ({1: "a key that is not a string"}, [2**70, "past 64 bits"], 0.1, [1e16]):
        assert spaced_json_bytes(value) == spaced(value)
    with pytest.raises(UnicodeEncodeError):  # as `json.dumps(...).encode()` always did
        spaced_json_bytes(["half \ud800 a pair"])


def test_a_text_that_is_not_json_is_a_value_error():
    with pytest.raises(ValueError):
        json_value(b"{not json")
