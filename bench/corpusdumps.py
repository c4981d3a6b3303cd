"""A synthetic catalogue's papers as dumps, in the two layouts the shipped dumps have.

"flat" (as content/dumps/000_*.txt): two lines of page chrome, "Subscribe" glued to
the first title, then each title's line followed by its abstract's, no blank lines.
"spaced" (as content/dumps/002_*.txt): "new", the chrome, "byAK ...", a date, then
titles and abstracts, every line followed by a blank one.

Only papers a dump can hold round-trip through `sitegen ingest` (a title that reads as
a title, an abstract that reads as one), so every entry written is one new paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sitegen.core.model import Paper
from sitegen.ingest.dumps import looks_like_abstract

PER_DUMP = 2_000  # entries in one dump: a 5,000-paper corpus has both layouts
FLAT_HEAD = ["Get trending papers in your email inbox once a day!",
             "Get trending papers in your email inbox!"]
SPACED_HEAD = ["new", "Get trending papers in your email inbox!", "Subscribe",
               "byAK and the research community", "Mar 13"]


def dumpable(paper: Paper) -> bool:
    """A paper whose title and abstract a dump gives back as one entry."""
    return bool(paper.abstract) and looks_like_abstract(paper.abstract) \
        and not looks_like_abstract(paper.title) and "\n" not in paper.abstract


def flat(papers: list[Paper]) -> str:
    lines = list(FLAT_HEAD)
    for k, paper in enumerate(papers):
        lines += [("Subscribe" if k == 0 else "") + paper.title, paper.abstract]
    return "\n".join(lines) + "\n"


def spaced(papers: list[Paper]) -> str:
    lines = list(SPACED_HEAD)
    for paper in papers:
        lines += [paper.title, paper.abstract]
    return "\n\n".join(lines) + "\n"


LAYOUTS = (flat, spaced)


def write_dumps(papers: Iterable[Paper], folder: Path, per_dump: int = PER_DUMP) -> int:
    """Dumps of every dumpable paper, `per_dump` entries each, the layouts taking turns;
    returns how many entries were written."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = [p for p in papers if dumpable(p)]
    for number, start in enumerate(range(0, len(chosen), per_dump)):
        layout = LAYOUTS[number % len(LAYOUTS)]
        text = layout(chosen[start:start + per_dump])
        (folder / f"{number:03d}_{layout.__name__}.txt").write_text(text, encoding="utf-8")
    return len(chosen)
