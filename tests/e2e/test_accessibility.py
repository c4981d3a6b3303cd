"""axe-core finds no serious or critical accessibility problem on any kind of page, in the
light or the dark colour scheme."""

from __future__ import annotations

import pytest

from .helpers import AXE, DESKTOP, HOSTILE, NORMAL

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "",
    "paper": f"papers/{NORMAL}/",
    "hostile paper": f"papers/{HOSTILE}/",
    "paper with an identity": "papers/visual-instruction-tuning/",
    "paper with many authors": "papers/llama-2-open-foundation-and-fine-tuned-chat-models/",
    "topic": "topics/safety/",
    "topic sortable by date": "topics/model-release/",
    "family": "families/llama/",
    "cell": "topics/safety/gpt/",
    "topics list": "topics/",
    "families list": "families/",
    "search": "search/",
    "search with results": "search/?q=llama&topic=model-release",
    "search without results": "search/?q=zyxwvut",
    "search by year, newest first": "search/?q=language+models&year=2023&sort=newest",
    "404": "404.html",
    "content page": "about/",
}

# axe sets text of one or two characters, such as a count, aside as "needs review" rather
# than judging its contrast; where it measured a ratio anyway, that ratio must pass too.
AXE_PROBLEMS = """async () => {
  document.querySelectorAll('details').forEach((details) => { details.open = true; });
  const result = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
  const said = (rule, node) => `${rule.id} (${rule.impact}) at ${node.target}: ${rule.help}`;
  const problems = result.violations
    .filter((rule) => ['serious', 'critical'].includes(rule.impact))
    .flatMap((rule) => rule.nodes.map((node) => said(rule, node)));
  for (const rule of result.incomplete.filter((rule) => rule.id === 'color-contrast')) {
    for (const node of rule.nodes) {
      const data = node.any[0] && node.any[0].data;
      const needed = data && parseFloat(data.expectedContrastRatio);
      if (data && data.contrastRatio && data.contrastRatio < needed) {
        problems.push(said(rule, node) + ` (${data.contrastRatio}:1, needs ${needed}:1)`);
      }
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violation(open_context, site, path, scheme):
    assert AXE.is_file(), f"{AXE} is missing; run: npm ci"
    page = open_context(viewport=DESKTOP, color_scheme=scheme).new_page()
    page.goto(site.page_url(path))
    if path.startswith("search/"):  # judged once the results (or the status) are drawn
        page.wait_for_selector("html[data-search-ready]")
        page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    page.add_script_tag(path=str(AXE))
    problems = page.evaluate(AXE_PROBLEMS)
    assert problems == [], f"axe on {page.url} in the {scheme} scheme"
