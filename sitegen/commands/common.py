"""What every command shares: reporting problems, the validated catalogue, the date."""

from __future__ import annotations

import datetime as dt
import errno
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sitegen.core.model import Paper, Problem
from sitegen.core.summary import summary_lines
from sitegen.core.tempnames import is_temporary

if TYPE_CHECKING:
    from sitegen.catalogue.load import Catalogue, ValidCatalogue

T = TypeVar("T")

# Problems printed at most (the count printed after them stays exact), and annotations
# of each kind: GitHub Actions shows 10 errors and 10 warnings per step.
SHOWN = 200
ANNOTATED = 10


class UsageError(Exception):
    """An option or environment variable that cannot be used; the message says why."""


def report(problems: list[Problem]) -> None:
    """The first problems on stderr, and on GitHub Actions as annotations too: errors
    first (each kind in its order), so that no error is left among those not shown."""
    problems = sorted(problems, key=lambda problem: problem.warning)
    annotate = bool(os.environ.get("GITHUB_ACTIONS"))
    annotated = {False: 0, True: 0}
    for problem in problems[:SHOWN]:
        print(problem, file=sys.stderr)
        if annotate and annotated[problem.warning] < ANNOTATED:
            annotated[problem.warning] += 1
            print(problem.annotation(_in_workspace(problem.path)))
    if len(problems) > SHOWN:
        print(f"... and {len(problems) - SHOWN:,} more problem(s) not shown; fix these first",
              file=sys.stderr)
    if annotate and len(problems) > sum(annotated.values()):
        print(f"::notice::{len(problems) - sum(annotated.values()):,} more problem(s) are not "
              "annotated; see the log of this step")


def _in_workspace(path: str) -> str:
    """A problem's file as GitHub places an annotation: from the repository's root (the
    workspace), wherever the command ran (`--content` in a folder of it, say)."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace or not path:
        return path
    try:
        return Path(path).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except (OSError, ValueError):  # not inside it: as given
        return path


def report_summary(problems: list[Problem]) -> None:
    """Problems told in a few lines however many there are: for a terminal being watched."""
    for line in summary_lines(problems):
        print(line, file=sys.stderr)


def load_valid(content: Path, repairs: bool = False, loaded: Catalogue | None = None,
               also: tuple[str, ...] = ()) -> ValidCatalogue | None:
    """The validated catalogue (`loaded` if given), or None after printing why it cannot be
    used. With `repairs`, formatting, merges a person asked for and labels the rules
    proposed that the taxonomy lacks now do not block: the command makes or replaces them;
    nor do the problems whose code is in `also`."""
    from sitegen.catalogue.load import blocking, load_catalogue, validated
    from sitegen.catalogue.paperchecks import PROPOSED_UNKNOWN
    from sitegen.catalogue.sameas import UNMERGED
    repaired = ("canonical", UNMERGED, PROPOSED_UNKNOWN, *also) if repairs else also
    catalogue = loaded or load_catalogue(content)
    valid = validated(catalogue, repaired)
    if valid is None:
        errors = blocking(catalogue, repaired)
        report(errors)
        print(f"{len(errors)} error(s) in {content}: fix them first (see `sitegen check`)",
              file=sys.stderr)
    return valid


def today(explicit: str | None = None) -> str:
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


def progress(items: Iterable[T], **options: object) -> Iterable[T]:
    """A progress bar on stderr when it is a terminal (tqdm loads only when it is used)."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: a command may fork (`split_map`)
    return tqdm(items, disable=None, file=sys.stderr, **options)  # type: ignore[call-overload]


def save_papers(content: Path, papers: dict, removed: Iterable[str] = ()) -> int:
    """Write papers in canonical form (only files that change) and remove merged ones;
    returns how many files were written. Many papers are shared by two processes, each
    serialising and writing its half (no file's bytes travel between them)."""
    from sitegen.catalogue.store import paper_path, papers_dir
    from sitegen.core.parallel import MIN_ITEMS, split_map
    from sitegen.site.output import remove_abandoned, remove_file
    remove_abandoned(papers_dir(content), ".yaml")  # a killed run's, even if none is written
    items = list(papers.items())
    shared = len(items) >= MIN_ITEMS
    parts = [items[:len(items) // 2], items[len(items) // 2:]] if shared else [items]
    written = sum(split_map(lambda part: _write_papers(content, part), parts,
                            parallel=shared, min_items=2))
    for paper_id in removed:
        remove_file(paper_path(content, paper_id))
    return written


def _write_papers(content: Path, papers: list[tuple[str, Paper]]) -> int:
    from sitegen.catalogue.store import paper_path, serialise
    from sitegen.site.output import write_files
    return len(write_files({paper_path(content, pid): serialise(paper)
                            for pid, paper in papers}))


_SYSTEM_HINTS = {errno.EACCES: "check that you may write to it and to its folder",
                 errno.EPERM: "check that you may write to it and to its folder",
                 errno.EROFS: "the file system is read-only: work in a copy you may write to",
                 errno.ENOSPC: "free some disk space, then run the command again",
                 errno.EDQUOT: "free some disk space, then run the command again"}


def system_error(error: OSError) -> str:
    """An error the system gave, naming what the user knows: the folder of a temporary file
    the writer made there (see core.tempnames), and how to fix it where that is clear."""
    if not error.filename:
        return str(error)
    name = Path(os.fsdecode(error.filename))
    if is_temporary(name.name, ""):
        name = name.parent
    hint = _SYSTEM_HINTS.get(error.errno or 0)
    return f"cannot access {name}: {error.strerror}" + (f" (hint: {hint})" if hint else "")
