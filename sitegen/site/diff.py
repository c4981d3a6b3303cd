"""`sitegen diff`: the catalogue's changes since a git ref, as Markdown for a pull request.

The base side is read straight from git objects (nothing is checked out); the
other side is the working tree. Both are loaded the same way: the taxonomy
must load, a paper file that does not is reported as a problem and left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from rapidfuzz import fuzz, process

from sitegen.catalogue import contentfs, contenttree, match
from sitegen.catalogue.gitfiles import (
    PAPERS,
    TAXONOMY,
    Files,
    GitError,
    files_at,
    locate,
    resolve_ref,
)
from sitegen.catalogue.paperfields import FIELDS, from_dict
from sitegen.catalogue.sameas import marked_distinct
from sitegen.catalogue.schema import load_document
from sitegen.core.model import Paper, Problem
from sitegen.core.text import title_tokens
from sitegen.site.mdsafe import MAX_BYTES, code, fit, md, size
from sitegen.site.review import labels_markdown

CLOSEST = 3  # existing papers shown for each added paper
DUPLICATE = "⚠️ **likely duplicate**"
MINUS = "\u2212"


class DiffError(Exception):
    """A problem that stops the comparison; its message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


@dataclass
class Side:
    """One side of the comparison: the taxonomy document and the papers by file name."""

    taxonomy: dict
    papers: dict[str, Paper] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def diff_markdown(content: Path, ref: str) -> str:
    """Compare the catalogue at `ref` with the working tree; raise DiffError if impossible."""
    try:
        top, prefix = locate(content)
        files = files_at(top, resolve_ref(top, ref), prefix)
    except GitError as error:
        raise DiffError(str(error)) from error
    base = load_side(files, lambda name: f"{ref}:{prefix}{name}")
    head = load_side(files_in(content), contentfs.shown_paths(content))
    return render(ref, base, head)


def files_in(content: Path) -> Files:
    """The catalogue's files in the working tree, keyed and judged like `files_at`'s."""
    def same(relative: str) -> str:
        return relative

    names, problems = contenttree.members(content, contenttree.PAPERS, same)
    files: Files = {problem.path: problem for problem in problems}
    for name in [PAPERS + name for name in names] + [TAXONOMY]:
        try:
            data = contentfs.read_file(content, name, same)
        except contentfs.ContentError as error:
            files[name] = error.problem
        else:
            if data is not None:
                files[name] = data
    return files


def load_side(files: Files, shown: Callable[[str], str]) -> Side:
    """Load one side; a missing or invalid taxonomy is a DiffError, a bad paper a problem."""
    if TAXONOMY not in files:
        raise DiffError(f"{shown(TAXONOMY)}: the taxonomy file is missing")
    text = files[TAXONOMY]
    if isinstance(text, Problem):
        raise DiffError(f"the taxonomy cannot be loaded: {_placed(text, shown)}")
    taxonomy, problems = load_document(text, "taxonomy", shown(TAXONOMY))
    if taxonomy is None:
        raise DiffError(f"the taxonomy cannot be loaded: {problems[0]}")
    side = Side(taxonomy.data)
    for name in sorted(files.keys() - {TAXONOMY}):
        stem = name.removeprefix(PAPERS).removesuffix(".yaml")
        text = files[name]
        if isinstance(text, Problem):  # not read: a link, a misnamed file...
            side.problems.append(_placed(text, shown))
            side.unreadable.add(stem)
            continue
        loaded, found = load_document(text, "paper", shown(name))
        side.problems += found
        if loaded is None:
            side.unreadable.add(stem)
        else:
            side.papers[stem] = from_dict(loaded.data)
    return side


def _placed(problem: Problem, shown: Callable[[str], str]) -> Problem:
    """A problem of a file not read, its path (relative to the content) as messages show it."""
    return replace(problem, path=shown(problem.path))


# Markdown.


def _paper(paper: Paper) -> str:
    """A paper as 'Title (`id`)', the title as plain text."""
    return f"{md(paper.title)} ({code(paper.id)})"


def changed_fields(old: Paper, new: Paper) -> list[str]:
    """The fields whose values differ, in file order (formatting alone changes nothing)."""
    return [name for name in FIELDS if getattr(old, name) != getattr(new, name)]


def _edited(old: Paper, new: Paper, fields: list[str]) -> str:
    """An edited paper's line; a new title shows the old one too."""
    if fields == ["sources"]:
        return f"- {_paper(new)}: sources only"
    shown = [f"title (was {md(old.title)})" if name == "title" else name for name in fields]
    return f"- {_paper(new)}: {', '.join(shown)}"


def moves(old: Paper, new: Paper) -> str:
    """Labels gained (+) and lost (minus sign) per kind, or '' when the sets are the same."""
    parts = []
    for name in ("topics", "families"):
        before, after = getattr(old, name), getattr(new, name)
        signs = ([f"+{md(label)}" for label in after if label not in before]
                 + [f"{MINUS}{md(label)}" for label in before if label not in after])
        if signs:
            parts.append(f"{name}: {' '.join(signs)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Known:
    """The existing papers in id order, and their titles as matched, folded once: a pull
    request may add thousands of papers, each compared with all of them."""

    papers: list[Paper]
    names: list[str]

    @classmethod
    def of(cls, papers: dict[str, Paper]) -> Known:
        ordered = [papers[i] for i in sorted(papers)]
        return cls(ordered, [" ".join(title_tokens(paper.title)) for paper in ordered])


def closest(paper: Paper, known: Known) -> list[tuple[Paper, match.Verdict]]:
    """The existing papers with the most similar titles, and the matcher's verdict on each
    (of equal titles, the first ids: rapidfuzz ranks equal scores by position)."""
    best = process.extract(" ".join(title_tokens(paper.title)), known.names,
                           scorer=fuzz.ratio, limit=CLOSEST)
    known_papers = known.papers
    return [(known_papers[i], match.compare(paper.title, paper.abstract, known_papers[i].title,
                                            known_papers[i].abstract)) for _, _, i in best]


def _neighbour(paper: Paper, other: Paper, verdict: match.Verdict) -> tuple[str, bool]:
    """One closest-paper line, and whether it flags a likely duplicate."""
    score = match.abstract_similarity(paper.abstract, other.abstract)
    scores = f"title {verdict.title_score:.0f}, " + (
        "no abstract" if score is None else f"abstract {score:.0f}")
    line = f"  - {_paper(other)}: {scores}"
    if verdict.decision == match.DIFFERENT:
        return line, False
    if marked_distinct(paper, other):
        return f"{line} (marked distinct)", False
    return f"{line} — {DUPLICATE} ({md(verdict.reason)})", True


def _added(paper: Paper, known: Known) -> tuple[list[str], bool]:
    """An added paper with its closest existing papers, and whether one is a likely duplicate."""
    if not known.papers:
        return [f"- {_paper(paper)}: no existing papers to compare with"], False
    lines, duplicate = [f"- {_paper(paper)}, closest existing papers:"], False
    for other, verdict in closest(paper, known):
        line, flagged = _neighbour(paper, other, verdict)
        lines.append(line)
        duplicate = duplicate or flagged
    return lines, duplicate


def _items(data: dict, kind: str) -> dict[str, dict]:
    """A taxonomy's topics or families by id (the first of a repeated id)."""
    items: dict[str, dict] = {}
    for item in data.get(kind) or []:
        items.setdefault(item["id"], item)
    return items


def _renamed_ids(before: dict, after: dict) -> dict[str, str]:
    """Ids that disappeared while a new id took over the same name."""
    renamed: dict[str, str] = {}
    for old in sorted(before.keys() - after.keys()):
        twin = next((new for new in sorted(after.keys() - before.keys())
                     if after[new]["name"] == before[old]["name"]
                     and new not in renamed.values()), None)
        if twin:
            renamed[old] = twin
    return renamed


def _label_changes(noun: str, before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """Lines for new, removed and renamed topics (or families) and their changed rules."""
    renamed = _renamed_ids(before, after)
    lines = [f"- new {noun} {code(i)}: {md(after[i]['name'])}"
             for i in sorted(after.keys() - before.keys()) if i not in renamed.values()]
    lines += [f"- removed {noun} {code(i)}: {md(before[i]['name'])}"
              for i in sorted(before.keys() - after.keys()) if i not in renamed]
    lines += [f"- {noun} id {code(old)} renamed to {code(new)}: {md(after[new]['name'])}"
              for old, new in renamed.items()]
    for i in sorted(before.keys() & after.keys()):
        old, new = before[i], after[i]
        if old["name"] != new["name"]:
            lines.append(f"- {noun} {code(i)} renamed: {md(old['name'])} → {md(new['name'])}")
        keys = [k for k in sorted((old.keys() | new.keys()) - {"id", "name"})
                if old.get(k) != new.get(k)]
        if keys:
            lines.append(f"- {noun} {code(i)}: {', '.join(map(code, keys))} changed")
    return lines


def taxonomy_changes(old: dict, new: dict) -> list[str]:
    """New, removed and renamed topics and families, then other rule or setting changes."""
    lines = []
    for kind, noun in (("topics", "topic"), ("families", "family")):
        lines += _label_changes(noun, _items(old, kind), _items(new, kind))
    settings = old.get("settings") or {}, new.get("settings") or {}
    keys = [k for k in sorted(settings[0].keys() | settings[1].keys())
            if settings[0].get(k) != settings[1].get(k)]
    if keys:
        lines.append(f"- settings: {', '.join(map(code, keys))} changed")
    return lines


def render(ref: str, base: Side, head: Side) -> str:
    """The Markdown report: summary line, then one section per kind of change."""
    old, new = base.papers, head.papers
    added = sorted(new.keys() - old.keys() - base.unreadable)
    removed = sorted(old.keys() - new.keys() - head.unreadable)
    edited = {i: fields for i in sorted(old.keys() & new.keys())
              if (fields := changed_fields(old[i], new[i]))}
    known, added_items, duplicates = Known.of(old), [], 0
    for i in added:
        lines, duplicate = _added(new[i], known)
        added_items.append("\n".join(lines))
        duplicates += duplicate
    moved = [f"- {_paper(new[i])}: {m}" for i in edited if (m := moves(old[i], new[i]))]
    relabelled = {i for i, fields in edited.items() if {"topics", "families"} & set(fields)}
    to_review = [labels_markdown(new[i], f"- {_paper(new[i])}")
                 for i in sorted(relabelled.union(added))]
    sections = {
        "Added": added_items,
        "Removed": [f"- {_paper(old[i])}" for i in removed],
        "Edited": [_edited(old[i], new[i], fields) for i, fields in edited.items()],
        "Moved between topics and families": moved,
        "Labels to review": to_review,
        "Taxonomy": taxonomy_changes(base.taxonomy, head.taxonomy),
        "Problems": [f"- {md(str(p))}" for p in base.problems + head.problems],
    }
    counts = (len(added), len(removed), len(edited), duplicates)
    out = [f"## Catalogue changes since {code(ref)}", "", _summary(ref, counts, sections)]
    shown = fit(sections, LEFT_OUT, MAX_BYTES - sum(map(size, out)))
    for title, lines in shown.items():
        if lines:
            out += ["", f"### {title}", "", *lines]
    return "\n".join(out) + "\n"


# What each section lists, for the line saying how many were left out to fit MAX_BYTES.
LEFT_OUT = {"Added": "added papers", "Removed": "removed papers", "Edited": "edited papers",
            "Moved between topics and families": "moved papers",
            "Labels to review": "papers with labels to review",
            "Taxonomy": "taxonomy changes", "Problems": "problems"}


def _summary(ref: str, counts: tuple[int, int, int, int], sections: dict) -> str:
    """The one-line summary, or 'No changes' when there is nothing to show."""
    added, removed, edited, duplicates = counts
    parts = [f"{added} added, {removed} removed, {edited} edited"]
    if duplicates:
        parts.append(f"{duplicates} likely duplicate(s)")
    if sections["Taxonomy"]:
        parts.append("taxonomy changed")
    if sections["Problems"]:
        parts.append(f"{len(sections['Problems'])} problem(s)")
    if parts == ["0 added, 0 removed, 0 edited"]:
        return f"No changes since {code(ref)}."
    return "; ".join(parts) + "."
