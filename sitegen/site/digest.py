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

A frozen dataclass that many contexts share (a paper's item, shown in a dozen lists) may
be marked `digested_once`: each of its values is digested once while it lives, and that
digest stands for it in the pickles of the values that hold it. A list of 5,000 papers
then costs a digest of 5,000 short strings, not of 5,000 items again on every list.

A value's digest may also be `remember`ed where it is known without pickling the value:
a paper's, which the paper cache made when it parsed the file the paper was read from,
or an item's, made from the digests of everything the item is made from. Equal digests
still mean equal values; equal values may then have other digests (a page made again,
not one kept stale).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import pickle
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T")

_KINDS: dict[type, bool] = {}  # a type -> whether its values may be digested as they are
_CLASSES: dict[type, bool] = {}  # a class -> whether it may be written by its name
_ONCE: set[type] = set()  # the types marked `digested_once`
_MEMO: dict[int, tuple[weakref.ref, str]] = {}  # id of a live value -> (the value, its digest)


def digested_once(kind: type[T]) -> type[T]:
    """Mark a frozen dataclass whose values many contexts share (see the module's doc)."""
    if not (dataclasses.is_dataclass(kind) and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
            and _digestible(kind)):
        raise TypeError(f"{kind.__qualname__} is not a frozen dataclass of plain fields")
    _ONCE.add(kind)
    return kind


def digest(*values: object) -> str:
    """The hex digest of these values, the same in every process and every run."""
    if len(values) == 1:
        found = _MEMO.get(id(values[0]))
        if found is not None and found[0]() is values[0]:
            return found[1]  # remembered
        if type(values[0]) in _ONCE:
            return _digest_of_once(values[0])  # a value digested once: its own digest
    return _digest(values)


def made_of(kind: str, *digests: str) -> str:
    """The digest of a value of `kind` made from values of these digests alone, without
    pickling them (a paper's item, from the paper's and the label names', 50,000 in a
    build). The bytes hashed start unlike a pickle's, so it is no value's `digest`."""
    text = "\0".join((kind, *digests)).encode("utf-8", "surrogatepass")
    return hashlib.sha256(b"made of\0" + text).hexdigest()


def remember(value: object, value_digest: str) -> None:
    """Take `value_digest` as the value's digest while it lives: a digest of this value
    made before, or of everything it is made from (see the module). The value must not
    change (nothing in the site's stages changes a paper or a context)."""
    key = id(value)
    _MEMO[key] = (weakref.ref(value, functools.partial(_forget, key)), value_digest)


def remember_by_parts(value: DataclassInstance, digests: Mapping[int, str]) -> None:
    """Remember the digest of a frozen dataclass (a list page's contents) made from its
    fields, where a tuple of values whose digests are known (`digests`, by the values'
    ids: papers' items) stands as the tuple of those digests: pickling 5,000 digests is
    C work, where pickling 5,000 items called back into Python for each. (Marked by
    `stands_for`, which no other value pickles as, so that no other value can have the
    same digest.)"""
    parts = [(stands_for, tuple([digests[id(v)] for v in part]))
             if isinstance(part, tuple) and part and id(part[0]) in digests
             else part for part in (getattr(value, f.name) for f in dataclasses.fields(value))]
    remember(value, _digest((type(value).__qualname__, *parts)))


def _digest(values: object, whole: object = None) -> str:
    """The digest of `values`, in which `whole`, a value digested once, is pickled field
    by field rather than stood for by its digest."""
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on the values, not on their identity
    pickler.whole = whole
    pickler.dump(values)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def _digest_of_once(value: object) -> str:
    """The digest of a value of a type digested once: made once while the value lives (a
    frozen value cannot change; the entry goes with the value, before its id can be
    another's)."""
    key = id(value)
    found = _MEMO.get(key)
    if found is not None and found[0]() is value:
        return found[1]
    made = _digest((value,), whole=value)
    _MEMO[key] = (weakref.ref(value, functools.partial(_forget, key)), made)
    return made


def _forget(key: int, gone: weakref.ref) -> None:
    if _MEMO.get(key, (None,))[0] is gone:
        del _MEMO[key]


def stands_for(kind: str, value_digest: str) -> None:
    """Never called: the name a value digested once is pickled under, with its digest."""


class _Pickler(pickle.Pickler):
    """Pickles dataclasses and plain values only; a string of a subclass (YAML's plain
    scalars, Markup) as its text; a value digested once as its digest."""

    whole: object = None

    def reducer_override(self, obj: Any) -> Any:  # called for all but the plain types
        kind = type(obj)
        if kind in _ONCE and obj is not self.whole:
            return stands_for, (kind.__qualname__, _digest_of_once(obj))
        if obj is stands_for:
            return NotImplemented  # pickled by its name
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
