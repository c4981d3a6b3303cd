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
terms and scores as lunr.Index.query does, from those terms' postings alone:
lunr's score is the dot product of the query vector with each field vector, so
no other term could change a result. A browser test checks the scores against
lunr.js itself, with the whole index loaded into a lunr.Index.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper

LUNR_VERSION = "2.3.9"
FIELDS = (("title", 10), ("families", 5), ("topics", 3), ("abstract", 1))
K1, B = 1.2, 0.75
SHARD_BYTES = 48_000  # postings per shard file (raw JSON), before gzip
_COMBINING = re.compile("[\u0300-\u036f]")
_WORD_SPLIT = re.compile(r"[\W_]+")
_ASCII_SEPARATORS = {c: " " for c in range(128) if not chr(c).isalnum()}
_TERMS: dict[str, str] = {}  # word -> term: stemming is the costly step, and words repeat


def model_name_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """A model name, optional separator and a version: 'llama-3.1' -> ('llama', '3')."""
    if not names:
        return None
    return re.compile(rf"(?<![^\W_])({_trie(names)})[\s_\u2010-\u2015-]*v?([0-9]+)(?:\.[0-9]+)*"
                      r"(?![^\W_])")


def _trie(names: tuple[str, ...]) -> str:
    """The names (lower-case letters and digits) as one regex that shares their prefixes,
    longer names first: the same matches as 'name1|name2|...' sorted longest first, but
    Python's re rejects most positions of a text after one character, not after every name.
    """
    branches: dict[str, list[str]] = {}
    for name in names:
        if name:
            branches.setdefault(name[0], []).append(name[1:])
    if not branches:
        return ""
    alternatives = "|".join(first + _trie(tuple(rest)) for first, rest in sorted(branches.items()))
    group = f"(?:{alternatives})" if len(branches) > 1 else alternatives
    return f"(?:{group})?" if "" in names else group


def search_fold(text: str) -> str:
    """Lower case without accents (NFKD, U+0300-U+036F removed) exactly as search-index.js
    folds a query; `core.text.fold`, for comparing papers, folds more than the browser does."""
    if text.isascii():  # NFKD leaves ASCII as it is
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


def words(text: str, models: re.Pattern | None) -> list[str]:
    """A text's words, folded, with model names joined to their version."""
    text = search_fold(text)
    if models is not None:
        text = models.sub(r"\1\2", text)
    if text.isascii():  # the same split, several times faster
        return text.translate(_ASCII_SEPARATORS).split()
    return [word for word in _WORD_SPLIT.split(text) if word]


def term(word: str) -> str:
    """One word as lunr.js's stop-word filter and stemmer leave it ("" if dropped)."""
    found = _TERMS.get(word)
    if found is None:
        found = _TERMS[word] = _term(word)
    return found


def tokens(text: str, models: re.Pattern | None) -> list[str]:
    """Index terms of a text, in order; the same steps as search-index.js's `tokens`."""
    return [t for t in map(term, words(text, models)) if t]


def term_counts(text: str, models: re.Pattern | None) -> tuple[dict[str, int], int]:
    """Counter(tokens(text, models)) and len(tokens(text, models)), with each distinct word
    stemmed once: the terms come in the order they first appear, as lunr's builder meets them.
    """
    counts: dict[str, int] = {}
    length = 0
    known = _TERMS
    for word, times in Counter(words(text, models)).items():
        found = known.get(word)
        if found is None:
            found = term(word)
        if found:
            counts[found] = counts.get(found, 0) + times
            length += times
    return counts, length


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


def field_tokens(papers: list[Paper], taxonomy: Taxonomy) -> list[dict[str, list[str]]]:
    """Each paper's index terms, field by field: what lunr's builder would be given."""
    models = model_name_pattern(taxonomy.settings.model_names)
    return [{field: tokens(text, models) for field, text in field_texts(p, taxonomy).items()}
            for p in papers]


@dataclass
class Postings:
    """lunr's index turned term-major. `terms` are numbered in the order lunr's builder meets
    them; `fields[slot]` maps a term to the documents holding it in that field (ascending)
    and their scores x 1000, as arrays of machine integers (a fifth of the memory of lists
    of Python ints: millions of postings at 50,000 papers)."""

    terms: list[str]
    fields: list[dict[str, tuple[array, array]]]


def score_postings(papers: list[Paper], taxonomy: Taxonomy) -> Postings:
    """lunr's BM25 scores (k1 1.2, b 0.75, field boosts, 3 decimals), for every term."""
    number: dict[str, int] = {}
    counted: list[list[tuple[int, dict[str, int], int]]] = [[] for _ in FIELDS]
    holders: Counter = Counter()  # documents x fields holding a term
    models = model_name_pattern(taxonomy.settings.model_names)
    seen: dict[str, tuple[dict[str, int], int]] = {}  # label texts repeat from paper to paper
    for doc, paper in enumerate(papers):
        for slot, text in enumerate(field_texts(paper, taxonomy).values()):  # in FIELDS order
            counts, length = seen.get(text) or seen.setdefault(text, term_counts(text, models))
            for found in counts:
                if found not in number:
                    number[found] = len(number)
            holders.update(counts.keys())
            counted[slot].append((doc, counts, length))
    idf = {term: _idf(count, len(papers)) for term, count in holders.items()}
    return Postings(list(number), [_scores(counted[slot], idf, boost, len(papers))
                                   for slot, (_, boost) in enumerate(FIELDS)])


def _scores(counted: list[tuple[int, dict[str, int], int]], idf: dict[str, float], boost: int,
            documents: int) -> dict[str, tuple[array, array]]:
    """One field's postings: lunr.Builder's arithmetic, operation for operation, rounded
    to thousandths as JavaScript's Math.round does."""
    average = sum(length for _, _, length in counted) / documents if documents else 0
    found: dict[str, tuple[array, array]] = {}
    floor, k1_plus_1 = math.floor, K1 + 1
    for doc, counts, length in counted:
        norm = K1 * (1 - B + B * (length / average)) if average else K1
        for term, tf in counts.items():
            entry = found.get(term)
            if entry is None:
                entry = found[term] = (array("l"), array("l"))
            entry[0].append(doc)
            entry[1].append(floor(idf[term] * (k1_plus_1 * tf) / (norm + tf) * boost * 1000 + 0.5))
    return found


def build_index(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """The field vectors lunr.js's Builder makes for these papers (for tests and inspection:
    the site ships the same numbers term by term, see `search_files`)."""
    postings = score_postings(papers, taxonomy)
    number = {term: i for i, term in enumerate(postings.terms)}
    vectors: dict[tuple[int, int], list] = {(doc, slot): [] for doc in range(len(papers))
                                            for slot in range(len(FIELDS))}
    for slot, found in enumerate(postings.fields):
        for term in sorted(found, key=number.__getitem__):
            for doc, score in zip(*found[term], strict=True):
                vectors[doc, slot] += [number[term], score / 1000]
    return {"version": LUNR_VERSION, "fields": [f for f, _ in FIELDS], "terms": postings.terms,
            "vectors": [[FIELDS[slot][0], doc, elements]
                        for (doc, slot), elements in sorted(vectors.items())]}


def _idf(documents_with_term: int, documents: int) -> float:
    """lunr.idf: a document counts once per field that holds the term."""
    x = (documents - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def js_order(terms: list[str]) -> list[int]:
    """Term numbers in JavaScript's string order (UTF-16 code units)."""
    return sorted(range(len(terms)), key=lambda i: terms[i].encode("utf-16-be"))


def _term_entry(name: str, fields: list[dict[str, tuple[array, array]]]) -> str:
    """One term's postings, per field: [doc gap, score, doc gap, score, ...]."""
    parts = []
    for found in fields:
        entry = found.get(name)
        if entry is None:
            parts.append("[]")
            continue
        docs, scores = entry
        flat = [0] * (2 * len(docs))
        flat[0::2] = map(operator.sub, docs, [0, *docs[:-1]])
        flat[1::2] = scores
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
        entry = _term_entry(postings.terms[term], postings.fields)
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
    for p in papers:  # each text with its length, so that no two catalogues read the same
        digest.update(_lengths_and_texts(p.id, p.title, p.abstract, *p.topics, "",
                                         *p.families))
    digest.update(_lengths_and_texts(*(f"{t}\0{taxonomy.topics[t].name}"
                                       for t in taxonomy.topics)))
    digest.update(_lengths_and_texts(*(f"{f}\0{v.name}\0{v.parent}"
                                       for f, v in taxonomy.families.items())))
    digest.update(_lengths_and_texts(*taxonomy.settings.model_names))
    return digest.hexdigest()[:10]


def _lengths_and_texts(*texts: str) -> bytes:
    return f"{len(texts)}:{[len(t) for t in texts]}:{''.join(texts)}".encode(
        "utf-8", "surrogatepass")
