"""Pressing "/" jumps to the search box; inside a text field it types a slash."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_slash_focuses_the_header_search_box(page, site):
    page.goto(site.url)
    assert active_id(page) != "site-search"
    page.keyboard.press("/")
    assert active_id(page) == "site-search"
    assert page.locator("#site-search").input_value() == ""  # the key only moved the focus


def test_slash_focuses_the_search_page_query_box(page, site):
    page.goto(site.page_url("search/"))
    page.keyboard.press("/")
    assert active_id(page) == "search-query"


@pytest.mark.parametrize("path, box", [("", "#site-search"), ("search/", "#search-query")],
                         ids=["header box", "search page box"])
def test_slash_inside_a_search_box_types_a_slash(page, site, path, box):
    page.goto(site.page_url(path))
    page.locator(box).click()
    page.keyboard.type("llama/2")
    assert page.locator(box).input_value() == "llama/2"
    page.keyboard.press("/")
    assert page.locator(box).input_value() == "llama/2/"
