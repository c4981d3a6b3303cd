"""Benchmark: a cold `sitegen build` of the shipped catalogue, in fresh processes.

Run: .venv/bin/python bench/build.py [--repeat N] [--content DIR]
Reports wall time (median and best of N) and peak resident memory (the largest
of the runs, each read for its own process), then where the time goes inside
one build (bench/stages.py).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a script: import bench/ as the package it is
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import ROOT, SHIPPED
from bench.harness import SITEGEN, Run, timed

TIMEOUT = 3600  # seconds


def cold_builds(content: Path, scratch: Path, repeat: int) -> list[Run]:
    """`repeat` cold builds, each into a fresh parent: no earlier output, and no
    up-to-date record beside it."""
    runs = []
    for k in range(repeat):
        out = scratch / f"run-{k}" / "site"
        out.parent.mkdir(parents=True)
        runs.append(timed([*SITEGEN, "build", "--content", str(content), "--out", str(out)],
                          TIMEOUT))
    return runs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--content", type=Path, default=SHIPPED,
                        help="the catalogue to build (default: the shipped content)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        runs = cold_builds(args.content, Path(scratch), args.repeat)
        times = [r.seconds for r in runs]
        what = "the shipped catalogue" if args.content == SHIPPED else str(args.content)
        print(f"cold build of {what} ({args.repeat} runs): median "
              f"{statistics.median(times):.2f} s, best {min(times):.2f} s, peak "
              f"{max(r.peak_mib for r in runs):.0f} MiB", flush=True)
        print("one build, stage by stage:", flush=True)
        subprocess.run([sys.executable, "-m", "bench.stages", str(args.content),
                        str(Path(scratch) / "stages" / "site")], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
