"""Dumps saved hard-wrapped (by `fold`, `fmt`, an editor's fill, a mail client) joined back
into one line per title and per abstract, where that can be done without guessing.

A listing gives every abstract a line of its own, hundreds or thousands of characters
long, and starts titles and abstracts with a capital as a rule. A dump whose lines are
nearly all short, many of them going on from the line before with a lower-case word, was
wrapped (`looks_wrapped`), whatever the tool: some fill every line, some balance them,
some cut words. Where a title or an abstract ends is then told only by a blank line: one
of the listings' layouts puts one after each, and each run of lines between blank lines
is joined back into one (`joined_runs`), which the caller takes where that pairs nearly
every title with an abstract. In the other layout nothing tells a title's end, or an
abstract's, from a line break inside it; the caller refuses such a dump rather than make
papers of fragments.

Lines are joined as the tool split them: with nothing between them where the tool kept
the spaces it broke at (`fold -s`; a line without one was cut inside a word too long for
a line), or cut every line at one length, inside words (`fold`); else with a space, but
after a hyphen inside a word ("memory-" "efficient") or between two characters of a
script written without spaces.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from itertools import pairwise

# A paragraph pasted wrapped: at least this many short lines, each but the last this many
# characters at least, and this share of the longest.
_PARAGRAPH_LINES, _WRAP_WIDTH, _FULL = 3, 40, 0.75
_HANGING = ("and ", "or ", "to ")  # what follows a hyphen left hanging ("pre- and post-")
ABSTRACT_LENGTH = 250  # characters: a line this long is an abstract, never wrapped
_SHORT_SHARE = 0.9  # of a wrapped dump's lines, at least this share are short
_GOING_ON = 0.25  # and at least this share go on from the line before in lower case
_AS_SPLIT = 0.5  # of the lines going on to the next, the share that shows how they split
_CUT_LINES = 3  # lines cut at one length: at least this many

Line = tuple[int, str]  # (line number, text)
Lines = list[Line]  # a dump's lines, as every stage of its reading passes them


def looks_wrapped(texts: Sequence[str]) -> bool:
    """Whether a dump's lines (cleaned, blank ones too) were wrapped (see the module)."""
    written = [text for text in texts if text]
    lengths = sorted(map(len, written))
    if len(lengths) < 2 or lengths[int(_SHORT_SHARE * (len(lengths) - 1))] >= ABSTRACT_LENGTH:
        return False
    going_on = sum(1 for before, text in pairwise(texts) if before and text[:1].islower())
    return going_on >= _GOING_ON * len(written)


def joined_runs(lines: Sequence[Line]) -> tuple[list[Line], int]:
    """Each run of lines between blank lines joined into one (the lines as the dump has
    them, uncleaned), numbered as its first line is; and the number of the first line of
    the first run of several lines (0 if there is none)."""
    runs: list[list[Line]] = [[]]
    for number, text in lines:
        if text.strip():
            runs[-1].append((number, text))
        elif runs[-1]:
            runs.append([])
    runs = [run for run in runs if run]
    as_split = _as_split([text for run in runs for _, text in run[:-1]])
    first = next((run[0][0] for run in runs if len(run) > 1), 0)
    return [(run[0][0], _joined([text for _, text in run], as_split)) for run in runs], first


def _as_split(inner: list[str]) -> bool:
    """Whether lines that go on to the next join with nothing between them: most of them
    keep the space the tool broke at (`fold -s`: one that does not was cut inside a word
    too long for a line), or most were cut at one length, inside words: as long as the
    longest, as characters or as bytes (`fold` counts bytes)."""
    if sum(text[-1:].isspace() for text in inner) >= _AS_SPLIT * len(inner) > 0:
        return True
    for size in (len, lambda text: len(text.encode("utf-8", "surrogatepass"))):
        sizes = list(map(size, inner))
        longest = sizes.count(max(sizes, default=0))
        if longest >= _CUT_LINES and longest >= _AS_SPLIT * len(inner):
            return True
    return False


def _joined(lines: list[str], as_split: bool) -> str:
    if as_split:
        return "".join(lines)
    parts = []
    for line, after in pairwise([*lines, ""]):
        parts.append(line)
        if after and not _joins_directly(line, after):
            parts.append(" ")
    return "".join(parts)


def _joins_directly(line: str, after: str) -> bool:
    """Whether two lines' texts meet with nothing between them: after a hyphen inside a
    word (but a hyphen left hanging before "and" or "or": "small- and medium-scale"), or
    between two characters of a script written without spaces (wide ones)."""
    line, after = line.rstrip(), after.lstrip()
    if line.endswith("-") and line[-2:-1].isalnum():
        return not after.startswith(_HANGING)
    return bool(line and after) and all(
        unicodedata.east_asian_width(char) in "WF" for char in (line[-1], after[0]))


def mended_paragraphs(lines: Sequence[Line], abstract: list[bool]
                      ) -> tuple[list[Line], list[bool]]:
    """The lines of a dump that is not wrapped, with an abstract pasted into it wrapped (from
    a PDF: its lines short, most after the first going on in lower case) joined back into
    one, between its title and the next title and its abstract; and whether each line
    looks like an abstract (a joined one does)."""
    mended: list[Line] = []
    judged: list[bool] = []
    k = 0
    while k < len(lines):
        end = _short_run(lines, abstract, k)
        if end - k >= _PARAGRAPH_LINES and _wrapped_at_a_width(lines[k:end]):
            mended.append((lines[k][0], _joined([text for _, text in lines[k:end]], False)))
            judged.append(True)
            k = end
            continue
        mended += lines[k:max(end, k + 1)]
        judged += abstract[k:max(end, k + 1)]
        k = max(end, k + 1)
    return mended, judged


def _short_run(lines: Sequence[Line], abstract: list[bool], k: int) -> int:
    """Where a run of short lines that follows a title from line k ends: at the next title
    followed by its abstract, or at the dump's end (k, if line k starts no such run)."""
    if k == 0 or abstract[k - 1] or len(lines[k][1]) >= ABSTRACT_LENGTH:
        return k
    end = k + 1
    while end < len(lines) and len(lines[end][1]) < ABSTRACT_LENGTH and not (
            end + 1 < len(lines) and len(lines[end + 1][1]) >= ABSTRACT_LENGTH):
        end += 1
    return end


def _wrapped_at_a_width(run: Sequence[Line]) -> bool:
    """Whether a run of lines reads as a paragraph wrapped at a width: every line but the
    last about as long as the longest (and no short one), and most lines after the first
    going on from the one before, in lower case."""
    lengths = [len(text) for _, text in run[:-1]]
    return (min(lengths) >= max(_WRAP_WIDTH, _FULL * max(lengths))
            and sum(1 for _, text in run[1:] if text[:1].islower()) * 2 > len(run) - 1)
