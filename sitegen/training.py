"""Fit the topic model (`sitegen.topicmodel`) to papers whose topics a person decided.

scikit-learn fits one L2-regularised logistic regression per topic; only the
fitted numbers are kept. Everything is deterministic: the solver is, the
vocabulary and examples are sorted, and the file rounds its numbers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .classify import topic_scores
from .taxonomy import Taxonomy
from .text import fold
from .topicmodel import TopicModel, choose, features, terms

MIN_DOCUMENTS = 2  # a term must appear in this many training papers to count
MIN_EXAMPLES = 3  # papers a topic needs to be learned; below, its rules propose it
REGULARISATION = 10.0  # scikit-learn's C
RULE_SCALE = 3.0
SECONDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)  # thresholds tried for further topics


@dataclass(frozen=True)
class Example:
    title: str
    abstract: str
    topics: tuple[str, ...]  # primary first


def rule_scores(title: str, abstract: str, taxonomy: Taxonomy) -> dict[str, float]:
    return topic_scores(fold(title), fold(abstract), taxonomy)


def fit(examples: Sequence[Example], taxonomy: Taxonomy) -> TopicModel:
    """A model for the taxonomy's topics from these examples (the further-topic threshold
    chosen by cross-validation inside them)."""
    model = _fit_weights(examples, taxonomy, second=0.5)
    second = _best_second(examples, taxonomy) if len(examples) >= 20 else 0.5
    return TopicModel(model.idf, model.rule_scale, model.topics, second)


def _fit_weights(examples: Sequence[Example], taxonomy: Taxonomy, second: float) -> TopicModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    idf = _idf(examples)
    rows = [features(e.title, e.abstract, rule_scores(e.title, e.abstract, taxonomy), idf,
                     RULE_SCALE) for e in examples]
    vectoriser = DictVectorizer(sort=True)
    matrix = vectoriser.fit_transform(rows)
    names = vectoriser.get_feature_names_out()
    topics = {}
    for topic in sorted(taxonomy.topics):
        target = [topic in e.topics for e in examples]
        if sum(target) < MIN_EXAMPLES or all(target):
            continue
        solver = LogisticRegression(C=REGULARISATION, class_weight="balanced",
                                    solver="lbfgs", max_iter=2000)
        solver.fit(matrix, target)
        weights = {str(n): round(float(w), 5) for n, w in zip(names, solver.coef_[0],
                                                              strict=True)
                   if abs(w) >= 1e-3}
        topics[topic] = (round(float(solver.intercept_[0]), 5), weights)
    return TopicModel({t: round(v, 5) for t, v in idf.items()}, RULE_SCALE, topics, second)


def _idf(examples: Sequence[Example]) -> dict[str, float]:
    frequency: Counter[str] = Counter()
    for example in examples:
        frequency.update(set(terms(example.title, example.abstract)))
    count = len(examples)
    return {term: math.log((1 + count) / (1 + df)) + 1.0
            for term, df in sorted(frequency.items()) if df >= MIN_DOCUMENTS}


def folds(keys: Sequence[str], k: int) -> list[int]:
    """A fold number for each key, stable whatever else is in the set (by hash)."""
    import hashlib

    return [int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % k for key in keys]


def _best_second(examples: Sequence[Example], taxonomy: Taxonomy, k: int = 4) -> float:
    """The further-topic threshold with the best micro-F1 on held-out parts of the examples."""
    assigned = folds([e.title for e in examples], k)
    found: list[tuple[frozenset[str], dict[str, float]]] = []
    for part in range(k):
        train = [e for e, f in zip(examples, assigned, strict=True) if f != part]
        model = _fit_weights(train, taxonomy, 0.5)
        for example, f in zip(examples, assigned, strict=True):
            if f == part:
                found.append((frozenset(example.topics), predict_probabilities(
                    model, example.title, example.abstract, taxonomy)))

    def f1(second: float) -> float:
        hits = proposed = actual = 0
        for gold, probabilities in found:
            chosen = set(choose(probabilities, second, 3))
            hits, proposed, actual = hits + len(gold & chosen), proposed + len(chosen), \
                actual + len(gold)
        return 2 * hits / (proposed + actual) if proposed + actual else 0.0

    return max(SECONDS, key=lambda s: (f1(s), s))


def predict_probabilities(model: TopicModel, title: str, abstract: str,
                          taxonomy: Taxonomy) -> dict[str, float]:
    return model.probabilities(features(title, abstract, rule_scores(title, abstract, taxonomy),
                                        model.idf, model.rule_scale))
