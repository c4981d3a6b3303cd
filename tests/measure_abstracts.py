"""Measure the abstract threshold of `sitegen enrich` (sitegen/enrich/evidence.py).

    PYTHONPATH=. python tests/measure_abstracts.py

Prints the abstract scores of the same papers' other copies
(tests/fixtures/enrich/same-paper-abstracts.yaml against content/papers/) and the
highest scores among every pair of different papers of content/papers/ (about a quarter
of a million pairs: some seconds). The threshold must sit between the two.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import yaml

from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.match import abstract_similarity
from sitegen.core.text import clean

ROOT = Path(__file__).resolve().parent.parent
COPIES = ROOT / "tests" / "fixtures" / "enrich" / "same-paper-abstracts.yaml"


def same_paper_scores(papers: dict) -> list[tuple[float, str, str]]:
    """(score, paper id, which copy) of each other copy of a catalogue paper's abstract."""
    copies = yaml.safe_load(COPIES.read_text("utf-8"))
    return [(abstract_similarity(papers[c["paper"]].abstract, clean(c["abstract"])) or 0.0,
             c["paper"], c["copy"]) for c in copies]


def different_paper_scores(papers: dict, floor: float = 40) -> list[tuple[float, str, str]]:
    """(score, id, id) of every pair of different papers scoring at least `floor`."""
    found = []
    for first, second in itertools.combinations(sorted(papers.values(), key=lambda p: p.id), 2):
        score = abstract_similarity(first.abstract, second.abstract, cutoff=floor) or 0.0
        if score >= floor:
            found.append((score, first.id, second.id))
    return sorted(found, reverse=True)


def main() -> None:
    papers = load_catalogue(ROOT / "content").papers
    print(f"same paper, other copies ({COPIES.relative_to(ROOT)}):")
    for score, paper_id, copy in sorted(same_paper_scores(papers)):
        print(f"  {score:5.1f}  {paper_id}: {copy}")
    pairs = len(papers) * (len(papers) - 1) // 2
    print(f"different papers, highest of {pairs:,} pairs of {len(papers)} papers:")
    for score, first, second in different_paper_scores(papers)[:10]:
        print(f"  {score:5.1f}  {first} / {second}")


if __name__ == "__main__":
    main()
