"""A table of titles and abstracts, as a spreadsheet exports one: comma- or tab-separated,
its cells quoted where they hold the separator or a quote (read by the csv module, as a
spreadsheet writes them), with a header row naming its columns ("title", and "abstract",
"summary" or "description"), or, without one, two columns apart by a tab. Its rows become
a title line and an abstract line each, at the row's first line, for the dump's reading."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from sitegen.ingest.unwrap import Lines

_SEPARATORS = ("\t", ",")
_TITLES = ("title", "paper", "paper title", "name")
_ABSTRACTS = ("abstract", "summary", "description")
_MOSTLY = 0.9  # of the lines with text, those with one tab: a table without a header


def table_lines(text: str) -> Lines | None:
    """The table's rows as title and abstract lines, or None if the text is not a table."""
    head = next((line for line in io.StringIO(text) if line.strip()), "")
    for separator in _SEPARATORS:
        columns = _columns(head, separator)
        if columns is not None:
            return _rows(text, separator, *columns, skip_header=True)
    if _two_columns(text):
        return _rows(text, "\t", 0, 1, skip_header=False)
    return None


def _columns(head: str, separator: str) -> tuple[int, int] | None:
    """The title's and the abstract's columns that a header row names, if it is one."""
    try:
        cells = [cell.strip().casefold() for cell in next(csv.reader([head], delimiter=separator))]
    except (csv.Error, StopIteration):
        return None
    title = next((k for k, cell in enumerate(cells) if cell in _TITLES), None)
    abstract = next((k for k, cell in enumerate(cells) if cell in _ABSTRACTS), None)
    return None if title is None or abstract is None else (title, abstract)


def _two_columns(text: str) -> bool:
    """Whether nearly every line with text holds one tab (trailing ones aside)."""
    if text.count("\t") < text.count("\n") // 2:
        return False  # (most dumps: a count of two characters, no more)
    written = [line.rstrip("\t \r\n") for line in io.StringIO(text) if line.strip()]
    return bool(written) and sum(line.count("\t") == 1 for line in written) >= _MOSTLY * len(
        written)


def _rows(text: str, separator: str, title: int, abstract: int, skip_header: bool
          ) -> Lines | None:
    """Each row's title and abstract, at its first line; None if the csv module cannot read
    the text (a cell over its size limit, a NUL): it is then read as lines."""
    try:
        return list(_row_lines(text, separator, title, abstract, skip_header))
    except csv.Error:
        return None


def _row_lines(text: str, separator: str, title: int, abstract: int, skip_header: bool
               ) -> Iterator[tuple[int, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    ended = 0  # the line the last row ended on
    for row in reader:
        start, ended = ended + 1, reader.line_num
        if skip_header:
            skip_header = False
            continue
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        yield start, cells[title] if title < len(cells) else ""
        if abstract < len(cells) and cells[abstract]:
            yield start, cells[abstract]
