"""Related papers: a paper's related list as it would be were it saved otherwise, made
from the catalogue as it is (the preview's first look), agrees with the catalogue."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from conftest import ROOT

from sitegen.catalogue.load import load_catalogue, validated
from sitegen.site.related import RelatedIndex

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def index(content: Path = FIXTURE) -> RelatedIndex:
    catalogue = validated(load_catalogue(content))
    assert catalogue is not None
    return RelatedIndex(catalogue.papers, catalogue.taxonomy)


def test_a_paper_saved_as_it_is_has_the_related_papers_the_catalogue_gives_it():
    related = index()
    assert all(related.related_as_saved(paper) == related.related(paper.id)
               for paper in related.papers.values())
    assert any(related.related(paper_id) for paper_id in related.papers)


def test_a_paper_saved_with_another_papers_words_and_labels_is_related_to_it():
    related = index()
    paper, other = (related.papers[i] for i in related.ids[:2])
    saved = dataclasses.replace(paper, title=other.title, abstract=other.abstract,
                                topics=other.topics, families=other.families)
    found = related.related_as_saved(saved)
    assert found[0].id == other.id
    assert found[0].reasons[-1].startswith("shared terms: ")


def test_a_label_no_other_paper_has_is_shared_with_none():
    related = index()
    paper = related.papers[related.ids[0]]
    saved = dataclasses.replace(paper, topics=["a-topic-of-its-own"], families=[])
    bits = dict(related.bits)
    assert not any(reason.startswith("same ")
                   for found in related.related_as_saved(saved) for reason in found.reasons)
    assert related.bits == bits  # the catalogue's index is as it was
