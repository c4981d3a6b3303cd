"""One file holding a JSON head and numeric arrays: the format of what a build keeps
beside its output for the next one (`searchmemo`, `relatedmemo`, `exportmemo`); many
arrays of one type are best stored end to end, with their lengths (`storedparts.Block`).

The arrays' bytes follow the head unparsed, so that millions of numbers read back in
milliseconds. The head records each array's type, item size and length: a file written
by a machine with other sizes, cut short or grown, does not read back (None), and the
caller starts afresh, as it would with no file.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Sequence
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any, TypeVar

from sitegen.core.jsonbytes import json_bytes

T = TypeVar("T")

_WIDTH = 8  # bytes in the length of the JSON head


def pack(magic: bytes, head: dict[str, Any], arrays: Sequence[array | memoryview]) -> bytes:
    """`magic`, the head (with the arrays' shapes added) and the arrays' bytes (an array
    may be given as a memoryview of its items, cast to its type)."""
    shapes = [_shape(part) for part in arrays]
    encoded = json_bytes({**head, "arrays": shapes})
    return b"".join([magic, len(encoded).to_bytes(_WIDTH, "little"), encoded, *arrays])


def _shape(part: array | memoryview) -> list[str | int]:
    if isinstance(part, memoryview):
        return [part.format, part.itemsize, part.nbytes // part.itemsize]
    return [part.typecode, part.itemsize, len(part)]


def unpack(magic: bytes, data: bytes) -> tuple[dict[str, Any], list[array]] | None:
    """The head and arrays `pack` wrote, or None if `data` is not such a file, whole."""
    if not data.startswith(magic):
        return None
    start = len(magic) + _WIDTH
    size = int.from_bytes(data[len(magic):start], "little")
    try:
        head = json.loads(data[start:start + size].decode("utf-8", "surrogatepass"))
        shapes = [(str(code), int(width), int(count)) for code, width, count in head["arrays"]]
        if any(array(code).itemsize != width for code, width, _ in shapes):
            return None
    except (ValueError, KeyError, TypeError):
        return None
    ends = list(accumulate((width * count for _, width, count in shapes), initial=start + size))
    if ends[-1] != len(data):
        return None
    view = memoryview(data)
    return head, [_array(code, view[a:b]) for (code, _, _), (a, b)
                  in zip(shapes, pairwise(ends), strict=True)]


def _array(code: str, data: memoryview) -> array:
    made = array(code)
    made.frombytes(data)  # (from a view: the file's bytes are copied once, not twice)
    return made


def read(path: Path, magic: bytes, parse: Callable[[dict[str, Any], list[array]], T | None]
         ) -> T | None:
    """parse(head, arrays) of the file at `path`, or None if it is missing, not whole, or
    not what `parse` expects (None from it, or an error reading a part it lacks)."""
    try:
        found = unpack(magic, path.read_bytes())
        return None if found is None else parse(*found)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
