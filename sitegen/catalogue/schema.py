"""Validation against the content schemas (declared once, in schemas/*.json), with positions.

A quick compiled check tells valid from invalid; only an invalid document meets the
thorough validator, whose errors `schemamessages` words as problems.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import fastjsonschema

from sitegen.catalogue import yamlio
from sitegen.catalogue.schemafiles import schema
from sitegen.catalogue.schemamessages import HINTS, NUMBER_TYPED, problems_of
from sitegen.catalogue.yamlio import Loaded, Plain
from sitegen.core.formats import FORMAT_HINTS, FORMATS
from sitegen.core.model import Problem, field_path
from sitegen.core.text import holds_any, not_utf8

_INT = re.compile(r"[-+]?\d+")


@cache
def _validator(name: str):
    """The thorough validator: every error, with its path. Used only on invalid documents."""
    import jsonschema

    checker = jsonschema.validators.extend(jsonschema.Draft202012Validator,
                                           {"pattern": _pattern})
    formats = jsonschema.FormatChecker(formats=())
    for format_name, check in FORMATS.items():
        formats.checks(format_name)(check)
    return checker(schema(name), format_checker=formats)


_DOLLAR = re.compile(r"(?<!\\)\$")


@cache
def _ecma(pattern: str) -> re.Pattern:
    """A schema pattern as JSON Schema (ECMA 262) and the quick validator read it: its `$`
    ends the text; in Python's re it would also match before a final line break."""
    return re.compile(_DOLLAR.sub(r"\\Z", pattern))


def _pattern(validator, pattern: str, instance: Any, node: dict):
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _value_check(name: str, path: tuple[str, ...], formats: bool = True):
    node = schema(name)
    for key in path:
        node = node[key]
    return fastjsonschema.compile({"$schema": "http://json-schema.org/draft-07/schema#", **node},
                                  formats=FORMATS, use_formats=formats, use_default=False)


def valid_value(name: str, field: str | tuple[str, ...], value: Any,
                formats: bool = True) -> bool:
    """Whether a value passes the schema of one top-level field (a setting given on the
    command line passes the same rules as in its file), or of the node at a path of schema
    keys (("properties", "links", "items", "properties", "url"): a link's address)."""
    path = ("properties", field) if isinstance(field, str) else field
    try:
        _value_check(name, path, formats)(value)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def value_hint(name: str, field: str, value: Any) -> str:
    """How to fix a value that `valid_value` refuses, as `check` says it: the field's hint,
    or its format's when the value has the right shape."""
    if valid_value(name, field, value, formats=False):
        return FORMAT_HINTS.get(schema(name)["properties"][field].get("format", ""), "")
    return HINTS.get(field, "")


@cache
def _quick_check(name: str):
    """The same schema compiled to Python code: tells valid from invalid, fast."""
    refusals: dict[str, Any] = {}
    compiled = _without_not_pattern(
        {k: v for k, v in schema(name).items() if k not in ("$schema", "$id")}, refusals)
    return fastjsonschema.compile({"$schema": "http://json-schema.org/draft-07/schema#",
                                   **compiled}, formats={**FORMATS, **refusals},
                                  use_default=False)


_ANNOTATIONS = frozenset({"description", "$comment", "title"})


def _without_not_pattern(node: Any, refusals: dict[str, Any]) -> Any:
    """The schema with each node that only refuses a pattern (`{"not": {"pattern": P}}`,
    the characters no text may hold) as the same rule said as a string format. The two
    accept the same values, but the compiled `not` raises and catches an exception for
    every valid string, which made this check most of the time a catalogue takes to load."""
    if isinstance(node, list):
        return [_without_not_pattern(item, refusals) for item in node]
    if not isinstance(node, dict):
        return node
    refused = node.get("not")
    if (isinstance(refused, dict) and list(refused) == ["pattern"]
            and set(node) - _ANNOTATIONS == {"not"}):
        name = f"refuses-pattern-{len(refusals)}"
        refusals[name] = _refusal(refused["pattern"])
        return {"type": "string", "format": name}
    return {key: _without_not_pattern(value, refusals) for key, value in node.items()}


def _refusal(pattern: str) -> Callable[[str], bool]:
    """Whether a string holds no match of the pattern (see `holds_any` for a pattern of one
    character, such as the class of refused characters)."""
    compiled = _ecma(pattern)
    if _one_character(pattern):
        return lambda value: not holds_any(compiled, value)
    return lambda value: compiled.search(value) is None


def _one_character(pattern: str) -> bool:
    """Whether every match of the pattern is one character, wherever it stands."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        items = _parser.parse(pattern).data
        return len(items) == 1 and items[0][0] in (_constants.IN, _constants.LITERAL,
                                                   _constants.NOT_LITERAL)
    except (ImportError, AttributeError, re.error):  # another Python's internals: search all
        return False


def is_valid(data: Any, name: str) -> bool:
    """Whether data (numbers already numbers) passes a schema."""
    try:
        _quick_check(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def load_document(text: bytes, name: str, path: str) -> tuple[Loaded | None, list[Problem]]:
    """Parse a YAML document safely and check it against a schema.

    Returns the document only when it is valid; otherwise every problem found.
    """
    try:
        source = text.decode("utf-8")
        loaded = yamlio.load(source)
    except UnicodeDecodeError as error:
        line, message = not_utf8(text, error)
        return None, [Problem(path, line, "", message, "save the file with UTF-8 encoding")]
    except yamlio.YamlError as error:
        return None, [Problem(path, error.line, field_path(error.path), error.message,
                              error.hint)]
    if not isinstance(loaded.data, dict):
        return None, [Problem(path, 1, "", "the file must be a mapping of fields",
                              _fields_hint(name))]
    problems = validate(loaded, name, path, source)
    return (None if problems else loaded), problems


def _fields_hint(name: str) -> str:
    """How to write a file of a kind that is not a mapping: its fields, by the schema."""
    node = schema(name)
    required = node.get("required", [])
    fields = required or list(node.get("properties", {}))
    what = "its required fields" if required else "its fields"
    return (f"write one `field: value` per line ({what}: {', '.join(fields)}), or start "
            "from an existing file of the same kind")


def validate(loaded: Loaded, name: str, path: str, source: str = "") -> list[Problem]:
    """Check a loaded document against a schema; numbers typed without quotes become numbers.
    Its text (`source`), if given, places a refused character of a value of many lines."""
    loaded.data = _coerce(loaded.data, schema(name), schema(name))
    try:
        _quick_check(name)(loaded.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    problems = [problem for error in _errors(name, loaded.data)
                for problem in problems_of(error, loaded, path, source)]
    return list(dict.fromkeys(problems))  # a value that breaks two rules saying the same: once


def _errors(name: str, data: Any) -> list:
    """The thorough validator's errors, by field. A format is checked on a value of the right
    shape, and a value of the wrong type breaks no other rule: either gets that message
    alone (a list is not refused for its characters)."""
    errors = sorted(_validator(name).iter_errors(data), key=lambda e: list(map(str, e.path)))
    misshapen = {tuple(e.absolute_path) for e in errors if e.validator != "format"}
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    return [e for e in errors
            if (e.validator != "format" or tuple(e.absolute_path) not in misshapen)
            and (e.validator == "type" or tuple(e.absolute_path) not in mistyped)]


def _resolve(node: dict, root: dict) -> dict:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        return root["$defs"][ref.removeprefix("#/$defs/")]
    return node


def _coerce(value: Any, node: dict, root: dict) -> Any:
    node = _resolve(node, root)
    kind = node.get("type")
    if isinstance(value, Plain):
        if kind == "integer" and _INT.fullmatch(value):
            return int(value)
        if kind == "number" and NUMBER_TYPED.fullmatch(value) and math.isfinite(float(value)):
            return float(value)  # (1e400 stays text: "inf" is not what was typed)
        if kind == "boolean" and value in ("true", "false"):  # YAML 1.2's only spellings
            return value == "true"
        return str(value)
    if isinstance(value, dict):
        props, patterns = node.get("properties", {}), node.get("patternProperties", {})
        return {key: _coerce(item, _child_schema(key, props, patterns), root)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_coerce(item, node.get("items", {}), root) for item in value]
    return value


def _child_schema(key: str, props: dict, patterns: dict) -> dict:
    if key in props:
        return props[key]
    return next((s for p, s in patterns.items() if re.search(p, key)), {})
