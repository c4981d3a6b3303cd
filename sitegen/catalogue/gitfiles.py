"""A catalogue's files in git: the repository holding a directory, a ref's commit, and
the files at that commit (read from git objects, nothing is checked out)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sitegen.catalogue import contentfs, contenttree
from sitegen.core.model import Problem

TAXONOMY = contenttree.TAXONOMY_FILE
PAPERS = "papers/"


class GitError(Exception):
    """Git cannot give what was asked; the message is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "--literal-pathspecs", *args], cwd=cwd, input=stdin,
                              capture_output=True, check=False)
    except FileNotFoundError as error:
        raise GitError("git is not installed (or not on PATH)") from error


def locate(content: Path) -> tuple[Path, str]:
    """The git top-level holding `content`, and content's path inside it ('' or 'dir/')."""
    if not content.is_dir():
        raise GitError(f"content directory {content} does not exist")
    found = _git(["rev-parse", "--show-toplevel"], content)
    if found.returncode != 0:
        raise GitError(f"{content} is not in a git repository")
    top = Path(os.fsdecode(found.stdout.rstrip(b"\n"))).resolve()
    try:
        inside = content.resolve().relative_to(top).as_posix()
    except ValueError as error:
        raise GitError(f"{content} is not inside the git repository at {top}") from error
    return top, "" if inside == "." else inside + "/"


def resolve_ref(top: Path, ref: str) -> str:
    """The commit a ref names, or GitError."""
    found = None
    if ref and not ref.startswith("-"):
        found = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    if found is None or found.returncode != 0:
        raise GitError(f"unknown git ref {ref!r}: no commit, branch or tag has that name "
                       "(hint: name a commit such as origin/main or HEAD~1; fetch it first if "
                       "it is on a remote, as a shallow CI checkout lacks the base branch)")
    return found.stdout.decode("ascii").strip()


Files = dict[str, bytes | Problem]  # path under the content directory -> bytes, or why not


def _kind(mode: bytes) -> str:
    """A tree entry's kind from its git mode (a POSIX mode, but for submodules)."""
    return contentfs.SUBMODULE if mode == b"160000" else contentfs.kind_of(int(mode, 8))


def files_at(top: Path, commit: str, prefix: str) -> Files:
    """The catalogue's files at a commit, keyed by their path under the content directory.

    Entries are judged as in the working tree: one that is not read (a committed
    symbolic link, a submodule, a misnamed file, a file over the size limit) maps to
    its problem, whose path is its key.
    """
    folder = contenttree.PAPERS.name
    listed = _git(["ls-tree", "-l", "-z", commit, "--", prefix + folder, prefix + PAPERS,
                   prefix + TAXONOMY], top)
    if listed.returncode != 0:
        raise GitError(f"git cannot list the files of {commit}")
    entries: dict[str, tuple[str, bytes, int]] = {}
    for record in filter(None, listed.stdout.split(b"\0")):
        meta, _, path = record.partition(b"\t")
        mode, _, obj, size = meta.split()
        entries[os.fsdecode(path).removeprefix(prefix)] = (
            _kind(mode), obj, int(size) if size.isdigit() else 0)
    files: Files = {}
    if folder in entries:  # listed itself only when it is not a folder
        files[folder] = contentfs.wrong_kind(entries.pop(folder)[0], folder, contentfs.FOLDER)
    papers = [contentfs.Entry(name.removeprefix(PAPERS), kind)
              for name, (kind, _, _) in entries.items() if name.startswith(PAPERS)]
    names, problems = contenttree.sort_out(contenttree.PAPERS, sorted(papers),
                                         lambda name: PAPERS + name)
    files.update((problem.path, problem) for problem in problems)
    wanted = [PAPERS + name for name in names] + [TAXONOMY] * (TAXONOMY in entries)
    readable = []
    for name in wanted:
        kind, obj, size = entries[name]
        if kind != contentfs.FILE:
            files[name] = contentfs.wrong_kind(kind, name)
        elif size > contentfs.TEXT.size:
            files[name] = Problem(name, 0, "", contentfs.TEXT.message, contentfs.TEXT.hint)
        else:
            readable.append((name, obj))
    files.update(zip([name for name, _ in readable],
                     _blobs(top, [obj for _, obj in readable]), strict=True))
    return dict(sorted(files.items()))


def _blobs(top: Path, objects: list[bytes]) -> list[bytes]:
    """The contents of git objects, read in one `git cat-file --batch`."""
    if not objects:
        return []
    out = _git(["cat-file", "--batch"], top, b"".join(o + b"\n" for o in objects))
    data, position, blobs = out.stdout, 0, []
    for _ in objects:
        end = data.find(b"\n", position)
        header = data[position:end].split()
        if out.returncode != 0 or end < 0 or len(header) != 3:
            raise GitError("git cannot read the files of the base commit")
        size = int(header[2])
        blobs.append(data[end + 1:end + 1 + size])
        position = end + 2 + size
    return blobs



_STATUS = {"A": "added", "D": "removed", "M": "modified", "T": "modified"}


def other_changes(top: Path, commit: str, prefix: str) -> list[tuple[str, str]]:
    """The content files other than papers and the taxonomy (settings, pages, dumps) that
    the working tree holds otherwise than the commit: (path under the content directory,
    "added", "removed" or "modified"), a file git does not track yet as added."""
    changed = _git(["diff", "--name-status", "-z", "--no-renames", commit, "--", prefix or "."],
                   top)
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--", prefix or "."],
                     top)
    if changed.returncode != 0 or untracked.returncode != 0:
        raise GitError("git cannot list the files changed since the base commit")
    fields = changed.stdout.split(b"\0")
    found = {os.fsdecode(path): _STATUS.get(status.decode("ascii")[:1], "modified")
             for status, path in zip(fields[::2], fields[1::2], strict=False) if path}
    found.update({os.fsdecode(path): "added" for path in untracked.stdout.split(b"\0") if path})
    inside = {path.removeprefix(prefix): status for path, status in found.items()
              if path.startswith(prefix)}
    return sorted((path, status) for path, status in inside.items()
                  if path != TAXONOMY and not path.startswith(PAPERS))
