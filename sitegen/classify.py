"""Propose topics and model families for a paper from the taxonomy's rules.

Topics: each topic's patterns score points (strong 2, weak 1; a title match
counts ``title_weight`` times). The best topics above the threshold win, at
most three, at least one.

Families: a family counts only where the paper releases, builds on or studies
the model. A mention in the title is decisive; a mention in the abstract
scores by its context: a building cue nearby ("fine-tune", "based on") adds,
a passing cue ("such as", "outperforms", "compared with") cancels it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .taxonomy import Family, Settings, Taxonomy, Topic
from .text import fold

_SENTENCE_START = re.compile(r"[.!?;]\s")
_CONTEXT = 70
_NEAR = 30  # a passing cue this close to a mention outweighs any building cue
# "a BERT-style annotator", "GPT-like models": a likeness, not the model itself.
_ANALOGY = re.compile(r"[- ]?(style|like|esque)\b")
_ABBREVIATION = re.compile(r"\b(e\.g|i\.e|cf|vs|et al)\.")
# What may stand between two model names of one list: a size suffix and a separator.
_LIST_GAP = re.compile(r"[\w.-]*(\s*[,/]\s*(and\s+|or\s+)?|\s+(and|or)\s+)")


@dataclass(frozen=True)
class Labels:
    """The proposed labels, and for each one the words that made the proposal."""

    topics: list[str]
    families: list[str]
    evidence: dict[str, str] = field(default_factory=dict)  # label id -> evidence


def classify(title: str, abstract: str, taxonomy: Taxonomy) -> Labels:
    title_text, abstract_text = fold(title), fold(abstract)
    topics = _topics(title_text, abstract_text, taxonomy)
    families = _families(title_text, abstract_text, taxonomy)
    evidence = {t: _topic_evidence(title_text, abstract_text, taxonomy.topics[t])
                for t in topics if t in taxonomy.topics}
    evidence |= {f: _family_evidence(title_text, abstract_text, taxonomy.families[f])
                 for f in families}
    return Labels(topics, families, {k: v for k, v in evidence.items() if v})


def _quoted(text: str, spans: list[tuple[int, int]], most: int = 3) -> str:
    return ", ".join(dict.fromkeys(f'"{text[a:b]}"' for a, b in spans[:most]))


def _topic_evidence(title: str, abstract: str, topic: Topic) -> str:
    """The topic's cues found in the title and abstract, strong ones first."""
    parts = []
    for where, text in (("title", title), ("abstract", abstract)):
        spans = [span for pattern in topic.strong + topic.weak for span in pattern.spans(text)]
        if spans:
            parts.append(f"{where}: {_quoted(text, spans)}")
    return "; ".join(parts)


def _family_evidence(title: str, abstract: str, family: Family) -> str:
    """Where the family is named: in the title, else the first mentions in the abstract."""
    for where, text in (("title", title), ("abstract", abstract)):
        spans = _mentions(family, text)
        if spans:
            return f"{where}: {_quoted(text, spans)}"
    return ""


def topic_scores(title: str, abstract: str, taxonomy: Taxonomy) -> dict[str, float]:
    weight = taxonomy.settings.title_weight
    scores = {}
    for topic in taxonomy.topics.values():
        in_title, in_abstract = topic.any_pattern.search(title), topic.any_pattern.search(abstract)
        if not (in_title or in_abstract):
            continue
        score = 0.0
        for points, patterns in ((2.0, topic.strong), (1.0, topic.weak)):
            for pattern in patterns:
                if in_title and pattern.search(title):
                    score += points * weight
                if in_abstract:
                    score += points * pattern.count(abstract, limit=2)
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


def family_scores(title: str, abstract: str, taxonomy: Taxonomy) -> dict[str, float]:
    settings = taxonomy.settings
    scores: dict[str, float] = {}
    for family in taxonomy.families.values():
        if _mentions(family, title):
            scores[family.id] = 2.0 * settings.family_threshold
    abstract = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", ""), abstract)
    mentions = sorted((start, end, family.id) for family in taxonomy.families.values()
                      for start, end in _mentions(family, abstract))
    previous_end, previous_weight = -1, 0.0
    for start, end, family_id in mentions:
        if previous_end >= 0 and _LIST_GAP.fullmatch(abstract[previous_end:start]):
            weight = previous_weight  # "on Llama-2, Mistral and Gemma": one list, one role
        else:
            weight = _mention_weight(abstract, start, end, settings)
        scores[family_id] = scores.get(family_id, 0.0) + weight
        previous_end, previous_weight = end, weight
    return {family_id: score for family_id, score in scores.items() if score}


def _families(title: str, abstract: str, taxonomy: Taxonomy) -> list[str]:
    scores = family_scores(title, abstract, taxonomy)
    chosen = {f for f, s in scores.items() if s >= taxonomy.settings.family_threshold}
    # "Teaching Llama ..." whose abstract names Llama 2: the generation named is the one.
    chosen |= {child for f in chosen for child in taxonomy.children(f) if scores.get(child, 0) >= 1}
    # A named generation (Llama 2) says more than its parent (LLaMA): keep the child.
    covered = {a for f in chosen for a in taxonomy.ancestors(f)}
    return sorted(chosen - covered, key=lambda f: (-scores[f], f))


def _mentions(family: Family, text: str) -> list[tuple[int, int]]:
    if not family.any_pattern.search(text):
        return []
    spans = set()
    for pattern in family.patterns:
        for start, end in pattern.spans(text):
            window = text[max(0, start - 12): end + 12]
            if _ANALOGY.match(text, end) or any(ex.search(window) for ex in family.exclude):
                continue
            spans.add((start, end))
    return sorted(spans)


def _mention_weight(text: str, start: int, end: int, settings: Settings) -> float:
    """How much one mention in the abstract says the paper works on the model.

    Cues are read in the sentence before the mention; building cues that are not
    anchored to the mention (no trailing ``$``) are also read just after it.
    """
    sentence = _SENTENCE_START.split(text[max(0, start - _CONTEXT): start])[-1]
    after = _SENTENCE_START.split(text[end: end + _CONTEXT // 2])[0]
    near = sentence[-_NEAR:]
    if any(cue.search(near) for cue in settings.passing_cues):
        return 0.0
    for cue in settings.building_cues:
        if cue.search(sentence) or (not cue.source.endswith("$") and cue.search(after)):
            return 2.0
    if any(cue.search(sentence) for cue in settings.passing_cues):
        return 0.0
    return 1.0
