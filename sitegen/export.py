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


def to_json(papers: list[Paper]) -> str:
    return json.dumps([record(p) for p in papers], ensure_ascii=False, indent=2) + "\n"


def to_csv(papers: list[Paper]) -> str:
    """One row per paper; list fields are joined with ' | '."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for paper in papers:
        row = record(paper)
        row["links"] = [link["url"] for link in row["links"]]
        row["sources"] = [f"{s['dump']}:{s['line']}" for s in row["sources"]]
        writer.writerow({k: " | ".join(v) if isinstance(v, list) else v for k, v in row.items()})
    return buffer.getvalue()
