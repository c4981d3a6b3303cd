"""The canonical YAML writer: what it writes reads back as the same values."""

import random

import pytest
import yaml

from sitegen.catalogue import yamlio

TRICKY = ["NO", "2401.10010", "yes", "~", "null", "", " lead", "trail ", "a: b", "x #y", "ends:",
          "-dash", "- item", "? q", "'quote", '"dq', "it's", "tab\there", "line\nbreak",
          "\u2028sep", "\x85nel", "caf\u00e9", "emoji \U0001f600", "\x7fdel", "a\\b", "---",
          "...", "%pct", "@at", "`tick", "!bang", "&amp", "*star", "|pipe", ">gt", "[b]", "{c}",
          "1e3", "0x1F", "12:30", "2024-01-02", "<<", "=", ".inf", "+1", "on", "\ufeffbom",
          "a\u00a0b", "http://a.b/c?d=e#f"]


def roundtrip(value):
    document = {"k": value, "l": [value], "m": [{"a": value, "n": 3}], "e": [], "d": {"x": value}}
    text = yamlio.dump(document)
    assert yaml.safe_load(text) == document
    assert str(yamlio.load(text).data["k"]) == value
    return text


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_strings_read_back_unchanged(value):
    roundtrip(value)


def test_random_strings_read_back_unchanged():
    rnd = random.Random(7)
    alphabet = list("aZ09 :#-'\"\\\n\t,[]{}!&*|>%@`?~.\u00e9\u2028\x00\x1f\u4e2d")
    for _ in range(3000):
        roundtrip("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))))


def test_plain_where_possible_quoted_where_needed():
    text = yamlio.dump({"a": "Plain title", "b": "NO", "c": "a: b", "d": "x\ny", "e": [], "f": 7})
    assert text == "a: Plain title\nb: 'NO'\nc: 'a: b'\nd: \"x\\ny\"\ne: []\nf: 7\n"
