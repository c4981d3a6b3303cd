"""Schema errors as problems people can act on: the field, its line, what is wrong in plain
words and how to fix it."""

from __future__ import annotations

import re
from typing import Any

from sitegen.catalogue import schemahints
from sitegen.catalogue.names import printable
from sitegen.catalogue.yamlio import Loaded
from sitegen.catalogue.yamltypes import MAX_DIGITS, Lines
from sitegen.core import text
from sitegen.core.formats import FORMAT_HINTS
from sitegen.core.model import Problem, field_path, quote


def problems_of(error, loaded: Loaded, path: str, source: str = "") -> list[Problem]:
    """The problems a validation error of a loaded document shows, each on its value's line:
    one for each key of a mapping that is not one of its fields. With the document's text
    (`source`), a refused character on a later line of a value of many lines is shown on
    its own."""
    if error.validator == "additionalProperties":
        return _unknown_keys(error, loaded, path)
    if error.validator == "uniqueItems":
        return _repeated(error, loaded, path)
    return [problem_of(error, loaded, path, source)]


def problem_of(error, loaded: Loaded, path: str, source: str = "") -> Problem:
    """The problem a validation error of a loaded document shows, on its value's line."""
    location = tuple(error.absolute_path)
    if _is_key(error):  # a mapping's key: its own line, under its own name
        location = (*location, error.instance)
    line = loaded.line_of(location)
    message, hint = schemahints.value_problem(_last_field(error), error) \
        or (_message(error), _hint(error))
    refused = _refused(error)
    found = _in_source(source, loaded, line, error.instance, refused) if refused else None
    if refused and found and found[0] > line:
        line, message = found[0], f"contains {refused} at column {found[1]}"
    return Problem(path, line, _field(location, error), message, hint)


def _in_source(source: str, loaded: Loaded, line: int, value: str, refused: text.Refused
               ) -> tuple[int, int] | None:
    """The line and column of a refused character in the file: the value's lines (up to the
    next value's) hold it as often before it as the value does, as YAML makes no such
    character but from an escape (and then this finds none)."""
    if not source:
        return None
    lines = Lines(source)
    starts = lines.line_starts()
    later = [n for n in loaded.lines.values() if n > line]
    start = starts[line - 1] if line <= len(starts) else len(source)
    end = starts[min(later) - 1] if later and min(later) <= len(starts) else len(source)
    index = start - 1
    for _ in range(value.count(refused.char, 0, refused.position - 1) + 1):
        index = source.find(refused.char, index + 1, end)
        if index < 0:
            return None
    return lines.at(index)


def _unknown_keys(error, loaded: Loaded, path: str) -> list[Problem]:
    """Each key of the mapping that its schema does not know, on its own line, under its own
    name as it is written (taken from the mapping, not from the validator's words, which
    quote a name such as `author's` ambiguously)."""
    location, known = tuple(error.absolute_path), error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    return [Problem(path, loaded.line_of((*location, key)),
                    field_path((*location, printable(key))), "is not a known field",
                    _unknown_key_hint(key, sorted(known)))
            for key in error.instance
            if key not in known and not any(re.search(p, key) for p in patterns)]


def _repeated(error, loaded: Loaded, path: str) -> list[Problem]:
    """A list that holds a value twice: reported on the repeated item's line, naming the
    value and the line of its first appearance."""
    location, items = tuple(error.absolute_path), error.instance
    for index, item in enumerate(items):
        first = next((i for i in range(index) if items[i] == item), None)
        if first is not None:
            where = (*location, index)
            return [Problem(path, loaded.line_of(where), field_path(where),
                            f"{quote(item)} is already listed on line "
                            f"{loaded.line_of((*location, first))}",
                            "remove one of the two")]
    return [problem_of(error, loaded, path)]


def _unknown_key_hint(key: str, known: list[str]) -> str:
    """The known field the key is most likely a typo of, else every known field."""
    guess = schemahints.did_you_mean(key.casefold(), known)
    if guess:
        return guess
    return f"known fields: {', '.join(known)}" if known else "remove it"


def _is_key(error) -> bool:
    """Whether the error is about a key of a mapping (`propertyNames`), not a value."""
    return "propertyNames" in error.schema_path


def _field(location: tuple, error) -> str:
    parts = list(location)
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required", error.message)
        parts.append(missing.group(1) if missing else "")
    return field_path(parts)


_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping",
               "integer": "a whole number", "number": "a number"}


def _message(error) -> str:
    kind, expected = error.validator, error.validator_value
    if kind == "type" and schemahints.too_long_number(error):
        return f"has {len(error.instance):,} digits, more than a number may have"
    if kind == "type" and NUMBER_TYPED.fullmatch(str(error.instance)):  # not text, to its writer
        if expected == "number":  # a number too large for a float
            return f"{error.instance} is too large a number"
        return f"must be {_TYPE_NAMES.get(expected, expected)}, not {error.instance}"
    if kind == "type":
        return f"must be {_TYPE_NAMES.get(expected, expected)}, not {_describe(error.instance)}"
    if kind == "required":
        return "is missing"
    if kind == "enum":
        return f"{quote(error.instance)} is not one of the allowed values"
    if kind == "minItems":
        return f"needs at least {expected} item{'s' if expected > 1 else ''}"
    if kind == "maxItems":
        return f"has {len(error.instance)} items; at most {expected} are allowed"
    if kind in ("minimum", "maximum"):
        side = "less" if kind == "minimum" else "more"
        return f"{schemahints.number(error.instance)} is {side} than the {kind}, {expected:g}"
    if _is_key(error):
        return f"{error.instance!r} is not a valid key here"
    if kind == "maxLength" and isinstance(error.instance, str):
        return f"is {len(error.instance):,} characters long; at most {expected:,} are allowed"
    refused = _refused(error)
    if refused:
        return f"contains {refused} at character {refused.position}"
    if kind in ("pattern", "not", "format") and _last_field(error) in _NOT_VALID:
        return f"{error.instance!r} {_NOT_VALID[_last_field(error)]}"
    if kind == "minLength" and error.instance == "":
        return "is empty"
    if kind == "pattern" and expected == "\\S" and isinstance(error.instance, str):
        return "is only spaces"
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
    "published": "is not a date",
    "updated": "is not a date",
    "arxiv": "is not a valid arXiv id",
    "arxiv_category": "is not an arXiv subject class",
    "authors": "is not a name",
    "doi": "is not a DOI",
    "venue": "is not a venue",
    "base_url": "is not a valid base URL",
    "repository": "is not a valid repository URL",
    "branch": "is not a valid git branch name",
    "model_names": "is not a model name",
}


# A number as typed: what a number field takes, and what a message calls a number that no
# field takes (a fraction where a whole number goes, or one beyond what a float holds)
NUMBER_TYPED = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")  # unambiguous: linear


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
    "published": "write the date as YYYY-MM-DD",
    "updated": "write the date as YYYY-MM-DD",
    "arxiv": "write a new-style id such as 2401.12345 (a month 01 to 12 from 0704; 4 digits "
             "after the dot up to 1412, 5 from 1501) or an old-style one such as "
             "hep-th/9901001, either with a version such as v2 or none",
    "arxiv_category": "write the primary category as arXiv gives it, such as cs.CL, "
                      "hep-th or cond-mat.mes-hall",
    "authors": "write each author's name on its own '- ' line; remove an empty one",
    "doi": "write the DOI alone, such as 10.18653/v1/2023.acl-long.1, without "
           "https://doi.org/ before it",
    "venue": "write the journal or conference, such as ACL 2024, or remove the field",
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
    too_large = error.validator == "type" and error.validator_value == "number" and \
        NUMBER_TYPED.fullmatch(str(error.instance))
    if error.validator in ("minimum", "maximum") or too_large:
        low, high = error.schema.get("minimum"), error.schema.get("maximum")
        if low is not None and high is not None:
            return f"use a number from {low:g} to {high:g}"
        if too_large:
            return "write a number such as 0.5"
        return f"use a number of at {'least' if high is None else 'most'} " \
               f"{error.validator_value:g}"
    policy = _policy(error)
    if policy:
        return policy[1]
    if error.validator == "format":
        return FORMAT_HINTS.get(error.validator_value, "")
    if error.validator in ("pattern", "not") and last in HINTS:
        return HINTS[last]
    if error.validator == "required":
        return f"required fields: {', '.join(error.validator_value)}"
    if error.validator == "maxItems":
        return "keep the most important ones"
    if _is_key(error):
        return KEY_HINTS.get(_last_field(error), "")
    if error.validator == "maxLength":
        return "shorten it"
    if error.validator == "minLength" and error.instance == "":
        return "write the text, or leave the field out where it is optional"
    if schemahints.too_long_number(error):
        return f"write a number of at most {MAX_DIGITS:,} digits"
    return _RULES[error.validator](error) if error.validator in _RULES else ""


# How to fix a value that breaks a rule of each kind, from the schema's own data.
_RULES = {"type": schemahints.type_hint, "enum": schemahints.enum_hint,
          "minItems": schemahints.min_items_hint, "pattern": schemahints.pattern_hint}
