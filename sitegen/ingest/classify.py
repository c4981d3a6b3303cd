"""Propose topics and model families for a paper from the taxonomy's rules.

Topics: each topic's patterns score points (strong 2, weak 1; a title match
counts ``title_weight`` times). The best topics above the threshold win, at
most three, at least one.

Families: see `sitegen.ingest.families`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.catalogue.taxonomy import Taxonomy, Topic, possible
from sitegen.core.text import fold
from sitegen.ingest.families import find_families


@dataclass(frozen=True)
class Labels:
    """The proposed labels, and for each one the words that made the proposal."""

    topics: list[str]
    families: list[str]
    evidence: dict[str, str] = field(default_factory=dict)  # label id -> evidence


def classify(title: str, abstract: str, taxonomy: Taxonomy) -> Labels:
    title_text, abstract_text = fold(title), fold(abstract)
    topics = _topics(title_text, abstract_text, taxonomy)
    families, evidence = find_families(title_text, abstract_text, taxonomy)
    evidence |= {t: _topic_evidence(title_text, abstract_text, taxonomy.topics[t])
                 for t in topics if t in taxonomy.topics}
    return Labels(topics, families, {k: v for k, v in evidence.items() if v})


def _quoted(text: str, spans: list[tuple[int, int]], most: int = 3) -> str:
    return ", ".join(dict.fromkeys(f'"{text[a:b]}"' for a, b in spans[:most]))


def _topic_evidence(title: str, abstract: str, topic: Topic) -> str:
    """The topic's cues found in the title and abstract, strong ones first."""
    parts = []
    for where, text in (("title", title), ("abstract", abstract)):
        spans = [span for pattern in possible(topic.strong + topic.weak, text)
                 for span in pattern.spans(text)]
        if spans:
            parts.append(f"{where}: {_quoted(text, spans)}")
    return "; ".join(parts)


def topic_scores(title: str, abstract: str, taxonomy: Taxonomy) -> dict[str, float]:
    weight = taxonomy.settings.title_weight
    scores = {}
    for topic in taxonomy.topics.values():
        score = 0.0
        for points, patterns in ((2.0, topic.strong), (1.0, topic.weak)):
            score += points * weight * sum(1 for p in possible(patterns, title)
                                           if p.search(title))
            score += points * sum(p.count(abstract, limit=2)
                                  for p in possible(patterns, abstract))
        if score:
            scores[topic.id] = score
    return scores


def _topics(title: str, abstract: str, taxonomy: Taxonomy) -> list[str]:
    settings = taxonomy.settings
    scores = topic_scores(title, abstract, taxonomy)
    ranked = sorted(scores, key=lambda t: (-scores[t], t))
    if not ranked:
        return [settings.default_topic] if settings.default_topic else []
    best = scores[ranked[0]]
    floor = max(settings.topic_threshold, best * settings.topic_relative)
    chosen = [t for t in ranked if scores[t] >= floor][:3]
    return chosen or ranked[:1]


