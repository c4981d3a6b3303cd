"""Propose topics and model families for a paper from the taxonomy's rules.

Topics: each topic's patterns score points (strong 2, weak 1; a title match
counts ``title_weight`` times; none inside a match of the topic's ``exclude``
patterns, the words' other senses). Where people have reviewed papers, the topics of
the reviewed papers most like the text add to them (`sitegen.ingest.neighbours`):
each topic up to half the best score (or of the threshold, if more), by its share
of their similarity. The best topics above the threshold win, at most three, at
least one.

Families: see `sitegen.ingest.families` and `sitegen.ingest.roles`.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from sitegen.catalogue.taxonomy import STRONG, WEAK, Taxonomy
from sitegen.core.patterns import Pattern
from sitegen.core.text import fold
from sitegen.ingest.families import find_families
from sitegen.ingest.neighbours import Reviewed, Vote

NEIGHBOUR_WEIGHT = 0.5  # the most the reviewed papers add to a topic, as a share of the best


@dataclass(frozen=True)
class Labels:
    """The proposed labels, and for each one the words that made the proposal."""

    topics: list[str]
    families: list[str]
    evidence: dict[str, str] = field(default_factory=dict)  # label id -> evidence


Label = Callable[[str, str], Labels]  # a title and abstract's labels
Found = dict[str, list[tuple[float, list[tuple[int, int]]]]]  # topic -> (points, spans)


def classify(title: str, abstract: str, taxonomy: Taxonomy, reviewed: Reviewed | None = None,
             exclude: str = "") -> Labels:
    """The labels proposed for a text; with the topics of the `reviewed` papers most like
    it (but the paper `exclude`) added to the rules' scores."""
    title_text, abstract_text = fold(title), fold(abstract)
    found = _found(title_text, taxonomy), _found(abstract_text, taxonomy)
    scores = _scores(*found, taxonomy)
    vote = reviewed.vote(title, abstract, exclude) if reviewed is not None else None
    topics = _topics(_with_vote(scores, vote, taxonomy), taxonomy)
    families, evidence = find_families(title_text, abstract_text, taxonomy)
    evidence |= {t: _topic_evidence(title_text, abstract_text, t, *found, vote)
                 for t in topics if t in taxonomy.topics}
    return Labels(topics, families, {k: v for k, v in evidence.items() if v})


def _with_vote(scores: dict[str, float], vote: Vote | None,
               taxonomy: Taxonomy) -> dict[str, float]:
    """The rules' scores, each topic the reviewed papers gave raised by its share of the
    vote times `NEIGHBOUR_WEIGHT` of the best score (of the threshold, if that is more)."""
    if vote is None or not vote.shares:
        return scores
    scale = NEIGHBOUR_WEIGHT * max([*scores.values(), taxonomy.settings.topic_threshold])
    raised = dict(scores)
    for topic in taxonomy.topics:  # in one order: the same sums on every run
        if topic in vote.shares:
            raised[topic] = raised.get(topic, 0.0) + scale * vote.shares[topic]
    return raised


def _found(text: str, taxonomy: Taxonomy) -> Found:
    """Where each topic's patterns match the text, pattern by pattern (strong ones first),
    but inside a match of the topic's `exclude` patterns (another sense of its words)."""
    found: Found = {}
    outside: dict[str, Callable[[tuple[int, int]], bool]] = {}
    for topic, points, pattern in taxonomy.topic_cues.possible(text):
        spans = pattern.spans(text)
        if spans and topic in taxonomy.topics and taxonomy.topics[topic].exclude:
            if topic not in outside:
                outside[topic] = _outside(text, taxonomy.topics[topic].exclude)
            spans = [span for span in spans if outside[topic](span)]
        if spans:
            found.setdefault(topic, []).append((points, spans))
    return found


def _outside(text: str, exclude: tuple[Pattern, ...]) -> Callable[[tuple[int, int]], bool]:
    """Whether a span lies outside every match of `exclude` in the text: found by bisecting
    the matches' starts, each with the furthest end of a match starting there or before
    (no span is compared with every match, however many of each)."""
    excluded = sorted(span for pattern in exclude for span in pattern.spans(text))
    starts = [start for start, _ in excluded]
    ends = list(itertools.accumulate((end for _, end in excluded), max))

    def outside(span: tuple[int, int]) -> bool:
        before = bisect.bisect_right(starts, span[0]) - 1
        return before < 0 or ends[before] < span[1]
    return outside


def _quoted(text: str, spans: list[tuple[int, int]], most: int = 3) -> str:
    return ", ".join(dict.fromkeys(f'"{text[a:b]}"' for a, b in spans[:most]))


def _topic_evidence(title: str, abstract: str, topic: str, in_title: Found,
                    in_abstract: Found, vote: Vote | None) -> str:
    """The topic's cues found in the title and abstract, strong ones first, then the
    reviewed papers like this one that people gave it."""
    parts = []
    for where, text, found in (("title", title, in_title), ("abstract", abstract, in_abstract)):
        spans = [span for _, spans in found.get(topic, ()) for span in spans]
        if spans:
            parts.append(f"{where}: {_quoted(text, spans)}")
    alike = [pid for pid, topics in (vote.papers if vote else ()) if topic in topics]
    if vote and alike:
        parts.append(f"{len(alike)} of the {len(vote.papers)} most similar reviewed papers: "
                     + ", ".join(alike[:2]) + (", ..." if len(alike) > 2 else ""))
    return "; ".join(parts)


def _scores(in_title: Found, in_abstract: Found, taxonomy: Taxonomy) -> dict[str, float]:
    """Each topic's points, in the taxonomy's order (topics scoring none left out): strong
    cues then weak, each its title matches (times `title_weight`) then its abstract's (at
    most two a pattern)."""
    weight, scores = taxonomy.settings.title_weight, {}
    for topic in taxonomy.topics:
        if topic not in in_title and topic not in in_abstract:
            continue  # most topics: no cue found, no score
        titled, found = in_title.get(topic, ()), in_abstract.get(topic, ())
        score = 0.0
        for points in (STRONG, WEAK):  # summed in one order: any weight, one score
            score += points * weight * sum(1 for p, _ in titled if p == points)
            score += points * sum(min(len(spans), 2) for p, spans in found if p == points)
        if score:
            scores[topic] = score
    return scores


def _topics(scores: dict[str, float], taxonomy: Taxonomy) -> list[str]:
    settings = taxonomy.settings
    ranked = sorted(scores, key=lambda t: (-scores[t], t))
    if not ranked:
        return [settings.default_topic] if settings.default_topic else []
    best = scores[ranked[0]]
    floor = max(settings.topic_threshold, best * settings.topic_relative)
    chosen = [t for t in ranked if scores[t] >= floor][:3]
    return chosen or ranked[:1]
