"""The site on a phone: search results come first, the filters wait in a panel that says how
many are on and clears in one tap (and stay beside the results on a wide screen), nothing
on screen moves while a page loads, and every tap target is at least 24 by 24 CSS px."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import serve_catalogue
from .helpers import AXE, DESKTOP, PAGE_KINDS, PHONE, ROOT, settled

pytestmark = pytest.mark.e2e
MAX_SHIFT = 0.02  # cumulative layout shift allowed on any page
SIZES = {"phone": PHONE, "desktop": DESKTOP}

# Every layout shift the page makes from its first paint on, recorded by the browser itself.
RECORD_SHIFTS = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const shift of list.getEntries()) {
    if (shift.hadRecentInput) continue;
    const moved = shift.sources.map((s) => s.node ? (s.node.id || s.node.className ||
      s.node.nodeName) : "?");
    window.layoutShifts.push({value: shift.value, moved});
  }
}).observe({type: "layout-shift", buffered: true});
"""

# Links and controls smaller than 24 by 24 CSS px, except links inside a sentence (WCAG
# 2.5.8's inline exception). A checkbox is measured with its label, which takes the tap too.
SMALL_TARGETS = """() => {
  const targets = document.querySelectorAll('a[href], button, input:not([type="hidden"]), ' +
    'select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  const blockOf = (node) => {
    let block = node.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) {
      block = block.parentElement;
    }
    return block;
  };
  const inSentence = (target) => {
    if (getComputedStyle(target).display !== "inline") return false;
    const block = blockOf(target).cloneNode(true);
    block.querySelectorAll("a, button, kbd, code").forEach((t) => t.remove());
    return /[A-Za-z]{2}/.test(block.textContent);
  };
  const small = [];
  for (const target of targets) {
    const box = (target.matches('input[type="checkbox"]') && target.closest("label")) || target;
    const rect = box.getBoundingClientRect();
    if (!rect.width || !rect.height || getComputedStyle(target).visibility === "hidden") continue;
    if (inSentence(target)) continue;
    if (rect.width < 24 || rect.height < 24) {
      const size = `${rect.width.toFixed(1)} by ${rect.height.toFixed(1)}`;
      small.push(`${target.outerHTML.slice(0, 80)}: ${size}`);
    }
  }
  return small;
}"""

AXE_TARGET_SIZE = """async () => {
  const result = await axe.run(document, {runOnly: ["target-size"]});
  return result.violations.flatMap((rule) => rule.nodes.map((node) =>
    `${node.target}: ${node.failureSummary}`));
}"""


def slow_search_data(context) -> None:
    """The index and its shards arrive a moment after the page is drawn, as on a real network,
    so that results and filters land on a page already on screen."""
    def later(route) -> None:
        time.sleep(0.3)
        route.continue_()
    context.route("**/search/*.json*", later)
    context.route("**/search/shards/*", later)


def open_search(page, site, query: str) -> None:
    page.goto(site.page_url("search/") + query)
    settled(page)


def test_on_a_phone_the_first_results_show_before_any_filter(open_context, site):
    page = open_context(viewport=PHONE).new_page()
    open_search(page, site, "?q=llama")
    first = page.locator("#search-results > li").first.bounding_box()
    assert first and first["y"] + first["height"] < PHONE["height"], "no result on the first screen"
    assert page.locator("#filters-toggle").get_attribute("aria-expanded") == "false"
    assert page.locator("#search-facets input").count() > 0
    assert not page.locator("#search-facets input").first.is_visible()


def test_the_filters_panel_says_how_many_are_on_and_clears_them_in_one_tap(open_context, site):
    page = open_context(viewport=PHONE).new_page()
    open_search(page, site, "?q=llama")
    toggle, clear = page.locator("#filters-toggle"), page.locator("#filters-clear")
    everything = page.locator("#search-results > li").count()
    assert toggle.inner_text() == "Filters" and not clear.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.check("#search-facets input[value=model-release]")
    page.check("#search-facets input[name=family][value=llama]")
    settled(page)
    assert toggle.inner_text() == "Filters · 2 active"
    assert page.locator("#search-results > li").count() < everything
    clear.click()
    settled(page)
    assert page.locator("#search-facets input:checked").count() == 0
    assert toggle.inner_text() == "Filters" and not clear.is_visible()
    assert page.locator("#search-results > li").count() == everything
    assert parse_qs(urlsplit(page.url).query) == {"q": ["llama"]}
    assert page.evaluate("document.activeElement.id") == "filters-toggle"


def test_a_shared_link_with_filters_opens_with_their_count_shown(open_context, site):
    page = open_context(viewport=PHONE).new_page()
    open_search(page, site, "?q=llama&topic=model-release")
    assert page.locator("#filters-toggle").inner_text() == "Filters · 1 active"
    assert page.locator("#filters-clear").is_visible()


def test_on_a_wide_screen_the_filters_stay_beside_the_results(page, site):
    open_search(page, site, "?q=llama")
    facets = page.locator("#search-facets").bounding_box()
    results = page.locator("#search-results").bounding_box()
    assert page.locator("#filters-toggle").get_attribute("aria-expanded") == "true"
    assert facets and results and facets["height"] > 0
    assert facets["x"] + facets["width"] <= results["x"]
    assert abs(facets["y"] - results["y"]) < 200  # side by side, not one under the other


CLS_PAGES = {**PAGE_KINDS,
             "search with filters": "search/?q=llama&topic=model-release&family=llama",
             "search without a query": "search/"}


@pytest.mark.parametrize("size", SIZES, ids=SIZES)
@pytest.mark.parametrize("path", CLS_PAGES.values(), ids=CLS_PAGES.keys())
def test_nothing_on_screen_moves_while_a_page_loads(open_context, site, path, size):
    context = open_context(viewport=SIZES[size])
    context.add_init_script(RECORD_SHIFTS)
    slow_search_data(context)
    page = context.new_page()
    page.goto(site.page_url(path))
    settled(page)
    shifts = page.evaluate("window.layoutShifts")
    assert sum(s["value"] for s in shifts) <= MAX_SHIFT, shifts


@pytest.mark.parametrize("path", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_every_tap_target_is_at_least_24_css_px_on_a_phone(open_context, site, path):
    assert AXE.is_file(), f"{AXE} is missing; run: npm ci"
    page = open_context(viewport=PHONE).new_page()
    page.goto(site.page_url(path))
    settled(page)
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    if page.locator("#filters-toggle").count():
        page.click("#filters-toggle")  # the filters too
        page.check("#search-facets input[value=model-release]")  # and the clear button
        settled(page)
    assert page.evaluate(SMALL_TARGETS) == []
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(AXE_TARGET_SIZE) == []


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped catalogue, whose topics and families list hundreds of papers."""
    with serve_catalogue(tmp_path_factory.mktemp("shipped"), ROOT / "content") as served:
        yield served


# Each item past the first fifteen of a long list is laid out only when scrolled near; until
# then it keeps the room its style says. An item taller than that would spill onto the next,
# whose links it would then cover.
ITEM_OVERFLOW = """() => [...document.querySelectorAll("ol.papers > li")].slice(15).map((item) => {
  const kept = parseFloat(getComputedStyle(item).containIntrinsicHeight.split(" ").pop());
  item.style.contentVisibility = "visible";
  const needed = item.getBoundingClientRect().height;
  return needed > kept ? `${item.querySelector("a").textContent}: ${needed} > ${kept}` : "";
}).filter(Boolean)"""


@pytest.mark.parametrize("width", [320, 412, 700, 1280])
def test_the_longest_lists_keep_room_for_every_item_not_yet_drawn(open_context, shipped, width):
    page = open_context(viewport={"width": width, "height": 800}).new_page()
    longest = sorted(shipped.out.glob("*/*/index.html"), key=lambda p: p.stat().st_size)[-6:]
    for file in longest:
        page.goto(shipped.page_url(file.parent.relative_to(shipped.out).as_posix() + "/"))
        assert page.locator("ol.papers > li").count() > 15, page.url
        assert page.evaluate(ITEM_OVERFLOW) == [], page.url


@pytest.mark.parametrize("width", [320, 412, 1280])
def test_search_results_keep_room_for_every_result_not_yet_drawn(open_context, shipped, width):
    page = open_context(viewport={"width": width, "height": 800}).new_page()
    open_search(page, shipped, "?q=language+model")
    assert page.locator("#search-results > li").count() > 15
    assert page.evaluate(ITEM_OVERFLOW) == []
