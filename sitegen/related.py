"""Related papers: shared model family, shared topics and distinctive shared terms."""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .model import Paper
from .taxonomy import Taxonomy

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


def _terms(paper: Paper) -> Counter:
    words = _WORD.findall(f"{paper.title} {paper.title} {paper.abstract}".lower())
    return Counter(w for w in words if w not in _STOP and len(w) > 2)


def _top_terms(papers: list[Paper]) -> dict[str, dict[str, float]]:
    """Each paper's most distinctive terms, weighted by tf-idf."""
    counts = {p.id: _terms(p) for p in papers}
    frequency = Counter(term for terms in counts.values() for term in terms)
    total = len(papers)
    top = {}
    for pid, terms in counts.items():
        weights = {t: n * math.log(total / frequency[t]) for t, n in terms.items()
                   if frequency[t] > 1}
        best = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TERMS_PER_PAPER]
        top[pid] = dict(best)
    return top


def related_papers(papers: dict[str, Paper], taxonomy: Taxonomy) -> dict[str, list[Related]]:
    """For every paper, up to five related papers with the reasons they are related."""
    terms = _top_terms(list(papers.values()))
    by_term: dict[str, list[str]] = defaultdict(list)
    by_group: dict[tuple[str, str], list[str]] = defaultdict(list)
    for paper in papers.values():
        for term in terms[paper.id]:
            by_term[term].append(paper.id)
        for family in paper.families:
            for topic in paper.topics:
                by_group[family, topic].append(paper.id)
    result = {}
    for paper in papers.values():
        scores = _scores(paper, papers, terms, _candidates(paper, terms, by_term, by_group))
        best = heapq.nsmallest(RELATED, scores.items(), key=lambda item: (-item[1], item[0]))
        result[paper.id] = [_explain(paper, papers[other], terms, taxonomy)
                            for other, score in best if score > 0]
    return result


def _candidates(paper: Paper, terms: dict, by_term: dict, by_group: dict) -> set[str]:
    """Papers sharing a distinctive term, or a family and a topic, with this one.

    Lists longer than CANDIDATES_PER_KEY say little about any one paper and would
    make the work grow with the square of the catalogue: they are passed over.
    """
    found: set[str] = set()
    keys = [by_term[t] for t in terms[paper.id]]
    keys += [by_group[f, t] for f in paper.families for t in paper.topics]
    for holders in keys:
        if len(holders) <= CANDIDATES_PER_KEY:
            found.update(holders)
    found.discard(paper.id)
    return found


def _scores(paper: Paper, papers: dict[str, Paper], terms: dict,
            candidates: set[str]) -> dict[str, float]:
    """Relatedness of each candidate: 3 per shared family, 1.5 per shared topic, plus terms."""
    own = terms[paper.id]
    families, topics = set(paper.families), set(paper.topics)
    scores = {}
    for other_id in candidates:
        other, theirs = papers[other_id], terms[other_id]
        score = 3.0 * len(families.intersection(other.families))
        score += 1.5 * len(topics.intersection(other.topics))
        score += sum(min(weight, theirs[t]) for t, weight in own.items() if t in theirs) / 4
        scores[other_id] = score
    return scores


def _explain(paper: Paper, other: Paper, terms: dict, taxonomy: Taxonomy) -> Related:
    shared_terms = sorted(set(terms[paper.id]) & set(terms[other.id]),
                          key=lambda t: (-terms[paper.id][t], t))
    reasons = [f"same family: {taxonomy.families[f].name}" for f in paper.families
               if f in other.families and f in taxonomy.families]
    reasons += [f"same topic: {taxonomy.topics[t].name}" for t in paper.topics
                if t in other.topics and t in taxonomy.topics]
    if shared_terms:
        reasons.append("shared terms: " + ", ".join(shared_terms[:3]))
    return Related(other.id, tuple(reasons))
