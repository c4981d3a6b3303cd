"""The canonical YAML writer: what it writes reads back as the same values, to PyYAML
(YAML 1.1) and to a YAML 1.2 reader such as the YAML language server paper files name."""

import random

import pytest
import yaml
from ruamel.yaml import YAML

from sitegen.catalogue import yamlio

YAML_1_2 = YAML(typ="safe", pure=True)  # ruamel.yaml reads YAML 1.2 unless a file says 1.1

TRICKY = ["NO", "2401.10010", "yes", "~", "null", "", " lead", "trail ", "a: b", "x #y", "ends:",
          "-dash", "- item", "? q", "'quote", '"dq', "it's", "tab\there", "line\nbreak",
          "\u2028sep", "\x85nel", "caf\u00e9", "emoji \U0001f600", "\x7fdel", "a\\b", "---",
          "...", "%pct", "@at", "`tick", "!bang", "&amp", "*star", "|pipe", ">gt", "[b]", "{c}",
          "1e3", "0x1F", "12:30", "2024-01-02", "<<", "=", ".inf", "+1", "on", "\ufeffbom",
          "a\u00a0b", "http://a.b/c?d=e#f", "0o17", "1E3", "-1.5e-3", ".5", "1.", "y", "N",
          "True", "Null", ".NaN", "-.Inf", "94e761710912", "1_000"]


def roundtrip(value):
    document = {"k": value, "l": [value], "m": [{"a": value, "n": 3}], "e": [], "d": {"x": value}}
    text = yamlio.dump(document)
    assert yaml.safe_load(text) == document
    assert YAML_1_2.load(text) == document
    assert str(yamlio.load(text).data["k"]) == value
    return text


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_strings_read_back_unchanged(value):
    roundtrip(value)


@pytest.mark.parametrize(("seed", "alphabet", "longest"), [
    (7, "aZ09 :#-'\"\\\n\t,[]{}!&*|>%@`?~.\u00e9\u2028\x00\x1f\u4e2d", 12),
    (12, "0123456789eE.+-_xoXbafinINFAyYnN~: ", 7),  # number-like
])
def test_random_strings_read_back_unchanged(seed, alphabet, longest):
    rnd = random.Random(seed)
    for _ in range(3000):
        roundtrip("".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, longest))))


def test_plain_where_possible_quoted_where_needed():
    text = yamlio.dump({"a": "Plain title", "b": "NO", "c": "a: b", "d": "x\ny", "e": [], "f": 7})
    assert text == "a: Plain title\nb: 'NO'\nc: 'a: b'\nd: \"x\\ny\"\ne: []\nf: 7\n"


# Plain text that a YAML 1.1 or a YAML 1.2 core-schema reader takes for something else.
NOT_TEXT = {
    "integer": ["17", "-3", "+1", "0o17", "0x1F", "017", "0b101", "1_000", "12:30"],
    "float": ["1e3", "1E3", "1e+3", "-2.5e-3", "1.5", ".5", "1.", ".inf", "-.Inf", "+.INF",
              ".nan", ".NaN", ".NAN", "41895e596047"],
    "boolean": ["true", "True", "FALSE", "yes", "No", "ON", "off", "y", "Y", "n", "N"],
    "null": ["null", "Null", "NULL", "~"],
}


@pytest.mark.parametrize(("kind", "value"), [
    (kind, value) for kind, values in NOT_TEXT.items() for value in values])
def test_text_any_reader_takes_for_a_number_boolean_or_null_is_quoted(kind, value):
    assert yamlio.scalar(value) == f"'{value}'"
    roundtrip(value)


@pytest.mark.parametrize("value", ["Octopus 2", "1e3x", "e3", "1e", "1.2.3", "0o18", "0x1G",
                                   "0O17", "inf", "NaN", "yep", "nil", "Y2K", "4-bit"])
def test_text_no_reader_takes_for_anything_else_stays_plain(value):
    assert yamlio.scalar(value) == value
    roundtrip(value)
