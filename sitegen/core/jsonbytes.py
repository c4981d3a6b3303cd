"""JSON as bytes, fast: orjson where it can, the standard library where it refuses.

orjson writes the files a build keeps for the next one (manifests, memos' heads) and the
search page's index six to sixteen times as fast as `json.dumps`, and its output is what
`json.dumps(value, ensure_ascii=False, separators=(",", ":"))` encodes to in UTF-8 for
every value written here: strings, integers, lists and dicts with string keys
(`tests/test_jsonbytes.py`). It refuses a lone surrogate (which a paper file's YAML escape
can make), an integer past 64 bits and a key that is not a string: those values are
written by the standard library, escaped as ASCII, after a space (`json_value` reads them
with the standard library: orjson would read such an integer as a float).
`spaced_json_bytes` writes the standard library's default spacing the same way.
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


class _NotPlain(Exception):
    """A value `spaced_json_bytes` leaves to the standard library."""


def spaced_json_bytes(value: object) -> bytes:
    """`json.dumps(value, ensure_ascii=False, sort_keys=True)` in UTF-8, with its ", " and
    ": " between items: how every checksum a paper file stores was made. Strings, integers
    and constants are written by orjson (a dump entry's title and abstract five times as
    fast: 50,000 of them took 0.8 s), lists and mappings put together here. A value holding
    anything else (a float, which orjson writes its own way; a key that is not a string),
    or what orjson refuses, is written by the standard library, as before."""
    try:
        return _spaced(value)
    except (_NotPlain, orjson.JSONEncodeError):
        return json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _spaced(value: object) -> bytes:
    if isinstance(value, (str, int)) or value is None:  # a bool is an int
        return orjson.dumps(value)
    if isinstance(value, (list, tuple)):
        return b"[" + b", ".join([_spaced(item) for item in value]) + b"]"
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return b"{" + b", ".join([orjson.dumps(key) + b": " + _spaced(item)
                                  for key, item in sorted(value.items())]) + b"}"
    raise _NotPlain
