"""The content schemas (declared once, in schemas/*.json) and validation with positions."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from sitegen.catalogue import yamlio
from sitegen.catalogue.yamlio import Loaded, Plain
from sitegen.core import text
from sitegen.core.formats import FORMAT_HINTS, FORMATS
from sitegen.core.model import Problem, field_path

_INT = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")  # unambiguous: linear
_SHARED = "text.schema.json"  # the character policy, which the other schemas reference


@cache
def schema(name: str) -> dict:
    """A committed JSON Schema by name ('paper', 'taxonomy', 'site'), with its references
    to text.schema.json replaced by what they name, so that it stands alone."""
    shared = _read(_SHARED)
    return _inline(_read(f"{name}.schema.json"), {
        f"{_SHARED}#/$defs/{key}": _inline(value, {f"#/$defs/{k}": v for k, v in
                                                   shared["$defs"].items()})
        for key, value in shared["$defs"].items()})


def _read(file: str) -> dict:
    return json.loads(resources.files("sitegen").joinpath(f"schemas/{file}").read_text("utf-8"))


def _inline(node: Any, targets: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if node.get("$ref") in targets:
            return _inline(targets[node["$ref"]], targets)
        return {key: _inline(value, targets) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, targets) for item in node]
    return node


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
                                  formats=FORMATS, use_formats=formats)


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
    compiled = {k: v for k, v in schema(name).items() if k not in ("$schema", "$id")}
    return fastjsonschema.compile({"$schema": "http://json-schema.org/draft-07/schema#",
                                   **compiled}, formats=FORMATS)


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
        loaded = yamlio.load(text.decode("utf-8"))
    except UnicodeDecodeError as error:
        return None, [Problem(path, 1, "", f"not valid UTF-8 (byte {error.start})",
                              "save the file with UTF-8 encoding")]
    except yamlio.YamlError as error:
        return None, [Problem(path, error.line, field_path(error.path), error.message,
                              error.hint)]
    if not isinstance(loaded.data, dict):
        return None, [Problem(path, 1, "", "the file must be a mapping of fields",
                              "start from an existing file of the same kind")]
    problems = validate(loaded, name, path)
    return (None if problems else loaded), problems


def validate(loaded: Loaded, name: str, path: str) -> list[Problem]:
    """Check a loaded document against a schema; numbers typed without quotes become numbers."""
    loaded.data = _coerce(loaded.data, schema(name), schema(name))
    try:
        _quick_check(name)(loaded.data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    problems = []
    for error in _errors(name, loaded.data):
        location = tuple(error.absolute_path)
        if _is_key(error):  # a mapping's key: its own line, under its own name
            location = (*location, error.instance)
        line = loaded.line_of(location)
        extra = re.findall(r"'([^']+)'", error.message)
        if error.validator == "additionalProperties" and extra:  # the unknown key's own line
            line = loaded.line_of((*location, extra[0]))
        problems.append(Problem(path, line, _field(location, error),
                                _message(error), _hint(error)))
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


def _is_key(error) -> bool:
    """Whether the error is about a key of a mapping (`propertyNames`), not a value."""
    return "propertyNames" in error.schema_path


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
        if kind == "number" and _NUMBER.fullmatch(value):
            return float(value)
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


def _field(location: tuple, error) -> str:
    parts = list(location)
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required", error.message)
        parts.append(missing.group(1) if missing else "")
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        parts.append(extra[0] if extra else "")
    return field_path(parts)


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping",
               "integer": "a whole number", "number": "a number"}


def _message(error) -> str:
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        return f"must be {_TYPE_NAMES.get(expected, expected)}, not {_describe(error.instance)}"
    if kind == "required":
        return "is missing"
    if kind == "additionalProperties":
        return "is not a known field"
    if kind == "enum":
        return f"{error.instance!r} is not one of: {', '.join(map(str, expected))}"
    if kind == "minItems":
        return f"needs at least {expected} item{'s' if expected > 1 else ''}"
    if kind == "maxItems":
        return f"has {len(error.instance)} items; at most {expected} are allowed"
    if kind == "uniqueItems":
        return "lists the same value twice"
    if kind in ("minimum", "maximum"):
        side = "less" if kind == "minimum" else "more"
        return f"{error.instance:g} is {side} than the {kind}, {expected:g}"
    if _is_key(error):
        return f"{error.instance!r} is not a valid key here"
    if kind == "maxLength" and isinstance(error.instance, str):
        return f"is {len(error.instance):,} characters long; at most {expected:,} are allowed"
    refused = _refused(error)
    if refused:
        return f"contains {refused} at character {refused.position}"
    if kind in ("pattern", "not", "format") and _last_field(error) in _NOT_VALID:
        return f"{error.instance!r} {_NOT_VALID[_last_field(error)]}"
    if kind in ("minLength", "pattern") and isinstance(error.instance, str):
        return f"{error.instance!r} is not valid here"
    return error.message


# The character policies of text.schema.json, by pattern: what each refuses, and the hint.
_POLICIES = {text.REFUSED.pattern: (text.REFUSED, "remove invisible and control characters"),
             text.BREAKS.pattern: (text.BREAKS, "write it on one line, without tabs")}


def _policy(error) -> tuple[re.Pattern, str] | None:
    value = error.validator_value
    if error.validator == "not" and isinstance(value, dict) and isinstance(error.instance, str):
        return _POLICIES.get(value.get("pattern"))
    return None


def _refused(error) -> text.Refused | None:
    policy = _policy(error)
    return text.first_refused(policy[0], error.instance) if policy else None


def _last_field(error) -> str:
    return next((p for p in reversed(error.absolute_path) if isinstance(p, str)), "")


# What a value that breaks its field's pattern is not, for fields with a meaning of their own.
_NOT_VALID = {
    "added": "is not a date",
    "base_url": "is not a valid base URL",
    "repository": "is not a valid repository URL",
    "branch": "is not a valid git branch name",
}


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return f"text {value!r}" if len(value) < 40 else "text"
    return f"{type(value).__name__} {value!r}"


HINTS = {
    "url": "links must start with http:// or https://",
    "added": "write the date as YYYY-MM-DD",
    "id": "use lower-case letters, digits and single hyphens",
    "base_url": "write an absolute http(s) URL such as https://owner.github.io/repo/, "
                "without a user name, query (?), fragment (#), spaces or control characters",
    "repository": "write the repository's https URL, such as https://github.com/owner/repo, "
                  "with no '.' or '..' parts, '%', query or fragment",
    "branch": "use a branch name git accepts, such as main: no spaces, control characters, "
              "~^:?*[\\, '..', '//' or '@{', no '/' or '-' first, no part starting with '.', "
              "no '/', '.' or '.lock' at the end",
}


# What the keys of a mapping field name, for a key that is not one.
KEY_HINTS = {"evidence": "use the id of one of this paper's topics or families"}


def _hint(error) -> str:
    last = _last_field(error)
    if error.validator in ("minimum", "maximum"):
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        return (f"use a number from {low:g} to {high:g}" if low is not None and high is not None
                else f"use a number of at {'least' if high is None else 'most'} "
                     f"{error.validator_value:g}")
    policy = _policy(error)
    if policy:
        return policy[1]
    if error.validator == "format":
        return FORMAT_HINTS.get(error.validator_value, "")
    if error.validator in ("pattern", "not") and last in HINTS:
        return HINTS[last]
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        return f"known fields: {', '.join(allowed)}" if allowed else ""
    if error.validator == "required":
        return f"required fields: {', '.join(error.validator_value)}"
    if error.validator == "maxItems":
        return "keep the most important ones"
    if _is_key(error):
        return KEY_HINTS.get(_last_field(error), "")
    if error.validator == "maxLength":
        return "shorten it"
    if error.validator == "type" and error.validator_value == "array":
        return "write a list, one '- item' per line"
    return ""
