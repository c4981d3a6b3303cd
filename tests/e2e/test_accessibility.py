"""axe-core finds no serious or critical accessibility problem, in light or dark colours."""

from __future__ import annotations

import pytest

from .helpers import AXE, HOSTILE, NORMAL

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "",
    "hostile paper": f"papers/{HOSTILE}/",
    "paper": f"papers/{NORMAL}/",
    "topic": "topics/safety/",
    "family": "families/llama/",
    "search": "search/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violation_in_light_or_dark_colours(page, site, path):
    assert AXE.is_file(), f"{AXE} is missing; run: npm ci"
    page.goto(site.page_url(path))
    page.add_script_tag(path=str(AXE))
    report = []
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)  # the same page, restyled by the media query
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        report += [f"{scheme}: {v['id']} ({v['impact']}) at {v['nodes'][0]['target']} and "
                   f"{len(v['nodes']) - 1} more: {v['help']}"
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
    if report:
        print(f"axe violations on {page.url}:", *report, sep="\n  ")
    assert report == []
