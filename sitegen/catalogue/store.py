"""Per-paper YAML files, the catalogue's source of truth: read, validate, serialise."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sitegen.catalogue import yamlio
from sitegen.catalogue.contentfs import ContentError, read_file
from sitegen.catalogue.schema import is_valid, load_document
from sitegen.core.model import MACHINE_FIELDS, Link, Paper, Problem, Source

_OPTIONAL_LISTS = ("same_as", "distinct_from", "human")

# The first line of every paper file: editors with a YAML language server (VS Code's
# YAML extension) validate and complete the file through the committed schema. The
# string is the same in every file, whatever the catalogue's directory, so that the
# canonical form depends on the paper alone; it resolves from content/papers/.
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../sitegen/schemas/paper.schema.json\n"
_COMMENT_BYTES = SCHEMA_COMMENT.encode("utf-8")


def papers_dir(content: Path) -> Path:
    return content / "papers"


def paper_path(content: Path, paper_id: str) -> Path:
    return papers_dir(content) / f"{paper_id}.yaml"


def checksum(paper: Paper, field: str) -> str:
    """A short fingerprint of a field's value, to notice when a person has changed it."""
    value = getattr(paper, field)
    plain = [asdict(v) for v in value] if field == "links" else value
    text = json.dumps(plain, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def to_dict(paper: Paper) -> dict[str, Any]:
    """The canonical field order and shape of a paper file."""
    data: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "topics": list(paper.topics),
        "families": list(paper.families),
        "links": [{"url": link.url, "kind": link.kind} for link in paper.links],
        "added": paper.added,
        "sources": [_source_dict(source) for source in paper.sources],
    }
    for name in _OPTIONAL_LISTS:
        if getattr(paper, name):
            data[name] = list(getattr(paper, name))
    machine = {f: paper.machine[f] for f in MACHINE_FIELDS if f in paper.machine}
    if machine:
        data["machine"] = machine
    if paper.evidence:  # in the order written (the tool's: label order), so that editing
        data["evidence"] = dict(paper.evidence)  # a label never makes a file non-canonical
    return data


def source_size(source: Source) -> int:
    """The bytes a source takes in its paper's file."""
    return len(yamlio.dump({"sources": [_source_dict(source)]}).encode("utf-8")) - len(
        "sources:\n")


def _source_dict(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {"dump": source.dump, "line": source.line, "title": source.title}
    if source.match:
        data["match"] = source.match
    return data


def serialise(paper: Paper) -> bytes:
    """The canonical bytes of a paper file: the schema comment, then the fields."""
    return _serialise(to_dict(paper))


def _serialise(data: dict[str, Any]) -> bytes:
    return (SCHEMA_COMMENT + yamlio.dump(data)).encode("utf-8")


def from_dict(data: dict[str, Any]) -> Paper:
    """Build a paper from a document that passed schema validation."""
    return Paper(
        id=data["id"], title=data["title"], abstract=data["abstract"],
        topics=list(data["topics"]), families=list(data["families"]), added=data["added"],
        links=[Link(item["url"], item["kind"]) for item in data.get("links", [])],
        sources=[Source(s["dump"], s["line"], s["title"], s.get("match", ""))
                 for s in data.get("sources", [])],
        same_as=list(data.get("same_as", [])),
        distinct_from=list(data.get("distinct_from", [])),
        human=list(data.get("human", [])),
        evidence=dict(data.get("evidence", {})),
        machine=dict(data.get("machine", {})),
    )


def read_paper(path: Path, shown: str) -> tuple[Paper | None, yamlio.Loaded | None, list[Problem]]:
    """Load one paper file; on any problem return no paper and every problem found.

    A file in canonical form (nearly all) is read quickly, without its line numbers.
    """
    try:
        text = read_file(path.parent, path.name, lambda _: shown)
    except ContentError as error:
        return None, None, [error.problem]
    if text is None:
        return None, None, [Problem(shown, 0, "", "cannot be read: the file is gone",
                                    "run the command again")]
    paper = _read_canonical(text)
    if paper is not None:
        return paper, None, []
    loaded, problems = load_document(text, "paper", shown)
    if loaded is None:
        return None, None, problems
    paper = from_dict(loaded.data)
    if text != serialise(paper):
        problems.append(Problem(shown, 1, "", "file is not in canonical form",
                                "run `sitegen fmt` to rewrite it (values are kept)",
                                code="canonical"))
    return paper, loaded, problems


def _read_canonical(text: bytes) -> Paper | None:
    """The paper of a valid file in canonical form, read without the YAML parser; else None.

    The quick reader's result counts only if it serialises back to the very bytes
    read: the YAML loader reads canonical text back to equal values, so it would
    have read the same paper from them.
    """
    if not text.startswith(_COMMENT_BYTES):
        return None
    try:
        data = yamlio.load_dumped(text[len(_COMMENT_BYTES):].decode("utf-8"))
        for source in data.get("sources", []):
            source["line"] = int(source["line"])
        paper = from_dict(data)
        document = to_dict(paper)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if _serialise(document) != text or not is_valid(document, "paper"):
        return None
    return paper
