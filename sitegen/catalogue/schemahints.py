"""How to fix a value that breaks a schema rule, said from the schema's own data: the type
it expects, its allowed values, its fields, the node's `description`. One rule per kind of
error, for the fields that have no hint of their own (schemamessages.HINTS)."""

from __future__ import annotations

import calendar
import difflib
import re
from typing import Any

from sitegen.catalogue.yamltypes import MAX_DIGITS
from sitegen.core.model import quote

_TEXT_HINT = ("write the text on the same line as its field; put it in quotes if it starts "
              "with [ or {")


def type_hint(error) -> str:
    """What to write instead of a value of the wrong type."""
    expected, node = error.validator_value, error.schema
    in_list = bool(error.absolute_path) and isinstance(error.absolute_path[-1], int)
    if error.instance is None and in_list:
        return "write a value after the '- ', or remove the empty item"
    if error.instance is None:
        return ("write [] after the colon for none, or one '- item' per line below it"
                if expected == "array" else
                "write a value after the colon, or leave the field out where it is optional")
    if expected == "string":
        return _TEXT_HINT
    if expected == "array":
        return "write a list, one '- item' per line"
    if expected == "object":
        fields = list(node.get("properties", {}))
        listed = f": {', '.join(fields)}" if fields else ""
        return f"write a mapping, one `field: value` per line{listed}"
    if expected == "integer":
        return f"write a whole number such as {node.get('minimum', 1):g}, without quotes"
    if expected == "number":
        return "write a number such as 0.5, without quotes"
    if expected == "boolean":
        return "write true or false"
    return ""


def enum_hint(error) -> str:
    """The allowed values, the closest one first if the value looks like a typo of it."""
    allowed = [str(value) for value in error.validator_value]
    listed = f"use one of: {', '.join(allowed)}"
    if not isinstance(error.instance, str):
        return listed
    guess = did_you_mean(error.instance.casefold(), allowed)
    return f"{guess} {listed}" if guess else listed


def did_you_mean(value: str, choices: list[str]) -> str:
    """"did you mean 'x'?" for the choice the value is most likely a typo of, else ""."""
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.75)
    return f"did you mean {close[0]!r}?" if close else ""


def min_items_hint(error) -> str:
    """How many items to add, and what they are if the schema says."""
    count = error.validator_value
    hint = f"add {'an item' if count == 1 else f'{count} items'}, one '- item' per line"
    about = description(error.schema)
    return f"{hint}: {about}" if about else hint


def pattern_hint(error) -> str:
    """What a value that breaks a pattern should look like: the node's description, else
    the pattern itself."""
    if error.validator_value == "\\S":
        return "write the text, or leave the field out where it is optional"
    about = description(error.schema)  # "A checksum ...": what the value is
    return (f"write {about[:1].lower()}{about[1:]}" if about
            else f"write a value that matches {error.validator_value}")


def description(node: Any) -> str:
    """A schema node's description as a clause: without its final full stop."""
    text = node.get("description", "") if isinstance(node, dict) else ""
    return text.removesuffix(".")


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SCHEME = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://")
_DATES = ("added", "published", "updated")


def value_problem(field: str, error) -> tuple[str, str] | None:
    """Message and hint for a value whose form is right but which is still refused, where
    the field's usual hint would repeat the form it already has: a date written as
    YYYY-MM-DD that no calendar holds, a link that starts with http(s):// and holds a
    space. None for any other error."""
    value = error.instance
    if error.validator != "pattern" or not isinstance(value, str):
        return None
    if field in _DATES and _DATE.fullmatch(value):
        return _impossible_date(value)
    scheme = _SCHEME.match(value) if field == "url" else None
    if scheme:
        space = re.search(r"\s", value)
        if space:
            return (f"{quote(value)} contains a space at character {space.start() + 1}",
                    "remove it, or write it as %20 where the address holds one")
        return (f"{quote(value)} has no host name after {scheme.group()}",
                "write the host right after the scheme, such as https://github.com/owner/repo")
    return None


def _impossible_date(value: str) -> tuple[str, str]:
    year, month = int(value[:4]), int(value[5:7])  # the form is _DATE's
    if year < 1000:
        return (f"{quote(value)} is before the year 1000",
                "write the real date: the year 1000 or later")
    if not 1 <= month <= 12:
        return (f"{quote(value)} is not a real date: there is no month {month:02d}",
                "write the month from 01 to 12, as YYYY-MM-DD")
    days = calendar.monthrange(year, month)[1]
    return (f"{quote(value)} is not a real date: {calendar.month_name[month]} {year} has "
            f"{days} days", f"write a day from 01 to {days}")


def too_long_number(error) -> bool:
    """Whether a number field holds digits too many to read as a number (YAML leaves them
    text): the digits, not their type, are what is wrong."""
    value = error.instance
    return (error.validator == "type" and error.validator_value in ("integer", "number")
            and isinstance(value, str) and len(value) > MAX_DIGITS
            and value.lstrip("+-").isdigit())


def number(value: float) -> str:
    """A number as written (a whole number keeps every digit, not 1e+25), cut if long."""
    if isinstance(value, int):
        digits = str(value)
        return digits if len(digits) <= 30 else f"{digits[:20]}... ({len(digits):,} digits)"
    return f"{value:g}"
