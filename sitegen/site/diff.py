"""`sitegen diff`: the catalogue's changes since a git ref, as Markdown for a pull request.

The base side is read straight from git objects (nothing is checked out); the
other side is the working tree. Both are loaded the same way: the taxonomy
must load, a paper file that does not is reported as a problem and left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.catalogue import contentfs, contenttree
from sitegen.catalogue.gitfiles import (
    PAPERS,
    TAXONOMY,
    Files,
    GitError,
    files_at,
    locate,
    other_changes,
    resolve_ref,
)
from sitegen.catalogue.load import misnamed
from sitegen.catalogue.paperfields import from_dict
from sitegen.catalogue.schema import load_document
from sitegen.core.model import LABEL_FIELDS, Paper, Problem
from sitegen.site.diffpapers import (
    Known,
    added_lines,
    changed_fields,
    edited_line,
    moves,
    paper_name,
)
from sitegen.site.difftaxonomy import taxonomy_changes
from sitegen.site.mdsafe import MAX_BYTES, code, fit, md, size
from sitegen.site.review import labels_markdown


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
        commit = resolve_ref(top, ref)
        files = files_at(top, commit, prefix)
        others = other_changes(top, commit, prefix)
    except GitError as error:
        raise DiffError(str(error)) from error
    base = load_side(files, lambda name: f"{ref}:{prefix}{name}")
    head = load_side(files_in(content), contentfs.shown_paths(content))
    return render(ref, base, head, others)


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
        raise DiffError(f"{shown(TAXONOMY)}: the taxonomy file is missing (hint: the report "
                        "names topics and families from it: check --content and the ref)")
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
            side.papers[stem] = paper = from_dict(loaded.data)
            if paper.id != stem:  # a renamed file: shown as check shows it
                side.problems.append(misnamed(paper.id, stem, shown(name),
                                              loaded.line_of(("id",)),
                                              f"{PAPERS}{paper.id}.yaml" in files))
    return side


def _placed(problem: Problem, shown: Callable[[str], str]) -> Problem:
    """A problem of a file not read, its path (relative to the content) as messages show it."""
    return replace(problem, path=shown(problem.path))


def render(ref: str, base: Side, head: Side, others: list[tuple[str, str]] | None = None
           ) -> str:
    """The Markdown report: summary line, then one section per kind of change; `others`:
    the other content files changed (settings, pages, dumps), each with how."""
    old, new = base.papers, head.papers
    added = sorted(new.keys() - old.keys() - base.unreadable)
    removed = sorted(old.keys() - new.keys() - head.unreadable)
    edited = {i: fields for i in sorted(old.keys() & new.keys())
              if (fields := changed_fields(old[i], new[i]))}
    # Each added paper against the papers the change keeps, and those it adds before it (a
    # paper it removes, such as a renamed file's, is no duplicate of anything)
    known, added_items, duplicates = Known.of({i: new[i] for i in new if i in old}), [], 0
    for i in added:
        lines, duplicate = added_lines(new[i], known)
        added_items.append("\n".join(lines))
        duplicates += duplicate
        known.add(new[i])
    moved = [f"- {paper_name(new[i])}: {m}" for i in edited if (m := moves(old[i], new[i]))]
    relabelled = {i for i, fields in edited.items() if set(LABEL_FIELDS) & set(fields)}
    to_review = [labels_markdown(new[i], f"- {paper_name(new[i])}")
                 for i in sorted(relabelled.union(added))]
    sections = {
        "Added": added_items,
        "Removed": [f"- {paper_name(old[i])}" for i in removed],
        "Edited": [edited_line(old[i], new[i], fields) for i, fields in edited.items()],
        "Moved between topics and families": moved,
        "Labels to review": to_review,
        "Taxonomy": taxonomy_changes(base.taxonomy, head.taxonomy),
        "Problems": [f"- {md(str(p))}" for p in base.problems + head.problems],
        "Other content changed": [f"- {code(path)} ({how})" for path, how in others or ()],
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
            "Taxonomy": "taxonomy changes", "Problems": "problems",
            "Other content changed": "other files changed"}


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
    if sections["Other content changed"]:
        parts.append(f"{len(sections['Other content changed'])} other file(s) changed")
    if parts == ["0 added, 0 removed, 0 edited"]:
        return f"No changes since {code(ref)}."
    return "; ".join(parts) + "."
