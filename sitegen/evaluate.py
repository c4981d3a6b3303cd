"""Measure the classification rules against a hand-labelled gold set."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .classify import Labels
from .model import Problem
from .text import title_key


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class GoldPaper:
    title: str
    topics: frozenset[str]
    families: frozenset[str]
    id: str = ""
    primary: str = ""  # the first topic: the paper's main subject


def load_gold(path: Path) -> list[GoldPaper]:
    """The reference set: a YAML list of `{id, title, topics, families, ...}`, topics
    primary first (the older form, `papers: [{title, topics, families}]`, is read too)."""
    data = yamlio.load(path.read_text("utf-8")).data
    items = data["papers"] if isinstance(data, dict) else data
    return [GoldPaper(str(item["title"]), frozenset(item["topics"]), frozenset(item["families"]),
                      str(item.get("id", "")), str(item["topics"][0]) if item["topics"] else "")
            for item in items]


def micro_score(pairs: list[tuple[frozenset[str], frozenset[str]]]) -> Score:
    """Micro-averaged precision, recall and F1 over (gold, predicted) label sets."""
    true_pos = sum(len(gold & predicted) for gold, predicted in pairs)
    predicted = sum(len(p) for _, p in pairs)
    actual = sum(len(g) for g, _ in pairs)
    precision = true_pos / predicted if predicted else 1.0
    recall = true_pos / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, actual)


def evaluate(gold: list[GoldPaper], texts: dict[str, tuple[str, str]],
             propose: Callable[[str, str], Labels]) -> tuple[dict[str, Score], list[Problem]]:
    """Score proposed labels of the gold papers; `texts` maps title keys to (title, abstract)."""
    topics, families, problems = [], [], []
    for paper in gold:
        text = texts.get(title_key(paper.title))
        if text is None:
            problems.append(Problem("gold", 0, "title", f"{paper.title!r} is not in the catalogue"))
            continue
        labels = propose(*text)
        topics.append((paper.topics, frozenset(labels.topics)))
        families.append((paper.families, frozenset(labels.families)))
    return {"topics": micro_score(topics), "families": micro_score(families)}, problems


def format_scores(scores: dict[str, Score], count: int) -> str:
    lines = [f"{count} hand-labelled papers", f"{'':10} precision  recall  F1     labels"]
    for name, score in scores.items():
        lines.append(f"{name:10} {score.precision:9.3f}  {score.recall:6.3f}  {score.f1:.3f}"
                     f"  {score.support:6d}")
    return "\n".join(lines)
