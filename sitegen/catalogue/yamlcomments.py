"""Comments in a paper file, each an error: paper files keep none.

`sitegen fmt`, `classify` and `ingest` write a paper's canonical form, which has no
comments but the first line's, so a note a person wrote in a file would be lost without a
word. Each is reported where it stands instead, and those commands refuse to run while
one is left (nothing a person wrote is dropped), but for `sitegen fmt --drop-comments`.
YAML also ends a plain value where ` #` starts a comment, so `title: C# for LLMs #2: a
study` holds the title "C# for LLMs": a comment right after a plain value that starts
with `#` and a word (`#2`, `#hashtag`) gets the hint to quote the value. Only PyYAML's
scanner reads the text (safe, linear), and only for files that are not in canonical form.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import yaml

from sitegen.core.model import Problem, quote

COMMENT = "comment"  # the problems' code: only `sitegen fmt --drop-comments` lets it pass
KEEP_NO_COMMENTS = "paper files keep no comments"
OR_DROP = "delete it, or run `sitegen fmt --drop-comments`"


@dataclass(frozen=True)
class _Comment:
    line: int  # 0-based
    text: str  # from its `#` to the end of its line, without trailing space
    key: str  # the field whose line it is on ("" on a line of its own)
    after_plain_value: bool  # right after a plain value, on the value's line


def comment_problems(text: str, shown: str, first_line: str) -> list[Problem]:
    """A problem for each comment of a paper file but its first line when that is
    `first_line` (the schema comment every file starts with)."""
    try:
        tokens = list(yaml.scan(text))
    except yaml.YAMLError:
        return []  # the loader reports the text's own problem
    return [_problem(shown, comment) for comment in _comments(text, tokens)
            if not (comment.line == 0 and comment.text == first_line.rstrip())]


def _comments(text: str, tokens: list[yaml.Token]) -> list[_Comment]:
    """Every comment: a `#` at the start of a line or after a space, outside any value."""
    values = sorted((t.start_mark.index, t.end_mark.index) for t in tokens
                    if isinstance(t, yaml.ScalarToken))
    starts = [start for start, _ in values]
    keys, plain_ends = _keys_by_line(tokens)
    found, offset = [], 0
    for number, line in enumerate(text.splitlines(keepends=True)):
        column = _comment_column(line, offset, values, starts)
        if column >= 0:
            end = plain_ends.get(number, -1)
            found.append(_Comment(number, line[column:].rstrip(), keys.get(number, ""),
                                  end >= 0 and not line[end:column].strip()))
        offset += len(line)
    return found


def _comment_column(line: str, offset: int, values: list[tuple[int, int]],
                    starts: list[int]) -> int:
    """Where the line's comment starts, or -1: its first `#` after a space or at the start
    of the line that no value holds (a value spans lines only as a quoted or block one)."""
    column = line.find("#")
    while column >= 0:
        index = offset + column
        at = bisect.bisect_right(starts, index) - 1
        inside = at >= 0 and values[at][0] <= index < values[at][1]
        if not inside and (column == 0 or line[column - 1] in " \t"):
            return column
        column = line.find("#", column + 1)
    return -1


def _keys_by_line(tokens: list[yaml.Token]) -> tuple[dict[int, str], dict[int, int]]:
    """The key of each line that has one, and where the last plain value on each line ends
    (`_Comment.after_plain_value`)."""
    keys: dict[int, str] = {}
    plain_ends: dict[int, int] = {}
    key, expect_key = "", False
    for token in tokens:
        if isinstance(token, yaml.KeyToken):
            expect_key = True
            continue
        if isinstance(token, yaml.ScalarToken) and expect_key:
            key = token.value
            keys.setdefault(token.start_mark.line, key)
        elif isinstance(token, yaml.ScalarToken) and token.plain:
            keys.setdefault(token.end_mark.line, key)
            plain_ends[token.end_mark.line] = token.end_mark.column
        expect_key = False
    return keys, plain_ends


def _problem(shown: str, comment: _Comment) -> Problem:
    line = comment.line + 1
    if comment.after_plain_value and comment.text[1:2] not in ("", " ", "\t", "#"):
        return Problem(shown, line, comment.key,
                       f"a comment follows the value: {quote(comment.text)}",
                       f"{KEEP_NO_COMMENTS}: if it is part of the value, put the whole value "
                       f"in quotes; else {OR_DROP}", code=COMMENT)
    return Problem(shown, line, comment.key, f"a comment: {quote(comment.text)}",
                   f"{KEEP_NO_COMMENTS}: move the note elsewhere (a pull request's "
                   f"description, say), then {OR_DROP}", code=COMMENT)
