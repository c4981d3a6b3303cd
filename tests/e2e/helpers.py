"""What the browser tests share: where things are, and small helpers over a Playwright page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag, urljoin

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "site"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-results" / "screenshots"
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
