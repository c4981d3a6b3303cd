"""A stable digest of plain values: the typed page contexts and the model data files are
made from.

The values are pickled (protocol 5, C speed: a walk over them in Python cost more than
rendering a page) and the pickle hashed. Pickling writes every value with its type:
dataclasses by their module and name and every field, in the order they declare them,
sequences and mappings in their order (which is the order pages show them in). It is
done without pickle's memo, so that a value gives the same bytes whether or not it
shares its parts with other values. Anything but dataclasses and Python's plain types
(a function, a path, a class, an object whose pickle could hold its address) is refused
with TypeError rather than given a digest that could stay the same while it changes.

Sets and frozensets pickle in hash order, which changes from process to process: a
digest of one would only be unstable, never wrong (a page made again, not one kept
stale). The page contexts hold none; `tests/test_digest.py` digests every page of the
fixture site in processes of different hash seeds and finds the same digests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from typing import Any

_KINDS: dict[type, bool] = {}  # a type -> whether its values may be digested as they are
_CLASSES: dict[type, bool] = {}  # a class -> whether it may be written by its name


def digest(*values: object) -> str:
    """The hex digest of these values, the same in every process and every run."""
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on the values, not on their identity
    pickler.dump(values)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


class _Pickler(pickle.Pickler):
    """Pickles dataclasses and plain values only; a string of a subclass (YAML's plain
    scalars, Markup) as its text."""

    def reducer_override(self, obj: Any) -> Any:  # called for all but the plain types
        kind = type(obj)
        allowed = _KINDS.get(kind)
        if allowed is None:
            allowed = _KINDS[kind] = _digestible(kind)
        if allowed:
            return NotImplemented  # pickled as pickle does
        if kind is type:  # a class pickle writes by name: a dataclass, or str (see below)
            named = _CLASSES.get(obj)
            if named is None:
                named = _CLASSES[obj] = obj is str or _digestible(obj)
            if named:
                return NotImplemented
        elif isinstance(obj, str):
            return str, (str(obj),)
        raise TypeError(f"no stable digest for a {kind.__qualname__}")


def _digestible(kind: type) -> bool:
    """A dataclass whose pickle is its fields: no pickling of its own, no slots."""
    if dataclasses.is_dataclass(kind):
        own = ("__reduce__", "__reduce_ex__", "__getstate__", "__slots__")
        return not any(name in vars(base) for base in kind.__mro__[:-1] for name in own)
    return False
