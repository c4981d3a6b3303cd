"""Benchmark: search on the shipped catalogue, measured in Chromium.

Run: .venv/bin/python bench/search.py
Builds the shipped catalogue, serves it locally and reports: the search data's
size (what the page loads first, raw and gzipped, and the shards), when the index
is ready after opening /search/, and the median and 95th percentile time to
results over 20 queries (`bench/browser.py`, which `bench/run.py` shares).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a script: import bench/ as the package it is
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import SHIPPED
from bench.browser import (
    QUERIES,
    SearchTimes,
    measure_search,
    search_sizes,
    server,
    start,
)
from sitegen.cli import main as sitegen


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "site"  # what a build keeps beside it goes with the folder
        bound, url = server(out)
        assert sitegen(["build", "--content", str(SHIPPED), "--out", str(out),
                        "--base-url", url]) == 0
        sizes = search_sizes(out)
        print(f"search data on first load (index head and scripts): {sizes['search_raw']:.0f} KB"
              f" raw, {sizes['search_gzip']:.0f} KB gzipped; later, as queries need them: "
              f"{sizes['shards']} shards, {sizes['shards_gzip']:.0f} KB gzipped in all")
        start(bound)
        found = measure_search(url)
        bound.shutdown()
    show(found)


def show(found: SearchTimes) -> None:
    print(f"index ready: {found.ready:.0f} ms after navigation start, "
          f"{found.after_load:+.0f} ms relative to the load event (median of "
          f"{len(found.readiness)}): data fetched and parsed at {found.data_at:.0f} ms, "
          f"index made at {found.unpacked_at:.0f} ms, ready at {found.ready:.0f} ms")
    print(f"time to results over {len(QUERIES)} queries x3: median "
          f"{found.median:.1f} ms, p95 {found.p95:.1f} ms, max {max(found.timings):.1f} ms")
    print("results per query:", ", ".join(f"{q!r} {n}" for q, n in found.counts.items()))


if __name__ == "__main__":
    main()
