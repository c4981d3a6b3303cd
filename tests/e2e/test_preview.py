"""The preview in a real browser: `sitegen serve` reloads an open page when an edit
changes it, and shows a failed build's problems over the last good page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from serving import content, first_paper, retitle, serve

pytestmark = pytest.mark.e2e
__all__ = ["content", "serve"]  # fixtures

WAIT = 10_000  # milliseconds


def test_an_open_page_follows_edits_and_shows_a_broken_save_over_the_last_good_page(
        content, serve, page):
    server = serve()
    paper = first_paper(content)
    page.goto(f"{server.url}papers/{paper.stem}/")
    heading = page.locator("h1")
    retitle(paper, "A Title Edited While Watching")
    expect(heading).to_have_text("A Title Edited While Watching", timeout=WAIT)

    good = paper.read_bytes()
    paper.write_text("id: [unclosed\n")  # saved half-way
    overlay = page.get_by_role("alert")
    expect(overlay).to_contain_text(f"content/papers/{paper.name}:2: invalid YAML", timeout=WAIT)
    expect(overlay).to_contain_text("Build failed")
    expect(heading).to_have_text("A Title Edited While Watching")  # the last good page

    paper.write_bytes(good)
    retitle(paper, "A Title Saved Whole Again")
    expect(heading).to_have_text("A Title Saved Whole Again", timeout=WAIT)
    expect(page.get_by_role("alert")).to_have_count(0)


def test_problems_on_the_overlay_are_text_never_markup(content, serve, page):
    server = serve()
    paper = first_paper(content)
    page.goto(f"{server.url}papers/{paper.stem}/")
    hostile = "<img src=x onerror=alert(1)>"
    text = paper.read_text()
    topics = text[text.index("topics:\n"):text.index("families:")]
    paper.write_text(text.replace(topics, f"topics:\n- '{hostile}'\n"))
    overlay = page.get_by_role("alert")
    expect(overlay).to_contain_text(f"unknown topic '{hostile}'", timeout=WAIT)
    assert overlay.locator("img").count() == 0
