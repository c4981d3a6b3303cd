"""What loading YAML gives: plain values and the line of each, or an error with its line."""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from sitegen.core.text import LINE_END

# Lists and mappings inside one another: a paper file needs 3 levels, the taxonomy 4.
MAX_DEPTH = 20
DEEP_MESSAGE = f"lists and mappings are nested more than {MAX_DEPTH} levels deep"
DEEP_HINT = "no content file needs that many: check the brackets and indentation"

# YAML counts NEL, LS and PS as line breaks too; editors and `grep -n` do not.
YAML_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")


class Plain(str):
    """A scalar written without quotes: the schema may read it as a number."""


# Python refuses to read an integer of more digits than this (a guard against quadratic
# conversion): a longer plain scalar stays text, which a number field then reports.
MAX_DIGITS = sys.int_info.default_max_str_digits


@dataclass
class YamlError(Exception):
    line: int
    path: tuple = ()
    message: str = ""
    hint: str = ""


@dataclass
class Loaded:
    """A parsed document and the line of each value, keyed by its path."""

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, path: tuple) -> int:
        """The line of a value, or of its closest parent that has one."""
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


class Lines:
    """Editor line numbers for positions in a text: parser marks count NEL, LS and PS."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] | None = None
        if YAML_ONLY_BREAK.search(text):
            self.starts = [0] + [m.end() for m in LINE_END.finditer(text)]

    def of(self, mark: Any) -> int:
        if self.starts is None:
            return mark.line + 1
        return bisect_right(self.starts, mark.index)

    def line_text(self, line: int) -> str:
        """The text of one line (from 1), as editors show it."""
        lines = LINE_END.split(self.text)
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def line_starts(self) -> list[int]:
        """Where each line (from 1: the list's item line - 1) starts, as editors count
        lines."""
        return self.starts or [0] + [m.end() for m in LINE_END.finditer(self.text)]

    def at(self, index: int) -> tuple[int, int]:
        """Line and column (both from 1) of a character."""
        starts = self.line_starts()
        line = bisect_right(starts, index)
        return line, index - starts[line - 1] + 1
