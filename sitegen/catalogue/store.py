"""Paper files, the catalogue's source of truth: where each one is, its canonical bytes,
and reading one back (quickly when it is in canonical form, as nearly all are)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sitegen.catalogue import yamlio
from sitegen.catalogue.canonical import SCHEMA_COMMENT, read_canonical, serialise
from sitegen.catalogue.contentfs import ContentError, read_file
from sitegen.catalogue.contenttree import PAPERS
from sitegen.catalogue.paperfields import from_dict
from sitegen.catalogue.schema import load_document
from sitegen.catalogue.yamlcomments import comment_problems
from sitegen.core.model import Paper, Problem

# A paper file's whole interface in one place: its path, its bytes, reading it back.
__all__ = ["SCHEMA_COMMENT", "from_dict", "in_loading_order", "paper_path", "papers_dir",
           "parse_paper", "read_paper", "read_paper_text", "serialise"]

Read = tuple[Paper | None, yamlio.Loaded | None, list[Problem]]


def papers_dir(content: Path) -> Path:
    return content / PAPERS.name


def paper_path(content: Path, paper_id: str) -> Path:
    return papers_dir(content) / f"{paper_id}{PAPERS.suffix}"


def in_loading_order(paper_ids: Iterable[str]) -> list[str]:
    """The papers in the order loading reads their files: by file name ("a-2.yaml" comes
    before "a.yaml", though "a" comes before "a-2")."""
    return sorted(paper_ids, key=lambda paper_id: f"{paper_id}{PAPERS.suffix}")


def read_paper(path: Path, shown: str) -> Read:
    """Load one paper file; on any problem return no paper and every problem found.

    A file in canonical form (nearly all) is read quickly, without its line numbers.
    """
    text = read_paper_text(path, shown)
    return parse_paper(text, shown) if isinstance(text, bytes) else (None, None, [text])


def read_paper_text(path: Path, shown: str) -> bytes | Problem:
    """A paper file's bytes, or why they cannot be read (nothing else can be wrong yet)."""
    try:
        text = read_file(path.parent, path.name, lambda _: shown)
    except ContentError as error:
        return error.problem
    if text is None:
        return Problem(shown, 0, "", "cannot be read: the file is gone", "run the command again")
    return text


def parse_paper(text: bytes, shown: str) -> Read:
    """The paper a file's bytes hold, and every problem with them: a function of the bytes
    and of the name the problems give the file only."""
    paper = read_canonical(text)
    if paper is not None:
        return paper, None, []
    loaded, problems = load_document(text, "paper", shown)
    if loaded is None:
        return None, None, problems
    paper = from_dict(loaded.data)
    if text != (canonical := serialise(paper)):
        problems += comment_problems(text.decode("utf-8"), shown, SCHEMA_COMMENT)
        line = first_difference(text, canonical)
        problems.append(Problem(shown, line, field_at(loaded, line),
                                "file is not in canonical form",
                                "run `sitegen fmt` to rewrite it (values are kept)",
                                code="canonical"))
    return paper, loaded, problems


def first_difference(text: bytes, canonical: bytes) -> int:
    """The first line (from 1) where a file departs from its canonical form: its spacing,
    quoting, order or line ends."""
    ours, theirs = text.splitlines(keepends=True), canonical.splitlines(keepends=True)
    pairs = enumerate(zip(ours, theirs, strict=False), 1)  # (a shorter one ends first)
    return next((number for number, (mine, wanted) in pairs if mine != wanted),
                min(len(ours), len(theirs)) + 1)


def field_at(loaded: yamlio.Loaded, line: int) -> str:
    """The top-level field whose value runs over `line` ("" on the first line, which the
    canonical form gives to the schema comment)."""
    starts = [(at, path[0]) for path, at in loaded.lines.items()
              if len(path) == 1 and isinstance(path[0], str) and 1 < at <= line]
    return max(starts)[1] if starts else ""
