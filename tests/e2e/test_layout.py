"""The pages fit a phone's width, and screenshots of them are kept for review."""

from __future__ import annotations

import pytest

from .helpers import DESKTOP, HOSTILE, PAGE_KINDS, PHONE, SCREENSHOTS, settled

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["", f"papers/{HOSTILE}/", "topics/model-release/", "search/"],
                         ids=["home", "hostile paper", "topic", "search"])
def test_no_horizontal_scrollbar_on_a_phone(open_context, site, path):
    page = open_context(viewport=PHONE).new_page()
    page.goto(site.page_url(path))
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url} is {width}px wide in a {inner}px window"


def test_the_matrix_scrolls_inside_its_own_box_on_a_phone(open_context, site):
    page = open_context(viewport=PHONE).new_page()
    page.goto(site.url)
    box = page.locator(".matrix-scroll")
    inside, visible = box.evaluate("box => [box.scrollWidth, box.clientWidth]")
    assert inside > visible, "the matrix should be wider than a phone, so this checks nothing"
    box.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert box.evaluate("box => box.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("name, size", [("desktop", DESKTOP), ("phone", PHONE)],
                         ids=["desktop", "phone"])
@pytest.mark.parametrize("page_name, path", PAGE_KINDS.items(), ids=PAGE_KINDS.keys())
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots(open_context, site, page_name, path, name, size, scheme):
    """One of every page kind, at 390 x 844 and 1280 x 900, in both colour schemes, kept under
    test-results/screenshots/ (CI uploads them)."""
    page = open_context(viewport=size, color_scheme=scheme).new_page()
    page.goto(site.page_url(path))
    settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{page_name}-{name}{'' if scheme == 'light' else '-dark'}.png"
    shot.unlink(missing_ok=True)
    page.screenshot(path=shot, full_page=True)
    assert shot.is_file() and shot.stat().st_size > 1000
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
