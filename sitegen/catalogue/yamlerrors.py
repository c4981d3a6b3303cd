"""The YAML parser's errors as `YamlError`s: the line an editor shows, and a hint."""

from __future__ import annotations

import re

import yaml

from sitegen.catalogue.yamltypes import (
    DEEP_HINT,
    DEEP_MESSAGE,
    YAML_ONLY_BREAK,
    Lines,
    YamlError,
)

_BREAK_NAMES = {"\x85": "NEXT LINE", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
# What YAML accepts in a stream (YAML 1.1 "printable"); anything else stops the reader.
_UNREADABLE = re.compile(
    "[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# A \u or \U escape in a double-quoted scalar (not one whose backslash is escaped).
_CODE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*(\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8})")
_ESCAPE_HINT = ("write the character itself, or one \\U escape for it such as \\U0001F600: "
                "YAML reads every \\u escape as a character of its own, so a surrogate pair "
                "like \\ud83d\\ude00 is two invalid ones")


def syntax_error(error: yaml.MarkedYAMLError, lines: Lines,
                 quoted: tuple[yaml.ScalarEvent, tuple] | None = None,
                 path: tuple = ()) -> YamlError:
    """A syntax error on the line where it is (or starts), with a hint. `quoted` is the last
    quoted value read and where it went, `path` where the next value was going."""
    mark = error.problem_mark or error.context_mark
    line = lines.of(mark) if mark else 1
    if error.problem == "found invalid Unicode character escape code":
        return escape_error(lines, line)
    if "maximum nesting depth" in f"{error.problem} {error.context}":  # libyaml's own limit
        return YamlError(line, (), DEEP_MESSAGE, DEEP_HINT)
    found = _hidden_break(error, lines) if mark else None
    found = found or _unclosed_quote(error, lines, quoted, path)
    found = found or _quote_ends_early(error, lines, quoted)
    found = found or (_slip(error, lines, line) if mark else None)
    if found is not None:
        return found
    message = f"invalid YAML: {error.problem or error.context}"
    if error.problem and error.context and error.context_mark:
        start = lines.of(error.context_mark)
        if start != line:
            message += f" {error.context} that starts on line {start}"
    return YamlError(line, (), message, "check the indentation and quoting around this line")


_QUOTE_HINTS = {
    "'": "close the quote at the end of the value; a ' that is part of the text is written "
         "'' inside '...', or put the whole value in \"...\"",
    '"': "close the quote at the end of the value; a \" that is part of the text is written "
         "\\\" inside \"...\", or put the whole value in '...'",
}
# What the scanner (libyaml's words, then PyYAML's) says of a quote never closed.
_UNCLOSED = ("found unexpected end of stream", "found unexpected document indicator",
             "found unexpected document separator")
_IN_QUOTES = ("while scanning a quoted scalar", "while parsing a quoted scalar")  # libyaml's


def _unclosed_quote(error: yaml.MarkedYAMLError, lines: Lines,
                    quoted: tuple[yaml.ScalarEvent, tuple] | None,
                    path: tuple) -> YamlError | None:
    """The error as a quote opened and not closed on its line, on the line of that quote:
    either no quote closes it (the file ends inside the value), or the next one does, on a
    later line, and what follows that one is where YAML stopped."""
    start = error.context_mark
    hint = _QUOTE_HINTS.get(lines.text[start.index:start.index + 1]) if start else None
    if start is not None and hint is not None:  # the value starts with a quote
        if error.context == "while scanning a quoted scalar" and error.problem in _UNCLOSED:
            return YamlError(lines.of(start), path, "invalid YAML: the quote opened on this "
                             "line is never closed", hint)
        if (error.context in _IN_QUOTES and error.problem_mark is not None
                and lines.of(start) < (stop := lines.of(error.problem_mark))):  # a "\x" met
            return YamlError(lines.of(start), path, "invalid YAML: the quoted value that "
                             f"starts on this line runs on to line {stop}, where YAML stops",
                             hint)
    if not isinstance(error, yaml.parser.ParserError) or quoted is None \
            or error.problem_mark is None:
        return None
    event, where = quoted
    first, last = lines.of(event.start_mark), lines.of(event.end_mark)
    if not first < last == lines.of(error.problem_mark):
        return None
    return YamlError(first, where, "invalid YAML: the quoted value that starts on this line "
                     f"runs on to the next quote, on line {last}, where YAML stops",
                     _QUOTE_HINTS.get(event.style or "", ""))


def _quote_ends_early(error: yaml.MarkedYAMLError, lines: Lines,
                      quoted: tuple[yaml.ScalarEvent, tuple] | None) -> YamlError | None:
    """The error as a quoted value that ends before its line does: a quote inside the
    text (`'Don't ...'`, `"The "Reversal Curse""`) closed it, and YAML stops at what
    follows."""
    if not isinstance(error, yaml.parser.ParserError) or quoted is None \
            or error.problem_mark is None:
        return None
    event, where = quoted
    end = event.end_mark
    if end is None:
        return None
    line = lines.of(end)
    if not lines.of(event.start_mark) == line == lines.of(error.problem_mark):
        return None
    rest = lines.line_text(line)[lines.at(end.index)[1] - 1:].strip()
    if not rest or rest.startswith("#"):
        return None
    column = lines.at(end.index - 1)[1]
    return YamlError(line, where, f"invalid YAML: the quote in column {column} ends the "
                     "value, and more text follows it", _QUOTE_HINTS.get(event.style or "", ""))


# A line's field, where a value may follow it (`  title: x`, `- url: y`)
_FIELD = re.compile(r"[ -]*([A-Za-z_][A-Za-z0-9_]*):(?:[ \t]|$)")


def _slip(error: yaml.MarkedYAMLError, lines: Lines, line: int) -> YamlError | None:
    """The commonest slips said plainly: a tab that indents a line, and `: ` inside a plain
    value (`title: Attention: Really`), which YAML reads as the start of another field."""
    text = lines.line_text(line)
    field = _FIELD.match(text)
    where = (field[1],) if field else ()
    if "tab" in str(error.problem) or (
            error.problem == "found character that cannot start any token" and "\t" in
            text[:len(text) - len(text.lstrip())]):
        return YamlError(line, where, "invalid YAML: a tab indents this line",
                         "YAML indents with spaces only: replace the tab with spaces")
    if error.problem == "mapping values are not allowed in this context" and field:
        return YamlError(line, where, "invalid YAML: the value holds ': ', which YAML reads "
                         "as the start of another field", "put the whole value in quotes: "
                         "'...', with each ' inside it written ''")
    return None


def _hidden_break(error: yaml.MarkedYAMLError, lines: Lines) -> YamlError | None:
    """The error as the NEL, LS or PS that caused it, if one is on the line where the
    error starts: YAML ends a line there, where most editors show none, so what follows
    it on that line no longer belongs to the value."""
    if lines.starts is None or error.problem_mark is None:
        return None
    first = min(m.index for m in (error.problem_mark, error.context_mark) if m)
    line = lines.at(first)[0]
    end = lines.starts[line] if line < len(lines.starts) else len(lines.text)
    found = YAML_ONLY_BREAK.search(lines.text, lines.starts[line - 1], end)
    if found is None:
        return None
    column = found.start() - lines.starts[line - 1] + 1
    name = f"U+{ord(found[0]):04X} {_BREAK_NAMES[found[0]]}"
    return YamlError(line, (), f"invalid YAML: {name} (column {column}) ends a line for YAML, "
                     "where most editors show none", "replace it with a space")


def escape_error(lines: Lines, line: int, path: tuple = ()) -> YamlError:
    """An escape that names no character: a surrogate, or a code beyond U+10FFFF."""
    shown = "an escape"
    for found in _CODE_ESCAPE.finditer(lines.line_text(line)):
        code = int(found[1][2:], 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            shown = found[1]
            break
    return YamlError(line, path, f"invalid YAML: {shown} is not a Unicode character",
                     _ESCAPE_HINT)


def unreadable(lines: Lines, error: yaml.YAMLError) -> YamlError:
    """The first character the YAML reader refuses, where it is."""
    found = _UNREADABLE.search(lines.text)
    if not found:
        return YamlError(1, (), f"invalid YAML: {error}")
    line, column = lines.at(found.start())
    message = f"invalid YAML: character U+{ord(found[0]):04X} (column {column}) is not allowed"
    return YamlError(line, (), message, "delete it: editors often do not show it; it may have "
                     "come with a copy and paste")
