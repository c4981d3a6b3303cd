"""The papers' items as list pages show them, rendered by the last builds and kept beside
the output for the next one.

An edit to one paper changes the list pages that show it (its topics', its families',
the home page), and each of those is rendered again whole: thousands of items at 20,000
papers, of which one changed. The preview's session keeps its rendered items in memory
(`reads.KeptRenders`); `sitegen build` starts afresh each time, so it keeps them here.

An item's rendering is a function of the item and of what rendering it read (templates,
settings, asset versions: see `reads`). So each is kept by the item's digest, with the
reads it made and a digest of their values then, and taken again only while every read
has the same value in the build asking. The entries are spread over a few files
(`packed`) by their digest's first hex digit; a file is written again only when a build
rendered an item it lacked, keeping the entries of the items that build showed. A file
that does not read back whole, or was written by other code, is ignored, and its items
rendered again. Two processes rendering pages may both write a file: each writes it
under a lock on the folder, merged with what the other wrote meanwhile.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from array import array
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from pathlib import Path
from typing import Any

from markupsafe import Markup

from sitegen.site.codedigest import code_digest
from sitegen.site.digest import digest
from sitegen.site.output import write_atomic
from sitegen.site.packed import pack, read
from sitegen.site.reads import Read, ReadValues, as_read, recording

MAGIC = b"sitegen item renders\n"
ITEM_RENDERS = "items"  # the folder's name in the build record
SHARDS = 16  # files the entries are spread over, by their digest's first hex digit


@dataclass(frozen=True)
class Kept:
    """An item's rendering, the reads it made ("kind\\0name", sorted) and their values'
    digest when it was made."""

    reads: tuple[str, ...]
    values: str
    text: str


class ItemMemo:
    """Rendered items by the digest of the item, in one folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.version = code_digest()
        self.shards: dict[str, dict[str, Kept]] = {}
        self.changed: set[str] = set()

    def for_build(self, values: ReadValues) -> ItemRenders:
        return ItemRenders(self, values)

    def get(self, item_digest: str) -> Kept | None:
        return self._shard(item_digest[0]).get(item_digest)

    def put(self, item_digest: str, kept: Kept) -> None:
        self._shard(item_digest[0])[item_digest] = kept
        self.changed.add(item_digest[0])

    def save(self, shown: Callable[[], Collection[str]]) -> None:
        """Write the files that gained an entry, with the entries another process wrote
        into them meanwhile, keeping those of the items `shown()` (the digests of this
        build's items)."""
        names, self.changed = sorted(self.changed), set()
        if not names:
            return
        digests = shown()
        with contextlib.suppress(OSError), _locked(self.folder):  # a cache: builds go on
            for name in names:
                path = self.folder / f"{name}.bin"
                entries = {**(read(path, MAGIC, self._current) or {}), **self._shard(name)}
                write_atomic(path, self._dump({d: entry for d, entry in entries.items()
                                               if d in digests}))

    def _shard(self, name: str) -> dict[str, Kept]:
        if name not in self.shards:
            self.shards[name] = read(self.folder / f"{name}.bin", MAGIC, self._current) or {}
        return self.shards[name]

    def _dump(self, entries: dict[str, Kept]) -> bytes:
        sets = sorted({entry.reads for entry in entries.values()})
        number = {reads: n for n, reads in enumerate(sets)}
        texts = [entry.text.encode("utf-8", "surrogatepass") for entry in entries.values()]
        head = {"version": self.version, "digests": list(entries), "sets": sets,
                "set": [number[entry.reads] for entry in entries.values()],
                "values": [entry.values for entry in entries.values()]}
        return pack(MAGIC, head, [array("q", map(len, texts)), array("B", b"".join(texts))])

    def _current(self, head: dict[str, Any], arrays: list[array]) -> dict[str, Kept] | None:
        return _entries(head, arrays) if head.get("version") == self.version else None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """The folder made if need be, and locked while the caller writes into it: the other
    process that renders pages waits."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # (the lock goes with it)


def _entries(head: dict[str, Any], arrays: list[array]) -> dict[str, Kept]:
    """The entries of a file's head and arrays (ValueError if they do not agree)."""
    digests, chosen, values = head["digests"], head["set"], head["values"]
    sets = [tuple(str(read) for read in reads) for reads in head["sets"]]
    sizes, data = arrays
    if (not len(digests) == len(chosen) == len(values) == len(sizes)
            or sum(sizes) != len(data) or (sizes.typecode, data.typecode) != ("q", "B")):
        raise ValueError("the parts of the file do not agree")
    view = memoryview(data)
    texts = [view[a:b].tobytes().decode("utf-8", "surrogatepass")
             for a, b in pairwise(accumulate(sizes, initial=0))]
    return {str(d): Kept(sets[n], str(v), text)
            for d, n, v, text in zip(digests, chosen, values, texts, strict=True)}


@dataclass(frozen=True)
class ItemRenders:
    """The kept items as one build sees them, with the values of its reads: the same
    calls as `reads.BuildRenders` make. An item shown on several pages is looked up once."""

    memo: ItemMemo
    values: ReadValues
    taken: dict[str, tuple[Markup, frozenset[Read]]] = field(default_factory=dict)
    digests: dict[tuple[str, ...], str] = field(default_factory=dict)  # reads -> values'

    def kept(self, arg: object) -> tuple[Markup, frozenset[Read]] | None:
        """The item as kept, if it was and what its rendering read is unchanged."""
        return self._kept(digest(arg))

    def made(self, make: Callable[[Any], Markup], arg: object) -> tuple[Markup, frozenset[Read]]:
        item_digest = digest(arg)
        found = self.taken.get(item_digest)
        if found is None:
            found = self.taken[item_digest] = self._kept(item_digest) or self._make(
                make, arg, item_digest)
        return found

    def save(self, shown: Callable[[], Collection[str]]) -> None:
        self.memo.save(shown)

    def _kept(self, item_digest: str) -> tuple[Markup, frozenset[Read]] | None:
        kept = self.memo.get(item_digest)
        if kept is None or self._values(kept.reads) != kept.values:
            return None
        return Markup(kept.text), frozenset(as_read(read) for read in kept.reads)

    def _make(self, make: Callable[[Any], Markup], arg: object,
              item_digest: str) -> tuple[Markup, frozenset[Read]]:
        with recording() as reads:
            value = make(arg)
        names = tuple(sorted(f"{kind}\0{name}" for kind, name in reads))
        self.memo.put(item_digest, Kept(names, self._values(names), str(value)))
        return value, frozenset(reads)

    def _values(self, reads: tuple[str, ...]) -> str:
        """A digest of the value each read has in this build."""
        found = self.digests.get(reads)
        if found is None:
            found = self.digests[reads] = digest([self.values(as_read(r)) for r in reads])
        return found
