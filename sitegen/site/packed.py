"""One file holding a JSON head and numeric arrays: the format of what a build keeps
beside its output for the next one (`searchmemo`, `relatedmemo`, `exportmemo`); many
arrays of one type are best `joined` into two.

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

T = TypeVar("T")

_WIDTH = 8  # bytes in the length of the JSON head


def pack(magic: bytes, head: dict[str, Any], arrays: Sequence[array | memoryview]) -> bytes:
    """`magic`, the head (with the arrays' shapes added) and the arrays' bytes (an array
    may be given as a memoryview of its items, cast to its type)."""
    shapes = [_shape(part) for part in arrays]
    data = json.dumps({**head, "arrays": shapes}, ensure_ascii=False)
    encoded = data.encode("utf-8", "surrogatepass")
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


def joined(parts: list[array], typecode: str) -> list[array]:
    """Many arrays of one type as two: their lengths, then all their items in order (one
    shape in the head rather than one for each, which took most of the time for the
    hundreds of thousands of a large catalogue's search postings). `split` parts them."""
    values = array(typecode)
    for part in parts:
        values.extend(part)
    return [array("q", map(len, parts)), values]


def split(arrays: list[array], typecode: str) -> list[array]:
    """The arrays `joined` joined (ValueError if these are not such a pair, whole)."""
    if len(arrays) != 2 or (arrays[0].typecode, arrays[1].typecode) != ("q", typecode):
        raise ValueError("not the arrays of one type joined")
    sizes, values = arrays
    ends = list(accumulate(sizes, initial=0))
    if ends[-1] != len(values) or any(size < 0 for size in sizes):
        raise ValueError("the lengths do not add up to the items")
    return [values[a:b] for a, b in pairwise(ends)]
