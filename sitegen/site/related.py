"""Related papers: shared model family, shared topics and distinctive shared terms."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.core.perpaper import per_paper

_WORD = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
_STOP = frozenset("""
a about above across after again against all also an and any are as at be been before being
below between both but by can could did do does doing during each few for from further had has
have having here how however i if in into is it its itself just large language languages llm
llms model models more most new no nor not of off on once only or other our out over own paper
same show shows shown so some such than that the their them then there these they this those
through to too under until up use used using very via was we were what when where which while
who whom why will with within without would yet approach method methods propose proposed results
performance based existing work study achieve achieves significant significantly furthermore
moreover demonstrate demonstrates task tasks data training trained train state-of-the-art
""".split())
TERMS_PER_PAPER = 12
RELATED = 5
CANDIDATES_PER_KEY = 100


@dataclass(frozen=True)
class Related:
    id: str
    reasons: tuple[str, ...]


@per_paper
def _terms(paper: Paper) -> dict[str, int]:
    words = Counter(_WORD.findall(f"{paper.title} {paper.title} {paper.abstract}".lower()))
    return {word: n for word, n in words.items() if len(word) > 2 and word not in _STOP}


@dataclass
class TermWeights:
    """How many papers hold each term, each term's idf and each paper's most distinctive
    terms (by its number), weighted by tf-idf. (Each paper's terms are not kept: 90 MB at
    20,000 papers; the preview's memo keeps them, `_terms` gives them again.)"""

    frequency: Counter
    idf: dict[str, float]
    weighted: list[dict[str, float]]


def term_weights(papers: list[Paper], earlier: RelatedIndex | None = None) -> TermWeights:
    """The papers' term weights; from an earlier index's where they cannot differ: its
    papers as many, and a paper with the very same terms (`_terms` keeps them per paper),
    none of them held by more or fewer papers than before, is weighted as it was."""
    counts = [_terms(p) for p in papers]
    if earlier is None or len(earlier.ids) != len(papers):
        frequency: Counter = Counter()
        for terms in counts:
            frequency.update(iter(terms))  # an iterable counts each term once per paper
        idf = {t: math.log(len(papers) / n) for t, n in frequency.items() if n > 1}
        return TermWeights(frequency, idf, [_weighted(terms, idf) for terms in counts])
    was = earlier.weights
    before = {pid: _terms(paper) for pid, paper in earlier.papers.items()}
    now = {p.id: terms for p, terms in zip(papers, counts, strict=True)}
    frequency, moved = was.frequency.copy(), set()
    for pid in before.keys() | now.keys():
        old, new = before.get(pid), now.get(pid)
        if old is not new:  # only the terms it gained or lost are held by more or fewer
            gone, came = (old or {}).keys(), (new or {}).keys()
            frequency.subtract(gone - came)
            frequency.update(came - gone)
            moved |= gone ^ came
    idf = dict(was.idf)
    for term in moved:
        held = frequency[term]
        if held < 1:
            del frequency[term]
        if held > 1:
            idf[term] = math.log(len(papers) / held)
        else:
            idf.pop(term, None)
    return TermWeights(frequency, idf, [
        was.weighted[earlier.number[p.id]] if before.get(p.id) is terms
        and moved.isdisjoint(terms) else _weighted(terms, idf)
        for p, terms in zip(papers, counts, strict=True)])


def _weighted(terms: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    """A paper's TERMS_PER_PAPER terms of highest tf-idf, with their weights."""
    weights = [(-n * idf[t], t) for t, n in terms.items() if t in idf]
    return {t: -weight for weight, t in heapq.nsmallest(TERMS_PER_PAPER, weights)}


class RelatedIndex:
    """What finding any one paper's related papers needs, computed once for the catalogue.

    Papers are then looked up one at a time, so that the work can be shared out, and
    each list is kept once found. Inside, a paper is its number in the order of ids
    (ties between equally related papers go to the smaller id), which is quicker to
    hash and compare than the id.
    """

    def __init__(self, papers: dict[str, Paper], taxonomy: Taxonomy,
                 earlier: RelatedIndex | None = None):
        """`earlier`: an index of the catalogue before some edits, whose term weights are
        taken where they cannot differ (see `term_weights`)."""
        self.papers, self.taxonomy = papers, taxonomy
        self.ids = sorted(papers)
        self.number = {pid: i for i, pid in enumerate(self.ids)}
        listed = [papers[pid] for pid in self.ids]
        self.weights = term_weights(listed, earlier)
        self.terms, self.idf = self.weights.weighted, self.weights.idf
        self.bits: dict[tuple[str, str], int] = {}
        self.labels = [_label_mask(paper, self.bits) for paper in listed]
        self.by_term: dict[str, dict[int, float]] = defaultdict(dict)  # holder -> weight
        self.by_group: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, paper in enumerate(listed):
            for term, weight in self.terms[i].items():
                self.by_term[term][i] = weight
            for family in paper.families:
                for topic in paper.topics:
                    self.by_group[family, topic].append(i)
        self._lists: dict[str, list[Related]] = {}  # each paper's related papers, once found

    def related(self, paper_id: str) -> list[Related]:
        """Up to five related papers, best first, with the reasons they are related."""
        found = self._lists.get(paper_id)
        if found is None:
            mine = self.number[paper_id]
            found = self._lists[paper_id] = self._related(self.papers[paper_id], mine,
                                                           self.terms[mine], self.labels[mine])
        return found

    def find_all(self) -> None:
        """Find every paper's related papers now: the preview's session does at its start,
        so that its first rebuild carries the lists over rather than finding them all."""
        for paper_id in self.ids:
            self.related(paper_id)

    def carry_over(self, earlier: RelatedIndex) -> int:
        """Take the lists the earlier index found for the papers whose related papers cannot
        differ here; how many were taken. A paper's list is made from its weighted terms and
        labels, and those of the papers sharing a key (a term or a family and topic) with it:
        it can differ only for a paper whose terms (and so any idf they use) or labels
        changed, and for the papers sharing a key with one, before or after, that is short
        enough to make candidates. Papers added or removed, or names changed: none taken."""
        if earlier.ids != self.ids or _names(earlier.taxonomy) != _names(self.taxonomy):
            return 0
        changed = [i for i, pid in enumerate(self.ids)
                   if list(earlier.terms[i].items()) != list(self.terms[i].items())
                   or _labels(earlier.papers[pid]) != _labels(self.papers[pid])]
        affected = set(changed)
        for i in changed:
            before, after = earlier.papers[self.ids[i]], self.papers[self.ids[i]]
            for old, new in [(earlier.by_term.get(t, {}), self.by_term.get(t, {}))
                             for t in earlier.terms[i].keys() | self.terms[i].keys()] + [
                    (earlier.by_group.get(g, []), self.by_group.get(g, []))
                    for g in _groups(before) | _groups(after)]:
                if min(len(old), len(new)) <= CANDIDATES_PER_KEY:
                    affected.update(old, new)
        kept = {pid: found for i, pid in enumerate(self.ids)
                if i not in affected and (found := earlier._lists.get(pid)) is not None}
        self._lists.update(kept)
        return len(kept)

    def related_as_saved(self, paper: Paper) -> list[Related]:
        """A paper's related papers were it saved as `paper`, found among the others as they
        are: its terms weighted by this catalogue's idf, its labels as the others' bits (one
        no other paper has is shared with none). The catalogue with `paper` in it may weigh
        terms a little differently: a preview that a build then makes exact."""
        terms = _weighted(_terms(paper), self.idf)
        return self._related(paper, self.number[paper.id], terms,
                             _label_mask(paper, self.bits, grow=False))

    def _related(self, paper: Paper, mine: int, terms: dict[str, float],
                 mask: int) -> list[Related]:
        best = heapq.nsmallest(RELATED, self._scores(mine, terms, mask,
                                                     self._candidates(paper, mine, terms)))
        return [_explain(paper, self.papers[self.ids[other]], terms, self.terms[other],
                         self.taxonomy)
                for score, other in best if score < 0]

    def _candidates(self, paper: Paper, mine: int, terms: dict[str, float]) -> set[int]:
        """Papers sharing a distinctive term, or a family and a topic, with this one.

        Lists longer than CANDIDATES_PER_KEY say little about any one paper and would
        make the work grow with the square of the catalogue: they are passed over.
        """
        found: set[int] = set()
        keys: list[Collection[int]] = [self.by_term[t] for t in terms if t in self.by_term]
        keys += [self.by_group[f, t] for f in paper.families for t in paper.topics
                 if (f, t) in self.by_group]
        for holders in keys:
            if len(holders) <= CANDIDATES_PER_KEY:
                found.update(holders)
        found.discard(mine)
        return found

    def _scores(self, mine: int, terms: dict[str, float], mask: int,
                candidates: set[int]) -> list[tuple[float, int]]:
        """(minus relatedness, number) of each candidate: relatedness is 3 per shared family,
        1.5 per shared topic, plus the terms' part: the sum, in this paper's order of its
        terms, of the lesser of the two weights of each term the candidate shares."""
        shared = dict.fromkeys(candidates, 0.0)  # the terms' part, summed in that order
        shared[mine] = 0.0  # this paper holds its own terms: a place to add them, unused
        for term, weight in terms.items():
            holders = self.by_term.get(term, {})
            if len(holders) <= CANDIDATES_PER_KEY:  # every holder is a candidate
                for other, theirs in holders.items():
                    shared[other] += weight if weight < theirs else theirs
            else:
                for other in holders.keys() & candidates:
                    theirs = holders[other]
                    shared[other] += weight if weight < theirs else theirs
        del shared[mine]
        labels = self.labels  # 3 * shared families + 1.5 * shared topics, exactly:
        return [(-(1.5 * (mask & labels[other]).bit_count() + part / 4), other)
                for other, part in shared.items()]


def _names(taxonomy: Taxonomy) -> tuple[dict[str, str], dict[str, str]]:
    """What the reasons of a related paper say of the taxonomy."""
    return ({f.id: f.name for f in taxonomy.families.values()},
            {t.id: t.name for t in taxonomy.topics.values()})


def _labels(paper: Paper) -> tuple[list[str], list[str]]:
    return paper.families, paper.topics


def _groups(paper: Paper) -> set[tuple[str, str]]:
    return {(f, t) for f in paper.families for t in paper.topics}


def _label_mask(paper: Paper, bits: dict[tuple[str, str], int], grow: bool = True) -> int:
    """A paper's labels as a bit set in which a family has two bits and a topic one, so
    that the bits two papers share count 2 per shared family and 1 per shared topic. Each
    label's bits are given in `bits` when first seen (`grow`), else it has none."""
    labels = [("family", f) for f in set(paper.families)]
    labels += [("topic", t) for t in set(paper.topics)]
    mask = 0
    for kind, label in labels:
        if grow:
            bits.setdefault((kind, label), 2 * len(bits))
        if (kind, label) in bits:
            mask += (3 if kind == "family" else 1) << bits[kind, label]
    return mask


def _explain(paper: Paper, other: Paper, mine: dict[str, float], theirs: dict[str, float],
             taxonomy: Taxonomy) -> Related:
    shared_terms = sorted(mine.keys() & theirs.keys(), key=lambda t: (-mine[t], t))
    reasons = [f"same family: {taxonomy.families[f].name}" for f in paper.families
               if f in other.families and f in taxonomy.families]
    reasons += [f"same topic: {taxonomy.topics[t].name}" for t in paper.topics
                if t in other.topics and t in taxonomy.topics]
    if shared_terms:
        reasons.append("shared terms: " + ", ".join(shared_terms[:3]))
    return Related(other.id, tuple(reasons))
