"""Safe YAML in and canonical YAML out.

Loading composes the node tree with libyaml and builds plain values itself,
so that it can: refuse tags (nothing is ever constructed or executed),
refuse anchors and aliases (no alias bombs), report duplicate keys, keep
every plain scalar as the text a person typed (``NO`` and ``2401.10010``
stay strings) and remember the line of every value for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL_TAG, _STR_TAG = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"


class _Loader(_BaseLoader):
    """Composes nodes only; a plain scalar is either null or text (`_build` decides the rest),
    so the costly implicit type resolution of every scalar is skipped."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return _NULL_TAG if implicit[0] and value in _NULLS else _STR_TAG
        return super().resolve(kind, value, implicit)
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
_NULLS = {"", "~", "null", "Null", "NULL"}


class Plain(str):
    """A scalar written without quotes: the schema may read it as a number."""


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


def load(text: str) -> Loaded:
    """Parse one YAML document safely; raise YamlError with a line on any problem."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = f"invalid YAML: {error.problem or error.context}"
        if error.problem and error.context and error.context_mark:
            start = error.context_mark.line + 1
            if start != line:  # e.g. a quote opened here and never closed
                message += f" {error.context} that starts on line {start}"
        raise YamlError(line, (), message,
                        "check the indentation and quoting around this line") from None
    except yaml.YAMLError as error:
        raise YamlError(1, (), f"invalid YAML: {error}") from None
    loaded = Loaded(None)
    if node is not None:
        try:
            loaded.data = _build(node, (), loaded.lines, set())
        except _AliasError as error:
            # The composer hands back the anchored node itself, whose mark is the
            # anchor's line: take the line of the first alias from the events.
            line = _first_alias_line(text, error.line)
            raise YamlError(line, error.path, error.message, error.hint) from None
    return loaded


class _AliasError(YamlError):
    """An alias met while building; its line is corrected by load()."""


def _first_alias_line(text: str, default: int) -> int:
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1
    return default


def _build(node: yaml.Node, path: tuple, lines: dict, seen: set) -> Any:
    line = node.start_mark.line + 1
    lines.setdefault(path, line)
    if id(node) in seen:
        raise _AliasError(line, path, "anchors and aliases (&, *) are not allowed",
                          "write the value out in full")
    seen.add(id(node))
    if node.tag not in _STANDARD_TAGS:
        raise YamlError(line, path, f"tag {node.tag!r} is not allowed",
                        "remove the tag: only plain values, lists and mappings are read")
    if isinstance(node, yaml.MappingNode):
        return _build_mapping(node, path, lines, seen)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), lines, seen) for i, item in enumerate(node.value)]
    plain = not node.style  # libyaml says '' where the pure-Python parser says None
    if plain and node.value in _NULLS and node.tag == "tag:yaml.org,2002:null":
        return None
    return Plain(node.value) if plain else node.value


def _build_mapping(node: yaml.MappingNode, path: tuple, lines: dict, seen: set) -> dict:
    result: dict = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise YamlError(key_node.start_mark.line + 1, path, "merge keys (<<) are not allowed",
                            "write the keys out in full")
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlError(key_node.start_mark.line + 1, path, "keys must be plain words")
        key = str(key_node.value)
        if key in result:
            raise YamlError(key_node.start_mark.line + 1, (*path, key), "duplicate key",
                            f"{key!r} is already set on line {lines[(*path, key)]}; keep one")
        lines[(*path, key)] = key_node.start_mark.line + 1
        result[key] = _build(value_node, (*path, key), lines, seen)
    return result


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


def _dumped_scalar(text: str) -> Any:
    if text in ("[]", "{}"):
        return [] if text == "[]" else {}
    if len(text) > 1 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if len(text) > 1 and text[0] == text[-1] == '"':
        return _ESCAPE.sub(lambda m: _ESCAPED.get(m[1]) or chr(int(m[1][1:], 16)), text[1:-1])
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


_RESOLVER = yaml.resolver.Resolver()
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


def _plain_ok(value: str) -> bool:
    return (
        bool(value) and value.isprintable() and value == value.strip()
        and not value.startswith(_INDICATORS) and not value.startswith(("---", "..."))
        and ": " not in value and " #" not in value and not value.endswith(":")
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
