"""JSON as bytes, fast: orjson where it can, the standard library where it refuses.

orjson writes the files a build keeps for the next one (manifests, memos' heads) and the
search page's index six to sixteen times as fast as `json.dumps`, and its output is what
`json.dumps(value, ensure_ascii=False, separators=(",", ":"))` encodes to in UTF-8 for
every value written here: strings, integers, lists and dicts with string keys
(`tests/test_jsonbytes.py`). It refuses a lone surrogate (which a paper file's YAML escape
can make), an integer past 64 bits and a key that is not a string: those values are
written by the standard library, escaped as ASCII, after a space (`json_value` reads them
with the standard library: orjson would read such an integer as a float).
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def json_bytes(value: object, sort_keys: bool = False) -> bytes:
    """Compact JSON of `value` in UTF-8 (with every mapping's keys in order, if
    `sort_keys`)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else None)
    except orjson.JSONEncodeError:
        return b" " + json.dumps(value, separators=(",", ":"), sort_keys=sort_keys).encode(
            "ascii")


def json_value(data: bytes) -> Any:
    """The value of a JSON text: by orjson (0.18 s for the 54 MB of a 20,000-paper
    build's paper cache, the standard library 0.29 s), or by the standard library for what
    `json_bytes` wrote with it and for what orjson refuses. ValueError if it is not JSON."""
    if data[:1] != b" ":
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data)
