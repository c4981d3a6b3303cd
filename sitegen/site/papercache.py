"""Paper files parsed once: what each file's bytes gave, kept beside the output.

Parsing and validating a paper file takes about half a millisecond, so loading
20,000 of them took seconds in every build. Reading their bytes takes a twentieth
of that. A parse is a function of the bytes and of the name its problems give the
file, and of the code that parses: so the cache is addressed by a digest of those
bytes and that name, and it is void when the parsing code changes. A hit gives the
same paper and the very problems parsing would (a cache never hides an error);
files that cannot be read are never cached. A file whose identity (device, inode,
mode, size and times) is what it was when a build read it is not read again: its key
is the one that build saved.

An entry also holds the paper's digest (`site.digest`), made from the paper as a hit
gives it: a build then remembers it rather than pickling every paper again to key its
page. And it holds a few values made from the paper alone that every build asks of
every paper (`FACTS`: its citation key's base, the label fields a person decided, what
the search data's fingerprint takes from it, the acronyms it defines, the digest of the
text its related papers are found by),
which a build's memo then learns (`perpaper.learn`) rather than making them again.

The entries are JSON, spread over a few files so that one edited paper rewrites one
of them. Entries are facts about bytes, so builds racing over the same cache can
only leave true ones; entries no file uses any more are dropped when their file is
next written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from sitegen.catalogue.load import PaperRead, parsed
from sitegen.catalogue.paperfields import from_dict, to_dict
from sitegen.catalogue.provenance import fields_decided
from sitegen.catalogue.store import read_paper_text
from sitegen.core.jsonbytes import json_bytes, json_value
from sitegen.core.model import LABEL_FIELDS, Paper, Problem
from sitegen.core.parallel import split_map
from sitegen.core.perpaper import learn
from sitegen.search.acronyms import paper_definitions
from sitegen.search.fingerprint import paper_fingerprint
from sitegen.site.bibtex import key_base
from sitegen.site.codedigest import code_digest
from sitegen.site.digest import digest, remember
from sitegen.site.output import write_atomic
from sitegen.site.relatedterms import text_digest
from sitegen.site.uptodate import file_state

SHARDS = 16  # files the entries are spread over, by their key's first hex digit
FILES = "files.json"  # the identity of each file read, with its entry's key
Identity = tuple[int, ...]
Entry = list  # [paper as its file holds it, or None; its values' lines, or None; problems;
#                the paper's digest, or None; its FACTS' values, or None]
# Values made from a paper alone (`per_paper` functions, with their other arguments) kept
# in its entry, each with what makes its JSON value the value again
FACTS: tuple[tuple[Callable[..., Any], tuple, Callable[[Any], Any]], ...] = (
    (key_base, (), str),
    (fields_decided, (LABEL_FIELDS,), tuple),
    (paper_fingerprint, (), str),
    (paper_definitions, (), lambda pairs: tuple(map(tuple, pairs))),
    (text_digest, (), int))


class PaperCache:
    """Parsed paper files by the digest of their bytes, in one folder."""

    def __init__(self, folder: Path, seen: Mapping[str, Identity] | None = None):
        """`seen`: the identity of files taken earlier in the build, by path (`Stamp.seen`),
        taken as is rather than again."""
        self.folder = folder
        self.taken = seen or {}
        self.version = code_digest("catalogue", "core", "schemas", "site/digest.py",
                                   "site/papercache.py", "site/bibtex.py",
                                   "search/fingerprint.py", "search/acronyms.py",
                                   "site/relatedterms.py")  # the parse,
        # digests, facts and entries
        self.shards: dict[str, dict[str, Entry]] = {}
        self.used: set[str] = set()
        self.changed: set[str] = set()
        self.known: dict[str, list] | None = None  # as the last build saved them
        self.seen: dict[str, list] = {}  # by this build: as `known`

    def read_papers(self, items: list[tuple[Path, str]], parallel: bool = False
                    ) -> list[PaperRead]:
        """Every paper file read as `load_catalogue` reads it, parsing only the files whose
        bytes the cache has not seen, and reading only those whose identity it has not
        (shared with a forked process, `parallel`: see `_look`)."""
        known = self._files()
        states = [self.taken.get(str(path)) or identity(path)  # taken before reading
                  for path, _ in items]
        keys = [_unchanged(known.get(shown), now)
                for (_, shown), now in zip(items, states, strict=True)]
        entries = [self._get(key) if key else None for key in keys]
        reads: list[PaperRead | None] = [
            None if entry is None else _remembered(_decoded(entry), entry) for entry in entries]
        unseen = [i for i, entry in enumerate(entries) if entry is None]
        if unseen and parallel:  # every entry loaded before forking, not by each process
            for shard in range(SHARDS):
                self._shard(f"{shard:x}")
        looked = split_map(self._look, [items[i] for i in unseen], parallel)
        for i, found in zip(unseen, looked, strict=True):
            if isinstance(found, Problem):  # an unreadable file: not seen
                reads[i] = (None, None, [found])
                continue
            keys[i], entry, read = found
            self.used.add(keys[i])
            if read is None:
                read = _decoded(entry)
            else:
                self._put(keys[i], entry)
            reads[i] = _remembered(read, entry)
        for (_, shown), now, key in zip(items, states, keys, strict=True):
            if now is not None and key:
                self.seen[shown] = [*now, key]
        return [read for read in reads if read is not None]  # every one is read by now

    def _look(self, item: tuple[Path, str]) -> Problem | tuple[str, Entry, PaperRead | None]:
        """A file not seen as it is, read: its problem if it cannot be; else the key of its
        bytes, with the entry the cache holds for them, or the entry and the read its parse
        gives. Reading, digesting and parsing are most of a cold build's loading: a forked
        process takes half of the files, and this one adds what both found to the cache."""
        path, shown = item
        text = read_paper_text(path, shown)
        if isinstance(text, Problem):
            return text
        key = _key(text, shown)
        entry = self._shard(key[0]).get(key)
        if entry is not None:
            return key, entry, None
        read, entry = _parse((text, shown))
        return key, entry, read

    def keep(self, names: Iterable[str]) -> None:
        """Keep the entries of these files (by the names their problems give them), which
        the caller read through a cache before and knows unchanged (the preview's session,
        which has only the files saved since read): saving then drops none of them."""
        known = self._files()
        for name in names:
            if name in known:
                self.used.add(known[name][-1])

    def save(self) -> None:
        """Write the files whose entries changed, keeping only the entries used, and the
        identities of the files read."""
        files = {name: seen for name, seen in {**self._files(), **self.seen}.items()
                 if seen[-1] in self.used}  # those whose entries are kept
        if files != self._files():
            write_atomic(self.folder / FILES,
                         json_bytes({"version": self.version, "files": files}))
        for shard in sorted(self.changed | self._unused_shards()):
            kept = {key: entry for key, entry in self._shard(shard).items() if key in self.used}
            data = {"version": self.version, "entries": kept}
            write_atomic(self.folder / f"{shard}.json", json_bytes(data))
        self.changed.clear()

    def _unused_shards(self) -> set[str]:
        return {shard for shard in (f"{n:x}" for n in range(SHARDS))
                if any(key not in self.used for key in self._shard(shard))}

    def _files(self) -> dict[str, list]:
        """The identity of each file the last build read, with its entry's key."""
        if self.known is None:
            self.known = self._load(self.folder / FILES, "files")
        return self.known

    def _get(self, key: str) -> Entry | None:
        self.used.add(key)
        return self._shard(key[0]).get(key)

    def _put(self, key: str, entry: Entry) -> None:
        self._shard(key[0])[key] = entry
        self.changed.add(key[0])

    def _shard(self, name: str) -> dict[str, Entry]:
        if name not in self.shards:
            self.shards[name] = self._load(self.folder / f"{name}.json", "entries")
        return self.shards[name]

    def _load(self, path: Path, name: str) -> dict[str, list]:
        """A file's `name` mapping; none if it is missing, unreadable or written by other
        code."""
        try:
            data = json_value(path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("version") != self.version:
            return {}
        found = data.get(name)
        return found if isinstance(found, dict) else {}


def identity(path: Path) -> Identity | None:
    """What tells this file's state apart from any other, as `uptodate` judges it (no
    copying tool can set the change time back); None if there is none at `path`. A link
    has its own: the file is then read, and refused, as before."""
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return file_state(status)


def _unchanged(known: list | None, now: Identity | None) -> str:
    """The key of the entry the file had, if its identity is what it was then; else ""."""
    if known is None or now is None or tuple(known[:-1]) != now:
        return ""
    return known[-1]


def _key(text: bytes, shown: str) -> str:
    digest = hashlib.sha256(text)
    digest.update(b"\0" + shown.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _parse(item: tuple[bytes, str]) -> tuple[PaperRead, Entry]:
    """A file parsed, as a later build will read it from the cache (strings as plain `str`,
    not YAML's marked ones): the page contexts, and so their digests, come out the same."""
    entry = _encoded(parsed(*item))
    read = _decoded(entry)
    paper = read[0]
    return read, [*entry, None if paper is None else digest(paper),
                  None if paper is None else _facts(paper)]


def _facts(paper: Paper) -> list:
    return [make(paper, *args) for make, args, _ in FACTS]


def _encoded(read: PaperRead) -> Entry:
    paper, lines, problems = read
    return [None if paper is None else to_dict(paper),
            None if lines is None else [[list(path), line] for path, line in lines.items()],
            [dataclasses.asdict(problem) for problem in problems]]


def _decoded(entry: Entry) -> PaperRead:
    paper, lines, problems = entry[:3]
    return (None if paper is None else from_dict(paper),
            None if lines is None else {tuple(path): line for path, line in lines},
            [Problem(**problem) for problem in problems])


def _remembered(read: PaperRead, entry: Entry) -> PaperRead:
    """The read, its paper's digest remembered (a paper read in a forked process is a copy,
    made in this one), and its facts learnt."""
    paper = read[0]
    if paper is not None:
        remember(paper, entry[3])
        for (make, args, decode), value in zip(FACTS, entry[4], strict=True):
            learn(make, paper, args, decode(value))
    return read
