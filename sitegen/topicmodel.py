"""Topics from a linear model trained on the papers people labelled, with the rules' help.

A paper is described by the words of its title and abstract (weighted by how
rare they are, as TF-IDF) and by the taxonomy's rule score for each topic. One
logistic model per topic, trained by `sitegen train` (see `sitegen.training`),
turns them into a probability. The primary topic is the likeliest; up to two
more follow when likely enough. A topic the model was not trained on (one a
maintainer just added to the taxonomy) is proposed by its rules alone.

The model is plain data (a JSON file, `content/topics-model.json`): reading it
needs no machine-learning library, and the same file always gives the same labels.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .text import fold

MODEL_FILE = "topics-model.json"
_WORD = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
_STOP = frozenset("""a an and are as at be by can for from has have in is it its of on or our
that the their these this to we which with while via using into than not""".split())


@dataclass(frozen=True)
class TopicModel:
    """Trained weights: the vocabulary's IDF, and per topic a bias and weights."""

    idf: dict[str, float]
    rule_scale: float
    topics: dict[str, tuple[float, dict[str, float]]]  # topic -> (bias, feature -> weight)
    second: float  # probability a further topic needs, after the primary one
    most: int = 3

    def probabilities(self, features: dict[str, float]) -> dict[str, float]:
        """Each trained topic's probability for a paper's features."""
        found = {}
        for topic, (bias, weights) in self.topics.items():
            score = bias + sum(value * weights.get(name, 0.0) for name, value in features.items())
            found[topic] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
        return found


def terms(title: str, abstract: str) -> Counter[str]:
    """The words and word pairs of a paper; title words also count as `t:word`."""
    counts: Counter[str] = Counter()
    for prefix, text in (("t:", title), ("", abstract), ("", title)):
        words = [w for w in _WORD.findall(fold(text)) if w not in _STOP]
        counts.update(prefix + w for w in words)
        if not prefix:
            counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return counts


def features(title: str, abstract: str, rule_scores: dict[str, float],
             idf: dict[str, float], rule_scale: float) -> dict[str, float]:
    """TF-IDF of the known terms (unit length), and each topic's rule score as `rule:id`."""
    weights = {term: (1.0 + math.log(count)) * idf[term]
               for term, count in terms(title, abstract).items() if term in idf}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    found = {term: w / norm for term, w in weights.items()}
    best = max(rule_scores.values(), default=0.0) or 1.0
    for topic, score in rule_scores.items():
        found[f"rule:{topic}"] = rule_scale * score / best
    return found


def choose(probabilities: dict[str, float], second: float, most: int) -> list[str]:
    """The likeliest topic, then up to `most - 1` more whose probability reaches `second`."""
    ranked = sorted(probabilities, key=lambda t: (-probabilities[t], t))
    if not ranked:
        return []
    return [ranked[0]] + [t for t in ranked[1:most] if probabilities[t] >= second]


def load_model(content: Path) -> TopicModel | None:
    """The trained model of a catalogue, or None when it has none."""
    path = content / MODEL_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return TopicModel(idf=data["idf"], rule_scale=data["rule_scale"],
                      topics={t: (w["bias"], w["weights"]) for t, w in data["topics"].items()},
                      second=data["second"], most=data.get("most", 3))


def dump_model(model: TopicModel) -> bytes:
    """The model file's bytes: sorted keys and rounded numbers, so a retrain of the same
    labels gives the same file."""
    data = {"idf": {t: round(v, 5) for t, v in sorted(model.idf.items())},
            "rule_scale": model.rule_scale, "second": round(model.second, 4),
            "most": model.most,
            "topics": {t: {"bias": round(b, 5),
                           "weights": {k: round(v, 5) for k, v in sorted(w.items())}}
                       for t, (b, w) in sorted(model.topics.items())}}
    return (json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
