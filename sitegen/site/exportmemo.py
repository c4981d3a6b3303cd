"""Each paper's lines of the export files, kept beside the output for the next build.

Making every paper's JSON line, CSV row and BibTeX entry took about four seconds at
20,000 papers, in every build that changed any paper, though an edit changes one paper's
lines (and its BibTeX entry, the entries whose citation key it moves). A paper's lines
are a function of the paper, its citation key and the code: so they are kept by the
paper's digest (`paper_digest`, which the exports' key has made already), with the key
they were made under, and void when the code changes. The entries are spread over a few
files (`packed`) by their digest's first hex digit, so that one edited paper rewrites
one of them; entries no paper uses any more are dropped when their file is next written.
A file that does not read back whole, or was written by other code, is ignored, and its
lines made again. The preview's session reads the files and writes none (`write=False`):
its rebuilds take every unchanged paper's lines from them, from the first one on, even when
its start-up build took the export files whole from an earlier tree and made no lines.
"""

from __future__ import annotations

import contextlib
from array import array
from itertools import accumulate, pairwise
from pathlib import Path

from sitegen.core.model import Paper
from sitegen.site.codedigest import code_digest
from sitegen.site.export import PaperLines, paper_lines
from sitegen.site.output import write_atomic
from sitegen.site.packed import pack, read

MAGIC = b"sitegen export lines\n"
EXPORT_LINES = "exports"  # the folder's name in the build record
SHARDS = 16  # files the entries are spread over, by their digest's first hex digit
Kept = tuple[str, PaperLines]  # the citation key the lines were made under, and the lines


class ExportMemo:
    """Papers' export lines by the digest of the paper, in one folder."""

    def __init__(self, folder: Path, write: bool = True):
        self.folder, self.write = folder, write
        self.version = code_digest()
        self.shards: dict[str, dict[str, Kept]] = {}
        self.used: set[str] = set()
        self.changed: set[str] = set()

    def lines(self, paper: Paper, key: str, found: str) -> PaperLines:
        """The lines of the paper whose `paper_digest` is `found`, with the citation `key`:
        those kept, else made (and kept)."""
        self.used.add(found)
        shard = self._shard(found[0])
        kept = shard.get(found)
        if kept is not None and kept[0] == key:
            return kept[1]
        made = shard[found] = (key, paper_lines(paper, key))
        self.changed.add(found[0])
        return made[1]

    def save(self) -> None:
        """Write the files whose entries changed, keeping only the entries used (unless
        this memo writes none)."""
        if not self.write:
            return
        for name in sorted(self.changed | self._unused_shards()):
            kept = {d: entry for d, entry in self._shard(name).items() if d in self.used}
            with contextlib.suppress(OSError):  # a cache: the build goes on without it
                write_atomic(self.folder / f"{name}.bin", self._dump(kept))
        self.changed.clear()

    def _unused_shards(self) -> set[str]:
        return {name for name in self._names() if not self.used.issuperset(self._shard(name))}

    def _names(self) -> list[str]:
        return [f"{n:x}" for n in range(SHARDS)]

    def _shard(self, name: str) -> dict[str, Kept]:
        if name not in self.shards:
            self.shards[name] = self._load(self.folder / f"{name}.bin")
        return self.shards[name]

    def _dump(self, entries: dict[str, Kept]) -> bytes:
        parts = [part for _, lines in entries.values() for part in lines]
        head = {"version": self.version, "digests": list(entries),
                "keys": [key for key, _ in entries.values()]}
        return pack(MAGIC, head, [array("q", map(len, parts)), array("B", b"".join(parts))])

    def _load(self, path: Path) -> dict[str, Kept]:
        """A file's entries; none if it is missing, not whole or written by other code."""
        return read(path, MAGIC, self._current) or {}

    def _current(self, head: dict, arrays: list[array]) -> dict[str, Kept] | None:
        return _entries(head, arrays) if head.get("version") == self.version else None


def _entries(head: dict, arrays: list[array]) -> dict[str, Kept]:
    """The entries of a file's head and arrays (ValueError if they do not agree)."""
    digests, keys = head["digests"], head["keys"]
    sizes, data = arrays
    if (len(digests) != len(keys) or 3 * len(digests) != len(sizes)
            or sum(sizes) != len(data) or (sizes.typecode, data.typecode) != ("q", "B")):
        raise ValueError("the parts of the file do not agree")
    view = memoryview(data)
    parts = [view[a:b].tobytes() for a, b in pairwise(accumulate(sizes, initial=0))]
    lines = [(parts[k], parts[k + 1], parts[k + 2]) for k in range(0, len(parts), 3)]
    return {str(d): (str(key), made) for d, key, made in zip(digests, keys, lines, strict=True)}
