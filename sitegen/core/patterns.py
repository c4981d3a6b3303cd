"""Taxonomy patterns: each checked on its own, all matched in time linear in the text.

Contributors write the patterns, so none may crash a run or make it hang. They are
compiled by Google's RE2, which never backtracks, always ignoring case. RE2 has no
lookaround; the one form the taxonomy needs is supported on top of it: one or more
``(?!X)`` at the very end of a pattern. A match is then kept only if no ``X`` matches
right where it ends, within the next ``WINDOW`` characters; a rejected match lets the
search go on from the next position. The part before has a bounded length and is matched
as RE2 finds it, never shortened to escape a rejection as Python's re would backtrack.
Whatever may clash when a topic's patterns are matched together (inline flags, named
groups, backreferences) is refused, with a message saying how to fix it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator

import re2  # type: ignore[import-untyped]

from sitegen.core.re2search import span_finder

# How far after a match a trailing (?!X) looks, in characters.
WINDOW = 64
# The largest RE2 program a pattern may compile to (the shipped ones stay under 1,200).
MAX_PROGRAM = 5000
SYNTAX = "https://github.com/google/re2/wiki/Syntax"
_LOOKAROUND_HINT = "write it as an `exclude:` pattern or a trailing (?!...)"
_BACKREFERENCE_HINT = "matching stays linear only without them: write the repeated text out"
_SYNTAX_HINT = f"patterns use RE2 syntax: {SYNTAX}"
_REPETITION_HINT = "a count is at most 1000, and nested counts multiply: use + or * instead"
_NOT_AT_END = "(?!...) is only supported at the very end of a pattern"
_FLAG_HINT = "patterns always ignore case and take no flags: remove it, or write (?:...)"
_FLAGS = r"(?:[a-zA-Z]+(?:-[a-zA-Z]*)?|-[a-zA-Z]*)"  # (?i), (?i-s), (?-i) ...

# Constructs refused where a group opens ("(" and what follows), with what to say.
_OPENINGS = (
    (re.compile(r"\(\?<[=!]"), "lookbehind {}...) is not supported", _LOOKAROUND_HINT),
    (re.compile(r"\(\?="), "lookahead {}...) is not supported", _LOOKAROUND_HINT),
    (re.compile(r"\(\?P=[^)]*\)?"), "backreference {} is not supported", _BACKREFERENCE_HINT),
    (re.compile(r"\(\?(?:P?<[^>]*>?|'[^']*'?)"), "named group {}...) is not allowed",
     "write (?:...) instead: names are never read, and clash between patterns"),
    (re.compile(rf"\(\?{_FLAGS}\)"), "inline flag {} is not allowed", _FLAG_HINT),
    (re.compile(rf"\(\?{_FLAGS}:"), "inline flag {}...) is not allowed", _FLAG_HINT),
)
# One lexical unit of a pattern: quoted text, an escape, a character class, a group
# opening or closing, a bar, or a run of anything else.
_TOKEN = re.compile(r"""
    (?P<quote>\\Q.*?(?:\\E|\Z))
  | (?P<backref>\\(?:[1-9](?![0-7]{2})\d*|[gk](?:<[^>]*>?|\{[^}]*\}?|'[^']*'?|-?\d+)?))
  | (?P<escape>\\.?)
  | (?P<klass>\[\^?\]?(?:\[:\w+:\]|\\.|[^\]\\])*\]?)
  | (?P<open>\((?:\?!)?)
  | (?P<close>\))
  | (?P<bar>\|)
  | (?P<other>[^\\\[()|]+)
""", re.VERBOSE | re.DOTALL)
_UNBOUNDED = re.compile(r"[*+]|\{\d*,\}")


def pattern_tokens(source: str) -> Iterator[re.Match[str]]:
    """The lexical units of a pattern, each named by its kind (`lastgroup`)."""
    return _TOKEN.finditer(source)


class PatternError(ValueError):
    """A pattern that cannot be used, with how to fix it."""

    def __init__(self, message: str, hint: str = _SYNTAX_HINT):
        super().__init__(message)
        self.message, self.hint = message, hint


def options(max_mem: int = 8 << 20) -> re2.Options:
    """How every pattern is matched; `max_mem` bytes for its program and its DFA's states."""
    options = re2.Options()
    options.case_sensitive = False
    options.never_capture = True  # spans are all that is read; groups only group
    options.log_errors = False
    options.max_mem = max_mem
    return options


_OPTIONS = options()


def _split(source: str) -> tuple[str, tuple[str, ...]]:
    """The pattern's main part and the X of each trailing (?!X); refuses what cannot be used."""
    lookaheads, alternatives = _scan(source)
    main_end = len(source)
    for opened, closed in reversed(lookaheads):
        if closed != main_end:
            raise PatternError(_NOT_AT_END, _LOOKAROUND_HINT)
        main_end = opened
    if lookaheads:
        _check_main(source[:main_end], alternatives)
    return source[:main_end], tuple(source[start + 3: end - 1] for start, end in lookaheads)


def _scan(source: str) -> tuple[list[tuple[int, int]], bool]:
    """Walk the pattern once, refusing what cannot be used: where its top-level (?!...)
    groups are, and whether it has a top-level |."""
    groups: list[tuple[int, bool]] = []  # open groups: where, and whether a (?!
    lookaheads: list[tuple[int, int]] = []
    alternatives = False
    for token in _TOKEN.finditer(source):
        kind = token.lastgroup
        if kind == "backref":
            raise PatternError(f"backreference {token.group()} is not supported",
                               _BACKREFERENCE_HINT)
        if kind == "open":
            _refuse_opening(source, token.start())
            groups.append((token.start(), token.group() == "(?!"))
        elif kind == "close" and groups:
            opened, negative = groups.pop()
            if negative and groups:
                raise PatternError(_NOT_AT_END, _LOOKAROUND_HINT)
            if negative:
                lookaheads.append((opened, token.end()))
        elif kind == "bar" and not groups:
            alternatives = True
    if groups:
        raise PatternError(f"invalid regular expression: missing ): {source}")
    return lookaheads, alternatives


def _refuse_opening(source: str, at: int) -> None:
    for opening, message, hint in _OPENINGS:
        if found := opening.match(source, at):
            raise PatternError(message.format(found.group()), hint)


def _check_main(main: str, alternatives: bool) -> None:
    """The part before trailing (?!...): one alternative, of bounded length, so that
    resuming after each rejected match keeps the whole search linear."""
    if alternatives:
        raise PatternError("(?!...) after a top-level | applies to the last alternative only",
                           "group the alternatives first: (?:a|b)(?!...)")
    if any(t.lastgroup == "other" and _UNBOUNDED.search(t.group()) for t in _TOKEN.finditer(main)):
        raise PatternError("the part before (?!...) must have a bounded length",
                           "use ?, {n} or {n,m} there instead of *, + or {n,}")


def _compiled(source: str, limit: int | None = MAX_PROGRAM) -> re2._Regexp:
    """RE2's program for a pattern; one too large to run quickly is refused, as RE2 is
    linear in the text but its cost per character grows with the program."""
    try:
        compiled = re2.compile(source, _OPTIONS)
    except re2.error as error:
        reason = error.args[0]
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        if not reason.startswith("pattern too large"):
            repetition = reason.startswith("invalid repetition size")
            raise PatternError(f"invalid regular expression: {reason}",
                               _REPETITION_HINT if repetition else _SYNTAX_HINT) from None
        compiled = None
    if compiled is None or (limit is not None and compiled.programsize > limit):
        raise PatternError("pattern is too large to match quickly",
                           "split it into several shorter patterns")
    return compiled


# Patterns matched together in one pass: the numbers of those that match a UTF-8 text (None
# if it cannot tell), and those of one pattern (a text where none matches has no match).
Gate = tuple[Callable[[bytes], "frozenset[int] | None"], frozenset[int]]


class Pattern:
    """A compiled pattern: its text as written, its main part, each trailing (?!X), and
    maybe a `gate`, which may say at once that the main part matches nowhere in a text."""

    __slots__ = ("_find", "_refusals", "_regexp", "gate", "main", "source")

    def __init__(self, source: str, main: str, regexp: re2._Regexp,
                 refusals: tuple[re2._Regexp, ...] = (), gate: Gate | None = None):
        self.source, self.main = source, main
        self._regexp, self._refusals, self.gate = regexp, refusals, gate
        self._find = span_finder(regexp)

    def gated(self, gate: Gate) -> Pattern:
        """The same pattern, behind the gate."""
        return Pattern(self.source, self.main, self._regexp, self._refusals, gate)

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"

    def search(self, text: str) -> bool:
        """Whether the pattern matches anywhere in the text."""
        return next(self._matches(_subject(text)), None) is not None

    def count(self, text: str, limit: int | None = None) -> int:
        """How many matches the text holds (as many as findall finds), at most `limit`."""
        return sum(1 for _ in itertools.islice(self._matches(_subject(text)), limit))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where each match starts and ends, in characters, in order."""
        subject = _subject(text)
        return [(subject.char(start), subject.char(end)) for start, end in self._matches(subject)]

    def _matches(self, subject: _Subject) -> Iterator[tuple[int, int]]:
        """Byte spans of the matches, left to right, without overlap."""
        data, position = subject.data, 0
        if self.gate is not None:
            found = self.gate[0](data)
            if found is not None and self.gate[1].isdisjoint(found):
                return
        find = self._find
        while position <= len(data):
            span = find(data, position)
            if span is None:
                return
            start, end = span
            if self._kept(subject, end):
                yield start, end
                position = end if end > start else subject.after(end)
            else:
                position = subject.after(start)

    def _kept(self, subject: _Subject, end: int) -> bool:
        if not self._refusals:
            return True
        stop = subject.byte(subject.char(end) + WINDOW)
        return not any(x.match(subject.data, end, stop) for x in self._refusals)


def compile_pattern(source: str) -> Pattern:
    """The pattern as written in the taxonomy; PatternError says what is wrong with it."""
    main, lookaheads = _split(source)
    regexp, refusals = _compiled(main), tuple(_compiled(x) for x in lookaheads)
    _refuse_empty_matches(regexp, refusals)
    return Pattern(source, main, regexp, refusals)


# Places between two characters: inside non-word text, at either end of a word, inside one.
_BETWEEN = (b"\0\0", b"a\0", b"\0a", b"aa")


def _refuse_empty_matches(regexp: re2._Regexp, refusals: tuple[re2._Regexp, ...]) -> None:
    r"""A pattern that matches no text between two characters matches almost everywhere:
    `llama|` would label every paper, and a family would find a mention at every position
    of an abstract (each weighed against every cue). Matches at the very start or end
    (`^(\w+ ?)*$` on an empty text) stay allowed. A trailing (?!X) whose X matches no text
    anywhere (`(?!b|)`) refuses every match: the pattern would never match."""
    if any(regexp.match(between, 1, 1) for between in _BETWEEN):
        raise PatternError("matches empty text, so it matches almost everywhere", _EMPTY_HINT)
    if any(all(x.match(between, 1, 1) for between in _BETWEEN) for x in refusals):
        raise PatternError("a (?!...) that matches empty text refuses every match",
                           _EMPTY_HINT)


_EMPTY_HINT = ("remove the empty alternative (a | at either end, or ||), or make some part of "
               "the pattern required")


class _Subject:
    """A text as RE2 reads it (UTF-8), with the way between byte and character offsets."""

    __slots__ = ("_ends", "data")

    def __init__(self, text: str):
        self.data = text.encode("utf-8", "surrogatepass")
        # Where each character ends, in bytes; None when every character is one byte.
        self._ends = None if len(self.data) == len(text) else list(
            itertools.accumulate(map(_utf8_length, map(ord, text))))

    def char(self, byte: int) -> int:
        return byte if self._ends is None else bisect.bisect_right(self._ends, byte)

    def byte(self, char: int) -> int:
        if self._ends is None:
            return min(char, len(self.data))
        return self._ends[min(char, len(self._ends)) - 1] if char > 0 else 0

    def after(self, byte: int) -> int:
        """Where the character after the one at `byte` starts (past the end at the end)."""
        if self._ends is None or byte >= len(self.data):
            return byte + 1
        return self.byte(self.char(byte) + 1)


def _utf8_length(code: int) -> int:
    return 1 + (code > 0x7F) + (code > 0x7FF) + (code > 0xFFFF)


@functools.lru_cache(maxsize=64)
def _subject(text: str) -> _Subject:
    """Texts are searched by many patterns in a row: encode each once."""
    return _Subject(text)
