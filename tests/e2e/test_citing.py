"""A reader cites a paper and orders a list by date, with a keyboard, with and without
JavaScript; a paper's identity shows as text, whatever it holds."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import DESKTOP, HOSTILE

pytestmark = pytest.mark.e2e

LLAVA = "papers/visual-instruction-tuning/"
TOPIC = "topics/model-release/"  # three papers, each with a publication date
UNDATED_TOO = "families/gpt/"  # a dated paper, then an undated one


def order(page) -> list[str]:
    return page.locator("#paper-list > li").evaluate_all(
        "items => items.map(li => li.dataset.published || '')")


def test_the_copy_button_copies_the_bibtex_from_the_keyboard_and_says_so(open_context, site):
    context = open_context(viewport=DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site.page_url(LLAVA))
    button = page.get_by_role("button", name="Copy BibTeX")
    expect(button).to_be_visible()
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".cite [role=status]")).to_have_text("Copied.")
    bibtex = page.locator("#bibtex").text_content()
    assert bibtex.startswith("@article{liu2023visual,\n")
    assert page.evaluate("navigator.clipboard.readText()") == bibtex


def test_a_refused_copy_says_to_copy_by_hand(open_context, site):
    context = open_context(viewport=DESKTOP)
    context.add_init_script("if (navigator.clipboard) navigator.clipboard.writeText = () => "
                            "Promise.reject(new DOMException('denied', 'NotAllowedError'));")
    page = context.new_page()
    page.goto(site.page_url(LLAVA))
    page.get_by_role("button", name="Copy BibTeX").click()
    expect(page.locator(".cite [role=status]")).to_have_text(
        "Could not copy: select the text and copy it instead.")


def test_without_javascript_the_bibtex_is_text_and_no_button_shows(no_js_page, site):
    no_js_page.goto(site.page_url(LLAVA))
    expect(no_js_page.locator("#bibtex")).to_contain_text("eprint = {2304.08485v2}")
    expect(no_js_page.get_by_role("button", name="Copy BibTeX")).to_be_hidden()


def test_a_list_is_ordered_by_date_with_the_keyboard_and_back(page, site):
    page.goto(site.page_url(TOPIC))
    listed = order(page)
    assert listed == ["2023-07-18", "2023-02-27", "2023-10-10"]  # the catalogue's order
    select = page.get_by_label("Order")
    expect(select).to_be_visible()
    select.focus()
    page.keyboard.press("ArrowDown")  # newest first
    assert order(page) == ["2023-10-10", "2023-07-18", "2023-02-27"]
    assert page.locator("#paper-list a.paper-title").first.text_content() == "Mistral 7B"
    page.keyboard.press("ArrowDown")  # oldest first
    assert order(page) == ["2023-02-27", "2023-07-18", "2023-10-10"]
    page.keyboard.press("Home")  # as listed
    assert order(page) == listed


@pytest.mark.parametrize("choice", ["newest", "oldest"])
def test_a_paper_without_a_date_comes_last_in_either_order(page, site, choice):
    page.goto(site.page_url(UNDATED_TOO))
    page.get_by_label("Order").select_option(choice)
    assert order(page) == ["2023-07-05", ""]


def test_without_javascript_a_list_keeps_its_order_and_shows_no_control(no_js_page, site):
    no_js_page.goto(site.page_url(UNDATED_TOO))
    expect(no_js_page.locator(".sort-control")).to_be_hidden()
    assert order(no_js_page) == ["2023-07-05", ""]


def test_a_hostile_identity_shows_as_text(page, site):
    page.goto(site.page_url(f"papers/{HOSTILE}/"))
    identity = page.locator("dl.identity")
    assert '<script>alert("author")</script> Mallory' in identity.text_content()
    assert '<b>Proc.</b> of "Hostile" & Co {100%}' in identity.text_content()
    assert identity.locator("script, b").count() == 0
    doi = page.get_by_role("link", name='DOI 10.1234/<script>"x"{y}%#?')
    assert doi.evaluate("a => a.href") == (
        "https://doi.org/10.1234/%3Cscript%3E%22x%22%7By%7D%25%23%3F")
