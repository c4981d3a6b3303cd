"""The catalogue as a reader sees it, as JSON or CSV records."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .model import Paper
from .store import to_dict

CSV_FIELDS = ("id", "title", "abstract", "topics", "families", "links", "added", "sources")


def record(paper: Paper) -> dict[str, Any]:
    """The reader-facing fields of a paper file; sources without their match notes."""
    stored = to_dict(paper)
    data = {name: stored[name] for name in CSV_FIELDS if name != "sources"}
    data["sources"] = [{"dump": s.dump, "line": s.line} for s in paper.sources]
    return data


def records(papers: list[Paper]) -> list[dict[str, Any]]:
    return [record(p) for p in papers]


def to_json(papers: list[Paper]) -> str:
    return json_text(records(papers))


def to_csv(papers: list[Paper]) -> str:
    return csv_text(records(papers))


def json_text(rows: list[dict[str, Any]]) -> str:
    """A JSON array with one paper per line (json's C encoder makes no indented text, and
    the pure-Python one took 0.85 s for 20,000 papers)."""
    lines = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    return f"[\n{lines}\n]\n" if rows else "[]\n"


def csv_text(rows: list[dict[str, Any]]) -> str:
    """One row per paper; list fields are joined with ' | '."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for row in rows:
        cells = {**row, "links": [link["url"] for link in row["links"]],
                 "sources": [f"{s['dump']}:{s['line']}" for s in row["sources"]]}
        writer.writerow([" | ".join(value) if isinstance(value, list) else value
                         for value in map(cells.__getitem__, CSV_FIELDS)])
    return buffer.getvalue()
