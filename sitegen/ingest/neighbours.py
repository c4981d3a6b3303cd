"""The topics people gave the reviewed papers most like a text: their decisions as evidence
for the topics proposed to papers no person has labelled.

A reviewed paper is one whose topics a person decided. Texts are compared by their words,
each weighted by how rarely the reviewed papers use it (tf-idf with a sublinear term
frequency, the title counted twice, as unit vectors), and the topics of the `NEIGHBOURS`
most similar reviewed papers are shared out by similarity. Words more than half of the
reviewed papers use, or more than `MOST_HOLDERS`, are left out, and a text is compared by
its `QUERY_WORDS` weightiest words, so that comparing one takes a bounded time however many
papers were reviewed. The weights come from the reviewed papers only: a proposal depends
on its own text and on the people's decisions, not on the rest of the catalogue. Adding a
paper changes no other paper's proposal; deciding one's topics may.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sitegen.catalogue.provenance import decided_fields
from sitegen.core.model import Paper
from sitegen.core.text import fold

NEIGHBOURS = 5  # the reviewed papers whose topics count for a text
COMMON = 0.5  # a word more than this share of the reviewed papers use tells them apart little
MOST_HOLDERS = 60  # nor does one more reviewed papers than this use: and the work stays bounded
QUERY_WORDS = 40  # a text is compared by its weightiest words only: as close, in less time
_WORD = re.compile(r"\b\w\w+\b")  # a word of two characters or more: linear


@dataclass(frozen=True)
class Vote:
    """For a text, each topic's share of the similarity of its closest reviewed papers
    (counting as many as `NEIGHBOURS`, each missing one a share that goes to no topic)."""

    shares: dict[str, float]
    papers: tuple[tuple[str, tuple[str, ...]], ...]  # (id, topics), the most similar first


class Reviewed:
    """The reviewed papers as weighted word vectors, with the topics people gave them (the
    vectors made when a text is first compared: an ingest with nothing to label needs only
    the `digest`)."""

    def __init__(self, papers: Iterable[tuple[str, str, str, Sequence[str]]]) -> None:
        """`papers`: (id, title, abstract, topics) of each reviewed paper."""
        self.items = sorted((pid, title, abstract, tuple(topics))
                            for pid, title, abstract, topics in papers)
        self.papers = [(pid, topics) for pid, _, _, topics in self.items]
        self.digest = hashlib.sha256(repr(self.items).encode("utf-8")).hexdigest()[:16]

    def vote(self, title: str, abstract: str, exclude: str = "") -> Vote:
        """The topics of the reviewed papers closest to this text (but `exclude`, the text's
        own paper when it is a reviewed one), each weighted by its similarity."""
        if not self.items:
            return Vote({}, ())
        scores: dict[int, float] = defaultdict(float)
        postings = self._postings
        weighted = self._unit(_counts(title, abstract))
        weightiest = heapq.nsmallest(QUERY_WORDS, weighted.items(), key=lambda w: (-w[1], w[0]))
        for term, weight in weightiest:
            for number, theirs in postings.get(term, ()):
                scores[number] += weight * theirs
        closest = heapq.nsmallest(NEIGHBOURS, ((-score, self.papers[number][0], number)
                                               for number, score in scores.items()
                                               if score > 0 and self.papers[number][0] != exclude))
        total = sum(-score for score, _, _ in closest)
        shares: dict[str, float] = defaultdict(float)
        for score, _, number in closest:  # fewer than NEIGHBOURS: the missing ones give none
            for topic in self.papers[number][1]:
                shares[topic] += -score / total * len(closest) / NEIGHBOURS
        return Vote(dict(shares), tuple(self.papers[number] for _, _, number in closest))

    @functools.cached_property
    def _counts(self) -> list[Counter[str]]:
        """Each reviewed paper's words, counted once for the weights and the vectors."""
        return [_counts(title, abstract) for _, title, abstract, _ in self.items]

    @functools.cached_property
    def _idf(self) -> dict[str, float]:
        """Each word's weight: the rarer among the reviewed papers, the more it weighs."""
        held = Counter(term for counts in self._counts for term in counts)
        total = len(self.items)
        return {term: math.log((1 + total) / (1 + n)) + 1 for term, n in held.items()
                if n <= min(COMMON * total, MOST_HOLDERS)}

    @functools.cached_property
    def _postings(self) -> dict[str, list[tuple[int, float]]]:
        """Each word's reviewed papers, by number, with its weight in their vectors."""
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for number, counts in enumerate(self._counts):
            for term, weight in self._unit(counts).items():
                postings[term].append((number, weight))
        return dict(postings)

    def _unit(self, counts: Counter[str]) -> dict[str, float]:
        """The words the reviewed papers use, weighted, as a vector of length one."""
        idf = self._idf
        weights = {term: (1 + math.log(n)) * idf[term]
                   for term, n in sorted(counts.items()) if term in idf}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {term: w / norm for term, w in weights.items()} if norm else {}


def _counts(title: str, abstract: str) -> Counter[str]:
    return Counter(_WORD.findall(fold(f"{title} {title} {abstract}")))


def reviewed(papers: Iterable[Paper]) -> Reviewed:
    """The papers whose topics a person decided (listed in `human`, or edited since the tool
    proposed them, which the next ingest lists)."""
    return Reviewed((p.id, p.title, p.abstract, p.topics) for p in papers
                    if decided_fields(p, ("topics",)))
