"""Benchmark at scale: build, rebuild, preview, check, ingest and search from 690 to 50,000 papers.

Run: .venv/bin/python bench/run.py [--sizes 690,5000,20000,50000] [--repeat 3] [--quick]
(`./dev.sh bench` installs what it needs, Hugo included, and runs it with --fresh.)

For each size N (the shipped count is the shipped content itself; any other N is
`bench/make_corpus.py`'s synthetic catalogue), every command in a fresh process:
a cold `sitegen build` into an empty directory (median of --repeat, with peak
memory), a rebuild with nothing changed and one after editing a paper's title
(same output directory), the time from saving an edited paper to `sitegen serve`
serving it at the paper's address and at the pages depending on it (bench/preview.py),
`sitegen check`, `sitegen ingest` of the shipped dumps into a copy and of the corpus
as dumps into an empty catalogue, the files written and their size, the search data's
size, then in Chromium the time from opening /search/ to the index being ready and the
time to results of bench/browser.py's 20 queries. A plain Hugo site of the same papers
is built too, right after the cold builds, and served by `hugo server` to edit it the
same way (without Hugo installed these figures fail, saying so; --no-hugo leaves them out).

Nothing is deleted until the whole run ends (it needs about 10 GB of scratch space
at 50,000 papers): removing a large directory tree slows file creation on some
disks for a minute or two (here, 10,000 new directories with a page each took
2.6 s, and 12 s right after a 20,000-page site was removed), and that cost would
land on whichever build came next. Only a rebuild's own replacing of its output
deletes anything, as it does for every user. For the same reason the disk is
synced before each timed command.

A step that fails (an error, a timeout) is recorded as failed with its reason.
Results are merged into docs/benchmarks.json (earlier sizes are kept, unless
--fresh), and docs/benchmarks.md and docs/benchmarks-build.svg are rewritten
from it. --quick (one run each, fewer browser rounds, sizes 690,1000 unless
given) only prints the results, unless --docs names where to write them.
The steps are in bench/steps.py, the targets in bench/targets.yaml.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as a script: import bench/ as the package it is
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import ROOT
from bench.figures import plain_table
from bench.machine import machine
from bench.measure import Measurer, derive
from bench.report import load_results, load_stored, write_report
from bench.steps import Settings

DOCS = ROOT / "docs"
DEFAULT_SIZES = (690, 5000, 20000, 50000)
QUICK_SIZES = (690, 1000)


def parser() -> argparse.ArgumentParser:
    """The command line, with each option's default."""
    parse = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parse.add_argument("--sizes", help="comma-separated paper counts (default: "
                       f"{','.join(map(str, DEFAULT_SIZES))}; --quick: "
                       f"{','.join(map(str, QUICK_SIZES))})")
    parse.add_argument("--repeat", type=int, help="runs per timed step (default 3; --quick 1)")
    parse.add_argument("--quick", action="store_true",
                       help="one run each, fewer browser rounds; prints, writes only to --docs")
    parse.add_argument("--seed", type=int, default=0, help="of the synthetic catalogues")
    parse.add_argument("--timeout", type=float, default=3600,
                       help="seconds any one command may take (default 3600)")
    parse.add_argument("--browser-timeout", type=float, default=300,
                       help="seconds the search index may take to load (default 300)")
    parse.add_argument("--docs", type=Path, help="where the report goes (default: docs/)")
    parse.add_argument("--fresh", action="store_true",
                       help="forget earlier results instead of merging with them")
    parse.add_argument("--no-browser", action="store_true", help="skip the search timings")
    parse.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parse.add_argument("--no-serve", action="store_true",
                       help="skip the preview servers' edit-to-visible latency")
    parse.add_argument("--edits", type=int, help="timed edits per round of a preview server "
                       "(default 5; --quick 3)")
    parse.add_argument("--scratch", type=Path, help="work directory (default: a temporary one)")
    parse.add_argument("--report-only", action="store_true",
                       help="measure nothing: rewrite the report from --docs's benchmarks.json")
    return parse


def main(argv: list[str] | None = None) -> int:
    parse = parser()
    args = parse.parse_args(argv)
    if args.report_only:
        return report_only(parse, args.docs or DOCS)
    try:
        sizes = [int(s) for s in (args.sizes.split(",") if args.sizes else
                                  QUICK_SIZES if args.quick else DEFAULT_SIZES)]
    except ValueError:
        parse.error("--sizes takes numbers separated by commas, e.g. 690,1000,5000")
    if any(n < 1 for n in sizes):
        parse.error("every size must be at least 1")
    if args.edits is not None and args.edits < 1:
        parse.error("--edits must be at least 1")
    docs = args.docs or (None if args.quick else DOCS)
    settings = Settings(args.repeat or (1 if args.quick else 3), args.timeout,
                        args.browser_timeout, args.seed, args.quick, not args.no_browser,
                        not args.no_hugo, not args.no_serve,
                        args.edits or (3 if args.quick else 5),
                        log=lambda text: print(text, file=sys.stderr, flush=True))
    results = {} if args.fresh or docs is None else load_results(docs)
    measure_all(settings, sizes, results, docs, args.scratch)
    return 0


def report_only(parse: argparse.ArgumentParser, docs: Path) -> int:
    """Rewrite the report from docs/benchmarks.json, measuring nothing."""
    stored = load_stored(docs)
    if not stored["results"]:
        parse.error(f"no results in {docs / 'benchmarks.json'}")
    for result in stored["results"].values():
        derive(result)  # also for results measured before a figure was derived
    print("written:", ", ".join(str(p) for p in write_report(docs, stored["machine"],
                                                              stored["results"])))
    return 0


def measure_all(settings: Settings, sizes: list[int], results: dict[int, dict],
                docs: Path | None, scratch: Path | None) -> None:
    """Measure each size into `results`, writing the report after each (a long run keeps
    what it measured), then print them."""
    info = machine()
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        measurer = Measurer(Path(folder), settings)
        for papers in sizes:
            results[papers] = measurer.measure(papers)
            if docs is not None:
                write_report(docs, info, results)
    print(plain_table(results))
    if docs is not None:
        print("written:", ", ".join(str(p) for p in write_report(docs, info, results)))


if __name__ == "__main__":
    sys.exit(main())
