"""The search index: a prebuilt lunr.js index, computed from the catalogue model.

Text goes through one pipeline, written twice (here, and in static/search.js for
queries): Unicode folding, model names joined with their version ("Llama 2",
"llama-2" and "LLaMA2" are all ``llama2``), word splitting, lunr's stop words
and lunr's stemmer (lunr.py's port, identical to lunr.js's). The index scores are
lunr's own BM25 field vectors (k1 = 1.2, b = 0.75, field boosts, 3 decimals), so
`lunr.Index.load` in the browser searches it exactly as if lunr.js had built it.

It ships packed: terms (with their order as JavaScript sorts them), refs and
field vectors only. The inverted index is implied by the vectors and is rebuilt
in the browser before `lunr.Index.load`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from lunr.stemmer import PorterStemmer
from lunr.stop_word_filter import WORDS as STOP_WORDS

from .model import Paper
from .taxonomy import Taxonomy

LUNR_VERSION = "2.3.9"
FIELDS = (("title", 10), ("families", 5), ("topics", 3), ("abstract", 1))
K1, B = 1.2, 0.75
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
    """Index terms of a text, in order; the same steps as search.js's `tokens`."""
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


def _round(score: float) -> float:
    """JavaScript's Math.round(score * 1000) / 1000."""
    return math.floor(score * 1000 + 0.5) / 1000


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


def build_index(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """lunr's field vectors for every paper, with the term list they index into."""
    term_index: dict[str, int] = {}
    frequencies: list[tuple[str, int, Counter, int]] = []  # field, doc, tf, length
    document_frequency: Counter = Counter()
    for number, fields in enumerate(field_tokens(papers, taxonomy)):
        for field, _ in FIELDS:
            terms = fields[field]
            counts = Counter(terms)
            for term in terms:
                term_index.setdefault(term, len(term_index))
            document_frequency.update(counts.keys())
            frequencies.append((field, number, counts, len(terms)))
    lengths: Counter = Counter()
    for field, _, _, length in frequencies:
        lengths[field] += length
    average = {field: lengths[field] / len(papers) for field, _ in FIELDS} if papers else {}
    idf = {term: _idf(count, len(papers)) for term, count in document_frequency.items()}
    boosts = dict(FIELDS)
    vectors = []
    for field, number, counts, length in frequencies:
        norm = K1 * (1 - B + B * (length / average[field])) if average[field] else K1
        elements: list = []
        for term in sorted(counts, key=term_index.__getitem__):
            score = idf[term] * ((K1 + 1) * counts[term]) / (norm + counts[term]) * boosts[field]
            elements += [term_index[term], _round(score)]
        vectors.append([field, number, elements])
    terms = list(term_index)
    order = sorted(range(len(terms)), key=lambda i: terms[i].encode("utf-16-be"))
    return {"version": LUNR_VERSION, "fields": [f for f, _ in FIELDS],
            "terms": terms, "order": order, "vectors": vectors}


def _idf(documents_with_term: int, documents: int) -> float:
    """lunr.idf: a document counts once per field that holds the term."""
    x = (documents - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def search_data(papers: list[Paper], taxonomy: Taxonomy) -> bytes:
    """The one file /search/ loads: the packed index, what results show, and the facets."""
    topics = list(taxonomy.topics)
    families = list(taxonomy.families)
    documents = [[paper.id, paper.title,
                  [topics.index(t) for t in paper.topics if t in taxonomy.topics],
                  [families.index(f) for f in paper.families if f in taxonomy.families]]
                 for paper in papers]
    data = {
        "index": build_index(papers, taxonomy),
        "documents": documents,
        "topics": [[t, taxonomy.topics[t].name] for t in topics],
        "families": [[f, taxonomy.families[f].name,
                      families.index(taxonomy.families[f].parent)
                      if taxonomy.families[f].parent in taxonomy.families else -1]
                     for f in families],
        "modelNames": list(taxonomy.settings.model_names),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def search_files(papers: list[Paper], taxonomy: Taxonomy) -> dict[str, bytes]:
    """The search data files, by output path."""
    return {"search/index.json": search_data(papers, taxonomy)}


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
