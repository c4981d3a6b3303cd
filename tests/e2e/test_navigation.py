"""A reader browses the site in a browser: at the root of a host and under a sub-path."""

from __future__ import annotations

from collections import deque
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .helpers import PAPER_IDS, links

pytestmark = pytest.mark.e2e


def test_a_reader_goes_from_home_to_a_topic_a_paper_and_its_family(page, any_site, watch):
    page.goto(any_site.url)
    expect(page.locator("h1")).to_have_text("Fixture Papers")

    page.locator("section[aria-labelledby=topics-heading]").get_by_role(
        "link", name="Quantization", exact=True).click()
    expect(page).to_have_url(any_site.page_url("topics/quantization/"))
    expect(page.locator("h1")).to_have_text("Quantization")

    # a paper of the topic that builds on a model family
    paper_link = page.locator("ol.papers > li:has(ul.families) a.paper-title").first
    title = paper_link.text_content()
    paper_link.click()
    expect(page.locator("h1")).to_have_text(title)
    assert page.url.startswith(any_site.page_url("papers/")), page.url

    family_link = page.locator(".paper-labels ul.families a").first
    family = family_link.text_content()
    family_link.click()
    expect(page.locator("h1")).to_have_text(family)
    assert page.url.startswith(any_site.page_url("families/")), page.url
    assert urlsplit(page.url).path.startswith(any_site.base)

    assert watch.failed_responses == [], "the site answered with errors"
    assert watch.console_errors == []


def test_the_server_answers_a_missing_page_with_404(page, site):
    response = page.goto(site.page_url("papers/no-such-paper/"))
    assert response is not None and response.status == 404


def test_every_paper_is_reachable_by_following_links_without_javascript(no_js_page, any_site):
    page, start = no_js_page, any_site.url
    seen, queue, pages = {start}, deque([start]), []
    while queue:
        url = queue.popleft()
        response = page.goto(url, wait_until="domcontentloaded")  # no script to wait for
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        pages.append(urlsplit(url).path.removeprefix(any_site.base))
        for link in links(page):
            parts = urlsplit(link)
            if (f"{parts.scheme}://{parts.netloc}" != any_site.origin
                    or not parts.path.startswith(any_site.base)
                    or "." in parts.path.rsplit("/", 1)[-1]):  # papers.json, feed.xml, ...
                continue
            link = link.split("?")[0]
            if link not in seen:
                seen.add(link)
                queue.append(link)
    reached = {path for path in pages if path.startswith("papers/")}
    assert reached == {f"papers/{paper}/" for paper in PAPER_IDS}
