"""The home page's heat map is readable: every count meets WCAG AA's contrast against its
cell, in the light and the dark colour scheme, and says in words what its colour shows."""

from __future__ import annotations

import re

import pytest

from sitegen.site.heatmap import LEVELS

from .conftest import serve_catalogue
from .helpers import AXE, ROOT

pytestmark = pytest.mark.e2e
AA_TEXT = 4.5  # WCAG 2 AA, text of normal size (the counts are 0.85rem)
DASH = "\u2013"  # what an empty cell shows

# Each cell's written label (its count, or the mark of an empty cell) with the colour it is
# drawn in and the colour it is drawn on: the first opaque background from the label up.
# Colours are parsed and compared by axe-core, not by the code that chose them.
CELL_CONTRASTS = """() => {
  const color = axe.commons.color;
  const parse = (text) => { const c = new color.Color(); c.parseString(text); return c; };
  return [...document.querySelectorAll('.matrix tbody td')].map((cell) => {
    const label = cell.querySelector('a, [aria-hidden="true"]');
    const ink = parse(getComputedStyle(label).color);
    let layer = label, fill = parse('rgba(0, 0, 0, 0)');
    while (layer && fill.alpha === 0) {
      fill = parse(getComputedStyle(layer).backgroundColor);
      layer = layer.parentElement;
    }
    return {cell: cell.className, text: label.textContent, inkAlpha: ink.alpha,
            fillAlpha: fill.alpha, ratio: color.getContrast(fill, ink)};
  });
}"""


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """The shipped catalogue, whose heat map has cells of every level."""
    with serve_catalogue(tmp_path_factory.mktemp("shipped"), ROOT / "content") as served:
        yield served


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_count_meets_wcag_aa_contrast_against_its_cell(open_context, site, shipped,
                                                             scheme):
    page = open_context(color_scheme=scheme).new_page()
    levels = set()
    for served in (site, shipped):
        page.goto(served.url)
        page.add_script_tag(path=str(AXE))
        cells = page.evaluate(CELL_CONTRASTS)
        assert cells, f"no heat map on {page.url}"
        for cell in cells:
            assert cell["inkAlpha"] == cell["fillAlpha"] == 1, cell  # no blending to guess at
        low = [cell for cell in cells if cell["ratio"] < AA_TEXT]
        assert low == [], f"{scheme} scheme on {page.url}: counts under {AA_TEXT}:1"
        levels |= {cell["cell"] for cell in cells}
    assert levels == {f"heat-{n}" for n in range(LEVELS + 1)}, "some levels went untested"


def test_every_cell_says_its_topic_family_and_count_in_words(page, site):
    page.goto(site.url)
    families = page.locator(".matrix thead th").all_inner_texts()[1:]
    rows = page.locator(".matrix tbody tr")
    assert rows.count() > 0 and families
    for row in rows.all():
        topic = row.locator("th").inner_text()
        for family, cell in zip(families, row.locator("td").all(), strict=True):
            link = cell.locator("a")
            if link.count():
                count = int(link.inner_text())
                name = f"{topic}, {family}: {count} paper{'' if count == 1 else 's'}"
                assert link.get_attribute("aria-label") == link.get_attribute("title") == name
            else:
                name = f"{topic}, {family}: no papers"
                assert cell.get_attribute("title") == name
                assert cell.locator(".visually-hidden").inner_text() == "no papers"


def test_empty_cells_are_told_from_counted_ones_by_what_they_show(page, site):
    """Not by colour alone: a counted cell shows its count, an empty one a dash."""
    page.goto(site.url)
    shown = {"empty": set(), "counted": set()}
    for cell in page.locator(".matrix tbody td").all():
        label = cell.locator("a, [aria-hidden]")
        assert label.is_visible()
        kind = "empty" if cell.get_attribute("class") == "heat-0" else "counted"
        shown[kind].add(label.inner_text())
    assert shown["empty"] == {DASH}
    assert shown["counted"] and all(re.fullmatch(r"[1-9]\d*", text) for text in shown["counted"])
