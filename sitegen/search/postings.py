"""Postings and scores: lunr's BM25 field vectors for the catalogue, turned term-major.

The scores are lunr.js's Builder's, operation for operation (k1 = 1.2, b = 0.75, field
boosts, rounded to 3 decimals). The site ships them term by term (sitegen.search.files),
so the browser can score a query from the postings of its own terms alone: lunr's score is
the dot product of the query vector with each field vector, so no other term could change
a result. Browser tests check these vectors against lunr.js's own Builder.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from dataclasses import dataclass

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.search.analysis import Analyzer

LUNR_VERSION = "2.3.9"
FIELDS = (("title", 10), ("families", 5), ("topics", 3), ("abstract", 1))
K1, B = 1.2, 0.75

# (document number, term -> count, number of terms) for each document, in one field
Counted = list[tuple[int, dict[str, int], int]]


def field_texts(paper: Paper, taxonomy: Taxonomy) -> dict[str, str]:
    """The text of each field, in FIELDS order: family names come with their ancestors'."""
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
    analyzer = Analyzer(taxonomy.settings.model_names)
    return [{field: analyzer.tokens(text) for field, text in field_texts(p, taxonomy).items()}
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
    counted: list[Counted] = [[] for _ in FIELDS]
    holders: Counter = Counter()  # documents x fields holding a term
    analyzer = Analyzer(taxonomy.settings.model_names)
    seen: dict[str, tuple[dict[str, int], int]] = {}  # label texts repeat from paper to paper
    for doc, paper in enumerate(papers):
        for slot, text in enumerate(field_texts(paper, taxonomy).values()):  # in FIELDS order
            counts, length = seen.get(text) or seen.setdefault(text, analyzer.term_counts(text))
            for found in counts:
                if found not in number:
                    number[found] = len(number)
            holders.update(counts.keys())
            counted[slot].append((doc, counts, length))
    idf = {term: _idf(count, len(papers)) for term, count in holders.items()}
    return Postings(list(number), [_scores(counted[slot], idf, boost, len(papers))
                                   for slot, (_, boost) in enumerate(FIELDS)])


def _scores(counted: Counted, idf: dict[str, float], boost: int,
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


def _idf(documents_with_term: int, documents: int) -> float:
    """lunr.idf: a document counts once per field that holds the term."""
    x = (documents - documents_with_term + 0.5) / (documents_with_term + 0.5)
    return math.log(1 + abs(x))


def build_index(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """The field vectors lunr.js's Builder makes for these papers (for tests and inspection:
    the site ships the same numbers term by term, see sitegen.search.files)."""
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
