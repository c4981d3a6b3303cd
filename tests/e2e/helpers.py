"""What the browser tests share: where things are, and small helpers over a Playwright page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urljoin

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "site"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "test-results"
SCREENSHOTS = RESULTS / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

PAPER_IDS = sorted(p.stem for p in (FIXTURE / "papers").glob("*.yaml"))
HOSTILE = "script-alert-title-script-hostile-quoted-img-src-x-onerror"
NORMAL = "qlora-efficient-finetuning-of-quantized-llms"
SUB_PATH = "/sub/path/"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def links(page: Page) -> list[str]:
    """The absolute URL, without fragment, of every link on the page as the browser reads it."""
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return [urldefrag(urljoin(page.url, href)).url for href in hrefs]

# One page of every kind the site builds, by kind: what the layout, tap-target, layout-shift,
# screenshot and Lighthouse tests visit.
PAGE_KINDS = {
    "home": "",
    "paper": f"papers/{NORMAL}/",
    "topic": "topics/safety/",
    "family": "families/llama/",
    "cell": "topics/safety/gpt/",
    "topics": "topics/",
    "families": "families/",
    "search": "search/?q=llama",
    "about": "about/",
    "404": "404.html",
}


def settled(page: Page) -> None:
    """Wait until what the page loads after its HTML has arrived and been drawn: on the search
    page, the index and the first results."""
    page.wait_for_load_state("load")
    if page.locator("#search-results").count():
        page.wait_for_selector("html[data-search-ready]")
        page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")
