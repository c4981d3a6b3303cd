"""/search/ by publication date, in a real browser: the year facet (with papers without a
date as "no date"), the order by date next to relevance (papers without a date last), the
year in every result that has one, and all of it kept in the URL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from sitegen.catalogue.load import load_catalogue

from .helpers import FIXTURE
from .test_search import facet_counts, open_search, titles, type_query

pytestmark = pytest.mark.e2e
PUBLISHED = {p.title: p.published for p in load_catalogue(FIXTURE).papers.values()}
QUERY = "language models"  # papers with a date and papers without one


def dates(names: list[str]) -> list[str]:
    return [PUBLISHED[name] for name in names]


def test_the_query_finds_papers_with_and_without_a_date(page, site):
    """The premise of the tests below."""
    open_search(page, site)
    found = dates(type_query(page, QUERY))
    assert "" in found and len({d for d in found if d}) >= 2


def test_the_year_facet_counts_papers_by_year_and_lists_those_without_a_date(page, site):
    open_search(page, site)
    found = dates(type_query(page, QUERY))
    years = facet_counts(page, "year")
    expected = [*sorted({d[:4] for d in found if d}, reverse=True), "none"]
    assert list(years) == expected  # newest first, then the papers without a date
    for year in expected[:-1]:
        assert years[year] == f"{year} ({sum(d[:4] == year for d in found)})"
    assert years["none"] == f"no date ({found.count('')})"


@pytest.mark.parametrize("year", ["2023", "none"])
def test_choosing_a_year_shows_only_its_papers(page, site, year):
    open_search(page, site)
    everything = type_query(page, QUERY)
    page.check(f"#search-facets input[name=year][value='{year}']")
    chosen = titles(page)
    assert chosen == [t for t in everything if (PUBLISHED[t][:4] or "none") == year]
    assert parse_qs(urlsplit(page.url).query)["year"] == [year]


def test_a_year_alone_lists_every_paper_of_that_year(page, site):
    open_search(page, site, "?year=2023")
    assert sorted(titles(page)) == sorted(t for t, d in PUBLISHED.items() if d[:4] == "2023")
    assert page.locator("#search-status").inner_text().endswith("with the chosen filters")


@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_ordering_by_date_puts_papers_without_one_last(page, site, order):
    open_search(page, site)
    relevance = type_query(page, QUERY)
    page.select_option("#search-sort", order)
    ordered = titles(page)
    assert sorted(ordered) == sorted(relevance)
    known = [d for d in dates(ordered) if d]
    assert dates(ordered) == known + [""] * (len(ordered) - len(known))
    assert known == sorted(known, reverse=order == "newest")
    undated = [t for t in ordered if not PUBLISHED[t]]
    assert undated == [t for t in relevance if not PUBLISHED[t]]  # in relevance order
    page.select_option("#search-sort", "relevance")
    assert titles(page) == relevance


def test_results_show_the_year_of_papers_that_have_one(page, site):
    open_search(page, site)
    type_query(page, QUERY)
    for item in page.locator("#search-results > li").all():
        published = PUBLISHED[item.locator("a").inner_text()]
        year = item.locator(".year time")
        if published:
            assert year.get_attribute("datetime") == published
            assert item.locator(".year").inner_text() == f"(published {published[:4]})"
        else:
            assert year.count() == 0


def test_a_shared_link_keeps_the_year_and_the_order(page, site):
    open_search(page, site)
    type_query(page, QUERY)
    page.check("#search-facets input[name=year][value='2023']")
    page.select_option("#search-sort", "oldest")
    expected, url = titles(page), page.url
    assert parse_qs(urlsplit(url).query) == {"q": [QUERY], "year": ["2023"], "sort": ["oldest"]}
    other = page.context.new_page()
    other.goto(url)
    other.wait_for_selector("html[data-search-ready]")
    assert titles(other) == expected
    assert other.locator("#search-sort").input_value() == "oldest"
    assert other.locator("#search-facets input[name=year][value='2023']").is_checked()


def test_an_unknown_year_or_order_in_the_url_is_dropped_and_said_so(page, site):
    open_search(page, site, "?q=mistral&year=1066&sort=random")
    assert titles(page) == ["Mistral 7B"]
    assert urlsplit(page.url).query == "q=mistral"
    assert page.locator("#search-sort").input_value() == "relevance"
    assert page.locator("#search-status").inner_text() == (
        "1 paper for “mistral”. Unknown filters ignored: sort “random”, year “1066”")
