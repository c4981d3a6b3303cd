"""A stable digest of plain values: the typed page contexts and the model data files are
made from.

Every value is written with its type and length, dataclasses field by field in the
order they declare them (every field: none of them is left out of the digest), sequences
and mappings in their order (which is the order pages show them in). Anything else (a
function, a path, an object whose repr holds its address) is refused with TypeError
rather than given a digest that could stay the same while it changes, or differ while
it does not.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping
from typing import Any

_FIELDS: dict[type, tuple[str, ...]] = {}


def digest(*values: object) -> str:
    """The hex digest of these values, the same in every process and every run."""
    parts: list[str] = []
    for value in values:
        _write(value, parts.append)
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _write(value: object, out: Callable[[str], object]) -> None:
    kind = type(value)
    if kind is str:
        out(f"s{len(value)}:")  # type: ignore[arg-type]
        out(value)  # type: ignore[arg-type]
    elif kind is tuple or kind is list:
        out(f"[{len(value)}")  # type: ignore[arg-type]
        for item in value:  # type: ignore[attr-defined]
            _write(item, out)
    elif value is None or kind is bool or kind is int or kind is float:
        out(f"{kind.__name__[0]}{value!r};")
    elif isinstance(value, Mapping):
        out(f"{{{len(value)}")
        for key, item in value.items():
            _write(key, out)
            _write(item, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        _write_fields(value, out)
    elif isinstance(value, str):  # a marked string (YAML's plain scalars): its text
        _write(str(value), out)
    elif isinstance(value, bytes):
        out(f"y{len(value)}:{hashlib.sha256(value).hexdigest()}")
    else:
        raise TypeError(f"no stable digest for a {kind.__qualname__}")


def _write_fields(value: object, out: Callable[[str], object]) -> None:
    kind: Any = type(value)
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(field.name for field in dataclasses.fields(kind))
    out(f"D{kind.__module__}.{kind.__qualname__}{len(names)}")
    for name in names:
        _write(getattr(value, name), out)
