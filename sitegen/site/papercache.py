"""Paper files parsed once: what each file's bytes gave, kept beside the output.

Parsing and validating a paper file takes about half a millisecond, so loading
20,000 of them took seconds in every build. Reading their bytes takes a twentieth
of that. A parse is a function of the bytes and of the name its problems give the
file, and of the code that parses: so the cache is addressed by a digest of those
bytes and that name, and it is void when the parsing code changes. A hit gives the
same paper and the very problems parsing would (a cache never hides an error);
files that cannot be read are never cached.

The entries are JSON, spread over a few files so that one edited paper rewrites one
of them. Entries are facts about bytes, so builds racing over the same cache can
only leave true ones; entries no file uses any more are dropped when their file is
next written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from sitegen.catalogue.load import PaperRead, parsed
from sitegen.catalogue.paperfields import from_dict, to_dict
from sitegen.catalogue.store import read_paper_text
from sitegen.core.model import Problem
from sitegen.core.parallel import split_map
from sitegen.site.codedigest import code_digest
from sitegen.site.output import write_atomic

SHARDS = 16  # files the entries are spread over, by their key's first hex digit
Entry = list  # [paper as its file holds it, or None; its values' lines, or None; problems]


class PaperCache:
    """Parsed paper files by the digest of their bytes, in one folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.version = code_digest("catalogue", "core", "schemas")
        self.shards: dict[str, dict[str, Entry]] = {}
        self.used: set[str] = set()
        self.changed: set[str] = set()

    def read_papers(self, items: list[tuple[Path, str]], parallel: bool = False
                    ) -> list[PaperRead]:
        """Every paper file read as `load_catalogue` reads it, parsing only the files whose
        bytes the cache has not seen."""
        reads: list[PaperRead | None] = []
        misses: list[tuple[int, str, bytes, str]] = []  # (index, key, bytes, name shown)
        for i, (path, shown) in enumerate(items):
            text = read_paper_text(path, shown)
            if isinstance(text, Problem):
                reads.append((None, None, [text]))
                continue
            key = _key(text, shown)
            entry = self._get(key)
            reads.append(None if entry is None else _decoded(entry))
            if entry is None:
                misses.append((i, key, text, shown))
        made = split_map(_parse, [(text, shown) for _, _, text, shown in misses], parallel)
        for (i, key, _, _), (read, entry) in zip(misses, made, strict=True):
            self._put(key, entry)
            reads[i] = read
        return [read for read in reads if read is not None]  # every one is read by now

    def save(self) -> None:
        """Write the files whose entries changed, keeping only the entries used."""
        for shard in sorted(self.changed | self._unused_shards()):
            kept = {key: entry for key, entry in self._shard(shard).items() if key in self.used}
            data = {"version": self.version, "entries": kept}
            write_atomic(self.folder / f"{shard}.json",
                         json.dumps(data).encode("ascii"))
        self.changed.clear()

    def _unused_shards(self) -> set[str]:
        return {shard for shard in (f"{n:x}" for n in range(SHARDS))
                if any(key not in self.used for key in self._shard(shard))}

    def _get(self, key: str) -> Entry | None:
        self.used.add(key)
        return self._shard(key[0]).get(key)

    def _put(self, key: str, entry: Entry) -> None:
        self._shard(key[0])[key] = entry
        self.changed.add(key[0])

    def _shard(self, name: str) -> dict[str, Entry]:
        if name not in self.shards:
            self.shards[name] = self._load(self.folder / f"{name}.json")
        return self.shards[name]

    def _load(self, path: Path) -> dict[str, Entry]:
        """A file's entries; none if it is missing, unreadable or written by other code."""
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}


def _key(text: bytes, shown: str) -> str:
    digest = hashlib.sha256(text)
    digest.update(b"\0" + shown.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _parse(item: tuple[bytes, str]) -> tuple[PaperRead, Entry]:
    """A file parsed, as a later build will read it from the cache (strings as plain `str`,
    not YAML's marked ones): the page contexts, and so their digests, come out the same."""
    entry = _encoded(parsed(*item))
    return _decoded(entry), entry


def _encoded(read: PaperRead) -> Entry:
    paper, lines, problems = read
    return [None if paper is None else to_dict(paper),
            None if lines is None else [[list(path), line] for path, line in lines.items()],
            [dataclasses.asdict(problem) for problem in problems]]


def _decoded(entry: Entry) -> PaperRead:
    paper, lines, problems = entry
    return (None if paper is None else from_dict(paper),
            None if lines is None else {tuple(path): line for path, line in lines},
            [Problem(**problem) for problem in problems])
