"""Benchmark: `sitegen ingest` of N new entries into an empty catalogue, then again.

Run: .venv/bin/python bench/ingest.py --papers N [--repeat R] [--seed S]

The dumps hold the synthetic corpus's first N papers (bench/make_corpus.py), in both
shipped layouts (bench/corpusdumps.py). Each run ingests them into a fresh catalogue
holding only the shipped taxonomy and site settings ("new"), then ingests the same
dumps again, when nothing is new ("again"). Prints the medians, and the load average
the machine had, as a busy machine slows every figure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a script: import bench/ as the package it is
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import SHIPPED
from bench.corpusdumps import write_dumps
from bench.harness import SITEGEN, timed
from bench.make_corpus import base_papers, generate

DATE = "2026-11-22"  # recorded for new papers, so that runs are comparable
SETTINGS = ("taxonomy.yaml", "site.yaml")


def corpus_dumps(papers: int, folder: Path, seed: int = 0) -> int:
    """Dumps of the corpus's first `papers` papers; how many entries they hold."""
    return write_dumps(generate(base_papers(SHIPPED), papers, seed), folder)


def empty_catalogue(content: Path, dumps: Path) -> Path:
    """A catalogue with the shipped settings, no papers, and these dumps."""
    (content / "papers").mkdir(parents=True)
    for name in SETTINGS:
        shutil.copyfile(SHIPPED / name, content / name)
    shutil.copytree(dumps, content / "dumps")
    return content


def ingest_runs(dumps: Path, scratch: Path, repeat: int,
                timeout: float) -> dict[str, list[float]]:
    """Seconds of each run: into an empty catalogue ("ingest_new"), then again
    ("ingest_again")."""
    times: dict[str, list[float]] = {"ingest_new": [], "ingest_again": []}
    for k in range(1, repeat + 1):
        content = empty_catalogue(scratch / f"ingest-new-{k}" / "content", dumps)
        command = [*SITEGEN, "ingest", "--content", str(content), "--date", DATE]
        for key in times:
            times[key].append(timed(command, timeout).seconds)
    return times


def figures(times: dict[str, list[float]]) -> dict:
    """The medians, with the runs they are the median of under "<key>_runs"."""
    return {**{key: statistics.median(runs) for key, runs in times.items()},
            **{f"{key}_runs": runs for key, runs in times.items()}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, required=True, metavar="N")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=3600, help="seconds a run may take")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        entries = corpus_dumps(args.papers, Path(scratch) / "dumps", args.seed)
        before = os.getloadavg()[0]
        found = figures(ingest_runs(Path(scratch) / "dumps", Path(scratch), args.repeat,
                                    args.timeout))
    print(f"ingest of {entries} entries ({args.repeat} runs), load average "
          f"{before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:")
    for key in ("ingest_new", "ingest_again"):
        runs = ", ".join(f"{t:.2f}" for t in found[f"{key}_runs"])
        print(f"  {key}: median {found[key]:.2f} s ({runs})")


if __name__ == "__main__":
    main()
