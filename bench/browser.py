"""Shared by the search benchmarks: a quiet local server and search timed in Chromium.

`bench/search.py` (the shipped catalogue) and `bench/run.py` (every size) both
measure with `measure_search`: readiness after opening /search/, then time to
results over the same 20 queries.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import statistics
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
QUERIES = ["llama2", "Llama-2", "LLaMA 2", "qlora", "quantizaton", "mamba distillation",
           "llama2 chat", "kv cache", "speculative decoding", "mixture of experts",
           "vision language", "code llama", "dpo", "jailbreak", "long context", "mistral",
           "lora", "medical", "survey", "math reasoning"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIME_QUERY = """async (query) => {
    const input = document.getElementById("search-query");
    const results = document.getElementById("search-results");
    const drawn = new Promise((resolve) => results.addEventListener("search-done", resolve));
    const start = performance.now();
    input.value = query;
    input.dispatchEvent(new Event("input"));
    await drawn;  // including any shard the query had to fetch
    results.offsetHeight;  // include layout
    return [performance.now() - start, results.querySelectorAll("li").length];
}"""
# What /search/ fetches before it is ready: the index's head and the scripts. The shards
# (search/shards/<digest>.json) are fetched only when a query needs their terms.
FIRST_LOAD = ["search/index.json", "static/search.js"]  # the script is lunr.js and ours
READY = """() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const at = (name) => performance.getEntriesByName(name)[0].startTime;
    const ready = at("search-ready");
    return [ready, ready - nav.loadEventEnd, at("search-data"), at("search-unpacked")];
}"""
STATUS = """() => {
    const status = document.getElementById("search-status")
        || document.querySelector("[role=status]");
    return status ? status.textContent : "";
}"""


def search_sizes(out: Path) -> dict[str, float]:
    """Bytes of the search data in a built site: what the page loads first (raw and gzipped
    at level 6, as a web server sends it) and all the shards together, in KB (1000 bytes)."""
    first = [(out / name).read_bytes() for name in FIRST_LOAD]
    shards = [p.read_bytes() for p in sorted((out / "search" / "shards").glob("*.json"))]
    return {"search_raw": sum(map(len, first)) / 1e3,
            "search_gzip": sum(len(gzip.compress(data, 6)) for data in first) / 1e3,
            "shards": len(shards),
            "shards_gzip": sum(len(gzip.compress(data, 6)) for data in shards) / 1e3}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def server(directory: Path | str) -> tuple[ThreadingHTTPServer, str]:
    """A server for `directory`, bound to a free port but not serving yet, and its URL."""
    bound = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=directory))
    return bound, f"http://127.0.0.1:{bound.server_address[1]}/"


def start(bound: ThreadingHTTPServer) -> None:
    threading.Thread(target=bound.serve_forever, daemon=True).start()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass
class SearchTimes:
    readiness: list[list[float]] = field(default_factory=list)  # READY's values per load
    timings: list[float] = field(default_factory=list)  # ms per query, every round
    counts: dict[str, int] = field(default_factory=dict)  # results per query
    version: str = ""  # the browser's

    @property
    def ready(self) -> float:
        """Median ms from navigation start to the index being ready."""
        return statistics.median(r[0] for r in self.readiness)

    @property
    def after_load(self) -> float:
        return statistics.median(r[1] for r in self.readiness)

    @property
    def data_at(self) -> float:
        return statistics.median(r[2] for r in self.readiness)

    @property
    def unpacked_at(self) -> float:
        return statistics.median(r[3] for r in self.readiness)

    @property
    def median(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        return percentile(self.timings, 0.95)


def measure_search(url: str, loads: int = 5, rounds: int = 3,
                   timeout_ms: float = 120_000) -> SearchTimes:
    """Open url + "search/" `loads` times, then time every query `rounds` times.

    Raises SearchFailed (with what the page said) when the index never becomes ready.
    """
    from playwright.sync_api import Error, sync_playwright

    found = SearchTimes()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        found.version = browser.version
        try:
            for _ in range(loads):
                page = browser.new_page()
                page.set_default_timeout(timeout_ms)
                _open(page, url, timeout_ms, Error)
                page.wait_for_load_state("load")
                found.readiness.append(page.evaluate(READY))
                page.close()
            page = browser.new_page()
            page.set_default_timeout(timeout_ms)
            _open(page, url, timeout_ms, Error)
            for _ in range(rounds):
                for query in QUERIES:
                    elapsed, _count = page.evaluate(TIME_QUERY, query)
                    found.timings.append(elapsed)
            found.counts = {q: page.evaluate(TIME_QUERY, q)[1] for q in QUERIES}
        finally:
            browser.close()
    return found


class SearchFailed(RuntimeError):
    pass


def _open(page, url: str, timeout_ms: float, error_type) -> None:
    page.goto(url + "search/", timeout=timeout_ms)
    try:
        page.wait_for_selector("html[data-search-ready]", timeout=timeout_ms)
    except error_type as error:
        said = ""
        with contextlib.suppress(error_type):
            said = page.evaluate(STATUS).strip()
        reason = f"index not ready after {timeout_ms / 1000:.0f} s"
        raise SearchFailed(f"{reason}; the page says: {said!r}" if said else reason) from error
