"""The evidence `sitegen enrich` asks for: the abstract threshold sits between the scores
of the same papers' other copies and those of different papers (tests/measure_abstracts.py
prints both; the full comparison of every pair takes seconds, so this test compares the
look-alikes `check` would consider)."""

from __future__ import annotations

from pathlib import Path

import pytest
from measure_abstracts import same_paper_scores

from sitegen.catalogue.blocking import candidate_pairs
from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.match import abstract_similarity
from sitegen.enrich.evidence import ABSTRACTS_AGREE, FOUND, NOT_FOUND, UNCERTAIN, decide
from sitegen.enrich.source import Record

ROOT = Path(__file__).resolve().parent.parent
MARGIN = 5.0  # points kept free on each side of the threshold


@pytest.fixture(scope="module")
def papers() -> dict:
    return load_catalogue(ROOT / "content").papers


def test_every_other_copy_of_a_paper_s_abstract_agrees(papers):
    scores = same_paper_scores(papers)
    assert len(scores) >= 7
    assert min(score for score, _, _ in scores) >= ABSTRACTS_AGREE + MARGIN


def test_no_look_alike_of_the_catalogue_agrees(papers):
    ordered = sorted(papers.values(), key=lambda paper: paper.id)
    pairs = candidate_pairs([p.title for p in ordered], [p.abstract for p in ordered])
    assert len(pairs) > 40  # enough look-alikes to say something
    scores = [abstract_similarity(ordered[i].abstract, ordered[j].abstract) or 0.0
              for i, j in pairs]
    assert max(scores) <= ABSTRACTS_AGREE - MARGIN


ABSTRACT = ("We present a way to adapt a language model with few parameters, and show that it "
            "works on many tasks while costing an hour of training on eight GPUs, with code "
            "released for everyone who wants to build on it.")


def record(arxiv: str, title: str = "Tiny Adapters: Tuning Less", abstract: str = ABSTRACT):
    return Record(arxiv=arxiv, title=title, abstract=abstract)


def test_titles_agree_apart_from_case_punctuation_and_spacing():
    found = decide("tiny adapters -- tuning less", ABSTRACT, [record("2401.00001")])
    assert (found.outcome, found.record) == (FOUND, record("2401.00001"))


def test_an_abstract_too_short_to_compare_is_no_evidence():
    short = decide("Tiny Adapters: Tuning Less", ABSTRACT[:150], [record("2401.00001")])
    assert short.outcome == UNCERTAIN and "no abstract long enough" in short.why


def test_a_different_title_is_no_match():
    assert decide("Huge Adapters", ABSTRACT, [record("2401.00001")]).outcome == NOT_FOUND
    assert decide("Huge Adapters", ABSTRACT, []).outcome == NOT_FOUND
