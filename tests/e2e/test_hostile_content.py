"""Text from content is shown as text: no script it carries ever runs in a browser."""

from __future__ import annotations

import pytest

from .helpers import HOSTILE

pytestmark = pytest.mark.e2e

# Elements and attributes that would mean content became markup, looked up in the live DOM.
INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.getAttributeNames()) {
      if (attr.startsWith("on")) bad.push(`${el.tagName} ${attr}`);
    }
    if (["IMG", "IFRAME", "OBJECT", "EMBED", "B"].includes(el.tagName)) bad.push(el.tagName);
  }
  for (const a of document.querySelectorAll("a[href]")) {
    if (!/^(https?:|\\/|#|\\.)/i.test(a.getAttribute("href").trim())) bad.push(`href ${a.href}`);
  }
  for (const s of document.querySelectorAll("script")) {
    const src = s.getAttribute("src") || "";
    if (s.type !== "application/ld+json" && !src.includes("/static/")) bad.push(`script ${src}`);
  }
  return bad;
}"""


def test_no_page_of_the_site_runs_injected_script(page, site, watch):
    pages = site.html_pages()
    assert len(pages) > 30 and site.page_url(f"papers/{HOSTILE}/") in pages
    for url in pages:
        page.goto(url)
        assert page.evaluate(INJECTED) == [], url
    # besides, the `page` fixture fails the test on any dialog or uncaught script error
    assert watch.console_errors == []
    assert watch.failed_responses == []


def test_the_hostile_paper_shows_its_markup_as_text(open_context, site):
    page = open_context(offline=True).new_page()
    paper = site.page_url(f"papers/{HOSTILE}/")
    page.goto(paper)
    title = page.locator("h1").text_content()
    assert '<script>alert("title")</script>' in title
    assert '<img src=x onerror=alert(1)>' in title
    abstract = page.locator(".abstract").text_content()
    assert "<img src=x onerror=alert(2)>" in abstract and "<script>alert(6)</script>" in abstract
    assert page.locator(".abstract strong").text_content() == "markdown"
    assert page.locator("h1").evaluate("h1 => h1.children.length") == 0

    # a reader pointing at and clicking every part of the abstract and the links
    parts = page.locator(".abstract p, .abstract p *, .links li, .links li *")
    assert parts.count() > 5
    for i in range(parts.count()):
        part = parts.nth(i)
        part.hover()
        if part.evaluate("el => el.tagName") == "A":
            assert part.get_attribute("href").startswith("https://")
            with page.expect_navigation():
                part.click()  # external: answered offline by a blank page
            assert not page.url.startswith(site.origin)
            page.goto(paper)
        else:
            part.click(position={"x": 2, "y": 2})  # on its own first word, not a link inside
            assert page.url == paper


def test_a_hostile_topic_name_is_text_on_its_page(page, site):
    page.goto(site.page_url("topics/safety/"))
    assert page.locator("h1").text_content() == 'Safety <script>alert("topic")</script> & privacy'
