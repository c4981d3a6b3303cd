"""Lighthouse scores every page kind at 98 or more in performance, accessibility, best
practices and SEO, as a phone sees it (mobile emulation, Lighthouse's simulated slow
network and processor), on Debian's Chromium.

Lighthouse is pinned in package.json and run as its command-line tool, one page after the
other, against the fixture site and against the shipped catalogue (its home, search, a
paper and its largest page), each built and served locally. Every JSON report is kept under
test-results/lighthouse/, which CI uploads, so a score can be read whatever the outcome.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import Site, serve_catalogue
from .helpers import CHROMIUM, PAGE_KINDS, RESULTS, ROOT

pytestmark = pytest.mark.e2e
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
REPORTS = RESULTS / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FLOOR = 0.98
SHIPPED_PAGES = {
    "home": "",
    "search": "search/?q=llama",
    "paper": "papers/the-llama-3-herd-of-models/",
    "family": "families/llama/",  # the longest list of papers
}


# Lighthouse's calibration of its CPU slowdown: (benchmark index of the host, slowdown that
# makes that host emulate the phone its default slowdown of 4 emulates on a host of 1533).
CALIBRATION = ((150, 1.0), (800, 2.0), (1300, 3.0), (1533, 4.0))
DEFAULT_SLOWDOWN = 4.0


def calibrated_slowdown(benchmark_index: float) -> float:
    """The CPU slowdown that makes a host of this benchmark index emulate Lighthouse's
    reference phone: linear between the calibration points, never more than the default
    (a slower host with the default slowdown emulates a slower phone than the target)."""
    if benchmark_index >= CALIBRATION[-1][0]:
        return DEFAULT_SLOWDOWN
    low = CALIBRATION[0]
    for high in CALIBRATION[1:]:
        if benchmark_index < high[0]:
            share = max(0.0, benchmark_index - low[0]) / (high[0] - low[0])
            return low[1] + share * (high[1] - low[1])
        low = high
    return DEFAULT_SLOWDOWN


def test_the_slowdown_follows_lighthouses_calibration():
    assert calibrated_slowdown(2000) == calibrated_slowdown(1533) == DEFAULT_SLOWDOWN
    assert calibrated_slowdown(1300) == 3.0 and calibrated_slowdown(1050) == 2.5
    assert calibrated_slowdown(100) == 1.0


def lighthouse(url: str, report: Path, slowdown: float = DEFAULT_SLOWDOWN) -> dict:
    """Lighthouse's JSON report of one page, also written to `report`."""
    assert LIGHTHOUSE.is_file(), f"{LIGHTHOUSE} is missing; run: npm ci"
    REPORTS.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--chrome-flags=--headless=new --no-sandbox",
         f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
         f"--throttling.cpuSlowdownMultiplier={slowdown:.2f}",
         "--output=json", f"--output-path={report}", "--quiet"],
        env={**os.environ, "CHROME_PATH": str(CHROMIUM)}, capture_output=True, text=True,
        timeout=300, check=False)
    assert done.returncode == 0 and report.is_file(), done.stderr[-3000:]
    result = json.loads(report.read_text("utf-8"))
    assert not result.get("runtimeError"), result["runtimeError"]
    return result


def losses(report: dict) -> list[str]:
    """The audits that cost points, with what Lighthouse says of them."""
    lost = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lost.append(f"{category['id']}: {audit['id']} {audit['score']} "
                            f"{audit.get('displayValue', '')}")
    return lost


def performance(result: dict) -> float:
    return result["categories"]["performance"]["score"] or 0.0


RUNS = 5  # runs whose median counts, once a first run is under the floor


def assert_scores(url: str, report: Path) -> None:
    """The scores of one run; when its performance is under the floor, the run of median
    performance of RUNS, as Lighthouse advises for its variance (the very same search page
    scored 0.92 to 1.0 from run to run here), the others with the slowdown the
    host's benchmark index calls for where it is slower than Lighthouse's reference host."""
    result = lighthouse(url, report)
    if performance(result) < FLOOR:
        slowdown = calibrated_slowdown(result["environment"]["benchmarkIndex"])
        runs = [result] + [lighthouse(url, report, slowdown) for _ in range(RUNS - 1)]
        result = sorted(runs, key=performance)[RUNS // 2]
        report.write_text(json.dumps(result), "utf-8")
    scores = {name: result["categories"][name]["score"] for name in CATEGORIES}
    low = {name: score for name, score in scores.items() if score is None or score < FLOOR}
    assert low == {}, f"{url}: {scores}; points lost on: {losses(result)}"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Site:
    with serve_catalogue(tmp_path_factory.mktemp("shipped"), ROOT / "content") as served:
        yield served


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_kind_scores_at_least_98(site, kind):
    assert_scores(site.page_url(PAGE_KINDS[kind]), REPORTS / f"fixture-{kind}.json")


@pytest.mark.parametrize("kind", SHIPPED_PAGES)
def test_the_shipped_catalogue_scores_at_least_98(shipped, kind):
    assert_scores(shipped.page_url(SHIPPED_PAGES[kind]), REPORTS / f"shipped-{kind}.json")
