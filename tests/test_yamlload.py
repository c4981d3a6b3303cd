"""Loading hostile YAML: every problem is a YamlError on the line an editor shows.

Each test runs with libyaml's parser and with PyYAML's pure-Python one (used where
libyaml is missing): both must give the same answer, and neither may crash.
"""

from __future__ import annotations

import re
import time

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue import yamlio, yamlload
from sitegen.catalogue.yamlload import MAX_DEPTH, YamlError
from sitegen.core.model import ELLIPSIS, QUOTED, field_path

DEEP = (f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
        "no content file needs that many: check the brackets and indentation")
ESCAPE_HINT = ("write the character itself, or one \\U escape for it such as \\U0001F600: "
               "YAML reads every \\u escape as a character of its own, so a surrogate pair "
               "like \\ud83d\\ude00 is two invalid ones")
# Characters the YAML reader refuses, one of each kind: C0 controls, DEL, C1 controls
# other than NEL, and the non-characters U+FFFE and U+FFFF.
REFUSED = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x80", "\x9f",
           "\ufffe", "\uffff"]
# Line breaks for YAML 1.1 that editors and `grep -n` do not count.
YAML_ONLY_BREAKS = ["\x85", "\u2028", "\u2029"]


@pytest.fixture(params=["libyaml", "python"], autouse=True)
def parser(request, monkeypatch):
    if request.param == "python":
        monkeypatch.setattr(yamlload, "_Loader", yaml.SafeLoader)
    return request.param


def error(text: str) -> tuple[int, str, str, str]:
    with pytest.raises(YamlError) as raised:
        yamlio.load(text)
    found = raised.value
    return found.line, field_path(found.path), found.message, found.hint


@pytest.mark.parametrize("levels", [MAX_DEPTH + 1, 1_000, 100_000])
@pytest.mark.parametrize("shape", ["[", "{a: ", "- ", "block mapping"])
def test_deep_nesting_is_refused_quickly_at_any_depth(shape, levels):
    block = min(levels, 1_000)  # block styles indent each level: keep the text small
    if shape == "block mapping":
        text = "".join(" " * i + "a:\n" for i in range(block)) + " " * block + "x\n"
    elif shape == "- ":
        text = "".join("  " * i + "-\n" for i in range(block)) + "  " * block + "x\n"
    else:
        closing = "]" if shape == "[" else "}"
        text = "top: " + shape * levels + "1" + closing * levels + "\n"
    start = time.perf_counter()
    line, _, message, hint = error(text)
    assert time.perf_counter() - start < 2
    assert (message, hint) == DEEP
    assert line == (1 if shape in ("[", "{a: ") else MAX_DEPTH + 1)


def test_nesting_up_to_the_limit_loads():
    text = "top: " + "[" * (MAX_DEPTH - 1) + "x" + "]" * (MAX_DEPTH - 1) + "\n"
    value = yamlio.load(text).data["top"]
    for _ in range(MAX_DEPTH - 2):
        value = value[0]
    assert value == ["x"]


@pytest.mark.parametrize("char", REFUSED)
def test_a_refused_character_is_reported_on_its_line_and_column(char):
    text = "id: x\ntitle: 'caf\u00e9'\nabstract: one\u2028two " + char + " three\n"
    assert error(text) == (
        3, "", f"invalid YAML: character U+{ord(char):04X} (column 19) is not allowed",
        "delete it: editors often do not show it; it may have come with a copy and paste")


@settings(max_examples=60, deadline=None)
@given(lines=st.lists(st.text(st.characters(codec="utf-8", categories=["L", "N", "Zs"]),
                              max_size=8), min_size=1, max_size=6),
       where=st.integers(min_value=0), column=st.integers(min_value=0),
       char=st.sampled_from(REFUSED), breaks=st.lists(st.sampled_from(["\n", "\r\n", "\r"]),
                                                      min_size=6, max_size=6))
def test_any_refused_character_is_found_where_an_editor_shows_it(lines, where, column, char,
                                                                  breaks):
    """Whatever the line breaks (\\n, \\r\\n or \\r) and wherever it is."""
    rows = [f"k{i}: '{value}'" for i, value in enumerate(lines)]
    row = where % len(rows)
    at = column % (len(rows[row]) + 1)
    rows[row] = rows[row][:at] + char + rows[row][at:]
    text = "".join(r + b for r, b in zip(rows, breaks, strict=False))
    line, _, message, _ = error(text)
    assert (line, message) == (
        row + 1, f"invalid YAML: character U+{ord(char):04X} (column {at + 1}) is not allowed")


@pytest.mark.parametrize("separator", YAML_ONLY_BREAKS)
def test_values_and_errors_are_on_editor_lines_whatever_yaml_counts_as_a_break(separator):
    text = f'a: "one{separator}two"\nb: \'one{separator}two\'\nc:\n- x\n'
    loaded = yamlio.load(text)
    assert loaded.data["c"] == ["x"]
    assert (loaded.line_of(("b",)), loaded.line_of(("c", 0))) == (2, 4)
    assert error(text + "c: again\n")[:3] == (5, "c", "duplicate key")
    assert error(text + f"d: [{separator}\n")[0] == 6


@pytest.mark.parametrize(("separator", "name"), [("\x85", "U+0085 NEXT LINE"),
                                               ("\u2028", "U+2028 LINE SEPARATOR"),
                                               ("\u2029", "U+2029 PARAGRAPH SEPARATOR")])
def test_a_break_only_yaml_sees_is_named_where_it_cuts_a_plain_value(separator, name):
    """Pasted into an abstract, it shows as a space or nothing; YAML ends the line there."""
    text = f"id: x\nabstract: Rotating{separator}the weights.\ntopics: []\n"
    assert error(text) == (2, "", f"invalid YAML: {name} (column 19) ends a line for YAML, "
                           "where most editors show none", "replace it with a space")


@pytest.mark.parametrize("escape", ["\\ud83d\\ude00", "\\ud800", "\\uDFFF", "\\U0000d83d",
                                    "\\U00110000", "\\UFFFFFFFF"])
def test_an_escape_that_names_no_character_is_refused_by_both_readers(escape):
    text = f'id: x\ntitle: "Smile {escape}"\n'
    first = re.match(r"\\(u....|U........)", escape)[0]
    line, _, message, hint = error(text)
    assert (line, message, hint) == (2, f"invalid YAML: {first} is not a Unicode character",
                                     ESCAPE_HINT)
    with pytest.raises(ValueError):
        yamlio.load_dumped(text)


@given(code=st.integers(min_value=0xD800, max_value=0xDFFF), upper=st.booleans())
def test_no_surrogate_escape_gets_through_either_reader(code, upper):
    escape = f"\\U{code:08X}" if upper else f"\\u{code:04x}"
    text = f'title: "{escape}"\n'
    _, _, message, _ = error(text)
    assert message == f"invalid YAML: {escape} is not a Unicode character"
    with pytest.raises(ValueError):
        yamlio.load_dumped(text)


def test_characters_beyond_the_basic_plane_still_load_from_escapes_and_as_text():
    text = 'a: "\\U0001F600 \\u00e9"\nb: \U0001F600\n'
    assert yamlio.load(text).data == {"a": "\U0001F600 \u00e9", "b": "\U0001F600"}
    assert yamlio.load_dumped(text) == {"a": "\U0001F600 \u00e9", "b": "\U0001F600"}


def test_values_echoed_in_messages_are_cut():
    key = "k" * 1_000  # YAML allows no longer implicit key
    line, _, message, hint = error(f"{key}: 1\n{key}: 2\n")
    assert (line, message) == (2, "duplicate key")
    assert hint == f"'{'k' * (QUOTED - 1)}{ELLIPSIS}' is already set on line 1; keep one"
    _, _, message, _ = error(f"a: !{key} 1\n")
    assert message == f"tag '!{'k' * (QUOTED - 2)}{ELLIPSIS}' is not allowed"


@pytest.mark.parametrize("item", ["a:", "- a:"])
def test_the_quick_reader_declines_deep_nesting_without_recursing(item):
    """It reads canonical paper files before the loader does, so it meets them first."""
    indent = 1 if item == "a:" else 0  # a list is written at its key's indentation
    text = "top:\n" + "".join("  " * (i + indent) + item + "\n" for i in range(3000)) + "  x: y\n"
    with pytest.raises(ValueError, match="nested deeper than 20 levels"):
        yamlio.load_dumped(text)
    assert error(text)[2:] == DEEP


@pytest.mark.parametrize(("text", "line", "path", "message", "hint"), [
    ("a: 1\ntitle: &t Scaling\n", 2, "title", "anchors and aliases (&, *) are not allowed",
     "remove `&t` and write each value out in full"),
    ("topics: &all\n- a\n", 1, "topics", "anchors and aliases (&, *) are not allowed",
     "remove `&all` and write each value out in full"),
    ("a: 1\ntitle: !!str 2401.10010\n", 2, "title",
     "tag 'tag:yaml.org,2002:str' is not allowed",
     "remove the tag: only plain values, lists and mappings are read"),
])
def test_an_anchor_or_a_tag_is_refused_even_where_no_alias_uses_it(text, line, path, message,
                                                                    hint):
    """Anchors, aliases and tags are refused, as CONTRIBUTING says: values are text as typed."""
    assert error(text) == (line, path, message, hint)


KEY_HINT = ("write the field's name and a colon, such as `title:`; if the brackets or braces "
            "are part of the name, put the whole key in quotes")


@pytest.mark.parametrize(("text", "line", "field"), [
    ("id: a\n? [a, b]\n: x\n", 2, ""),
    ("machine:\n  links: abc\n  {a: b}: x\n", 3, "machine"),
    ("links:\n- url: x\n  [kind]: code\n", 3, "links[0]"),
])
def test_a_key_that_is_a_list_or_mapping_is_refused_with_how_to_write_it(text, line, field):
    assert error(text) == (line, field, "keys must be plain words, not a list or mapping",
                           KEY_HINT)
