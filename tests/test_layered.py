"""A mapping changed over one that stays as it was (`search.layered`): it reads as the
base with its own changes made, in the base's order then the entries added, and the base
is never written to."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.search.layered import Layered

KEYS = st.sampled_from("abcdefg")
CHANGES = st.lists(st.tuples(st.sampled_from(["set", "del"]), KEYS, st.integers(0, 9)),
                   max_size=20)
BASES = st.dictionaries(KEYS, st.integers(0, 9))


def change(mapping, changes) -> None:
    for kind, key, value in changes:
        if kind == "set":
            mapping[key] = value
        else:
            mapping.pop(key, None)


def expected_order(base: dict, model: dict) -> list:
    """The base's keys still held, in its order, then the keys added, as first added."""
    return [k for k in base if k in model] + [k for k in model if k not in base]


@settings(max_examples=200, deadline=None)
@given(BASES, CHANGES, CHANGES)
def test_a_layered_mapping_reads_as_its_base_with_its_changes_made(base, first, then):
    kept = dict(base)
    layered, model = Layered(base), dict(base)
    change(layered, first)
    change(model, first)
    again, model_again = Layered.over(layered), dict(model)
    change(again, then)
    change(model_again, then)
    assert base == kept  # never written to
    for found, wanted in ((layered, model), (again, model_again)):
        assert dict(found) == wanted and len(found) == len(wanted)
        assert list(found) == expected_order(base, wanted)
        assert all((key in found) == (key in wanted) for key in "abcdefg")
    assert again.base is base  # layers over layers do not pile up


def test_a_key_not_held_is_missing_whether_never_there_or_removed():
    layered = Layered({"a": 1})
    del layered["a"]
    for key in ("a", "z"):
        assert layered.get(key) is None
        with pytest.raises(KeyError):
            del layered[key]
