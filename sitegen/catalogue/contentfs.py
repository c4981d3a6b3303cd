"""The content tree as a closed world: content folders are listed, and content files read,
without ever following a symbolic link, opening a device or a FIFO, or reading more than
a size limit.

Contributions are untrusted, and CI builds whatever they hold: a link could publish
any file of the machine that builds the site (`pages/leak.md -> /etc/hostname`), a
device could be read until memory runs out (`/dev/zero`), a FIFO would block for
ever. So every entry under the content directory is judged by what it is itself
(`lstat`, or its git mode), from the content directory down (which may be a link
the user chose), and anything but a regular file or folder is reported, never
opened. Reading opens without following links, without blocking, checks again what
was opened, and stops after the limit.
"""

from __future__ import annotations

import operator
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sitegen.core.model import Problem

Shown = Callable[[str], str]  # a path relative to the content directory, as messages show it


def shown_paths(content: Path) -> Shown:
    """Paths in messages as a contributor would type them: relative to the current
    directory when the content directory is under it."""
    try:
        root = content.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        root = content.as_posix()
    prefix = "" if root == "." else root + "/"
    return lambda relative: prefix + relative

MiB = 1 << 20


@dataclass(frozen=True)
class Limit:
    size: int
    message: str
    hint: str


# A paper file is 1-3 KB, the taxonomy about 20 KB, a page a few KB: 1 MiB is far above
# any real one, and small enough to be read at no cost.
TEXT = Limit(MiB, "is over 1 MiB, the limit for a content file",
             "content files are short texts: remove what does not belong in it")
# A dump is the text of listing pages, about 400 KB each: 50 MiB is over a hundred pages.
DUMP = Limit(50 * MiB, "is over 50 MiB, the limit for a dump", "split it into several dumps")

# What an entry is, seen without following links (or from its git mode).
FILE, FOLDER, LINK, FIFO, DEVICE, SOCKET, SUBMODULE = (
    "file", "folder", "link", "fifo", "device", "socket", "submodule")
_WHAT = {FILE: "a file", FOLDER: "a folder", LINK: "a symbolic link",
         FIFO: "a named pipe (FIFO)", DEVICE: "a device", SOCKET: "a socket",
         SUBMODULE: "a git submodule"}


def kind_of(mode: int) -> str:
    """The kind of an entry from its `lstat` mode."""
    for test, kind in ((stat.S_ISREG, FILE), (stat.S_ISDIR, FOLDER), (stat.S_ISLNK, LINK),
                       (stat.S_ISFIFO, FIFO), (stat.S_ISSOCK, SOCKET)):
        if test(mode):
            return kind
    return DEVICE  # character and block devices, and anything stranger


class ContentError(Exception):
    """A content path that is not read (a link, a device, too large...), as a problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def wrong_kind(kind: str, where: str, expected: str = FILE) -> Problem:
    """The problem of an entry that is not the regular file (or folder) expected there."""
    if expected == FOLDER:
        return Problem(where, 0, "", f"is {_WHAT[kind]}: content folders must be real folders",
                       "replace the link with the folder itself" if kind == LINK
                       else "make it a folder")
    return Problem(where, 0, "", f"is {_WHAT[kind]}: content files must be regular files",
                   "replace the link with the file itself" if kind == LINK
                   else "remove it: only regular files are read")


_NOFOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC


def _open_folder(root: Path, parts: list[str], shown: Shown) -> int | None:
    """A descriptor of the folder root/parts, each part checked to be a real folder (not
    a link); None if one is absent. The caller closes it."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return None
    for depth, part in enumerate(parts):
        try:
            kind = kind_of(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode)
            if kind != FOLDER:
                raise ContentError(wrong_kind(kind, shown("/".join(parts[:depth + 1])), FOLDER))
            child = os.open(part, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW, dir_fd=fd)
        except FileNotFoundError:
            return None
        finally:
            os.close(fd)
        fd = child
    return fd


def read_file(root: Path, relative: str, shown: Shown, limit: Limit = TEXT) -> bytes | None:
    """The bytes of the regular file root/relative, or None if it does not exist.

    ContentError if it, or a folder on the way, is anything else or the file is over
    the limit. Never follows a link, never blocks, never reads more than limit + 1 bytes.
    """
    *folders, name = relative.split("/")
    where = shown(relative)
    try:
        fd = _open_folder(root, folders, shown)
        if fd is None:
            return None
        try:
            return _read_entry(fd, name, where, limit)
        finally:
            os.close(fd)
    except OSError as error:
        raise ContentError(Problem(where, 0, "", f"cannot be read: {error.strerror}",
                                   "check that the file can be read")) from None


def _read_entry(folder: int, name: str, where: str, limit: Limit) -> bytes | None:
    try:
        kind = kind_of(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return None
    if kind != FILE:
        raise ContentError(wrong_kind(kind, where))
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NONBLOCK | _NOFOLLOW, dir_fd=folder)
    except FileNotFoundError:  # removed since it was looked at: as if never there
        return None
    try:
        opened = os.fstat(handle)
        if kind_of(opened.st_mode) != FILE:  # replaced since it was looked at
            raise ContentError(wrong_kind(kind_of(opened.st_mode), where))
        data = b"" if opened.st_size > limit.size else _read_at_most(handle, limit.size + 1)
    finally:
        os.close(handle)
    if opened.st_size > limit.size or len(data) > limit.size:
        raise ContentError(Problem(where, 0, "", limit.message, limit.hint))
    return data


def _read_at_most(handle: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0 and (chunk := os.read(handle, min(size, MiB))):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, order=True)
class Entry:
    name: str
    kind: str


def list_folder(root: Path, relative: str, shown: Shown) -> list[Entry] | None:
    """The entries of the folder root/relative (root itself if relative is ''), by name,
    each with its own kind (links not followed); None if it does not exist, ContentError
    if it is not a real folder."""
    try:
        fd = _open_folder(root, relative.split("/") if relative else [], shown)
        if fd is None:
            return None
        try:
            with os.scandir(fd) as found:
                return sorted(filter(None, map(_entry, found)), key=_NAME)  # names differ
        finally:
            os.close(fd)
    except OSError as error:
        raise ContentError(Problem(shown(relative), 0, "", f"cannot be read: {error.strerror}",
                                   "check that the folder can be read")) from None


_NAME = operator.attrgetter("name")


def _entry(found: os.DirEntry) -> Entry | None:
    """An entry and its kind, from the listing's own type where it gives one (no `lstat`)."""
    try:
        if found.is_file(follow_symlinks=False):
            return Entry(found.name, FILE)
        if found.is_dir(follow_symlinks=False):
            return Entry(found.name, FOLDER)
        return Entry(found.name, kind_of(found.stat(follow_symlinks=False).st_mode))
    except FileNotFoundError:  # removed while listed
        return None
