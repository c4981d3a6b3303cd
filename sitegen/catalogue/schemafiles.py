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
