"""Safe YAML in: any YAML text to plain values, or an error with its line.

Loading reads libyaml's parse events and builds plain values from them in one
pass with an explicit stack (no recursion, so no depth can crash it), so that
it can: refuse tags (nothing is ever constructed or executed), refuse aliases
(no alias bombs), refuse nesting deeper than any content file needs, report
duplicate keys, keep every plain scalar as the text a person typed (``NO`` and
``2401.10010`` stay strings) and remember the line of every value, counted as
editors count lines, for error messages.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from sitegen.core.model import quote

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL_TAG, _STR_TAG = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"
_SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_STANDARD_TAGS = {
    _STR_TAG, _MAP_TAG, _SEQ_TAG, _NULL_TAG, "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp",
}
_NULLS = {"", "~", "null", "Null", "NULL"}

# Lists and mappings inside one another: a paper file needs 3 levels, the taxonomy 4.
MAX_DEPTH = 20
_DEEP_MESSAGE = f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
_DEEP_HINT = "no content file needs that many: check the brackets and indentation"

# YAML counts NEL, LS and PS as line breaks too; editors and `grep -n` do not.
_YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
_LINE_BREAK = re.compile(r"\r\n?|\n")
# What YAML accepts in a stream (YAML 1.1 "printable"); anything else stops the reader.
_UNREADABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A \u or \U escape in a double-quoted scalar (not one whose backslash is escaped).
_CODE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*(\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8})")
_ESCAPE_HINT = ("write the character itself, or one \\U escape for it such as \\U0001F600: "
                "YAML reads every \\u escape as a character of its own, so a surrogate pair "
                "like \\ud83d\\ude00 is two invalid ones")


class Plain(str):
    """A scalar written without quotes: the schema may read it as a number."""


# Python refuses to read an integer of more digits than this (a guard against quadratic
# conversion): a longer plain scalar stays text, which a number field then reports.
_MAX_DIGITS = sys.int_info.default_max_str_digits


@dataclass
class YamlError(Exception):
    line: int
    path: tuple = ()
    message: str = ""
    hint: str = ""


@dataclass
class Loaded:
    """A parsed document and the line of each value, keyed by its path."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, path: tuple) -> int:
        """The line of a value, or of its closest parent that has one."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


class _Lines:
    """Editor line numbers for positions in a text: parser marks count NEL, LS and PS."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] | None = None
        if _YAML_ONLY_BREAK.search(text):
            self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def of(self, mark: Any) -> int:
        if self.starts is None:
            return mark.line + 1
        return bisect_right(self.starts, mark.index)

    def line_text(self, line: int) -> str:
        """The text of one line (from 1), as editors show it."""
        lines = _LINE_BREAK.split(self.text)
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def at(self, index: int) -> tuple[int, int]:
        """Line and column (both from 1) of a character."""
        starts = self.starts or [0] + [m.end() for m in _LINE_BREAK.finditer(self.text)]
        line = bisect_right(starts, index)
        return line, index - starts[line - 1] + 1


def load(text: str) -> Loaded:
    """Parse one YAML document safely; raise YamlError with a line on any problem."""
    lines = _Lines(text)
    loaded = Loaded(None)
    try:
        _parse(_Builder(loaded, lines))
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(error, lines) from None
    except yaml.reader.ReaderError as error:
        raise _unreadable(lines, error) from None
    except yaml.YAMLError as error:
        raise YamlError(1, (), f"invalid YAML: {error}") from None
    return loaded


def _parse(builder: _Builder) -> None:
    loader = _Loader(builder.lines.text)
    try:
        builder.run(loader)
    except (ValueError, OverflowError):  # the pure-Python scanner's chr() of a huge escape
        raise _escape_error(builder.lines, builder.lines.of(loader.get_mark())) from None
    finally:
        loader.dispose()


def _syntax_error(error: yaml.MarkedYAMLError, lines: _Lines) -> YamlError:
    mark = error.problem_mark or error.context_mark
    line = lines.of(mark) if mark else 1
    if error.problem == "found invalid Unicode character escape code":
        return _escape_error(lines, line)
    if "maximum nesting depth" in f"{error.problem} {error.context}":  # libyaml's own limit
        return YamlError(line, (), _DEEP_MESSAGE, _DEEP_HINT)
    message = f"invalid YAML: {error.problem or error.context}"
    if error.problem and error.context and error.context_mark:
        start = lines.of(error.context_mark)
        if start != line:  # e.g. a quote opened here and never closed
            message += f" {error.context} that starts on line {start}"
    hidden = _hidden_break(error, lines) if mark else None
    if hidden is not None:
        return hidden
    return YamlError(line, (), message, "check the indentation and quoting around this line")


def _hidden_break(error: yaml.MarkedYAMLError, lines: _Lines) -> YamlError | None:
    """The error as the NEL, LS or PS that caused it, if one is on the line where the
    error starts: YAML ends a line there, where most editors show none, so what follows
    it on that line no longer belongs to the value."""
    if lines.starts is None or error.problem_mark is None:
        return None
    first = min(m.index for m in (error.problem_mark, error.context_mark) if m)
    line = lines.at(first)[0]
    end = lines.starts[line] if line < len(lines.starts) else len(lines.text)
    found = _YAML_ONLY_BREAK.search(lines.text, lines.starts[line - 1], end)
    if found is None:
        return None
    column = found.start() - lines.starts[line - 1] + 1
    name = f"U+{ord(found[0]):04X} {_BREAK_NAMES[found[0]]}"
    return YamlError(line, (), f"invalid YAML: {name} (column {column}) ends a line for YAML, "
                     "where most editors show none", "replace it with a space")


def _escape_error(lines: _Lines, line: int, path: tuple = ()) -> YamlError:
    """An escape that names no character: a surrogate, or a code beyond U+10FFFF."""
    shown = "an escape"
    for found in _CODE_ESCAPE.finditer(lines.line_text(line)):
        code = int(found[1][2:], 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            shown = found[1]
            break
    return YamlError(line, path, f"invalid YAML: {shown} is not a Unicode character",
                     _ESCAPE_HINT)


def _unreadable(lines: _Lines, error: yaml.YAMLError) -> YamlError:
    """The first character the YAML reader refuses, where it is."""
    found = _UNREADABLE.search(lines.text)
    if not found:
        return YamlError(1, (), f"invalid YAML: {error}")
    line, column = lines.at(found.start())
    message = f"invalid YAML: character U+{ord(found[0]):04X} (column {column}) is not allowed"
    return YamlError(line, (), message, "delete it: editors often do not show it; it may have "
                     "come with a copy and paste")


@dataclass
class _Open:
    """A list or mapping being filled, and for a mapping the key waiting for its value."""

    value: list | dict
    path: tuple
    key: str | None = None


class _Builder:
    """Plain values from parse events, depth-first, with an explicit stack."""

    def __init__(self, loaded: Loaded, lines: _Lines) -> None:
        self.loaded, self.lines = loaded, lines
        self.stack: list[_Open] = []
        self.documents = 0
        self.escaped = "\\" in lines.text  # only an escape can make a surrogate
        self.handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar, yaml.MappingStartEvent: self._open,
            yaml.SequenceStartEvent: self._open, yaml.MappingEndEvent: self._close,
            yaml.SequenceEndEvent: self._close, yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document,
        }

    def run(self, loader: Any) -> None:
        handlers = self.handlers
        for event in iter(loader.get_event, None):
            handler = handlers.get(type(event))
            if handler:
                handler(event)

    def _line(self, event: yaml.Event) -> int:
        return self.lines.of(event.start_mark)

    def _document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YamlError(self._line(event), (), "a second YAML document starts here; a file "
                            "holds one", "remove the `---` line and what follows it")

    def _alias(self, event: yaml.AliasEvent) -> None:
        raise YamlError(self._line(event), self._path(),
                        "anchors and aliases (&, *) are not allowed", "write the value out in full")

    def _close(self, event: yaml.CollectionEndEvent) -> None:
        self.stack.pop()

    def _path(self) -> tuple:
        """Where the next value goes."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.key is not None:
            return (*top.path, top.key)
        return (*top.path, len(top.value)) if isinstance(top.value, list) else top.path

    def _tag(self, event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> None:
        if event.tag is not None and event.tag != "!" and event.tag not in _STANDARD_TAGS:
            raise YamlError(self._line(event), self._path(),
                            f"tag {quote(event.tag)} is not allowed",
                            "remove the tag: only plain values, lists and mappings are read")

    def _place(self, value: Any, event: yaml.NodeEvent) -> None:
        path = self._path()
        self.loaded.lines.setdefault(path, self._line(event))
        if not self.stack:
            self.loaded.data = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            top.value[top.key] = value
            top.key = None

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        if self._awaits_key():
            raise YamlError(self._line(event), self.stack[-1].path, "keys must be plain words")
        self._tag(event)
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(self._line(event), self._path(), _DEEP_MESSAGE, _DEEP_HINT)
        value: list | dict = [] if isinstance(event, yaml.SequenceStartEvent) else {}
        path = self._path()
        self._place(value, event)
        self.stack.append(_Open(value, path))

    def _awaits_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].key is None \
            and isinstance(self.stack[-1].value, dict)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        if self.escaped and _SURROGATE.search(event.value):
            raise _escape_error(self.lines, self._line(event), self._path())
        if self._awaits_key():
            self._key(event)
            return
        self._tag(event)
        plain = not event.style and len(event.value) <= _MAX_DIGITS  # libyaml: '', not None
        if plain and event.value in _NULLS and event.tag in (None, "!", _NULL_TAG):
            self._place(None, event)
        else:
            self._place(Plain(event.value) if plain else event.value, event)

    def _key(self, event: yaml.ScalarEvent) -> None:
        top, line = self.stack[-1], self._line(event)
        if event.tag == "tag:yaml.org,2002:merge":
            raise YamlError(line, top.path, "merge keys (<<) are not allowed",
                            "write the keys out in full")
        self._tag(event)
        key = str(event.value)
        if key in top.value:
            first = self.loaded.lines[(*top.path, key)]
            raise YamlError(line, (*top.path, key), "duplicate key",
                            f"{quote(key)} is already set on line {first}; keep one")
        self.loaded.lines[(*top.path, key)] = line
        top.key = key
