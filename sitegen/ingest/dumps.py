"""Parse raw dumps of Hugging Face Papers listings into entries.

A dump is the text of one or more listing pages: page chrome, then a title
line followed by its abstract line, with or without blank lines between them.
Pages saved one after another may run together where a page has no final newline.
A dump saved with its lines wrapped at a width is joined back first, where blank lines
set its titles and abstracts apart, and refused where they do not (`unwrap`).
Parsing never raises on bad input: it returns what it could read and a
problem for everything it could not.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from pathlib import Path

from sitegen.catalogue.contentfs import DUMP, ContentError, read_file
from sitegen.catalogue.schemafiles import schema
from sitegen.core.model import Entry, Problem, quote
from sitegen.core.text import LINE_END, byte_position, clean, not_utf8
from sitegen.ingest.chrome import (
    FINAL,
    SPACELESS_STOPS,
    STATED,
    between_lines,
    strip_chrome,
)
from sitegen.ingest.dumpids import id_of_line, take_ids, unplaced_id, with_ids
from sitegen.ingest.markup import markup_problem
from sitegen.ingest.tables import table_lines
from sitegen.ingest.unwrap import (
    ABSTRACT_LENGTH,
    joined_runs,
    looks_wrapped,
    mended_paragraphs,
)

# A sentence ends with . ! ? and a space (or the line's end), or with a stop that needs none.
_SENTENCE_END = re.compile(rf"[.!?](?:\s+|$)|[{SPACELESS_STOPS}]")

# The other characters str.splitlines() breaks at (VT, FF, FS, GS, RS, NEL, LS, PS):
# scraped text holds them inside abstracts, where they only separate words.
_INNER_BREAKS = dict.fromkeys(map(ord, "\v\f\x1c\x1d\x1e\x85\u2028\u2029"), " ")
# Cleaning (entities, spaces) never shortens a real listing's line this many times over.
_FAR_TOO_LONG = 10
# A reading of a dump that leaves at most one line in this many entries without a pair
# (its chrome aside) reads it as a listing reads (see `_read`).
_MOSTLY_PAIRED = 10


def read_dump(path: Path) -> tuple[list[Entry], list[Problem]]:
    """All entries of one dump, with a problem for each part that could not be read."""
    name = path.name
    if not name or path.is_dir():
        return [], [Problem(str(path), 0, "", "is a folder, not a dump",
                            "name the dump files in it, or run `sitegen ingest` without "
                            "names to read every dump in content/dumps/")]
    try:
        raw = read_file(path.parent, name, lambda _: str(path), DUMP)
    except ContentError as error:
        return [], [error.problem]
    if raw is None:
        return [], [Problem(str(path), 0, "", "cannot read dump: there is no such file",
                            "check the name; dumps are the .txt files of content/dumps/")]
    text, problem = _decode(raw, str(path))
    problem = problem or markup_problem(text, str(path))
    if problem:
        return [], [problem]
    lines = table_lines(text) or list(enumerate(LINE_END.split(text), 1))
    cleaned = [(number, _clean_line(line)) for number, line in lines]
    return _read(name, str(path), lines, cleaned)


def _read(name: str, where: str, lines: list[tuple[int, str]],
          cleaned: list[tuple[int, str]]) -> tuple[list[Entry], list[Problem]]:
    """The entries of a dump's lines; of its lines joined back, with a warning, if it was
    saved wrapped and blank lines tell where each title and abstract ends (`unwrap`); none,
    and an error, if it was saved wrapped and they do not. A reading that pairs nearly
    every line, each abstract ending a sentence, is the dump's as it is."""
    # an id line ("arXiv:...") starts as a line going on from the one before does
    if not looks_wrapped(["" if line[:1].islower() and id_of_line(line) else line
                          for _, line in cleaned]):
        found = _entries(name, where, cleaned)
        if _mostly_paired(found):
            return found[0], found[1]
        joined = _joined_back(name, where, lines)[0]
        # joined back only where that reads more papers: a few stray lines in a dump that
        # was not wrapped are no reason to glue its lines together
        return joined if joined and len(joined[0]) > len(found[0]) else (found[0], found[1])
    tried = _entries(name, where, cleaned, trial=True)
    if _mostly_paired(tried) and all(entry.abstract.endswith(FINAL) for entry in tried[0]):
        return tried[0], tried[1]
    joined, first = _joined_back(name, where, lines)
    if joined is not None:
        return joined
    if _mostly_paired(tried):
        return tried[0], tried[1]
    return [], [Problem(
        where, first or 1, "", "lines are wrapped, and no blank line follows each title and "
        "each abstract: where each ends cannot be told", "save the listing again without "
        "wrapping its lines, or with a blank line after each title and each abstract")]


def _joined_back(name: str, where: str, lines: list[tuple[int, str]]
                 ) -> tuple[tuple[list[Entry], list[Problem]] | None, int]:
    """The entries of a dump's runs of lines between blank lines, each joined into one, with
    a warning, if that pairs nearly every line (else None); and the first line of the first
    run of several lines (0 if there is none)."""
    joined, first = joined_runs(lines)
    if not first:
        return None, 0
    found = _entries(name, where, [(number, _clean_line(line)) for number, line in joined])
    if not _mostly_paired(found):
        return None, first
    return (found[0], [Problem(
        where, first, "", "lines are wrapped: joined back into one line per title and per "
        "abstract, at the blank lines between them", "check the papers it gave; save the "
        "listing again without wrapping its lines to be sure of them", warning=True),
        *found[1]]), first


def _mostly_paired(found: tuple[list[Entry], list[Problem], int]) -> bool:
    """Whether a reading of a dump gave entries, and at most one line without a pair in
    _MOSTLY_PAIRED of them."""
    entries, _, skipped = found
    return bool(entries) and skipped * _MOSTLY_PAIRED <= len(entries)


def _entries(name: str, where: str, lines: list[tuple[int, str]], trial: bool = False
             ) -> tuple[list[Entry], list[Problem], int]:
    """The entries of a dump's cleaned lines, the problems found, and how many lines were
    skipped (as titles or abstracts with no pair); a `trial` gives up as soon as so many
    are skipped that the reading cannot be `_mostly_paired`, as if none were paired."""
    content, ids = take_ids(strip_chrome([(n, line) for n, line in lines if line]))
    content, abstract = mended_paragraphs(*between_lines(content, looks_like_abstract))
    if not content:
        hint = "the dump holds no titles or abstracts; check it was saved from a listing page"
        return [], [Problem(where, 1, "", "dump is empty", hint, warning=True)], 0
    paired = _pair(name, where, content, abstract,
                   len(content) // (2 * _MOSTLY_PAIRED) if trial else -1)
    if paired is None:
        return [], [], len(content)
    entries, unplaced = with_ids(paired[0], content, ids)
    return entries, paired[1] + [unplaced_id(where, *n) for n in unplaced], len(paired[1])


def _decode(raw: bytes, where: str) -> tuple[str, Problem | None]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_unmarked(raw):
        return "", Problem(where, 1, "", "is UTF-16 text", "re-save the dump with UTF-8 encoding")
    if b"\x00" in raw:  # anywhere: a text with a binary tail is no text either
        line = byte_position(raw, raw.index(b"\x00"))[0]
        return "", Problem(where, line, "", "not a text file (it holds NUL bytes)",
                           "dumps must be the plain text of a listing page")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line, message = not_utf8(raw, error)
        return "", Problem(where, line, "", message, "re-save the dump with UTF-8 encoding")


def _utf16_unmarked(raw: bytes) -> bool:
    """UTF-16 (PowerShell's `>` writes it) without its byte-order mark: of the first
    bytes, every other one is NUL (ASCII's high byte), and none of the others."""
    even, odd = raw[:512:2], raw[1:512:2]
    return len(odd) > 1 and any(not a.strip(b"\0") and b"\0" not in b for a, b in
                                ((even, odd), (odd, even)))


_TRUNCATED = ("...", "\u2026")  # how a listing ends a text it cut short


def looks_like_abstract(line: str) -> bool:
    """Abstracts are long or have several sentences; titles are short."""
    if len(line) >= ABSTRACT_LENGTH:  # before counting sentences (memory, on a huge line)
        return True
    sentences = len(_SENTENCE_END.findall(line))
    truncated = line.endswith(_TRUNCATED)
    return sentences >= 2 or (truncated and len(line) > 80)


def _pair(name: str, where: str, lines: list[tuple[int, str]],
          abstract: list[bool], budget: int = -1
          ) -> tuple[list[Entry], list[Problem]] | None:
    """Each title paired with its abstract, and a problem for each line skipped; None once
    more than `budget` lines are skipped, if it is not -1."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    i = 0
    while i < len(lines):
        number, line = lines[i]
        if abstract[i] and not _title_of_the_next(lines, i, abstract):
            problems.append(_skipped(where, number, "abstract with no title", line))
            i += 1
        elif (i + 1 == len(lines) or _is_orphan_title(lines, i, abstract)
              or not (abstract[i + 1] or _sentence_after(lines[i + 1][1], line))):
            problems.append(_skipped(where, number, "title with no abstract", line))
            i += 1
        else:
            entry = Entry(name, number, line, lines[i + 1][1])
            too_long = _too_long(where, entry, lines[i + 1][0])
            if too_long:
                problems.append(too_long)
            else:
                entries.append(entry)
            i += 2
        if len(problems) > budget >= 0:
            return None
    return entries, problems


def _clean_line(line: str) -> str:
    """A line as plain text, but a line far too long for a title or an abstract as it is:
    it is skipped anyway, and cleaning it would take memory many times its size."""
    if len(line) > _FAR_TOO_LONG * max(max_lengths().values()):
        return line
    return clean(line.translate(_INNER_BREAKS))


@cache
def max_lengths() -> dict[str, int]:
    """The longest title and abstract a paper may have, from the paper schema."""
    fields = schema("paper")["properties"]
    return {name: fields[name]["maxLength"] for name in ("title", "abstract")}


def _too_long(where: str, entry: Entry, abstract_line: int) -> Problem | None:
    """A warning when the entry's title or abstract is longer than a paper's may be."""
    for name, limit in max_lengths().items():
        length = len(getattr(entry, name))
        if length > limit:
            line = entry.line if name == "title" else abstract_line
            return Problem(where, line, name, f"has {length:,} characters, more than the "
                           f"{limit:,} a paper allows; entry skipped: {quote(entry.title)}",
                           "check the dump around this line: a listing's text may have run "
                           "together", warning=True)
    return None


def _title_of_the_next(lines: list[tuple[int, str]], i: int,
                       abstract: list[bool]) -> bool:
    """Whether a line that looks like an abstract by its sentences alone ("Stop! Think! A
    Study of ...", "Yes, But... Can ChatGPT ...?") is the title of the next line, which
    looks like an abstract and is longer: a listing gives each title its abstract, and
    two abstracts in a row are not how a page reads."""
    line = lines[i][1]
    return (i + 1 < len(lines) and len(line) < ABSTRACT_LENGTH
            and not line.endswith(_TRUNCATED) and len(lines[i + 1][1]) > len(line)
            and abstract[i + 1])


def _is_orphan_title(lines: list[tuple[int, str]], i: int,
                     abstract: list[bool]) -> bool:
    """A title whose next line is another title followed by that title's abstract."""
    return not abstract[i + 1] and i + 2 < len(lines) and abstract[i + 2]


def _sentence_after(line: str, title: str) -> bool:
    """Whether a line after a title that does not look like an abstract may be its abstract
    all the same: a sentence longer than the title (a list of titles has no abstracts; a
    question is a title's, "Are Large Language Models In-Context Graph Learners?")."""
    return line.endswith(STATED) and len(line) > len(title)


def _skipped(where: str, line: int, what: str, text: str) -> Problem:
    return Problem(where, line, "", f"{what}, skipped: {quote(text)}",
                   "each title needs its abstract on the next non-blank line", warning=True)
