"""The preview in a real browser: `sitegen serve` reloads an open page when an edit
changes it, and shows a failed build's problems over the last good page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from serving import Server, content, first_paper, retitle, serve, wait_for

pytestmark = pytest.mark.e2e
__all__ = ["content", "serve"]  # fixtures

WAIT = 10_000  # milliseconds


def test_an_open_page_follows_edits_and_shows_a_broken_save_over_the_last_good_page(
        content, serve, page):
    server = serve()
    paper = first_paper(content)
    page.goto(f"{server.url}papers/{paper.stem}/")
    heading = page.locator("h1")
    before = rebuilds(server)
    retitle(paper, "A Title Edited While Watching")
    expect(heading).to_have_text("A Title Edited While Watching", timeout=WAIT)
    # shown by the first look at once; the last good page once its rebuild has ended (a
    # save made before that rebuild reads the file would be the one it builds)
    wait_for(lambda: rebuilds(server) > before, "a rebuild")

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


def rebuilds(server: Server) -> int:
    """How many rebuilds the server has said it finished."""
    return sum(line.startswith("rebuilt in ") for line in server.out)


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


def test_seven_open_pages_all_load_and_the_last_still_follows_edits(content, serve, context):
    """A browser opens six connections to a host, and each open page asks the server to
    hold its answer until the next build: the pages past the fourth are answered at once
    and ask again a second later, so a seventh page loads at once (it waited for a held
    answer to end, up to 25 s) and still reloads when an edit changes it."""
    server = serve()
    paper = first_paper(content)
    pages = []
    for n in range(6):
        pages.append(context.new_page())
        pages[-1].goto(server.url if n == 0 else f"{server.url}about/", timeout=WAIT)
    last = context.new_page()
    last.goto(f"{server.url}papers/{paper.stem}/", timeout=3_000)  # not 25 s
    retitle(paper, "A Title Edited With Seven Pages Open")
    expect(last.locator("h1")).to_have_text("A Title Edited With Seven Pages Open", timeout=WAIT)


def test_a_page_edited_while_it_loads_shows_the_edit(content, serve, page):
    """The page says, as it is served, the digest of the bytes it shows: an edit whose
    rebuild lands between the page's request and its reload script's first question
    still reloads it (the script took the first answer's page as the one shown). The
    script is held back here until the edited page is served."""
    server = serve()
    paper = first_paper(content)
    address = f"papers/{paper.stem}/"

    def edit_first(route) -> None:
        retitle(paper, "A Title Saved While The Page Loaded")
        wait_for(lambda: "A Title Saved While The Page Loaded" in server.get(address).body,
                 "the edited page")
        route.continue_()

    page.route("**/__reload.js", edit_first)
    page.goto(server.url + address)
    expect(page.locator("h1")).to_have_text("A Title Saved While The Page Loaded", timeout=WAIT)
