"""Benchmark: ingest, check and export of the shipped catalogue, in fresh processes.

Run: .venv/bin/python bench/catalogue.py [--repeat N]
Reports the median wall time and the peak resident memory of each command.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITEGEN = [sys.executable, "-m", "sitegen"]


def measure(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command in a child process."""
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "fresh"
        cases = {
            "ingest (empty catalogue)": lambda: _reset(fresh) or [*SITEGEN, "ingest", "--content",
                                                                 str(fresh)],
            "ingest (again, no change)": lambda: [*SITEGEN, "ingest", "--content", str(fresh)],
            "check": lambda: [*SITEGEN, "check", "--content", str(ROOT / "content")],
            "export json": lambda: [*SITEGEN, "export", "--content", str(ROOT / "content")],
        }
        print(f"{'command':28} {'median s':>9} {'peak MiB':>9}")
        for name, command in cases.items():
            times, peak = [], 0.0
            for _ in range(repeat):
                seconds, peak = measure(command())
                times.append(seconds)
            print(f"{name:28} {statistics.median(times):9.2f} {peak:9.0f}")


def _reset(target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    (target / "dumps").mkdir(parents=True)
    for dump in (ROOT / "content" / "dumps").glob("*.txt"):
        shutil.copy(dump, target / "dumps" / dump.name)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", target / "taxonomy.yaml")


if __name__ == "__main__":
    main()
