"""A paper's fields, declared once: the `properties` of schemas/paper.schema.json.

The schema's order is the order of a paper file, of `diff`'s edited fields and of
the export. A property with a `default` is left out of a file while it holds that
value (no `same_as` is an empty one); every other property is always written. An
object the schema gives properties (a paper, a link, a source) is read into the
`core.model` class its field is typed with, attribute by attribute, so the model
needs one attribute per property and nothing else.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Sequence
from typing import Any

from sitegen.catalogue.schemafiles import schema
from sitegen.core.model import MACHINE_FIELDS, Paper

Convert = Callable[[Any], Any]

PROPERTIES: dict[str, dict] = schema("paper")["properties"]
FIELDS: tuple[str, ...] = tuple(PROPERTIES)

_ALWAYS = object()  # the default of a property that is written whatever its value
# The key order of the one mapping whose keys the schema names by a pattern: the tool's
# checksums, in the order of the fields it proposes.
_KEY_ORDER: dict[str, Sequence[str]] = {"machine": MACHINE_FIELDS}


def _same(value: Any) -> Any:
    return value


def _writer(node: dict, key_order: Sequence[str] | None = None) -> Convert:
    """What a value of this schema node is in a file: plain lists, mappings and text."""
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        return _object_writer(node["properties"])
    if kind == "array":
        item = _writer(node.get("items", {}))
        return list if item is _same else lambda values: [item(v) for v in values]
    if kind == "object" and key_order is not None:
        return lambda mapping: {key: mapping[key] for key in key_order if key in mapping}
    return dict if kind == "object" else _same


def _object_writer(properties: dict[str, dict]) -> Convert:
    plan = [(name, _writer(node, _KEY_ORDER.get(name)), node.get("default", _ALWAYS))
            for name, node in properties.items()]

    def write(item: Any) -> dict[str, Any]:
        data = {}
        for name, write_value, default in plan:
            value = getattr(item, name)
            if write_value is not _same:
                value = write_value(value)
            if default is _ALWAYS or value != default:
                data[name] = value
        return data
    return write


def _reader(node: dict, hint: Any) -> Convert:
    """A plain value of this schema node as the model types it (`hint`)."""
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        return _object_reader(node["properties"], hint)
    if kind == "array":
        item = _reader(node.get("items", {}), next(iter(typing.get_args(hint)), Any))
        return list if item is _same else lambda values: [item(v) for v in values]
    if kind == "integer":  # the quick reader gives digits as text
        return int
    return dict if kind == "object" else _same


def _object_reader(properties: dict[str, dict], cls: type) -> Convert:
    hints = typing.get_type_hints(cls)  # a declared property the class lacks fails here
    readers = {name: _reader(node, hints[name]) for name, node in properties.items()}
    converted = [(name, read_value) for name, read_value in readers.items()
                 if read_value is not _same]

    def read(data: dict[str, Any]) -> Any:
        values = dict(data)  # a key the schema does not declare is refused by `cls`
        for name, read_value in converted:
            if name in values:
                values[name] = read_value(values[name])
        return cls(**values)
    return read


_WRITE_PAPER = _object_writer(PROPERTIES)
_READ_PAPER = _object_reader(PROPERTIES, Paper)
_WRITE_FIELD = {name: _writer(node, _KEY_ORDER.get(name)) for name, node in PROPERTIES.items()}


def to_dict(paper: Paper) -> dict[str, Any]:
    """A paper as its file holds it: the declared fields in order, each at its default left out."""
    return _WRITE_PAPER(paper)


def from_dict(data: dict[str, Any]) -> Paper:
    """Build a paper from a document that passed schema validation."""
    return _READ_PAPER(data)


def plain(name: str, value: Any) -> Any:
    """One field's value as a file holds it, written even at its default."""
    return _WRITE_FIELD[name](value)
