"""Benchmark: search on the shipped catalogue, measured in Chromium.

Run: .venv/bin/python bench/search.py
Builds the shipped catalogue, serves it locally and reports: the search data's
size (raw and gzipped), when the index is ready after opening /search/, and the
median and 95th percentile time to results over 20 queries.
"""

from __future__ import annotations

import functools
import gzip
import statistics
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

from sitegen.cli import main as sitegen

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["llama2", "Llama-2", "LLaMA 2", "qlora", "quantizaton", "mamba distillation",
           "llama2 chat", "kv cache", "speculative decoding", "mixture of experts",
           "vision language", "code llama", "dpo", "jailbreak", "long context", "mistral",
           "lora", "medical", "survey", "math reasoning"]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIME_QUERY = """(query) => {
    const input = document.getElementById("search-query");
    const start = performance.now();
    input.value = query;
    input.dispatchEvent(new Event("input"));
    document.getElementById("search-results").offsetHeight;  // include layout
    return [performance.now() - start, document.querySelectorAll("#search-results li").length];
}"""
READY = """() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const at = (name) => performance.getEntriesByName(name)[0].startTime;
    const ready = at("search-ready");
    return [ready, ready - nav.loadEventEnd, at("search-data"), at("search-unpacked")];
}"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=scratch))
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        assert sitegen(["build", "--content", str(ROOT / "content"), "--out", scratch,
                        "--base-url", url]) == 0
        data = (Path(scratch) / "search" / "index.json").read_bytes()
        print(f"search data: {len(data) / 1024:.0f} KiB raw, "
              f"{len(gzip.compress(data, 6)) / 1024:.0f} KiB gzipped")
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 headless=True, args=ARGS)
            readiness = []
            for _ in range(5):
                page = browser.new_page()
                page.goto(url + "search/")
                page.wait_for_selector("html[data-search-ready]")
                page.wait_for_load_state("load")
                readiness.append(page.evaluate(READY))
                page.close()
            page = browser.new_page()
            page.goto(url + "search/")
            page.wait_for_selector("html[data-search-ready]")
            timings = []
            for _ in range(3):
                for query in QUERIES:
                    elapsed, _count = page.evaluate(TIME_QUERY, query)
                    timings.append(elapsed)
            counts = {q: page.evaluate(TIME_QUERY, q)[1] for q in QUERIES}
            browser.close()
        server.shutdown()
    since_start = statistics.median(r[0] for r in readiness)
    after_load = statistics.median(r[1] for r in readiness)
    data_at = statistics.median(r[2] for r in readiness)
    unpacked_at = statistics.median(r[3] for r in readiness)
    print(f"index ready: {since_start:.0f} ms after navigation start, "
          f"{after_load:+.0f} ms relative to the load event (median of 5): data fetched and "
          f"parsed at {data_at:.0f} ms, unpacked at {unpacked_at:.0f} ms, loaded by lunr at "
          f"{since_start:.0f} ms")
    print(f"time to results over {len(QUERIES)} queries x3: median "
          f"{statistics.median(timings):.1f} ms, p95 {percentile(timings, 0.95):.1f} ms, "
          f"max {max(timings):.1f} ms")
    print("results per query:", ", ".join(f"{q!r} {n}" for q, n in counts.items()))


if __name__ == "__main__":
    main()
