"""JSON as bytes, fast: orjson where it can, the standard library where it refuses.

orjson writes the files a build keeps for the next one (manifests, memos' heads) and the
search page's index six to sixteen times as fast as `json.dumps`, and its output is what
`json.dumps(value, ensure_ascii=False, separators=(",", ":"))` encodes to in UTF-8 for
every value written here: strings, integers, lists and dicts with string keys
(`tests/test_jsonbytes.py`). It refuses a lone surrogate (which a paper file's YAML escape
can make), an integer past 64 bits and a key that is not a string: those values are
written by the standard library, escaped as ASCII, which reads back the same.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def json_bytes(value: object) -> bytes:
    """Compact JSON of `value` in UTF-8."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def json_value(data: bytes) -> Any:
    """The value of a JSON text: by orjson, or by the standard library for what orjson
    refuses (an escaped lone surrogate, which `json_bytes` may write). ValueError if it
    is not JSON."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)
