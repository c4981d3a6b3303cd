"""A labels file: papers with the topics and families people gave them, for `evaluate`.

A YAML list of `{id, title, topics, families, source, abstract, evidence, confidence}`
(1 to 3 topics, primary first), or
the older form, a mapping whose `papers` holds that list; checked against
`schemas/labels.schema.json`. Every problem is the file's, at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)  # (field, its line)

    def line_of(self, name: str) -> int:
        """The line of one of its fields, as the file gives it (else the paper's)."""
        return dict(self.lines).get(name, self.line)


def load_gold(path: Path) -> list[GoldPaper]:
    """A labels file known to be valid (the reference set); see `read_gold`."""
    papers, problems = read_gold(path, str(path))
    if problems:
        raise ValueError(f"{path}: {problems[0]}")
    return papers


def read_gold(path: Path, shown: str) -> tuple[list[GoldPaper], list[Problem]]:
    """The papers of a labels file (a YAML list of `{id, title, topics, families, source,
    abstract, ...}`, topics primary first, or a mapping whose `papers` holds that list), or
    the problems that keep it from being read: a file that labels no paper among them."""
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
    items = data["papers"] if prefix else data
    if not items:
        return [], [Problem(shown, loaded.line_of(prefix), field_path(prefix),
                            "holds no paper: there is nothing to evaluate",
                            "add one '- title: ...' item for each labelled paper")]
    papers = [_paper(item, loaded, (*prefix, i)) for i, item in enumerate(items)]
    problems = repeated(papers, shown)
    return ([], problems) if problems else (papers, [])


def _paper(item: dict[str, Any], loaded: yamlio.Loaded, place: tuple[str | int, ...],
           ) -> GoldPaper:
    """One valid entry of a labels file, with the lines of its fields."""
    return GoldPaper(item["title"], frozenset(item["topics"]), frozenset(item["families"]),
                     item.get("id", ""), item["topics"][0], item.get("source", ""),
                     item.get("abstract", ""), loaded.line_of(place), place,
                     tuple((key, loaded.line_of((*place, key))) for key in item))


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
