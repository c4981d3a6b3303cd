"""The search postings of the last build, kept for the next one to bring up to date.

Counting the postings of every paper is most of the search data's cost (seconds at 20,000
papers); bringing the last ones up to date for a few edited papers takes milliseconds
(`search.update`). The preview's session keeps them in memory; `sitegen build` keeps them
beside the output, in the build record, as one file (`packed`): a JSON head (the terms,
each field's in the order of its entries) and arrays: every entry's arrays end to end with
their lengths, the texts they were counted from as UTF-8 bytes end to end with their
sizes, what `search_plan` measured (the terms' order on the page, each entry's size)
and the documents' field lengths. It is read back lazily and written again by copying
what did not change (`storedparts`). The
file is a fact about texts, true whichever build wrote it, and written whole
(`write_atomic`); one that does not read back whole, or was written by other code, is
ignored, and the postings are counted afresh.
"""

from __future__ import annotations

import contextlib
import itertools
from array import array
from pathlib import Path

from sitegen.search.postings import FIELDS, Postings
from sitegen.search.termorder import TermOrder
from sitegen.search.update import Counted
from sitegen.site.codedigest import code_digest
from sitegen.site.output import write_atomic
from sitegen.site.packed import pack, read
from sitegen.site.storedparts import (
    Block,
    Laid,
    StoredParts,
    StoredTexts,
    laid_out,
    texts_laid_out,
)

MAGIC = b"sitegen search postings 2\n"
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


def dump(counted: Counted) -> bytes:
    postings, laid = counted.postings, Laid("i")
    for field in postings.fields:
        laid_out(field, tuple, laid)
    for places in postings.positions:
        laid_out(places, _as_parts, laid)
    keys = iter(laid.keys)
    values = memoryview(laid.items()).cast("i")
    head = {"version": _version(), "model_names": list(counted.model_names),
            "terms": postings.terms,
            "fields": [list(itertools.islice(keys, len(field))) for field in postings.fields],
            "positions": [list(itertools.islice(keys, len(places)))
                          for places in postings.positions],
            "digests": [[*run, digest] for run, digest in counted.digests.items()]}
    return pack(MAGIC, head, [laid.lengths, values, *texts_laid_out(counted.texts),
                              *_plan_facts(counted), *postings.lengths])


def _as_parts(runs: array) -> tuple[array]:
    return (runs,)


def _plan_facts(counted: Counted) -> tuple[array, array]:
    """What `search_plan` measured of the postings, for the next plan to take: the terms'
    order on the page (as numbers of `terms`) and each entry's size, in that order; none
    if it measured them for other terms."""
    terms = counted.postings.terms
    if not counted.ordered or counted.ordered[0].terms != terms:
        return array("i"), array("q")
    order = counted.ordered[0]
    number = {term: i for i, term in enumerate(terms)}
    return array("i", (number[term] for term in order.names)), array("q", order.sizes.tolist())


def load(path: Path) -> Counted | None:
    """The postings kept in `path`, or None if there are none that this code can use."""
    return read(path, MAGIC, _parsed)


def _parsed(head: dict, arrays: list[array]) -> Counted | None:
    if head["version"] != _version() or len(arrays) != 7 + len(FIELDS):
        return None
    fields, positions = _stored(head, Block(arrays[0], arrays[1], "i"))
    terms, lengths = list(head["terms"]), arrays[7:]
    texts = StoredTexts(arrays[2], arrays[3], arrays[4], len(FIELDS))
    if len(texts) != len(lengths[0]) or len(fields) != len(FIELDS):
        return None
    digests = {(str(first), str(last), int(count)): str(digest)
               for first, last, count, digest in head["digests"]}
    order, sizes = arrays[5], arrays[6]
    if len(order) != len(sizes):
        return None
    return Counted(Postings(terms, fields, positions, lengths), texts,
                   tuple(head["model_names"]), None, digests,
                   [TermOrder.of(terms, [terms[i] for i in order], sizes)] if order else [])


def _stored(head: dict, block: Block) -> tuple[list[StoredParts], list[StoredParts]]:
    """The fields' and the positions' entries, as `dump` laid them out in `block`."""
    at = 0
    fields: list[StoredParts] = []
    for keys in head["fields"]:
        fields.append(StoredParts(keys, block, at, 2, tuple))
        at = fields[-1].end
    positions: list[StoredParts] = []
    for keys in head["positions"]:
        positions.append(StoredParts(keys, block, at, 1, _single))
        at = positions[-1].end
    if at != len(block.lengths):
        raise ValueError("arrays left over")
    return fields, positions


def _single(parts: list[array]) -> array:
    return parts[0]
