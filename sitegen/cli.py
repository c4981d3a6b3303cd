"""The `sitegen` command line: each command loads, runs one stage and reports."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__
from sitegen.core.model import Entry, Problem

if TYPE_CHECKING:
    from sitegen.catalogue.load import Catalogue
    from sitegen.ingest.merge import Report

# Each command imports the stages it runs when it runs, so that a quick answer
# (`--help`, or a build with nothing to do) does not wait for all of them to load.


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except UsageError as error:
        print(f"sitegen: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; files already written are complete, none is half-written",
              file=sys.stderr)
        return 130
    except OSError as error:
        if error.filename:
            print(f"sitegen: cannot access {error.filename}: {error.strerror}", file=sys.stderr)
        else:
            print(f"sitegen: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    from sitegen.commands.new import add_arguments as add_new_arguments
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the catalogue's content directory (default: content)")
    parser = argparse.ArgumentParser(prog="sitegen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("ingest", parents=[common], help="read dumps into papers/*.yaml")
    run.add_argument("dumps", nargs="*", type=Path, metavar="DUMP",
                     help="dump files (default: every .txt in CONTENT/dumps)")
    run.add_argument("--date", help="date recorded for new papers (default: today, or "
                                    "SOURCE_DATE_EPOCH)")
    run.add_argument("-v", "--verbose", action="store_true", help="explain every merge")
    run.set_defaults(run=cmd_ingest)
    run = commands.add_parser("new", parents=[common],
                              help="add a paper from a title and abstract")
    add_new_arguments(run)
    run.set_defaults(run=cmd_new)
    run = commands.add_parser("classify", parents=[common],
                              help="relabel every paper no person labelled")
    run.set_defaults(run=cmd_classify)
    run = commands.add_parser("check", parents=[common], help="validate all content")
    run.set_defaults(run=cmd_check)
    run = commands.add_parser("fmt", parents=[common], help="rewrite papers in canonical form")
    run.set_defaults(run=cmd_fmt)
    run = commands.add_parser("export", parents=[common], help="write the catalogue to stdout")
    run.add_argument("--format", choices=("json", "csv"), default="json")
    run.set_defaults(run=cmd_export)
    run = commands.add_parser("build", parents=[common], help="render the static site")
    run.add_argument("--out", type=Path, default=Path("_site"), help="output directory")
    run.add_argument("--base-url", default="", metavar="URL",
                     help="absolute URL the site is served from (default: site.yaml's)")
    run.add_argument("--force", action="store_true",
                     help="build even when nothing changed since the last build")
    run.set_defaults(run=cmd_build)
    run = commands.add_parser("serve", parents=[common],
                              help="build, serve on localhost and rebuild on changes")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--out", type=Path, default=Path("_serve"),
                     help="output directory (default: _serve, apart from build's _site)")
    run.set_defaults(run=cmd_serve)
    run = commands.add_parser("diff", parents=[common],
                              help="the catalogue's changes since a git ref, in Markdown")
    run.add_argument("base", metavar="BASE_REF", help="commit, branch or tag to compare with")
    run.set_defaults(run=cmd_diff)
    run = commands.add_parser("evaluate", parents=[common],
                              help="precision, recall and F1 of the rules on a gold set")
    run.add_argument("--gold", type=Path, default=Path("tests/gold/reference.yaml"))
    run.set_defaults(run=cmd_evaluate)
    return parser


# Problems printed at most (the count printed after them stays exact), and annotations
# of each kind: GitHub Actions shows 10 errors and 10 warnings per step.
SHOWN = 200
ANNOTATED = 10


def _report(problems: list[Problem]) -> None:
    """The first problems on stderr, and on GitHub Actions as annotations too."""
    annotate = bool(os.environ.get("GITHUB_ACTIONS"))
    annotated = {False: 0, True: 0}
    for problem in problems[:SHOWN]:
        print(problem, file=sys.stderr)
        if annotate and annotated[problem.warning] < ANNOTATED:
            annotated[problem.warning] += 1
            print(problem.annotation())
    if len(problems) > SHOWN:
        print(f"... and {len(problems) - SHOWN:,} more problem(s) not shown; fix these first",
              file=sys.stderr)
    if annotate and len(problems) > sum(annotated.values()):
        print(f"::notice::{len(problems) - sum(annotated.values()):,} more problem(s) are not "
              "annotated; see the log of this step")


def _load(content: Path, repairs: bool = False) -> Catalogue | None:
    """The validated catalogue, or None after printing why it cannot be used."""
    from sitegen.catalogue.load import load_catalogue
    from sitegen.catalogue.sameas import UNMERGED
    repaired = ("canonical", UNMERGED)  # formatting, and merges a person asked for
    catalogue = load_catalogue(content)
    blocking = [p for p in catalogue.errors if not (repairs and p.code in repaired)]
    if blocking or catalogue.taxonomy is None:
        _report(blocking)
        print(f"{len(blocking)} error(s) in {content}: fix them first (see `sitegen check`)",
              file=sys.stderr)
        return None
    return catalogue


class UsageError(Exception):
    """An option or environment variable that cannot be used; the message says why."""


def _today(explicit: str | None) -> str:
    """The date for new papers: --date, else SOURCE_DATE_EPOCH (reproducible builds), else
    today; always one a paper's `added` accepts."""
    from sitegen.catalogue.schema import valid_value
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if explicit:
        given = f"--date {explicit!r}"
        date = _parsed(lambda: dt.date.fromisoformat(explicit), given, "write it as YYYY-MM-DD")
    elif epoch:
        given = f"SOURCE_DATE_EPOCH={epoch!r}"
        date = _parsed(lambda: dt.datetime.fromtimestamp(int(epoch), dt.UTC).date(), given,
                       "set it to the seconds since 1970-01-01 UTC, or unset it")
    else:
        return dt.date.today().isoformat()
    if not valid_value("paper", "added", date.isoformat()):
        raise UsageError(f"{given} is {date.isoformat()}, before the year 1000 that a paper's "
                         "`added` date may have")
    return date.isoformat()


def _parsed(parse: Callable[[], dt.date], given: str, hint: str) -> dt.date:
    try:
        return parse()
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"{given} is not a date: {hint}") from None


def _progress(items, **options):
    """A progress bar on stderr when it is a terminal (tqdm loads only for ingest)."""
    from tqdm import tqdm

    return tqdm(items, disable=None, file=sys.stderr, **options)


def _read_entries(paths: list[Path]) -> tuple[list[Entry], list[Problem]]:
    from sitegen.ingest.dumps import read_dump
    entries, problems = [], []
    for path in _progress(paths, desc="reading dumps", unit="dump"):
        found, trouble = read_dump(path)
        entries += found
        problems += trouble
    return entries, problems


def cmd_ingest(args: argparse.Namespace) -> int:
    from sitegen.ingest.dumps import find_dumps
    from sitegen.ingest.merge import ingest
    today = _today(args.date)
    catalogue = _load(args.content, repairs=True)
    if catalogue is None:
        return 1
    paths = args.dumps or find_dumps(args.content / "dumps")
    entries, problems = _read_entries(paths)
    progress = _progress(entries, desc="matching", unit="entry")
    papers, report = ingest(catalogue.papers, progress, catalogue.taxonomy, today)
    _save(args.content, papers, report)
    _report(problems)
    _print_summary(len(paths), report, problems, args.verbose)
    return 1 if any(not p.warning for p in problems) and not entries else 0


def _save(content: Path, papers: dict, report: Report) -> None:
    from sitegen.catalogue.store import paper_path, serialise
    from sitegen.site.output import remove_file, write_files
    write_files({paper_path(content, pid): serialise(p) for pid, p in papers.items()})
    for removed in report.removed:
        remove_file(paper_path(content, removed))


def _print_summary(dumps: int, report: Report, problems: list[Problem], verbose: bool) -> None:
    if verbose:
        for line in report.merged:
            print(f"merged: {line}")
    for line in report.uncertain:
        print(f"uncertain: {line}")
    for line in report.unrecorded:
        print(f"warning: {line}", file=sys.stderr)
    warnings = sum(p.warning for p in problems)
    print(f"dumps read: {dumps}\nentries: {report.entries}\nnew papers: {len(report.new)}\n"
          f"merged: {len(report.merged)}\nuncertain pairs: {len(report.uncertain)}\n"
          f"relabelled: {len(report.relabelled)}\n"
          f"warnings: {warnings}\nerrors: {len(problems) - warnings}")


def cmd_new(args: argparse.Namespace) -> int:
    from sitegen.commands.new import run as run_new
    return run_new(args, _load, _today(None), _report)


def cmd_classify(args: argparse.Namespace) -> int:
    from sitegen.ingest.merge import ingest
    catalogue = _load(args.content, repairs=True)
    if catalogue is None:
        return 1
    papers, report = ingest(catalogue.papers, [], catalogue.taxonomy, _today(None))
    _save(args.content, papers, report)
    print(f"papers: {len(papers)}\nrelabelled: {len(report.relabelled)}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from sitegen.catalogue.load import load_catalogue
    catalogue = load_catalogue(args.content)
    _report(catalogue.problems)
    errors = len(catalogue.errors)
    warnings = len(catalogue.problems) - errors
    print(f"{len(catalogue.papers)} papers checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0


def cmd_fmt(args: argparse.Namespace) -> int:
    from sitegen.catalogue.store import paper_path, serialise
    from sitegen.site.output import write_files
    catalogue = _load(args.content, repairs=True)
    if catalogue is None:
        return 1
    written = write_files({paper_path(args.content, pid): serialise(p)
                           for pid, p in catalogue.papers.items()})
    print(f"{len(written)} file(s) rewritten")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from sitegen.site.export import to_csv, to_json
    catalogue = _load(args.content)
    if catalogue is None:
        return 1
    papers = list(catalogue.papers.values())
    sys.stdout.write(to_json(papers) if args.format == "json" else to_csv(papers))
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from sitegen.site.uptodate import build_stamp, is_current

    stamp = build_stamp(args.content, args.base_url, False)
    if not args.force and (count := is_current(args.out, stamp)):
        print(f"{args.out} is up to date ({count} files): nothing changed since it was "
              "built (--force builds anyway)")
        return 0
    from sitegen.site.build import build
    from sitegen.site.scheduler import WorkersFailed

    try:
        result = build(args.content, args.out, args.base_url, force=True, stamp=stamp)
    except ValueError as error:
        print(f"sitegen build: {error}", file=sys.stderr)
        return 2
    except WorkersFailed as failed:
        for failure in failed.errors:
            print(f"sitegen: writing the site failed: {failure}", file=sys.stderr)
        raise failed.during or failed from None
    if result.problems:
        _report(result.problems)
        print(f"{len(result.problems)} error(s): nothing was built (see `sitegen check`)",
              file=sys.stderr)
        return 1
    print(f"built {result.files} files into {args.out}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from sitegen.site.serve import serve  # the server and watcher load only when serving

    return serve(args.content, args.out, args.host, args.port, _report)


def cmd_diff(args: argparse.Namespace) -> int:
    from sitegen.site.diff import DiffError, diff_markdown

    try:
        sys.stdout.write(diff_markdown(args.content, args.base))
    except DiffError as error:
        print(f"sitegen diff: {error}", file=sys.stderr)
        return 2
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sitegen.ingest.classify import classify
    from sitegen.ingest.evaluate import load_gold, propose_all, report
    catalogue = _load(args.content, repairs=True)
    if catalogue is None or catalogue.taxonomy is None:
        return 1
    taxonomy = catalogue.taxonomy
    texts = {p.id: (p.title, p.abstract) for p in catalogue.papers.values()}
    outcomes, problems = propose_all(load_gold(args.gold), texts,
                                     lambda t, a: classify(t, a, taxonomy))
    _report(problems)
    print(report(outcomes))
    return 1 if problems else 0
