"""Where the time of one build goes, stage by stage: run in a fresh process by bench/build.py.

Run: .venv/bin/python -m bench.stages CONTENT OUT
"""

import sys
import time
from pathlib import Path


def main(content: Path, out: Path) -> None:
    """Import, load, render and write, each timed; sitegen is imported here, as a stage."""
    start = time.perf_counter()
    from sitegen.catalogue.load import load_catalogue
    from sitegen.site.build import render
    from sitegen.site.output import write_site

    marks = [("import", time.perf_counter())]
    catalogue = load_catalogue(content)
    marks.append(("load and validate", time.perf_counter()))
    files = render(catalogue, "")
    marks.append(("pages and render", time.perf_counter()))
    write_site(files, out)
    marks.append(("write", time.perf_counter()))
    previous = start
    for name, mark in marks:
        print(f"  {name:20} {mark - previous:6.3f} s")
        previous = mark
    print(f"  {len(files)} files, {sum(map(len, files.values())) / 2**20:.1f} MiB"
          " (a real build overlaps rendering and writing)")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
