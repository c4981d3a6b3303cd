"""A labels file: papers with the topics and families people gave them, for `evaluate`.

A YAML list of `{id, title, topics, families, source, abstract}` (topics primary first), or
the older form, a mapping whose `papers` holds that list; checked against
`schemas/labels.schema.json`. Every problem is the file's, at its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.catalogue import yamlio
from sitegen.catalogue.schema import validate
from sitegen.core.model import Problem, field_path
from sitegen.core.text import not_utf8, title_key


@dataclass(frozen=True)
class GoldPaper:
    title: str
    topics: frozenset[str]
    families: frozenset[str]
    id: str = ""
    primary: str = ""  # the first topic: the paper's main subject
    source: str = ""  # which labelling round it comes from
    abstract: str = ""  # given for a paper the catalogue does not hold
    line: int = 0  # where the file gives it
    place: tuple[str | int, ...] = ()  # and its place in the file's structure: (1,), ("papers", 1)


def load_gold(path: Path) -> list[GoldPaper]:
    """A labels file known to be valid (the reference set); see `read_gold`."""
    papers, problems = read_gold(path, str(path))
    if problems:
        raise ValueError(f"{path}: {problems[0]}")
    return papers


def read_gold(path: Path, shown: str) -> tuple[list[GoldPaper], list[Problem]]:
    """The papers of a labels file (a YAML list of `{id, title, topics, families, source,
    abstract, ...}`, topics primary first, or a mapping whose `papers` holds that list), or
    the problems that keep it from being read."""
    try:
        loaded = yamlio.load((raw := path.read_bytes()).decode("utf-8"))
    except OSError as error:
        return [], [Problem(shown, 0, "", f"cannot be read: {error.strerror}",
                            "give the path of a labels file with --gold")]
    except UnicodeDecodeError as error:
        line, message = not_utf8(raw, error)
        return [], [Problem(shown, line, "", message, "save the file with UTF-8 encoding")]
    except yamlio.YamlError as error:
        return [], [Problem(shown, error.line, field_path(error.path), error.message,
                            error.hint)]
    if not isinstance(loaded.data, (list, dict)):
        return [], [Problem(shown, 1, "", "must be a list of papers",
                            "write one '- title: ...' item per paper, or a mapping whose "
                            "'papers' holds them")]
    problems = validate(loaded, "labels", shown)
    if problems:
        return [], problems
    data: Any = loaded.data
    prefix: tuple[str, ...] = ("papers",) if isinstance(data, dict) else ()
    papers = [GoldPaper(item["title"], frozenset(item["topics"]), frozenset(item["families"]),
                        item.get("id", ""), item["topics"][0] if item["topics"] else "",
                        item.get("source", ""), item.get("abstract", ""),
                        loaded.line_of((*prefix, i)), (*prefix, i))
              for i, item in enumerate(data["papers"] if prefix else data)]
    problems = repeated(papers, shown)
    return ([], problems) if problems else (papers, [])


def repeated(papers: list[GoldPaper], shown: str) -> list[Problem]:
    """A problem for each paper labelled again (the same id, or else the same title): it
    would count twice, perhaps with other labels, and no figure says so."""
    seen: dict[str, int] = {}
    problems = []
    for paper in papers:
        field, key = ("id", paper.id) if paper.id else ("title", title_key(paper.title))
        first = seen.setdefault(f"{field}:{key}", paper.line)
        if first != paper.line:
            shown_value = paper.id if paper.id else paper.title
            problems.append(Problem(shown, paper.line, field_path((*paper.place, field)),
                                    f"{shown_value!r} is already labelled on line {first}",
                                    "keep one entry for each paper: it would count twice"))
    return problems
