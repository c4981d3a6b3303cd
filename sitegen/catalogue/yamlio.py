"""Canonical YAML out, and a quick reader for text in that form.

Loading any YAML safely is `yamlload.load`, also available here.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from sitegen.catalogue.yamlload import MAX_DEPTH, Loaded, Plain, YamlError, load

__all__ = ["Loaded", "Plain", "YamlError", "dump", "load", "load_dumped", "scalar"]


def load_dumped(text: str) -> dict:
    """Read a mapping in the form `dump` writes, quickly: block mappings and lists, one
    scalar per line; a plain scalar is text, or `Plain` if it is digits only (a number
    in canonical form). ValueError when the text is not in that form.

    Nothing is checked beyond the form: the result is what `load` reads from the text
    only if `dump` of it gives the text back, which the caller must check.
    """
    lines = text.split("\n")
    if lines.pop() != "":
        raise ValueError("no final newline")
    data, end = _dumped_mapping(lines, 0, "")
    if end != len(lines):
        raise ValueError(f"unexpected line {end + 1}")
    return data


def _dumped_mapping(lines: list[str], i: int, indent: str) -> tuple[dict, int]:
    if len(indent) > 2 * MAX_DEPTH:  # each level indents by two: stop before recursing deep
        raise ValueError(f"nested deeper than {MAX_DEPTH} levels on line {i + 1}")
    result: dict = {}
    while (i < len(lines) and len(lines[i]) > len(indent) and lines[i].startswith(indent)
           and lines[i][len(indent)] not in " -"):
        key, colon, rest = lines[i][len(indent):].partition(":")
        i += 1
        if not colon or (rest and rest[0] != " "):
            raise ValueError(f"not a key on line {i}")
        if rest:
            result[key] = _dumped_scalar(rest[1:])
        elif i < len(lines) and lines[i].startswith(indent + "- "):
            result[key], i = _dumped_list(lines, i, indent)
        else:
            result[key], i = _dumped_mapping(lines, i, indent + "  ")
    return result, i


def _dumped_list(lines: list[str], i: int, indent: str) -> tuple[list, int]:
    items: list = []
    while i < len(lines) and lines[i].startswith(indent + "- "):
        first = lines[i][len(indent) + 2:]
        if first[:1] not in ("'", '"') and (": " in first or first.endswith(":")):
            lines[i] = indent + "  " + first  # a mapping: its first key as on the next lines
            item, i = _dumped_mapping(lines, i, indent + "  ")
        else:
            item, i = _dumped_scalar(first), i + 1
        items.append(item)
    return items, i


_ESCAPE = re.compile(r'\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[\\"nt])')
_ESCAPED = {"\\": "\\", '"': '"', "n": "\n", "t": "\t"}


def _unescape(escape: re.Match[str]) -> str:
    """One escape's character. A surrogate is none: YAML reads each \\u escape as a code
    point, so JSON's surrogate pairs are not combined."""
    if escape[1] in _ESCAPED:
        return _ESCAPED[escape[1]]
    code = int(escape[1][1:], 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        raise ValueError(f"\\{escape[1]} is not a Unicode character")
    return chr(code)


def _dumped_scalar(text: str) -> Any:
    if text in ("[]", "{}"):
        return [] if text == "[]" else {}
    if len(text) > 1 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) > 1 and text[0] == text[-1] == '"':
        return _ESCAPE.sub(_unescape, text[1:-1])
    return Plain(text) if text.isdigit() else text


def dump(data: dict[str, Any]) -> str:
    """Canonical YAML for a mapping: block style, keys in the order given, no wrapping.

    Written here rather than by PyYAML's representer, which is slow and does not
    promise the same bytes across versions; `load` reads it back to equal values.
    """
    return "".join(_mapping_lines(data, ""))


def _mapping_lines(data: dict, indent: str):
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield f"{indent}{key}:\n"
            yield from _mapping_lines(value, indent + "  ")
        elif isinstance(value, list) and value:
            yield f"{indent}{key}:\n"
            for item in value:
                if isinstance(item, dict):
                    lines = list(_mapping_lines(item, indent + "  "))
                    yield f"{indent}- {lines[0][len(indent) + 2:]}"
                    yield from lines[1:]
                else:
                    yield f"{indent}- {scalar(item)}\n"
        else:
            yield f"{indent}{key}: {scalar(value)}\n"


_RESOLVER = yaml.resolver.Resolver()  # YAML 1.1's forms, as PyYAML reads them
# What other readers take for a number, a boolean or null rather than text: YAML 1.2's core
# schema (as the YAML language server that paper files name reads them: `1e3`, `0o17`,
# `.NaN`; digits grouped by underscores too, as some 1.2 readers allow) and YAML 1.1's
# one-letter booleans, which PyYAML leaves as text.
_NOT_TEXT_ELSEWHERE = re.compile(
    r"[-+]?(?:\.[0-9_]+|[0-9_]+(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9_]+)?|0o[0-7_]+|0x[0-9a-fA-F_]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[Tt]rue|TRUE|[Ff]alse|FALSE|[Nn]ull|NULL|~"
    r"|[yYnN]")
_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")


def scalar(value: Any) -> str:
    """One value as YAML text: plain when it reads back as the same string, else quoted."""
    if isinstance(value, bool) or value is None:
        raise TypeError(f"unsupported value {value!r}")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | dict):
        return "[]" if isinstance(value, list) else "{}"
    if _plain_ok(value):
        return value
    if value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return _double_quoted(value)


@functools.lru_cache(maxsize=1 << 12)
def _plain_ok(value: str) -> bool:
    """Whether the text reads back as itself when written plain. Kept for the values many
    papers share (label names, evidence, dump names), which are most of those asked."""
    return (
        bool(value) and value.isprintable() and value == value.strip()
        and not value.startswith(_INDICATORS) and not value.startswith(("---", "..."))
        and ": " not in value and " #" not in value and not value.endswith(":")
        and not _NOT_TEXT_ELSEWHERE.fullmatch(value)
        and _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"
    )


def _double_quoted(value: str) -> str:
    out = []
    for char in value:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char.isprintable() or char == " ":
            out.append(char)
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'
