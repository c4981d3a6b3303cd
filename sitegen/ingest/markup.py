"""A file that is not a listing's text but its markup: a page saved as HTML, an API's
JSON, notes written in Markdown. Read as a listing, its tags, keys and marks would become
the papers' titles; it is refused, with how to save the listing's text instead."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from sitegen.core.model import Problem

_HTML_START = re.compile(r"<(?:!--|(?:!doctype|html|head|body|\?xml|div|article|section|"
                         r"table|ul|ol|p|h[1-6]|meta|main)\b)", re.IGNORECASE)
_TAG = re.compile(r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>", re.IGNORECASE)
_MARKDOWN = re.compile(r"#{1,6} |> |\*\*|__|```|[-*+] |\[[^\[\]]*\]\(|\||"
                       r"\d{1,3}[.)] (?:\*\*|\[)")
# Of a file's lines, those marked up that make it markup: Markdown's, and the tags that
# start a line (which a few titles do: "<think> Matters").
_MOSTLY, _AT_LEAST = 0.3, 3
_TAGGED, _TAGGED_AT_LEAST = 0.5, 10
_LOOKED_AT, _LONG_LINE = 200, 5000  # lines looked at (markup shows from the start), and
# the characters of a long one: only the file's head is split into lines
_SAVE_TEXT = ("save the listing page's text (select it in the browser and paste it into a "
              ".txt file) rather than its source")


def markup_problem(text: str, where: str) -> Problem | None:
    """An error if the text is HTML, JSON or Markdown rather than a listing's text."""
    head = text[:_LOOKED_AT * _LONG_LINE].splitlines()[:_LOOKED_AT]
    lines = [(number, line.strip()) for number, line in enumerate(head, 1) if line.strip()]
    if not lines:
        return None
    number, first = lines[0]
    if _HTML_START.match(first) or _share(lines, lambda line: bool(_TAG.match(line)),
                                          _TAGGED, _TAGGED_AT_LEAST):
        return Problem(where, number, "", "is HTML (a saved web page), not a listing's text",
                       _SAVE_TEXT)
    if first[:1] in "[{" and _is_json(text):
        return Problem(where, number, "", "is JSON, not a listing's text",
                       "write each paper's title and abstract as two lines of text, or "
                       + _SAVE_TEXT)
    if _share(lines, lambda line: bool(_MARKDOWN.match(line)), _MOSTLY, _AT_LEAST):
        marked = next(n for n, line in lines if _MARKDOWN.match(line))
        return Problem(where, marked, "", "is Markdown (its lines start with #, >, **, "
                       "list marks, links or table rows), not a listing's text",
                       "remove the marks, leaving each title on a line and its abstract on "
                       "the next, or " + _SAVE_TEXT)
    return None


def _share(lines: list[tuple[int, str]], marked: Callable[[str], bool], share: float,
           least: int) -> bool:
    """Whether enough lines are marked up that the file is markup (a title or two may start
    with "<think>" or "# of")."""
    count = sum(1 for _, line in lines if marked(line))
    return count >= least and count >= share * len(lines)


def _is_json(text: str) -> bool:
    """Whether the text is one JSON value, or JSON Lines (a value on each line, but perhaps
    the last, cut short)."""
    try:
        json.loads(text)
        return True
    except ValueError:
        pass
    written = [line for line in text.splitlines() if line.strip()]
    return sum(map(_json_line, written)) >= len(written) - 1 >= 1


def _json_line(line: str) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True
