"""The committed JSON Schemas (schemas/*.json), read and made to stand alone.

Reading them needs no validator: what the schemas declare (a paper's fields, limits,
the character policy) is read from here by the code that needs that one fact.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

_SHARED = "text.schema.json"  # the character policy, which the other schemas reference


@cache
def schema(name: str) -> dict:
    """A committed JSON Schema by name ('paper', 'taxonomy', 'site'), with its references
    to text.schema.json and to its own `$defs` replaced by what they name, so that each
    of its nodes stands alone (one field's value is checked with its node only)."""
    shared, own = _read(_SHARED), _read(f"{name}.schema.json")
    targets = {f"{_SHARED}#/$defs/{key}": _inline(value, _defs(shared))
               for key, value in shared["$defs"].items()}
    return _inline(own, {**targets, **_defs(own)})


def _defs(document: dict) -> dict[str, Any]:
    """A document's `$defs` by the reference that names each: `#/$defs/date`."""
    return {f"#/$defs/{key}": value for key, value in document.get("$defs", {}).items()}


def _read(file: str) -> dict:
    return json.loads(resources.files("sitegen").joinpath(f"schemas/{file}").read_text("utf-8"))


def _inline(node: Any, targets: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if node.get("$ref") in targets:  # what it names, with the node's own keywords
            rest = {key: value for key, value in node.items() if key != "$ref"}
            return {**_inline(targets[node["$ref"]], targets), **_inline(rest, targets)}
        return {key: _inline(value, targets) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline(item, targets) for item in node]
    return node
