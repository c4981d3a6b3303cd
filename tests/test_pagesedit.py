"""The pages' contents after edits that moved no paper are made from the last ones, the
edited papers' items swapped in: the very contents `build_pages` works out afresh. Edits
that move a paper (its labels, its place among the recent papers, its citation key, a
paper added or removed) are worked out afresh."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import ROOT

from sitegen.catalogue.load import ValidCatalogue, load_catalogue, validated
from sitegen.core.model import Paper
from sitegen.site.digest import digest
from sitegen.site.pages import Pages, build_pages, recent_order
from sitegen.site.pagesedit import edited_pages

SITE = ROOT / "tests" / "fixtures" / "site"
BASE, EDITS = "https://example.org/papers/", "https://example.org/edit/"


@pytest.fixture(scope="module")
def last() -> tuple[ValidCatalogue, Pages]:
    valid = validated(load_catalogue(SITE))
    assert valid is not None
    return valid, build_pages(valid, BASE, EDITS, lazy=True)


def edited(valid: ValidCatalogue, *papers: Paper) -> ValidCatalogue:
    return dataclasses.replace(valid, papers={**valid.papers, **{p.id: p for p in papers}})


def contents(pages: Pages) -> tuple:
    """All that the templates are given, and the list pages' digests (their keys)."""
    lists = [*pages.topics, *pages.families, *pages.cells]
    return (pages.home, lists, [digest(page) for page in lists], pages.topic_index,
            pages.family_tree, [pages.papers.context(i) for i in range(len(pages.papers))])


def test_retitled_papers_are_swapped_into_the_last_lists_as_build_pages_lists_them(last):
    valid, pages = last
    newest = max(valid.papers.values(), key=recent_order)  # on the home page too
    other = next(p for p in valid.papers.values() if p.families and p.id != newest.id)
    now = edited(valid, dataclasses.replace(newest, title=f"{newest.title} again"),
                 dataclasses.replace(other, abstract="Another abstract, the same place."))
    made = edited_pages(last, now, BASE, EDITS)
    assert made is not None
    assert contents(made) == contents(build_pages(now, BASE, EDITS, lazy=True))
    for before, after in zip([*pages.topics, *pages.cells], [*made.topics, *made.cells],
                             strict=True):  # a list that shows neither is the last one
        assert (after is before) == all(item.id not in (newest.id, other.id)
                                        for item in before.papers)
    assert edited_pages(last, valid, BASE, EDITS) is not None  # nothing changed


def _moved(paper: Paper) -> list[Paper]:
    first = "Zed, Zoe" if paper.authors[:1] != ["Zed, Zoe"] else "Ann, Ann"
    return [dataclasses.replace(paper, topics=[*paper.topics[::-1], "evaluation"]),
            dataclasses.replace(paper, families=[]),
            dataclasses.replace(paper, added="1999-01-01"),
            dataclasses.replace(paper, authors=[first, *paper.authors])]


def test_a_paper_that_moved_or_came_or_went_makes_the_lists_afresh(last):
    valid, _ = last
    paper = next(p for p in valid.papers.values() if p.families and p.authors)
    for moved in _moved(paper):
        assert edited_pages(last, edited(valid, moved), BASE, EDITS) is None, moved
    fewer = dict(valid.papers)
    del fewer[paper.id]
    assert edited_pages(last, dataclasses.replace(valid, papers=fewer), BASE, EDITS) is None
    assert edited_pages(last, valid, BASE, "https://example.org/other/") is None
