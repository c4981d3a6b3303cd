"""The search index: a prebuilt lunr.js index, computed from the catalogue model.

Text goes through one pipeline, written twice (here, and in static/search-index.js for
queries): Unicode folding, model names joined with their version ("Llama 2",
"llama-2" and "LLaMA2" are all ``llama2``), word splitting, lunr's stop words
and lunr's stemmer (lunr.py's port, identical to lunr.js's). The index scores are
lunr's own BM25 field vectors (k1 = 1.2, b = 0.75, field boosts, 3 decimals).

It ships split, so that a page loads little however large the catalogue is: one
small file with what results show and the vocabulary, and the postings (the
same numbers as lunr's field vectors, stored term by term) in shards of
consecutive terms. For each query, search-index.js fetches the shards holding its
terms and hands lunr.js an index of just those terms: lunr's score is the dot
product of the query vector with each field vector, so the entries of the
other terms never change a result.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

from .model import Paper
from .taxonomy import Taxonomy

LUNR_VERSION = "2.3.9"
FIELDS = (("title", 10), ("families", 5), ("topics", 3), ("abstract", 1))
K1, B = 1.2, 0.75
SHARD_BYTES = 48_000  # postings per shard file (raw JSON), before gzip
_COMBINING = re.compile("[\u0300-\u036f]")
_WORD_SPLIT = re.compile(r"[\W_]+")


def model_name_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """A model name, optional separator and a version: 'llama-3.1' -> ('llama', '3')."""
    if not names:
        return None
    alternatives = "|".join(sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(rf"(?<![^\W_])({alternatives})[\s_\u2010-\u2015-]*v?([0-9]+)(?:\.[0-9]+)*"
                      r"(?![^\W_])")


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks U+0300-U+036F removed)."""
    if text.isascii():  # NFKD leaves ASCII as it is
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


def tokens(text: str, models: re.Pattern | None) -> list[str]:
    """Index terms of a text, in order; the same steps as search-index.js's `tokens`."""
    text = fold(text)
    if models is not None:
        text = models.sub(r"\1\2", text)
    return [term for word in _WORD_SPLIT.split(text) if (term := _term(word))]


class _LunrJsStemmer(PorterStemmer):
    """lunr.py's Porter stemmer, with step 1c as lunr.js has it.

    lunr.js turns a final y into i only after a consonant that is not the word's
    first letter ("cry" -> "cri"; "key", "day" and "by" stay); lunr.py does it
    whenever the stem has a vowel ("key" -> "kei"). The browser runs lunr.js, so
    this side follows it; a browser test compares both on every word.
    """

    def step1c(self):
        if self.ends("y") and self.k - 1 > self.k0 and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]


_STEMMER = _LunrJsStemmer()


@lru_cache(maxsize=65536)
def _term(word: str) -> str:
    """One word as lunr.js's stop-word filter and stemmer leave it ("" if dropped)."""
    if not word or word in STOP_WORDS:
        return ""
    return _STEMMER.stem(word)


def field_texts(paper: Paper, taxonomy: Taxonomy) -> dict[str, str]:
    families = {a for f in paper.families if f in taxonomy.families
                for a in [f, *taxonomy.ancestors(f)]}
    return {
        "title": paper.title,
        "families": " ".join(f"{taxonomy.families[f].name} {f}" for f in sorted(families)),
        "topics": " ".join(taxonomy.topics[t].name for t in paper.topics if t in taxonomy.topics),
        "abstract": paper.abstract,
    }


def ref(number: int) -> str:
    """Short document refs keep the index small: 0, 1, ..., z, 10, ..."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def field_tokens(papers: list[Paper], taxonomy: Taxonomy) -> list[dict[str, list[str]]]:
    """Each paper's index terms, field by field: what lunr's builder would be given."""
    models = model_name_pattern(taxonomy.settings.model_names)
    return [{field: tokens(text, models) for field, text in field_texts(p, taxonomy).items()}
            for p in papers]


@dataclass
class Postings:
    """lunr's index turned term-major: for each term (numbered in the order lunr's builder
    meets them), per field, the documents holding it (ascending) and their scores x 1000."""

    terms: list[str]
    lists: list[list[tuple[list[int], list[int]]]]


def score_postings(papers: list[Paper], taxonomy: Taxonomy) -> Postings:
    """lunr's BM25 scores (k1 1.2, b 0.75, field boosts, 3 decimals), for every term."""
    number: dict[str, int] = {}
    counted: list[list[tuple[int, Counter, int]]] = [[] for _ in FIELDS]
    holders: Counter = Counter()  # documents x fields holding a term
    for doc, fields in enumerate(field_tokens(papers, taxonomy)):
        for slot, (field, _) in enumerate(FIELDS):
            counts = Counter(fields[field])
            for term in counts:
                if term not in number:
                    number[term] = len(number)
            holders.update(counts.keys())
            counted[slot].append((doc, counts, len(fields[field])))
    idf = {term: _idf(count, len(papers)) for term, count in holders.items()}
    lists: list[list[tuple[list[int], list[int]]]] = [
        [([], []) for _ in FIELDS] for _ in number]
    for slot, (_, boost) in enumerate(FIELDS):
        average = sum(length for _, _, length in counted[slot]) / len(papers) if papers else 0
        for doc, counts, length in counted[slot]:
            norm = K1 * (1 - B + B * (length / average)) if average else K1
            for term, tf in counts.items():
                docs, scores = lists[number[term]][slot]
                docs.append(doc)
                scores.append(_thousandths(idf[term] * ((K1 + 1) * tf) / (norm + tf) * boost))
    return Postings(list(number), lists)


def build_index(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """The field vectors lunr.js's Builder makes for these papers (for tests and inspection:
    the site ships the same numbers term by term, see `search_files`)."""
    postings = score_postings(papers, taxonomy)
    vectors: dict[tuple[int, int], list] = {(slot, doc): [] for doc in range(len(papers))
                                            for slot in range(len(FIELDS))}
    for term, per_field in enumerate(postings.lists):
        for slot, (docs, scores) in enumerate(per_field):
            for doc, score in zip(docs, scores, strict=True):
                vectors[slot, doc] += [term, score / 1000]
    return {"version": LUNR_VERSION, "fields": [f for f, _ in FIELDS], "terms": postings.terms,
            "vectors": [[FIELDS[slot][0], doc, elements]
                        for (slot, doc), elements in sorted(vectors.items(),
                                                            key=lambda kv: (kv[0][1], kv[0][0]))]}


def _idf(documents_with_term: int, documents: int) -> float:
    """lunr.idf: a document counts once per field that holds the term."""
    x = (documents - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def _thousandths(score: float) -> int:
    """score x 1000 as JavaScript's Math.round rounds it: n / 1000 is lunr's stored score."""
    return math.floor(score * 1000 + 0.5)


def js_order(terms: list[str]) -> list[int]:
    """Term numbers in JavaScript's string order (UTF-16 code units)."""
    return sorted(range(len(terms)), key=lambda i: terms[i].encode("utf-16-be"))


def _term_entry(per_field: list[tuple[list[int], list[int]]]) -> str:
    """One term's postings, per field: [doc gap, score, doc gap, score, ...]."""
    parts = []
    for docs, scores in per_field:
        flat, previous = [], 0
        for doc, score in zip(docs, scores, strict=True):
            flat += [doc - previous, score]
            previous = doc
        parts.append("[" + ",".join(map(str, flat)) + "]")
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
        entry = _term_entry(postings.lists[term])
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
    """What results show and the facets: ids, titles, topics and families by number."""
    topics = {t: i for i, t in enumerate(taxonomy.topics)}
    families = {f: i for i, f in enumerate(taxonomy.families)}
    return {
        "version": LUNR_VERSION,
        "fields": [f for f, _ in FIELDS],
        "documents": [[paper.id, paper.title, [topics[t] for t in paper.topics if t in topics],
                       [families[f] for f in paper.families if f in families]]
                      for paper in papers],
        "topics": [[t, taxonomy.topics[t].name] for t in topics],
        "families": [[f, taxonomy.families[f].name, families.get(taxonomy.families[f].parent, -1)]
                     for f in families],
        "modelNames": list(taxonomy.settings.model_names),
    }


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def search_fingerprint(papers: list[Paper], taxonomy: Taxonomy) -> str:
    """A short hash of everything the search data is made from (for cache-busting its URL),
    cheap enough to know before the data itself is built."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    parts = [[p.id, p.title, p.abstract, p.topics, p.families] for p in papers]
    parts.append([[t, taxonomy.topics[t].name] for t in taxonomy.topics])
    parts.append([[f, taxonomy.families[f].name, taxonomy.families[f].parent]
                  for f in taxonomy.families])
    parts.append(list(taxonomy.settings.model_names))
    digest.update(json.dumps(parts, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:10]
