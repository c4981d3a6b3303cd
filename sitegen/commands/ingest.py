"""`sitegen ingest`: read dumps into papers, merging entries of the same paper."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.commands.common import load_valid, progress, report, save_papers, today
from sitegen.core.model import Entry, Problem

if TYPE_CHECKING:
    from sitegen.ingest.merge import Report


def run(args: argparse.Namespace) -> int:
    from sitegen.ingest.dumps import find_dumps
    from sitegen.ingest.merge import ingest
    date = today(args.date)
    catalogue = load_valid(args.content, repairs=True)
    if catalogue is None:
        return 1
    paths = args.dumps or find_dumps(args.content / "dumps")
    entries, problems = _read_entries(paths)
    matching = progress(entries, desc="matching", unit="entry")
    papers, outcome = ingest(catalogue.papers, matching, catalogue.taxonomy, date)
    save_papers(args.content, papers, outcome.removed)
    report(problems)
    _print_summary(len(paths), outcome, problems, args.verbose)
    return 1 if any(not p.warning for p in problems) and not entries else 0


def _read_entries(paths: list[Path]) -> tuple[list[Entry], list[Problem]]:
    from sitegen.ingest.dumps import read_dump
    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in progress(paths, desc="reading dumps", unit="dump"):
        found, trouble = read_dump(path)
        entries += found
        problems += trouble
    return entries, problems


def _print_summary(dumps: int, outcome: Report, problems: list[Problem], verbose: bool) -> None:
    if verbose:
        for line in outcome.merged:
            print(f"merged: {line}")
    for line in outcome.uncertain:
        print(f"uncertain: {line}")
    for line in outcome.unrecorded:
        print(f"warning: {line}", file=sys.stderr)
    warnings = sum(p.warning for p in problems)
    print(f"dumps read: {dumps}\nentries: {outcome.entries}\nnew papers: {len(outcome.new)}\n"
          f"merged: {len(outcome.merged)}\nuncertain pairs: {len(outcome.uncertain)}\n"
          f"relabelled: {len(outcome.relabelled)}\n"
          f"warnings: {warnings}\nerrors: {len(problems) - warnings}")
