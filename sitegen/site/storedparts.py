"""What a kept file of search postings holds, read only where a build asks for it.

A build after one edit needs the postings of a few terms and the texts of a few papers,
but reading every term's arrays and every text back took longer than the rest of the
search data (0.38 s at 20,000 papers, and writing them again as long). So the file's
arrays stay as they were read, one block of numbers: `StoredParts` makes a term's arrays
when they are asked for, `StoredTexts` compares the texts as bytes and decodes only those
that differ, and `laid_out` writes the postings again by copying the blocks of terms that
did not change.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import accumulate, pairwise
from typing import TypeVar, overload

from sitegen.search.layered import Layered
from sitegen.search.update import KeptTexts, Texts

V = TypeVar("V")
ENCODING = ("utf-8", "surrogatepass")


class Block:
    """Many arrays of one type stored end to end: `lengths`, and their items in `values`
    (one shape in a file's head rather than one for each array, which took most of the
    time for the hundreds of thousands of a large catalogue's search postings)."""

    def __init__(self, lengths: array, values: array, typecode: str):
        if (lengths.typecode, values.typecode) != ("q", typecode):
            raise ValueError(f"not lengths and items of type {typecode}")
        self.lengths = lengths
        self.ends = list(accumulate(lengths, initial=0))
        if self.ends[-1] != len(values) or (lengths and min(lengths) < 0):
            raise ValueError("the lengths do not add up to the items")
        self.values = values
        self._view = memoryview(values)

    def part(self, k: int) -> array:
        """The k-th array (a copy: changing it leaves the block as it was)."""
        return self.values[self.ends[k]:self.ends[k + 1]]

    def raw(self, first: int, end: int) -> memoryview:
        """The items of the arrays first to end (not included), as they are stored."""
        return self._view[self.ends[first]:self.ends[end]]


class StoredParts(Mapping[str, V]):
    """Terms' entries of `width` consecutive arrays each, in `block` from array `first`
    on; `shape` makes an entry of its arrays."""

    def __init__(self, keys: list[str], block: Block, first: int, width: int,
                 shape: Callable[[list[array]], V]):
        self.names, self.block, self.first, self.width = keys, block, first, width
        self.position = {key: i for i, key in enumerate(keys)}
        self._shape = shape
        if len(self.position) != len(keys) or first + width * len(keys) > len(block.lengths):
            raise ValueError("not the entries of distinct terms within the block")

    @property
    def end(self) -> int:
        """The array after the last of these entries."""
        return self.first + self.width * len(self.names)

    def __getitem__(self, key: str) -> V:
        k = self.first + self.width * self.position[key]
        return self._shape([self.block.part(k + i) for i in range(self.width)])

    def __contains__(self, key: object) -> bool:
        return key in self.position

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)


class Laid:
    """Entries as a kept file lays them out: their keys, their arrays' lengths, their
    arrays' items (in blocks: runs of stored entries as they were, and the items of the
    entries added between them, gathered in one array each)."""

    def __init__(self, typecode: str) -> None:
        self.keys: list[str] = []
        self.lengths = array("q")
        self._added = array(typecode)  # the items of the entries added since the last block
        self.chunks: list[memoryview | array] = [self._added]

    def add(self, key: str, parts: Sequence[array]) -> None:
        self.keys.append(key)
        self.lengths.extend(map(len, parts))
        for part in parts:
            self._added.extend(part)

    def copy(self, stored: StoredParts, start: int, stop: int) -> None:
        """The stored entries start to stop (not included), as they were stored."""
        if start >= stop:
            return
        first, last = (stored.first + stored.width * at for at in (start, stop))
        self.keys.extend(stored.names[start:stop])
        self.lengths.extend(stored.block.lengths[first:last])
        self._added = array(self._added.typecode)
        self.chunks += [stored.block.raw(first, last), self._added]

    def items(self) -> bytes:
        """Every entry's items, end to end."""
        return b"".join(self.chunks)


def laid_out(found: Mapping[str, V], parts: Callable[[V], Sequence[array]], into: Laid) -> None:
    """`found`'s entries added to `into`, in its order: where it is stored entries with a
    few changed over them, the unchanged ones are copied a block at a time."""
    stored, own, removed = _layers(found)
    if stored is None:
        for key, value in found.items():
            into.add(key, parts(value))
        return
    at = 0
    for position, key in sorted((stored.position[key], key) for key in own.keys() | removed
                                if key in stored.position):
        into.copy(stored, at, position)
        if key in own:
            into.add(key, parts(own[key]))
        at = position + 1
    into.copy(stored, at, len(stored.names))
    for key, value in own.items():
        if key not in stored.position:
            into.add(key, parts(value))


def _layers(found: Mapping[str, V]) -> tuple[StoredParts | None, dict[str, V], set[str]]:
    """The stored entries `found` is (or is over), with what is set and removed over them."""
    if isinstance(found, StoredParts):
        return found, {}, set()
    if isinstance(found, Layered) and isinstance(found.base, StoredParts):
        return found.base, found.own, found.removed
    return None, {}, set()


class StoredTexts(KeptTexts):
    """Documents' texts, `width` each: each document's texts joined, as UTF-8 bytes end
    to end (`sizes`: each document's bytes), with each text's length in characters."""

    def __init__(self, sizes: array, lengths: array, data: array, width: int):
        self.ends = list(accumulate(sizes, initial=0))
        self.lengths = lengths.tolist()
        if (self.ends[-1] != len(data) or len(lengths) != width * len(sizes)
                or (sizes and min(sizes) < 0) or (lengths and min(lengths) < 0)):
            raise ValueError("the texts' sizes do not add up to their bytes")
        self._view, self.width = memoryview(data), width

    def __len__(self) -> int:
        return len(self.ends) - 1

    @overload
    def __getitem__(self, doc: int) -> Texts: ...

    @overload
    def __getitem__(self, doc: slice) -> list[Texts]: ...

    def __getitem__(self, doc: int | slice) -> Texts | list[Texts]:
        if isinstance(doc, slice):
            return [self[at] for at in range(*doc.indices(len(self)))]
        if not -len(self) <= doc < len(self):
            raise IndexError(doc)
        doc %= len(self)
        joined = str(self._view[self.ends[doc]:self.ends[doc + 1]], *ENCODING)
        ends = accumulate(self.lengths[doc * self.width:(doc + 1) * self.width], initial=0)
        return tuple(joined[a:b] for a, b in pairwise(ends))

    def differing(self, texts: list[Texts]) -> list[int]:
        view, ends, lengths, width = self._view, self.ends, self.lengths, self.width
        return [doc for doc, now in enumerate(texts)
                if view[ends[doc]:ends[doc + 1]] != "".join(now).encode(*ENCODING)
                or lengths[doc * width:(doc + 1) * width] != list(map(len, now))]


def texts_laid_out(texts: Sequence[Texts]) -> tuple[array, array, array]:
    """What `StoredTexts` reads: each document's size, each text's length, the bytes."""
    encoded = ["".join(now).encode(*ENCODING) for now in texts]
    lengths = array("q", (len(text) for now in texts for text in now))
    return array("q", map(len, encoded)), lengths, array("B", b"".join(encoded))
