"""A catalogue's files in git: the repository holding a directory, a ref's commit, and
the files at that commit (read from git objects, nothing is checked out)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

TAXONOMY = "taxonomy.yaml"
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
        raise GitError(f"unknown git ref {ref!r}: no commit, branch or tag has that name")
    return found.stdout.decode("ascii").strip()


def _wanted(name: str) -> bool:
    """The taxonomy and papers/*.yaml, as `load_catalogue` reads them."""
    rest = name.removeprefix(PAPERS)
    return name == TAXONOMY or (rest != name and rest.endswith(".yaml") and "/" not in rest)


def files_at(top: Path, commit: str, prefix: str) -> dict[str, bytes]:
    """The catalogue's files at a commit, keyed by their path under the content directory."""
    listed = _git(["ls-tree", "-r", "-z", commit, "--", prefix + PAPERS, prefix + TAXONOMY], top)
    if listed.returncode != 0:
        raise GitError(f"git cannot list the files of {commit}")
    names, objects = [], []
    for record in filter(None, listed.stdout.split(b"\0")):
        meta, _, path = record.partition(b"\t")
        name = os.fsdecode(path).removeprefix(prefix)
        if meta.split()[1] == b"blob" and _wanted(name):
            names.append(name)
            objects.append(meta.split()[2])
    return dict(zip(names, _blobs(top, objects), strict=True))


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

