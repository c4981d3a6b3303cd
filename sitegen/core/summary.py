"""Many problems told in a few lines: the commonest kinds first, then the first few.

A taxonomy edit can make a thousand papers invalid at once, all for one reason.
Whoever watches a preview (in the terminal or on the page) needs that reason
once, with how many files it touches and an example, not a thousand lines.
"""

from __future__ import annotations

import re
from collections import Counter

from sitegen.core.model import Problem

KINDS = 3  # the commonest kinds of problem named
FIRST = 10  # problems shown in full after them


def summary_lines(problems: list[Problem]) -> list[str]:
    """The problems in at most FIRST + KINDS + 3 lines; every one of them when few."""
    if len(problems) <= FIRST:
        return [str(problem) for problem in problems]
    kinds = Counter(_kind(problem) for problem in problems)
    files = len({problem.path for problem in problems})
    lines = [f"{len(problems):,} problems in {files:,} file(s); the commonest:"]
    for kind, count in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))[:KINDS]:
        example = next(p for p in problems if _kind(p) == kind)
        lines.append(f"  {count:,} x {kind} (e.g. {_where(example)})")
    lines.append(f"the first {FIRST}:")
    lines += [f"  {problem}" for problem in problems[:FIRST]]
    return lines


_INDEX = re.compile(r"\[\d+\]")
_COLUMN = re.compile(r"\bcolumn \d+")


def _kind(problem: Problem) -> str:
    """What a problem says, without where: the same mistake in many files is one kind,
    whichever item of a list it is in (`topics[0]` and `topics[1]` are `topics[]`), and
    at whichever column of its line (`column 82` and `column 105` are `column N`)."""
    subject = f"{_INDEX.sub('[]', problem.field)}: " if problem.field else ""
    hint = f" (hint: {problem.hint})" if problem.hint else ""
    message = _COLUMN.sub("column N", problem.message)
    return f"{'warning: ' if problem.warning else ''}{subject}{message}{hint}"


def _where(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}" if problem.line else problem.path
