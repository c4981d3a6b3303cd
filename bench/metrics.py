"""What each figure is, how it is measured, and the most it may be (bench/targets.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.poll import INTERVAL

TARGETS_FILE = Path(__file__).with_name("targets.yaml")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    how: str  # how it is measured, for the report
    beside: bool = False  # shown with the targets, though it has none: what they compare with


METRICS = [
    Metric("cold", "Cold build", "s",
           "`sitegen build` in a fresh process into an empty directory (with no earlier "
           "build or record beside it), median of the runs"),
    Metric("hugo", "Hugo cold build, same papers", "s",
           "a plain Hugo site (page per paper, a list per topic and per family, home, "
           "sitemap, feed; minimal layouts, no related papers, matrix or search) built into an "
           "empty directory, median", beside=True),
    Metric("ratio", "Cold build ÷ Hugo's", "x", "our cold build's median over Hugo's"),
    Metric("nothing", "Rebuild, nothing changed", "s",
           "`sitegen build` again into the last cold build's directory, median"),
    Metric("edit", "Rebuild after editing one title", "s",
           "one paper's title changed (a different edit each run), then `sitegen build` into "
           "the same directory, median", beside=True),
    Metric("edit_share", "Rebuild after one edit ÷ cold build", "%",
           "the median rebuild after editing one title over the median cold build"),
    Metric("serve", "`sitegen serve`: an edited title shows on its page", "s",
           "`sitegen serve` on a free port over a copy of the catalogue; once it serves, the "
           "newest paper's title is changed in its file, saved in place as VS Code saves "
           "(truncated and written in one call: no temporary file, no rename), and the paper's "
           f"address polled over HTTP every {INTERVAL * 1000:g} ms until an answer holds the "
           "new title: time from the save to that answer, median of the edits; each save "
           "once the server is idle after the last (its processes' processor time no longer "
           "growing: a server may show an edit before it has finished its rebuild) "
           "(bench/preview.py)"),
    Metric("hugo_serve", "`hugo server`: an edited title shows on its page", "s",
           "`hugo server` as it starts by default (pages in memory, live reload, fast render "
           "mode) on the bench's Hugo site of the same papers; the same paper's page edited "
           "(its title in the front matter, saved in place) and polled the same way, median "
           "of the edits", beside=True),
    Metric("serve_dependents", "`sitegen serve`: every page depending on the edit shows it",
           "s", "a second round of edits, polling at once the paper's page, its topic's and "
           "first family's list, the home page, the feed, the search data "
           "(`search/index.json`) and the page of another paper that lists it among its "
           "related papers: time from the save until the last of the dependent pages "
           "shows the new title, median of the edits"),
    Metric("serve_topic", "`sitegen serve`: the paper's topic page shows it", "s",
           "the same round of edits: time until the paper's (first) topic page shows the new "
           "title, median"),
    Metric("serve_home", "`sitegen serve`: the home page shows it", "s",
           "the same round: time until the home page's recently added papers show it, median"),
    Metric("serve_search", "`sitegen serve`: the search data shows it", "s",
           "the same round: time until `search/index.json` holds the new title (polled every "
           f"{INTERVAL * 1000:g} ms, or as long again as its last answer took when that was "
           "longer), median"),
    Metric("memory", "Peak memory of a cold build", "MiB",
           "peak resident set size of the build process (its `ru_maxrss` from `os.wait4`, in "
           "a small process that starts only the build: the largest single process; the "
           "build's forked writers share its pages), largest of the runs"),
    Metric("check", "`sitegen check`", "s", "median"),
    Metric("ingest", "`sitegen ingest` of the shipped dumps", "s",
           "the 5 shipped dumps ingested into a copy of the catalogue, median"),
    Metric("ingest_new", "`sitegen ingest` of N new entries", "s",
           "dumps of the corpus's N papers (both shipped layouts) ingested into a catalogue "
           "with no papers, median"),
    Metric("ingest_again", "`sitegen ingest` again, nothing new", "s",
           "the same dumps ingested again into the catalogue they made, median"),
    Metric("classify", "Labelling one paper", "ms",
           "every paper's title and abstract labelled (topics, families and their evidence) "
           "with the shipped rules, one after another in a fresh process, as ingest does "
           "(bench/classify.py): time a paper, median of the runs"),
    Metric("files", "Files written", "files", "files in the output directory"),
    Metric("pages", "HTML pages written", "pages", "`.html` files in the output directory"),
    Metric("output", "Output size", "MB", "bytes of all files written, 1 MB = 10^6 bytes"),
    Metric("search_raw", "Search data on first load, raw", "KB",
           "what /search/ loads before it is ready: `search/index.json` (documents, vocabulary, "
           "shard starts) and its script (lunr.js and ours, one file), 1 KB = 1000 bytes"),
    Metric("search_gzip", "Search data on first load, gzipped", "KB",
           "the same files gzipped at level 6, as a web server sends them"),
    Metric("shards_gzip", "Search shards, gzipped, all together", "KB",
           "every `search/shards/<digest>.json`, fetched only when a query needs one of its terms"),
    Metric("ready", "Search ready", "ms",
           "from navigation start on /search/ to `performance.mark(\"search-ready\")`, median "
           "of the page loads (local server, no compression)"),
    Metric("query_median", "Time to results, median", "ms",
           "a query typed into the search box until its results are laid out, over the 20 "
           "queries of bench/browser.py, every round (the first round includes fetching the "
           "shards each query needs)"),
    Metric("query_p95", "Time to results, p95", "ms", "the same timings' 95th percentile"),
]
BY_KEY = {m.key: m for m in METRICS}
MET, MISSED, FAILED, UNMEASURED = "met", "missed", "failed", "not measured"


def load_targets(path: Path = TARGETS_FILE) -> dict[int, dict[str, float]]:
    """{papers: {metric key: at most this much}}; ValueError names what is wrong."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    targets: dict[int, dict[str, float]] = {}
    for papers, limits in data.items():
        if not isinstance(papers, int) or not isinstance(limits, dict):
            raise ValueError(f"{path}: {papers!r} should be a number of papers with its targets")
        for key, limit in limits.items():
            if key not in BY_KEY:
                raise ValueError(f"{path}: {papers}: {key!r} is not a metric of bench/metrics.py")
            if isinstance(limit, bool) or not isinstance(limit, int | float):
                raise ValueError(f"{path}: {papers}: {key}: {limit!r} is not a number")
        targets[papers] = {key: float(limit) for key, limit in limits.items()}
    return targets


TARGETS = load_targets()


def verdict(result: dict, key: str) -> str:
    """met, missed, failed or not measured against the issue's target; "" without a target."""
    target = TARGETS.get(result["papers"], {}).get(key)
    if target is None:
        return ""
    if key in result.get("failures", {}):
        return FAILED
    value = result.get("values", {}).get(key)
    if value is None:
        return UNMEASURED
    return MET if value <= target else MISSED
