"""Postings: lunr's index turned term-major, as counts, with where each term stands in
titles and abstracts.

The site ships, term by term (sitegen.search.files), how often each document holds the
term in each field, with each document's field lengths, and the browser turns them into
lunr.js's Builder's BM25 scores (k1 = 1.2, b = 0.75, field boosts, rounded to 3 decimals)
when a query needs them: lunr's score is the dot product of the query vector with each
field vector, so the postings of a query's own terms are all it needs. Counts, unlike
scores, do not depend on the rest of the catalogue (the average length, the number of
documents), so an edit changes only the postings of the terms it touches. The positions (a
term's places among its field's terms, counted from 0 after stop words are dropped, as lunr's
Builder numbers tokens) let the page match quoted phrases and joined names and reward query
words that stand together. `build_index` computes the same scores in Python, for the tests,
and browser tests check the vectors and the positions against lunr.js's own Builder.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.core.perpaper import per_paper
from sitegen.search.analysis import Analyzer, analyzer_for

LUNR_VERSION = "2.3.9"
FIELDS = (("title", 10), ("families", 5), ("topics", 3), ("abstract", 1))
POSITIONED = ("title", "abstract")  # the fields whose term positions ship
K1, B = 1.2, 0.75

# (document number, term -> count, number of terms) for each document, in one field
Counted = list[tuple[int, dict[str, int], int]]


def field_texts(paper: Paper, taxonomy: Taxonomy,
                labels: dict[tuple, tuple[str, str]] | None = None) -> dict[str, str]:
    """The text of each field, in FIELDS order: family names come with their ancestors'.
    `labels`: the label fields' texts of the sets of labels met so far, to take from and
    add to (papers share sets of labels)."""
    key = (tuple(paper.families), tuple(paper.topics))
    named = labels.get(key) if labels is not None else None
    if named is None:
        named = _label_texts(paper, taxonomy)
        if labels is not None:
            labels[key] = named
    return {"title": paper.title, "families": named[0], "topics": named[1],
            "abstract": paper.abstract}


def _label_texts(paper: Paper, taxonomy: Taxonomy) -> tuple[str, str]:
    families = {a for f in paper.families if f in taxonomy.families
                for a in [f, *taxonomy.ancestors(f)]}
    return (" ".join(f"{taxonomy.families[f].name} {f}" for f in sorted(families)),
            " ".join(taxonomy.topics[t].name for t in paper.topics if t in taxonomy.topics))


def field_tokens(papers: list[Paper], taxonomy: Taxonomy) -> list[dict[str, list[str]]]:
    """Each paper's index terms, field by field: what lunr's builder would be given."""
    analyzer = analyzer_for(taxonomy.settings.model_names)
    return [{field: analyzer.tokens(text) for field, text in field_texts(p, taxonomy).items()}
            for p in papers]


@dataclass
class Postings:
    """lunr's index turned term-major, as counts. `terms` are numbered in the order lunr's
    builder meets them; `fields[slot]` maps a term to the documents holding it in that field
    (ascending) and how many times each does, as arrays of machine integers (a fifth of the
    memory of lists of Python ints: millions of postings at 50,000 papers)."""

    terms: list[str]
    fields: Sequence[Mapping[str, tuple[array, array]]]
    # per field of POSITIONED: a term -> for each document holding it there, in the order of
    # `fields`, how many times, its first position and the gaps to the next ones
    positions: Sequence[Mapping[str, array]]
    lengths: list[array]  # per field: each document's number of terms there

    def holds(self, term: str) -> bool:
        """Whether any document holds the term: whether it is one of `terms`."""
        return held_in(term, self.fields)


def held_in(term: str, fields: Iterable[Mapping[str, object]]) -> bool:
    """Whether any of these fields' postings hold the term."""
    return any(term in found for found in fields)


def count_postings(papers: list[Paper], taxonomy: Taxonomy) -> Postings:
    """How often each document holds each term, field by field, each field's length, and
    the positions of the terms of titles and abstracts; the terms numbered in the order
    lunr's builder meets them (by document, then field, then place)."""
    from sitegen.search.tally import tally  # here: only the process that counts loads NumPy

    names = taxonomy.settings.model_names
    labels: dict[tuple, tuple[str, str]] = {}
    texts = [field_texts(paper, taxonomy, labels) for paper in papers]
    tokens = [_tokens(paper, names) for paper in papers]
    fields: list[dict[str, tuple[array, array]]] = []
    places: list[dict[str, array]] = []
    lengths: list[array] = []
    met: dict[str, tuple[int, int, int]] = {}  # where each term is first met
    for slot, (name, _) in enumerate(FIELDS):
        if name in POSITIONED:
            field = [found[POSITIONED.index(name)] for found in tokens]
            counted = tally(field)
            found, first = counted.found, counted.first
            places.append(counted.places)
            lengths.append(array("i", map(len, field)))
        else:
            found, first, length = _count_labels([text[name] for text in texts],
                                                 analyzer_for(names))
            lengths.append(length)
        fields.append(found)
        for term, (doc, place) in first.items():
            if (earlier := met.get(term)) is None or (doc, slot, place) < earlier:
                met[term] = (doc, slot, place)
    return Postings(sorted(met, key=met.__getitem__), fields, places, lengths)


def _count_labels(texts: list[str], analyzer: Analyzer
                  ) -> tuple[dict[str, tuple[array, array]], dict[str, tuple[int, int]], array]:
    """A label field's postings and where each term is first met, as `tally.Tally` has
    them, and each document's number of terms: few terms a document, from texts that
    repeat (papers share labels), each analysed once."""
    seen: dict[str, tuple[dict[str, int], int]] = {}
    found: dict[str, tuple[array, array]] = {}
    first: dict[str, tuple[int, int]] = {}
    lengths = array("i")
    for doc, text in enumerate(texts):
        counts, length = seen.get(text) or seen.setdefault(text, analyzer.term_counts(text))
        for place, (term, times) in enumerate(counts.items()):
            entry = found.get(term)
            if entry is None:
                entry = found[term] = (array("i"), array("i"))
                first[term] = (doc, place)
            entry[0].append(doc)
            entry[1].append(times)
        lengths.append(length)
    return found, first, lengths


@per_paper
def _tokens(paper: Paper, model_names: tuple[str, ...]) -> tuple[list[str], ...]:
    """The terms of each field of POSITIONED, in order (`Analyzer.tokens`)."""
    analyzer = analyzer_for(model_names)
    return tuple(analyzer.tokens(getattr(paper, name)) for name in POSITIONED)


Grouped = tuple[dict[str, list[int]], int]  # where each term stands, the field's length


def grouped(tokens: list[str]) -> Grouped:
    """Where each term stands among `tokens`, and how many tokens there are."""
    at: defaultdict[str, list[int]] = defaultdict(list)
    for position, found in enumerate(tokens):
        at[found].append(position)
    return dict(at), len(tokens)


def run_of(where: list[int]) -> list[int]:
    """A document's run in a term's positions: their count, the first, the gaps to the next."""
    if len(where) == 1:
        return [1, where[0]]
    return [len(where), where[0], *(b - a for a, b in pairwise(where))]


def lunr_scores(postings: Postings) -> list[dict[str, list[tuple[int, float]]]]:
    """Each field's postings as lunr.js's Builder scores them: per term, its documents and
    their field-vector scores, operation for operation, rounded to thousandths as
    JavaScript's Math.round does (search-index.js does the same for the terms it needs)."""
    documents = len(postings.lengths[0]) if postings.lengths else 0
    holders: Counter = Counter()  # lunr.idf: a document counts once per field holding the term
    for found in postings.fields:
        holders.update({term: len(entry[0]) for term, entry in found.items()})
    scored = []
    for (_, boost), found, lengths in zip(FIELDS, postings.fields, postings.lengths, strict=True):
        average = sum(lengths) / documents if documents else 0
        scored.append({term: [(doc, bm25(holders[term], documents, times, lengths[doc],
                                         average, boost))
                              for doc, times in zip(docs, counts, strict=True)]
                       for term, (docs, counts) in found.items()})
    return scored


def bm25(holders: int, documents: int, times: int, length: int, average: float,
         boost: int) -> float:
    """lunr.Builder's score of a term held `times` in a field of `length` terms."""
    x = (documents - holders + 0.5) / (holders + 0.5)
    idf = math.log(1 + abs(x))
    norm = K1 * (1 - B + B * (length / average)) if average else K1
    return math.floor(idf * ((K1 + 1) * times) / (norm + times) * boost * 1000 + 0.5) / 1000


def build_index(papers: list[Paper], taxonomy: Taxonomy) -> dict:
    """The field vectors lunr.js's Builder makes for these papers (for tests and inspection:
    the site ships the same numbers term by term, see sitegen.search.files)."""
    postings = count_postings(papers, taxonomy)
    number = {term: i for i, term in enumerate(postings.terms)}
    vectors: dict[tuple[int, int], list] = {(doc, slot): [] for doc in range(len(papers))
                                            for slot in range(len(FIELDS))}
    for slot, found in enumerate(lunr_scores(postings)):
        for term in sorted(found, key=number.__getitem__):
            for doc, score in found[term]:
                vectors[doc, slot] += [number[term], score]
    return {"version": LUNR_VERSION, "fields": [f for f, _ in FIELDS], "terms": postings.terms,
            "vectors": [[FIELDS[slot][0], doc, elements]
                        for (doc, slot), elements in sorted(vectors.items())]}
