"""The catalogue as a reader sees it, as JSON or CSV records."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from sitegen.catalogue.paperfields import FIELDS, PROPERTIES, plain
from sitegen.catalogue.provenance import decided_fields, label_evidence
from sitegen.core.model import Paper
from sitegen.core.perpaper import per_paper
from sitegen.site.bibtex import citation_keys, entry
from sitegen.site.jinja import utf8

# The tool's own bookkeeping, which a reader never sees: merges done and refused, and the
# checksums that tell its proposals from a person's edits (`human` says that instead).
_BOOKKEEPING = ("same_as", "distinct_from", "machine")
# Every other field of a paper file, in file order.
PUBLISHED = tuple(name for name in FIELDS if name not in _BOOKKEEPING)
# A spreadsheet row holds one value per cell: a mapping (the evidence) is in JSON only.
CSV_FIELDS = tuple(name for name in PUBLISHED if PROPERTIES[name].get("type") != "object")


def record(paper: Paper) -> dict[str, Any]:
    """The published fields of a paper as a reader sees them: as stored, except the sources
    (without their match notes), the fields a person decided (`human`, also when edited
    since the tool proposed them) and the evidence of each label the rules proposed."""
    human = decided_fields(paper)
    shown = {"sources": [{"dump": s.dump, "line": s.line} for s in paper.sources],
             "human": human, "evidence": label_evidence(paper, human)}
    return {name: shown[name] if name in shown else plain(name, getattr(paper, name))
            for name in PUBLISHED}


def to_json(papers: list[Paper]) -> str:
    return _json_array([_json_line(record(paper)) for paper in papers]).decode("utf-8")


def to_csv(papers: list[Paper]) -> str:
    rows = [_csv_row(record(paper)) for paper in papers]
    return (_csv_header() + b"".join(rows)).decode("utf-8")


PaperLines = tuple[bytes, bytes, bytes]  # a paper's JSON line, CSV row and BibTeX entry


def paper_lines(paper: Paper, key: str) -> PaperLines:
    """What the paper adds to each export file, its BibTeX entry under the citation `key`."""
    json_line, csv_row = export_lines(paper)
    return json_line, csv_row, utf8(entry(paper, key))


def export_files(papers: list[Paper], lines: Callable[[Paper, str], PaperLines] = paper_lines,
                 keys: dict[str, str] | None = None) -> Iterator[tuple[str, bytes]]:
    """papers.json, papers.csv and papers.bib: the bytes of `to_json`, `to_csv` and
    `bibliography`, from the `lines` of each paper (`paper_lines`, or those a build kept),
    under the papers' citation `keys` (made here if not given)."""
    keys = citation_keys(papers) if keys is None else keys
    made = [lines(paper, keys[paper.id]) for paper in papers]
    yield "papers.json", _json_array([json_line for json_line, _, _ in made])
    yield "papers.csv", _csv_header() + b"".join(row for _, row, _ in made)
    yield "papers.bib", b"\n".join(bib for _, _, bib in made)


@per_paper
def export_lines(paper: Paper) -> tuple[bytes, bytes]:
    """The paper's line of JSON and its CSV row."""
    row = record(paper)
    return _json_line(row), _csv_row(row)


def _json_array(lines: list[bytes]) -> bytes:
    """A JSON array with one paper per line (json's C encoder makes no indented text, and
    the pure-Python one took 0.85 s for 20,000 papers)."""
    if not lines:
        return b"[]\n"
    framed = list(lines)  # the brackets go on the first and last lines: one join, no copy
    framed[0] = b"[\n" + framed[0]
    framed[-1] += b"\n]\n"
    return b",\n".join(framed)


def _json_line(row: dict[str, Any]) -> bytes:
    return utf8(json.dumps(row, ensure_ascii=False))


def _csv_row(row: dict[str, Any]) -> bytes:
    """A paper's row as RFC 4180 writes it (rows end with CRLF, so that a cell holding any
    line break is quoted); list fields are joined with ' | '. No cell can run as a
    spreadsheet formula (see `spreadsheet_safe`)."""
    cells = {**row, "links": [link["url"] for link in row["links"]],
             "sources": [f"{s['dump']}:{s['line']}" for s in row["sources"]]}
    return _csv_lines([[spreadsheet_safe(" | ".join(value) if isinstance(value, list) else value)
                        for value in map(cells.__getitem__, CSV_FIELDS)]])


def _csv_header() -> bytes:
    return _csv_lines([list(CSV_FIELDS)])


def _csv_lines(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return utf8(buffer.getvalue())


# What starts a formula: = + - @, or a character that folds to one of them (fullwidth,
# small, superscript and subscript forms), which some spreadsheets read the same way.
_FORMULA_STARTS = frozenset("=+-@")


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet shows as text: a possible formula gets a leading apostrophe,
    which spreadsheets read as "this is text" (JSON output keeps every value exact)."""
    return f"'{cell}" if _may_be_formula(cell) else cell


def _may_be_formula(cell: str) -> bool:
    """A cell starting with a tab or a carriage return, or whose first character after any
    spaces or line breaks starts a formula once folded (NFKC)."""
    folded = unicodedata.normalize("NFKC", cell.lstrip()[:1])
    return cell[:1] in ("\t", "\r") or folded[:1] in _FORMULA_STARTS
