"""The files the search page loads, and the fingerprint that versions their URLs.

The data ships split, so that a page loads little however large the catalogue is:
`search/index.json`, loaded with the page, holds what results show, the sorted vocabulary
and where each shard starts; `search/shards/N.json` hold the postings of runs of
consecutive terms, with their positions in titles and abstracts (for quoted phrases, joined
names and words that stand together), fetched the first time a query needs one of them.
Both layouts are documented in sitegen/schemas/search-index.schema.json and
search-shard.schema.json, which the tests hold this module's output to; search-index.js and
search-page.js read them by name.
"""

from __future__ import annotations

import hashlib
import json
import operator
from pathlib import Path

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.search.postings import (
    FIELDS,
    LUNR_VERSION,
    POSITIONED,
    Postings,
    score_postings,
)

# The layout of search/index.json and its shards. Raise it with any change the page must
# know of, together with FORMAT in search-index.js, which refuses data of another layout.
FORMAT = 4
SHARD_BYTES = 48_000  # postings per shard file (raw JSON), before gzip
_SOURCES = Path(__file__).parent  # the code the data is made by, in the fingerprint


def js_order(terms: list[str]) -> list[int]:
    """Term numbers in JavaScript's string order (UTF-16 code units)."""
    return sorted(range(len(terms)), key=lambda i: terms[i].encode("utf-16-be"))


def _term_entry(name: str, postings: Postings) -> str:
    """One term's postings, per field: [doc gap, score, doc gap, score, ...]; then its
    positions, per field of POSITIONED: [count, first, gap, ..., count, first, ...], one run
    for each document of that field's postings."""
    parts = []
    for found in postings.fields:
        entry = found.get(name)
        if entry is None:
            parts.append("[]")
            continue
        docs, scores = entry
        flat = [0] * (2 * len(docs))
        flat[0::2] = map(operator.sub, docs, [0, *docs[:-1]])
        flat[1::2] = scores
        parts.append("[" + ",".join(map(str, flat)) + "]")
    for places in postings.positions:
        parts.append("[" + ",".join(map(str, places.get(name, ()))) + "]")
    return "[" + ",".join(parts) + "]"


def search_files(papers: list[Paper], taxonomy: Taxonomy,
                 shard_bytes: int = SHARD_BYTES) -> dict[str, bytes]:
    """The search data: `search/index.json`, loaded with the page (the documents, the sorted
    vocabulary and where each shard starts), and the postings in `search/shards/N.json`,
    runs of consecutive terms of about `shard_bytes` each, fetched when a query needs them."""
    postings = score_postings(papers, taxonomy)
    order = js_order(postings.terms)
    shards: list[list[str]] = []
    starts: list[int] = []
    size = shard_bytes
    for position, term in enumerate(order):
        entry = _term_entry(postings.terms[term], postings)
        if size >= shard_bytes:
            shards.append([])
            starts.append(position)
            size = 0
        shards[-1].append(entry)
        size += len(entry) + 1
    head = _head(papers, taxonomy)
    head["terms"] = "\n".join(postings.terms[i] for i in order)
    head["shards"] = starts
    files = {"search/index.json": _json(head)}
    for k, entries in enumerate(shards):
        files[f"search/shards/{k}.json"] = ("[" + ",".join(entries) + "]").encode("utf-8")
    return files


def _head(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """What results show and the facets. Each table is named columns of equal length (a
    key per row would repeat its name in every document), and labels go by number."""
    topics = {t: i for i, t in enumerate(taxonomy.topics)}
    families = {f: i for i, f in enumerate(taxonomy.families)}
    parents = [taxonomy.families[f].parent for f in families]
    return {
        "format": FORMAT,
        "lunr": LUNR_VERSION,
        "fields": [f for f, _ in FIELDS],
        "positions": list(POSITIONED),
        "documents": {
            "id": [paper.id for paper in papers],
            "title": [paper.title for paper in papers],
            "topics": [[topics[t] for t in paper.topics if t in topics] for paper in papers],
            "families": [[families[f] for f in paper.families if f in families]
                         for paper in papers],
            "published": [_day_number(paper.published) for paper in papers],
        },
        "topics": {"id": list(topics), "name": [taxonomy.topics[t].name for t in topics]},
        "families": {"id": list(families), "name": [taxonomy.families[f].name for f in families],
                     "parent": [-1 if p is None else families.get(p, -1) for p in parents]},
        "modelNames": list(taxonomy.settings.model_names),
    }


def _day_number(date: str) -> int:
    """A YYYY-MM-DD date as the number YYYYMMDD, 0 for none: a few bytes a paper, and
    ordered as the dates are (its year is the number divided by 10000)."""
    return int(date.replace("-", "")) if date else 0


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def search_fingerprint(papers: list[Paper], taxonomy: Taxonomy) -> str:
    """A short hash of everything the search data is made from (for cache-busting its URL),
    cheap enough to know before the data itself is built."""
    digest = hashlib.sha256()
    for source in sorted(_SOURCES.glob("*.py")):
        digest.update(_lengths_and_texts(source.name, source.read_text("utf-8")))
    for p in papers:  # each text with its length, so that no two catalogues read the same
        digest.update(_lengths_and_texts(p.id, p.title, p.abstract, p.published, *p.topics,
                                         "", *p.families))
    digest.update(_lengths_and_texts(*(f"{t}\0{taxonomy.topics[t].name}"
                                       for t in taxonomy.topics)))
    digest.update(_lengths_and_texts(*(f"{f}\0{v.name}\0{v.parent}"
                                       for f, v in taxonomy.families.items())))
    digest.update(_lengths_and_texts(*taxonomy.settings.model_names))
    return digest.hexdigest()[:10]


def _lengths_and_texts(*texts: str) -> bytes:
    return f"{len(texts)}:{[len(t) for t in texts]}:{''.join(texts)}".encode(
        "utf-8", "surrogatepass")
