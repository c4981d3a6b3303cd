"""`sitegen ingest`: read dumps into papers, merging entries of the same paper.

What the last ingest left (`sitegen.ingest.memo`) spares the work whose inputs did not
change: loading an unchanged content tree, parsing an unchanged dump, labelling a title and
abstract already labelled, proposing again for a paper as the last ingest left it, and
writing it.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen.commands.common import SHOWN, load_valid, progress, report, save_papers, today
from sitegen.core.model import Entry, Paper, Problem

if TYPE_CHECKING:
    from sitegen.catalogue.load import Catalogue
    from sitegen.ingest.merge import Report


def run(args: argparse.Namespace) -> int:
    from sitegen.core.parallel import no_cycle_collection
    with no_cycle_collection(last=True):
        return _ingest(args)


def _ingest(args: argparse.Namespace) -> int:
    from sitegen.catalogue.contenttree import OVERSIZE, TAXONOMY_FILE, find_dumps
    from sitegen.core.parallel import beside, outlive
    from sitegen.ingest import memo as memos
    from sitegen.ingest.merge import ingest
    from sitegen.ingest.neighbours import reviewed
    date, content = today(args.date), args.content
    code = memos.code_digest(content / TAXONOMY_FILE)
    (tree, states), (memo, saved) = beside(lambda: memos.snapshot(content, code),
                                           lambda: outlive(_remembered(content, code)))
    loaded = outlive(_load(content, memo, saved, tree))
    catalogue = load_valid(content, repairs=True, loaded=loaded, also=(OVERSIZE,))
    if catalogue is None:
        return 1
    paths = args.dumps or find_dumps(content / "dumps")
    entries, problems, dumps = outlive(_read_entries(paths, memo.get("dumps", {})))
    teachers = reviewed(catalogue.papers.values())  # labels made with others are not known
    taught = memo.get("reviewed") == teachers.digest
    settled = memos.settled(memo, states) if taught else set()
    known = outlive(memos.known_labels(memo) if taught else {})
    papers, outcome = outlive(ingest(
        catalogue.papers, entries, catalogue.taxonomy, date, settled, known,
        lambda items: progress(items, desc="matching", unit="entry"), teachers))
    changed = set(outcome.changed)
    written = save_papers(content, {pid: p for pid, p in papers.items()
                                    if pid in changed or pid not in settled},
                          outcome.removed)
    kept = {"code": code, "reviewed": teachers.digest, "dumps": dumps}
    if written or outcome.removed:
        _remember(content, kept, papers, None, known)
    elif memo.get("tree") != tree or dumps is not memo.get("dumps") or len(known) > len(
            memo.get("labels", {})) or not taught:
        _remember(content, kept, papers, (tree, loaded), known)
    report(problems)
    _print_summary(len(paths), outcome, problems, args.verbose)
    return 1 if any(not p.warning for p in problems) else 0  # what was read is written


def _remembered(content: Path, code: str) -> tuple[dict[str, Any], Catalogue | None]:
    """The memo, and the catalogue it saved (made from its rows while the content tree's
    state is taken beside: 0.9 s at 50,000 papers)."""
    from sitegen.ingest import memo as memos
    memo = memos.read_memo(content, code)
    return memo, memos.saved_catalogue(memo)


def _load(content: Path, memo: dict[str, Any], saved: Catalogue | None, tree: str) -> Catalogue:
    """The catalogue: as the memo saved it while the content tree is unchanged, else loaded,
    reading only the paper files that changed since the last ingest."""
    from sitegen.catalogue import contentfs, contenttree
    from sitegen.catalogue.load import load_catalogue
    from sitegen.catalogue.taxonomyload import load_taxonomy
    from sitegen.ingest import memo as memos
    if saved is not None and memo.get("tree") == tree:
        shown = contentfs.shown_paths(content)
        saved.taxonomy = load_taxonomy(content / contenttree.TAXONOMY_FILE,
                                       shown(contenttree.TAXONOMY_FILE))[0]
        return saved
    return load_catalogue(content, reader=memos.reader(memo, saved.papers if saved else None))


def _remember(content: Path, kept: dict[str, Any], papers: dict[str, Paper],
              unchanged: tuple[str, Catalogue] | None, known: dict) -> None:
    """Keep what this ingest leaves: the tree and catalogue as loaded when it wrote nothing
    (`unchanged`), else as loading them now gives (reading the files written from memory);
    `kept`: the code, the reviewed papers' digest and the dumps read."""
    from sitegen.catalogue.load import load_catalogue
    from sitegen.ingest import memo as memos
    from sitegen.site.output import write_atomic
    tree, states = memos.snapshot(content, kept["code"])
    files = {pid: states[pid] for pid in papers if pid in states}
    rows = {pid: memos.row(paper) for pid, paper in papers.items()}
    if unchanged is None:
        written = {"files": files, "catalogue": {"papers": list(rows.values())}}
        loaded = load_catalogue(content, parallel=True,
                                read_papers=memos.read_here(written, papers))
    else:
        tree, loaded = unchanged
    memo = memos.memo_bytes({**kept, "tree": tree, "files": files,
                             "catalogue": memos.catalogue_part(loaded, {
                                 pid: rows[pid] for pid, paper in loaded.papers.items()
                                 if papers.get(pid) == paper}),
                             "labels": memos.labels_part(known)})
    with contextlib.suppress(OSError):  # a memo is only ever a shortcut
        write_atomic(memos.memo_path(content), memo)


def _read_entries(paths: list[Path], saved: dict[str, Any]) -> tuple[list[Entry], list[Problem],
                                                                       dict[str, Any]]:
    """The dumps' entries and problems, each dump parsed unless the memo saved it (`saved`,
    by path), those parsed shared between two processes; and the memo's part for them
    (`saved` itself when it holds all, and only, these dumps)."""
    from sitegen.core.parallel import split_map
    from sitegen.ingest import memo as memos
    from sitegen.ingest.dumps import read_dump
    states = [memos.file_state(path) for path in paths]
    known = [memos.saved_dump(saved.get(str(path)), status)
             for path, status in zip(paths, states, strict=True)]
    missing = [path for path, kept in zip(paths, known, strict=True) if kept is None]
    fresh = iter(split_map(read_dump, missing, min_items=2))
    found = [kept or next(fresh) for kept in known]
    entries = [entry for got, _ in found for entry in got]
    problems = [problem for _, trouble in found for problem in trouble]
    if not missing and len(saved) == len(paths):
        return entries, problems, saved
    part = {str(path): kept for path, status, (got, trouble) in zip(paths, states, found,
                                                                    strict=True)
            if (kept := memos.dump_part(status, got, trouble)) is not None}
    return entries, problems, part


def _print_summary(dumps: int, outcome: Report, problems: list[Problem], verbose: bool) -> None:
    if verbose:
        for line in outcome.merged:
            print(f"merged: {line}")
    for line in outcome.uncertain[:SHOWN]:
        print(f"uncertain: {line}")
    if len(outcome.uncertain) > SHOWN:
        print(f"... and {len(outcome.uncertain) - SHOWN:,} more uncertain pair(s) not shown")
    for line in outcome.unrecorded:
        print(f"warning: {line}", file=sys.stderr)
    warnings = sum(p.warning for p in problems)
    print(f"dumps read: {dumps}\nentries: {outcome.entries}\nnew papers: {len(outcome.new)}\n"
          f"merged: {len(outcome.merged)}\nuncertain pairs: {len(outcome.uncertain)}\n"
          f"relabelled: {len(outcome.relabelled)}\n"
          f"warnings: {warnings}\nerrors: {len(problems) - warnings}")
