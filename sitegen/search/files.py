"""The files the search page loads, and the fingerprint that versions their URLs.

The data ships split, so that a page loads little however large the catalogue is:
`search/index.json`, loaded with the page, holds what results show, each document's field
lengths, the sorted vocabulary and where each shard starts; `search/shards/<digest>.json`
hold the postings (counts) of runs of consecutive terms, with their positions in titles and
abstracts (for quoted phrases, joined names and words that stand together), fetched the
first time a query needs one of them; the page scores them as lunr.js's Builder would.

Where a shard ends depends only on the terms around it (see `boundaries`), and a shard
holds only its own terms' counts, so an edited paper changes the shards of its own terms
and no other: a build makes again only those (`search_plan` gives each shard a key).
Both layouts are documented in sitegen/schemas/search-index.schema.json and
search-shard.schema.json, which the tests hold this module's output to; search-index.js and
search-page.js read them by name.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import sys
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.jsonbytes import json_bytes
from sitegen.core.model import Paper
from sitegen.core.perpaper import columns_of, per_paper
from sitegen.search.acronyms import long_forms
from sitegen.search.analysis import analyzer_for
from sitegen.search.boundaries import shard_starts
from sitegen.search.postings import (
    FIELDS,
    K1,
    LUNR_VERSION,
    POSITIONED,
    B,
    Postings,
)
from sitegen.search.termorder import positions_of, term_order
from sitegen.search.update import Counted, counted

# The layout of search/index.json and its shards. Raise it with any change the page must
# know of, together with FORMAT in search-index.js, which refuses data of another layout.
FORMAT = 6
SHARD_BYTES = 48_000  # postings per shard file (raw JSON), before gzip, on average


def _term_entry(name: str, postings: Postings) -> list[list[int]]:
    """One term's postings, per field: [doc gap, count, doc gap, count, ...]; then its
    positions, per field of POSITIONED: [count, first, gap, ..., count, first, ...], one run
    for each document of that field's postings."""
    parts: list[list[int]] = []
    for found in postings.fields:
        entry = found.get(name)
        if entry is None:
            parts.append([])
            continue
        docs, counts = entry
        flat = [0] * (2 * len(docs))
        flat[0::2] = map(operator.sub, docs, [0, *docs[:-1]])
        flat[1::2] = counts
        parts.append(flat)
    parts += [places[name].tolist() if name in places else [] for places in postings.positions]
    return parts


def search_files(papers: list[Paper], taxonomy: Taxonomy,
                 shard_bytes: int = SHARD_BYTES) -> dict[str, bytes]:
    """The search data, every file made: {path: bytes}."""
    plan = search_plan(papers, taxonomy, shard_bytes)
    return {path: make() for path, _, make in plan.files()}


@dataclass(frozen=True)
class SearchPlan:
    """The search data, not made yet: `search/index.json`, loaded with the page (the
    documents, their field lengths, the sorted vocabulary and each shard's first term and
    file), and the postings in `search/shards/<digest>.json`, runs of consecutive terms,
    fetched when a query needs them. A shard's file is named by a digest of what it is made
    from: the same terms with the same postings keep their file, and its URL, from build to
    build, whatever changed elsewhere."""

    head: Callable[[], bytes]
    shards: list[tuple[str, Callable[[], bytes]]]  # each shard's digest, and its making
    counted: Counted  # the postings, for the next plan to start from

    def files(self) -> Iterator[tuple[str, str, Callable[[], bytes]]]:
        """(path, key, make) for every file; the key of index.json is "" (it changes with
        any edit, and costs little to make), a shard's is its digest."""
        yield "search/index.json", "", self.head
        for name, make in self.shards:
            yield f"search/shards/{name}.json", name, make


def search_plan(papers: list[Paper], taxonomy: Taxonomy, shard_bytes: int = SHARD_BYTES,
                earlier: Counted | None = None) -> SearchPlan:
    """The search data of these papers, with shards of about `shard_bytes` each; its
    postings brought up to date from `earlier`'s where few papers changed."""
    now = counted(papers, taxonomy, earlier)
    postings = now.postings
    order = term_order(now, functools.partial(_entry_size, postings=postings))
    names = order.names
    starts = shard_starts(order.hashes, order.sizes, shard_bytes)
    ends = [*starts[1:], len(names)] if starts else []  # no terms (no papers): no shard
    runs = [names[start:end] for start, end in zip(starts, ends, strict=True)]
    digests = _run_digests(runs, now, starts, names)
    shards: list[tuple[str, Callable[[], bytes]]] = [
        (digest, functools.partial(_shard, run, postings))
        for run, digest in zip(runs, digests, strict=True)]

    def head() -> bytes:
        data = _head(papers, taxonomy)
        data["lengths"] = [list(lengths) for lengths in postings.lengths]
        data["terms"] = order.lines[:-1]  # (no newline after the last)
        data["shards"] = {"start": starts, "file": [name for name, _ in shards]}
        return json_bytes(data)

    return SearchPlan(head, shards, now)


def _run_digests(runs: list[list[str]], now: Counted, starts: list[int],
                 names: list[str]) -> list[str]:
    """Each run's digest: the one the postings brought up to date from had, for a run of the
    same first and last term and length holding no touched term (its terms are then the
    same, with the same postings); else made. `now` keeps them for the next plan."""
    dirty = {bisect_right(starts, k) - 1 for k in positions_of(names, now.touched or ())}
    known = now.digests if now.touched is not None else {}
    found = []
    for k, run in enumerate(runs):
        key = (run[0], run[-1], len(run))
        digest = known.get(key) if k not in dirty else None
        found.append(digest or _shard_digest(run, now.postings))
    now.digests.clear()
    now.digests.update(((run[0], run[-1], len(run)), digest)
                       for run, digest in zip(runs, found, strict=True))
    return found


def _shard(names: list[str], postings: Postings) -> bytes:
    return json_bytes([_term_entry(name, postings) for name in names])


def _shard_digest(names: list[str], postings: Postings) -> str:
    """A digest of everything the shard of these terms is made from, and of the layout."""
    digest = hashlib.sha256(b"%d;" % FORMAT)
    for name in names:
        digest.update(f"{len(name)}:{name}".encode("utf-8", "surrogatepass"))
        parts = [part for found in postings.fields for part in found.get(name, (array("i"),) * 2)]
        parts += [places.get(name, array("i")) for places in postings.positions]
        for part in parts:
            digest.update(b"%d:" % len(part) + _little_endian(part))
    return digest.hexdigest()[:20]


def _little_endian(part: array) -> bytes:
    """The array's bytes as a little-endian machine writes them: the same digest anywhere."""
    if sys.byteorder == "little":
        return part.tobytes()
    swapped = array(part.typecode, part)
    swapped.byteswap()
    return swapped.tobytes()


def _entry_size(name: str, postings: Postings) -> int:
    """About how many bytes a term's entry takes (each number with its comma)."""
    numbers = sum(2 * len(found[name][0]) for found in postings.fields if name in found)
    numbers += sum(len(places[name]) for places in postings.positions if name in places)
    return 3 * numbers + 12


def _head(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """What results show and the facets. Each table is named columns of equal length (a
    key per row would repeat its name in every document), and labels go by number."""
    topics, families = tuple(taxonomy.topics), tuple(taxonomy.families)
    parents = [taxonomy.families[f].parent for f in families]
    ids, titles, topic_numbers, family_numbers, days = columns_of(document_row, papers, 5,
                                                                  topics, families)
    return {
        "format": FORMAT,
        "lunr": LUNR_VERSION,
        "fields": [f for f, _ in FIELDS],
        "boosts": [boost for _, boost in FIELDS],
        "bm25": {"k1": K1, "b": B},
        "positions": list(POSITIONED),
        "documents": {"id": ids, "title": titles, "topics": topic_numbers,
                      "families": family_numbers, "published": days},
        "topics": {"id": list(topics), "name": [taxonomy.topics[t].name for t in topics]},
        "families": {"id": list(families), "name": [taxonomy.families[f].name for f in families],
                     "parent": [families.index(p) if p in families else -1 for p in parents]},
        "modelNames": list(taxonomy.settings.model_names),
        "acronyms": long_forms(papers, analyzer_for(taxonomy.settings.model_names)),
    }


@per_paper
def document_row(paper: Paper, topics: tuple[str, ...], families: tuple[str, ...]
                 ) -> tuple[str, str, list[int], list[int], int]:
    """What the documents' table takes from a paper: its id, title, labels by their numbers
    in the taxonomy's `topics` and `families` (those it lacks left out) and day."""
    return (paper.id, paper.title, [topics.index(t) for t in paper.topics if t in topics],
            [families.index(f) for f in paper.families if f in families],
            _day_number(paper.published))


def _day_number(date: str) -> int:
    """A YYYY-MM-DD date as the number YYYYMMDD, 0 for none: a few bytes a paper, and
    ordered as the dates are (its year is the number divided by 10000)."""
    return int(date.replace("-", "")) if date else 0
