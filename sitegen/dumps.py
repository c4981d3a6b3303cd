"""Parse raw dumps of Hugging Face Papers listings into entries.

A dump is the text of one or more listing pages: page chrome, then a title
line followed by its abstract line, with or without blank lines between them.
Parsing never raises on bad input: it returns what it could read and a
problem for everything it could not.
"""

from __future__ import annotations

import re
from pathlib import Path

from .contentfs import DUMP, DUMPS, ContentError, list_folder, read_file, sort_out
from .model import Entry, Problem
from .text import clean

_BOILERPLATE = re.compile(
    r"get trending papers in your email inbox.*|subscribe|new|"
    r"by\s*ak and the research community|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(, \d{4})?",
    re.IGNORECASE,
)
# "Subscribe" glued to the first title when the page text was flattened.
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?=[A-Z0-9\"'(\[])")
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)")


def read_dump(path: Path) -> tuple[list[Entry], list[Problem]]:
    """All entries of one dump, with a problem for each part that could not be read."""
    name = path.name
    try:
        raw = read_file(path.parent, name, lambda _: str(path), DUMP)
    except ContentError as error:
        return [], [error.problem]
    if raw is None:
        return [], [Problem(str(path), 0, "", "cannot read dump: No such file or directory")]
    text, problem = _decode(raw, str(path))
    if problem:
        return [], [problem]
    lines = [(number, clean(line)) for number, line in enumerate(text.splitlines(), 1)]
    content = _strip_boilerplate([(n, line) for n, line in lines if line])
    if not content:
        hint = "the dump holds no titles or abstracts; check it was saved from a listing page"
        return [], [Problem(str(path), 1, "", "dump is empty", hint, warning=True)]
    return _pair(name, str(path), content)


def _decode(raw: bytes, where: str) -> tuple[str, Problem | None]:
    if b"\x00" in raw[:8192]:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return "", Problem(where, line, "", "not a text file (it holds NUL bytes)",
                           "dumps must be the plain text of a listing page")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", Problem(where, line, "", f"not valid UTF-8 (byte {error.start})",
                           "re-save the dump with UTF-8 encoding")


def _strip_boilerplate(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    kept = [(n, line) for n, line in lines if not _BOILERPLATE.fullmatch(line)]
    if kept:
        number, first = kept[0]
        kept[0] = (number, _GLUED_SUBSCRIBE.sub("", first))
    return kept


def looks_like_abstract(line: str) -> bool:
    """Abstracts are long or have several sentences; titles are short."""
    sentences = len(_SENTENCE_END.findall(line))
    truncated = line.endswith(("...", "\u2026"))
    return len(line) >= 250 or sentences >= 2 or (truncated and len(line) > 80)


def _pair(name: str, where: str, lines: list[tuple[int, str]]):
    entries: list[Entry] = []
    problems: list[Problem] = []
    i = 0
    while i < len(lines):
        number, line = lines[i]
        if looks_like_abstract(line):
            problems.append(_skipped(where, number, "abstract with no title", line))
            i += 1
        elif i + 1 == len(lines) or _is_orphan_title(lines, i):
            problems.append(_skipped(where, number, "title with no abstract", line))
            i += 1
        else:
            entries.append(Entry(name, number, line, lines[i + 1][1]))
            i += 2
    return entries, problems


def _is_orphan_title(lines: list[tuple[int, str]], i: int) -> bool:
    """A title whose next line is another title followed by that title's abstract."""
    following = lines[i + 1][1]
    after = lines[i + 2][1] if i + 2 < len(lines) else None
    if looks_like_abstract(following):
        return False
    return (after is None and len(following) < 160) or (
        after is not None and looks_like_abstract(after)
    )


def _skipped(where: str, line: int, what: str, text: str) -> Problem:
    shown = text if len(text) <= 60 else text[:57] + "..."
    return Problem(where, line, "", f"{what}, skipped: {shown!r}",
                   "each title needs its abstract on the next non-blank line", warning=True)


def find_dumps(directory: Path) -> list[Path]:
    """The dumps of a catalogue, in a stable order: the regular *.txt files, never through
    a link (`sitegen check` reports every other entry)."""
    try:
        entries = list_folder(directory.parent, directory.name, str)
    except ContentError:
        return []
    return [directory / name for name in sort_out(DUMPS, entries or [], str)[0]]
