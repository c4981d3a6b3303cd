"""Benchmark: ingest, check and export of the shipped catalogue, in fresh processes.

Run: .venv/bin/python bench/catalogue.py [--repeat N] [--content DIR]
Reports each command's median wall time and its peak resident memory (the largest
of its runs, each read for its own process).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

if not __package__:  # run as a script: import bench/ as the package it is
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import SHIPPED
from bench.harness import SITEGEN, timed

TIMEOUT = 3600  # seconds


def cases(content: Path, fresh: Path) -> dict[str, Callable[[], list[str]]]:
    """Each command measured, as a function that prepares its run and returns it."""
    def ingest_empty() -> list[str]:
        reset(content, fresh)
        return [*SITEGEN, "ingest", "--content", str(fresh)]

    return {
        "ingest (empty catalogue)": ingest_empty,
        "ingest (again, no change)": lambda: [*SITEGEN, "ingest", "--content", str(fresh)],
        "check": lambda: [*SITEGEN, "check", "--content", str(content)],
        "export json": lambda: [*SITEGEN, "export", "--content", str(content)],
    }


def reset(content: Path, target: Path) -> None:
    """An empty catalogue at `target`: the dumps and taxonomy of `content`, no papers."""
    shutil.rmtree(target, ignore_errors=True)
    (target / "dumps").mkdir(parents=True)
    for dump in (content / "dumps").glob("*.txt"):
        shutil.copy(dump, target / "dumps" / dump.name)
    shutil.copy(content / "taxonomy.yaml", target / "taxonomy.yaml")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--content", type=Path, default=SHIPPED,
                        help="the catalogue measured (default: the shipped content)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        print(f"{'command':28} {'median s':>9} {'peak MiB':>9}", flush=True)
        for name, command in cases(args.content, Path(scratch) / "fresh").items():
            runs = [timed(command(), TIMEOUT) for _ in range(args.repeat)]
            print(f"{name:28} {statistics.median(r.seconds for r in runs):9.2f} "
                  f"{max(r.peak_mib for r in runs):9.0f}", flush=True)


if __name__ == "__main__":
    main()
