"""What the content tree holds: each content folder and the one kind of file in it, and a
problem for every entry that does not belong where it is (none is silently left out, and
none stops the others being judged). Entries are seen as `contentfs` lists them."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.catalogue.contentfs import (
    DUMP,
    FILE,
    FOLDER,
    TEXT,
    ContentError,
    Entry,
    Limit,
    Shown,
    list_folder,
    wrong_kind,
)
from sitegen.catalogue.names import (
    RESERVED_PAGES,
    case_clashes,
    is_id,
    printable,
    same_but_form,
    unportable,
)
from sitegen.core.model import Problem
from sitegen.core.tempnames import is_editor_leftover, is_temporary
from sitegen.core.text import CACHED


@dataclass(frozen=True)
class Folder:
    """A content folder and the one kind of file it holds."""

    name: str  # under the content directory
    what: str  # what each file is: "paper"
    suffix: str  # the files' extension
    mistaken: tuple[str, ...]  # extensions that mean the same: rename, not remove
    ids: bool  # whether a file's name before the extension must be an id
    example: str  # a good name, for hints
    limit: Limit = TEXT


PAPERS = Folder("papers", "paper", ".yaml", (".yml",), True, "llama-2-chat.yaml")
PAGES = Folder("pages", "page", ".md", (".markdown",), True, "about.md")
DUMPS = Folder("dumps", "dump", ".txt", (), False, "000_30cb417587fb67a1.txt", DUMP)
KEEP = ".gitkeep"  # keeps an empty folder in git; the only other file allowed
TAXONOMY_FILE, SITE_FILE = "taxonomy.yaml", "site.yaml"
# Everything the content directory holds (each judged by what reads it), and `.gitkeep`.
TOP = (DUMPS.name, PAGES.name, PAPERS.name, SITE_FILE, TAXONOMY_FILE)
_SHOWN_TOP = ("dumps/", "pages/", "papers/", SITE_FILE, TAXONOMY_FILE)


def members(root: Path, folder: Folder, shown: Shown) -> tuple[list[str], list[Problem]]:
    """The names of the files in root/folder that count, and a problem for every other
    entry there (none is silently left out, and none stops the others being judged)."""
    try:
        entries = list_folder(root, folder.name, shown)
    except ContentError as error:
        return [], [error.problem]
    return sort_out(folder, entries or [], lambda name: shown(f"{folder.name}/{name}"))


def unread_members(root: Path, folder: Folder, shown: Shown) -> list[Problem]:
    """The problems `members` finds in a folder whose files a command reads but `check`
    does not (the dumps), and a problem for each file over the folder's limit, which
    reading it would refuse."""
    names, problems = members(root, folder, shown)
    for name in names:
        try:
            size = os.stat(root / folder.name / name, follow_symlinks=False).st_size
        except OSError:
            continue  # removed since listed, or unreadable: reading it will say which
        if size > folder.limit.size:
            problems.append(Problem(shown(f"{folder.name}/{printable(name)}"), 0, "",
                                    folder.limit.message, folder.limit.hint, code=OVERSIZE))
    return problems


# The code of a file too large to read, among those a command reads and `check` does not:
# the command that reads the folder reports it as it reads, and reads the other files.
OVERSIZE = "oversize"


def sort_out(folder: Folder, entries: list[Entry], shown: Shown) -> tuple[list[str], list[Problem]]:
    """Which of a folder's entries count; a problem for each other one but `.gitkeep`, the
    writer's temporary files (the next run that writes there removes those a killed one
    left) and the files editors keep beside those they open."""
    clashes = case_clashes(entry.name for entry in entries)
    names, problems = [], []
    for entry in entries:
        if is_editor_leftover(entry.name) or (entry.name.startswith(".") and is_temporary(
                entry.name, folder.suffix)):
            continue  # an editor's swap file, or a file a run is writing (core.tempnames)
        found = _judge(folder, entry, clashes.get(entry.name))
        if found is not None:
            problems.append(Problem(shown(printable(entry.name)), 0, "", *found))
        elif entry.name != KEEP:
            names.append(entry.name)
    return names, problems


@functools.lru_cache(maxsize=CACHED)
def _judge(folder: Folder, entry: Entry, clash: str | None) -> tuple[str, str] | None:
    """Why an entry does not count, as (message, hint), or None if it does. (Remembered:
    the preview lists every paper file again after each edit.)"""
    if entry.kind not in (FILE, FOLDER):
        problem = wrong_kind(entry.kind, "")
        return problem.message, problem.hint
    reason = unportable(entry.name)
    if reason:
        return reason, "rename it: names must work on Windows too and show as they are stored"
    if clash and same_but_form(entry.name, clash):
        return (f"the name is {clash!a} written in another Unicode form "
                f"({entry.name!a} here)",
                "macOS sees one file where there are two: rename or remove one")
    if clash:
        return (f"the name differs only in case from {printable(clash)!r}",
                "Windows and macOS see one file where there are two: rename or remove one")
    if entry.name == KEEP and entry.kind == FILE:
        return None
    if entry.kind == FOLDER:
        return (f"is a folder: {folder.what}s live directly in {folder.name}/",
                f"move the files it holds into {folder.name}/ and remove the folder")
    return _judge_name(folder, entry.name)


def _judge_name(folder: Folder, name: str) -> tuple[str, str] | None:
    stem, dot, extension = name.rpartition(".")
    suffix = dot + extension if stem else ""
    stem = stem or name
    if suffix != folder.suffix:
        if suffix.lower() in (folder.suffix, *folder.mistaken):
            return (f"is not read: {folder.what} files end in {folder.suffix}",
                    f"rename it to {printable(stem)}{folder.suffix}")
        return (f"is not a {folder.what}: {folder.name}/ holds only *{folder.suffix} files",
                f"remove it, or move it out of {folder.name}/")
    if folder.ids and not is_id(stem):
        return (f"{folder.what} name {printable(stem)!r} is not an id",
                f"name it with lower-case letters and digits joined by hyphens, like "
                f"{folder.example}: the name is the {folder.what}'s address")
    if folder is PAGES and stem in RESERVED_PAGES:
        return (f"page name {stem!r} is taken by the site itself",
                f"rename the page; the site uses {', '.join(sorted(RESERVED_PAGES))}")
    return None


def strays(root: Path, shown: Shown) -> list[Problem]:
    """A problem for each entry at the top of the content directory that nothing reads
    (`site.yml`, `paper/`): left alone, its settings or papers would silently not count."""
    try:
        entries = list_folder(root, "", shown)
    except ContentError:
        return []  # the directory the user named: its own problems show elsewhere
    held = ", ".join(_SHOWN_TOP)
    return [Problem(shown(printable(entry.name)), 0, "",
                    f"is not read: the content folder holds only {held}", _stray_hint(entry.name))
            for entry in entries or []
            if entry.name not in (*TOP, KEEP) and not is_editor_leftover(entry.name)]


def _stray_hint(name: str) -> str:
    """Rename a stray that looks like a known name (`Site.yml`, `paper`), else move it."""
    def stem(text: str) -> str:
        return text.rstrip("/").split(".")[0].lower().removesuffix("s")

    meant = next((known for known in _SHOWN_TOP if stem(known) == stem(name)), None)
    if meant:
        return f"rename it to {meant}"
    return "remove it, or move it out of the content folder"


def find_dumps(directory: Path) -> list[Path]:
    """The dumps of a catalogue, in a stable order: the regular *.txt files, never through
    a link (`sitegen check` reports every other entry)."""
    try:
        entries = list_folder(directory.parent, directory.name, str)
    except ContentError:
        return []
    return [directory / name for name in sort_out(DUMPS, entries or [], str)[0]]
