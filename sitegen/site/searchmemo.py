"""The search postings of the last build, kept for the next one to bring up to date.

Counting the postings of every paper is most of the search data's cost (seconds at 20,000
papers); bringing the last ones up to date for a few edited papers takes milliseconds
(`search.update`). The preview's session keeps them in memory; `sitegen build` keeps them
beside the output, in the build record, as one file (`packed`): a JSON head (the texts
they were counted from and the terms) and the arrays' bytes, `joined`. The
file is a fact about texts, true whichever build wrote it, and written whole
(`write_atomic`); one that does not read back whole, or was written by other code, is
ignored, and the postings are counted afresh.
"""

from __future__ import annotations

import contextlib
from array import array
from pathlib import Path

from sitegen.search.postings import Postings
from sitegen.search.update import Counted
from sitegen.site.codedigest import code_digest
from sitegen.site.output import write_atomic
from sitegen.site.packed import joined, pack, read, split

MAGIC = b"sitegen search postings\n"
SEARCH_POSTINGS = "search-postings.bin"  # its name in the build record


class SearchMemo:
    """The last postings counted, in memory and, when `path` is given, in that file."""

    def __init__(self, path: Path | None = None, write: bool = True):
        self.path = path
        self.write = write and path is not None
        self.last: Counted | None = None

    def earlier(self) -> Counted | None:
        """The postings to start from: the last kept, else those of the file, if any."""
        if self.last is None and self.path is not None:
            self.last = load(self.path)
        return self.last

    def keep(self, counted: Counted) -> None:
        """Keep these postings (in the file too, unless they are those kept already)."""
        unchanged = counted is self.last or counted.touched == frozenset()
        self.last = counted
        if unchanged:  # the same postings as those it was read or brought up from
            return
        if self.write and self.path is not None:
            with contextlib.suppress(OSError):  # a cache: the build goes on without it
                write_atomic(self.path, dump(counted))


def _version() -> str:
    return code_digest("search")


def _arrays(postings: Postings) -> list[array]:
    """Every array of the postings, in the order the head lists them."""
    found = [part for field in postings.fields for entry in field.values() for part in entry]
    found += [runs for places in postings.positions for runs in places.values()]
    return found + postings.lengths


def dump(counted: Counted) -> bytes:
    postings = counted.postings
    head = {"version": _version(), "model_names": list(counted.model_names),
            "texts": counted.texts, "terms": postings.terms,
            "fields": [list(field) for field in postings.fields],
            "positions": [list(places) for places in postings.positions],
            "digests": [[*run, digest] for run, digest in counted.digests.items()]}
    return pack(MAGIC, head, joined(_arrays(postings), "i"))


def load(path: Path) -> Counted | None:
    """The postings kept in `path`, or None if there are none that this code can use."""
    return read(path, MAGIC, _parsed)


def _parsed(head: dict, arrays: list[array]) -> Counted | None:
    if head["version"] != _version():
        return None
    parts = iter(split(arrays, "i"))
    fields = [{term: (next(parts), next(parts)) for term in terms} for terms in head["fields"]]
    positions = [{term: next(parts) for term in terms} for terms in head["positions"]]
    lengths = [next(parts) for _ in fields]
    if next(parts, None) is not None:
        return None
    postings = Postings(list(head["terms"]), fields, positions, lengths)
    texts = [tuple(map(str, texts)) for texts in head["texts"]]
    digests = {(str(first), str(last), int(count)): str(digest)
               for first, last, count, digest in head["digests"]}
    return Counted(postings, texts, tuple(head["model_names"]), None, digests)
