"""Dumps saved hard-wrapped (by `fold`, an editor's fill, a mail client) joined back into
one line per title and per abstract, where that can be done without guessing.

A listing gives every abstract a line of its own, hundreds or thousands of characters
long. In a dump whose longest line is short, most lines nearly as long as it, each with
more of its text on the next line, the lines were wrapped at that width. Wrapping puts
on a line every word that fits, so a line the next line's first word would have fitted
on ends its paragraph. The converse does not hold: a paragraph's last line may be too
full for the next one's first word, and nothing then tells a title's end, or an
abstract's, from a line break inside it. So only a dump whose paragraphs are set apart
by blank lines (as one of the listings' layouts is) is joined back: each run of lines
between blank lines is one paragraph, and a run holding a line that ends a paragraph
shows that the blank lines do not set every paragraph apart (None: the caller refuses
the dump, rather than merge titles into abstracts).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

ABSTRACT_LENGTH = 250  # characters: a line this long is an abstract, never wrapped
_FULL_SLACK = 15  # a line this much shorter than the width may still be full
_FIT_SLACK = 2  # a word fits on a line when it ends this far from the width
_FULL_LINES = 5  # at least this many, and a third of the dump's lines, are full
TRUNCATED = ("...", "\u2026")  # how a listing ends a text it cut short

Line = tuple[int, str]  # (line number, text)


def wrap_width(lines: Sequence[Line]) -> int | None:
    """The width the dump's lines were wrapped at, or None if they were not: its longest
    line is short, and many lines are full, too full for the next line's first word, most
    of them followed by another full line (lines of a paragraph, not abstracts cut short
    at one length, each followed by a title)."""
    texts = [text for _, text in lines if text]
    width = max(map(len, texts), default=0)
    if width >= ABSTRACT_LENGTH:
        return None
    full = [bool(after) and len(text) >= width - _FULL_SLACK
            and not _ends_paragraph(text, after, width)
            for (_, text), (_, after) in pairwise(lines)]
    chained = sum(1 for this, following in pairwise(full) if this and following)
    wrapped = sum(full) >= _FULL_LINES and 3 * sum(full) >= len(texts) and 2 * chained >= sum(full)
    return width if wrapped else None


def unwrapped(lines: Sequence[Line], width: int) -> list[Line] | None:
    """Each run of lines between blank lines joined into one, numbered as its first line
    is (blank lines kept); None if a line inside a run ends its paragraph (see the module)."""
    joined: list[Line] = []
    run: list[Line] = []
    for number, text in [*lines, (0, "")]:
        if text:
            run.append((number, text))
            continue
        if any(_ends_paragraph(line, after, width)
               for (_, line), (_, after) in pairwise(run)):
            return None
        if run:
            joined.append((run[0][0], _joined([line for _, line in run])))
            run = []
        joined.append((number, ""))
    return joined[:-1]


def _joined(lines: list[str]) -> str:
    """Lines joined by spaces, but after a hyphen inside a word, where wrapping broke a
    compound ("memory-" and "efficient": "memory-efficient")."""
    parts = []
    for line, after in zip(lines, [*lines[1:], ""], strict=True):
        parts.append(line)
        if after and not (line.endswith("-") and line[-2:-1].isalnum()):
            parts.append(" ")
    return "".join(parts)


def _ends_paragraph(text: str, after: str, width: int) -> bool:
    """Whether a line, the next line's text `after` it, ends its paragraph for certain:
    the next line's first word would have fitted on it, or a listing cut it short."""
    first_word = after.split(" ", 1)[0]
    return (text.endswith(TRUNCATED)
            or width - (len(text) + 1 + len(first_word)) >= _FIT_SLACK)
