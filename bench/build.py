"""Benchmark: a cold `sitegen build` of the shipped catalogue, in fresh processes.

Run: .venv/bin/python bench/build.py [--repeat N]
Reports wall time (median and best of N) and peak resident memory of the whole
command, then where the time goes inside one build.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STAGES = """
import time, sys
from pathlib import Path
start = time.perf_counter()
from sitegen.catalogue.load import load_catalogue
from sitegen.site.build import render
from sitegen.site.output import write_site
marks = [("import", time.perf_counter())]
catalogue = load_catalogue(Path(sys.argv[1]))
marks.append(("load and validate", time.perf_counter()))
files = render(catalogue, "")
marks.append(("pages and render", time.perf_counter()))
write_site(files, Path(sys.argv[2]))
marks.append(("write", time.perf_counter()))
previous = start
for name, mark in marks:
    print(f"  {name:20} {mark - previous:6.3f} s")
    previous = mark
print(f"  {len(files)} files, {sum(map(len, files.values())) / 2**20:.1f} MiB"
      " (a real build overlaps rendering and writing)")
"""


def one_build(out: Path) -> float:
    out.parent.mkdir(parents=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sitegen", "build", "--content", str(ROOT / "content"),
                    "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as scratch:
        # a fresh parent each run: no earlier output, and no up-to-date record beside it
        times = [one_build(Path(scratch) / f"run-{k}" / "site") for k in range(repeat)]
        out = Path(scratch) / "stages" / "site"
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"cold build of the shipped catalogue ({repeat} runs): median "
              f"{statistics.median(times):.2f} s, best {min(times):.2f} s, peak {peak:.0f} MiB")
        print("one build, stage by stage:")
        subprocess.run([sys.executable, "-c", STAGES, str(ROOT / "content"), str(out)],
                       check=True)


if __name__ == "__main__":
    main()
