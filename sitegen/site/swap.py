"""Temporary files and folders that a killed run cannot strand, and a one-step swap.

Whoever reads the output directory (a browser through `sitegen serve`, an upload
to GitHub Pages) must find the old site or the new one, never none. Linux swaps
two directories in one rename (renameat2 with RENAME_EXCHANGE), macOS too
(renamex_np with RENAME_SWAP); elsewhere, or on a file system that cannot, the
old directory is moved aside and the new one moved in: two renames.

A process holds a lock (flock) on each temporary file or folder it writes, for
as long as it writes it. The kernel drops the lock when that process dies,
however it dies, so the next run can tell a leftover from work in progress:
it removes a leftover only once it holds the leftover's lock itself. A swap also
locks the folder it replaces, and keeps it locked until its run has kept or
removed it: builds at once into one output take turns at the swap.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # renameat2's flag (linux/fs.h)
_RENAME_SWAP = 2  # renamex_np's (macOS sys/stdio.h)


def site_leftovers(out: Path) -> re.Pattern[str]:
    """The names of the folders a build of `out` writes beside it, and a killed one leaves."""
    return re.compile(re.escape(f".{out.name}.") + r"(new|old)-[a-z0-9_]+")


def locked_file(parent: Path, prefix: str, suffix: str) -> tuple[Path, int]:
    """A new file in parent, open for writing and locked; its mode is what open() gives."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    return _locked(parent, prefix, suffix, lambda path: os.open(path, flags, 0o666))


def locked_dir(parent: Path, prefix: str) -> tuple[Path, int]:
    """A new folder in parent, locked; its mode is what mkdir gives. Returns its lock."""
    def make(path: Path) -> int | None:
        os.mkdir(path, 0o777)
        try:
            return os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            return None  # a cleaner took it for a leftover before it could be opened

    return _locked(parent, prefix, "", make)


def lock_folder(path: Path, wait: bool = False, shared: bool = False) -> int | None:
    """A lock on the existing folder at path, or None if there is none or another process
    holds one (it is at work in it). With `wait`, waits for that process instead, and
    locks whatever folder is at path once it is done (a swap may have replaced it).
    A `shared` lock (always waited for) is a reader's: a swap waits until it is dropped."""
    wait = wait or shared
    kind = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    while True:
        try:
            handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            fcntl.flock(handle, kind if wait else kind | fcntl.LOCK_NB)
            if _names(path, handle):
                return handle
        except OSError:
            if wait:
                os.close(handle)
                raise
        os.close(handle)
        if not wait:
            return None


def _locked(parent: Path, prefix: str, suffix: str,
            make: Callable[[Path], int | None]) -> tuple[Path, int]:
    """Make a fresh name with `make` (which opens it, or gives None if it is gone already)
    and lock it. A cleaner may remove the new name as a leftover before it is locked:
    then try again with another name."""
    while True:
        path = parent / f"{prefix}{secrets.token_hex(4)}{suffix}"
        try:
            handle = make(path)
        except FileExistsError:
            continue
        if handle is None:
            continue
        fcntl.flock(handle, fcntl.LOCK_EX)
        if _names(path, handle):
            return path, handle
        os.close(handle)


def _names(path: Path, handle: int) -> bool:
    """True if path is still the open file or folder `handle`, not removed or replaced."""
    try:
        found, opened = os.lstat(path), os.fstat(handle)
    except FileNotFoundError:
        return False
    return (found.st_dev, found.st_ino) == (opened.st_dev, opened.st_ino)


def remove_leftovers(parent: Path, names: re.Pattern[str]) -> None:
    """Remove what killed runs left in parent under these names; skip what a live process
    still holds, and anything that is neither a file nor a folder."""
    try:
        entries = [entry.name for entry in os.scandir(parent) if names.fullmatch(entry.name)]
    except FileNotFoundError:
        return
    for name in entries:
        _remove_if_abandoned(parent / name)


def _remove_if_abandoned(path: Path) -> None:
    try:  # never through a symbolic link; O_NONBLOCK: a FIFO must not hang us
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if not _names(path, handle):
            return
        if os.path.isdir(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        return  # locked: a live run is writing it (or the file system cannot lock)
    finally:
        os.close(handle)


@contextmanager
def swapped_in(new: Path, out: Path) -> Iterator[Path | None]:
    """Put the folder `new` at `out` in one step. Yields where the replaced folder now is
    (None when there was none), for the caller to keep or remove: it stays locked until
    the block ends, so that no other run takes it for a leftover and removes it meanwhile."""
    retired, lock = _swap(new, out)
    try:
        yield retired
    finally:
        if lock is not None:
            os.close(lock)


def _swap(new: Path, out: Path) -> tuple[Path | None, int | None]:
    """Lock the folder at `out` and swap `new` with it; or, while there is none, rename
    `new` to it, unless another run makes one first. Returns where the replaced folder
    now is, and its lock."""
    while True:
        replaced = lock_folder(out, wait=True)  # while another run swaps, it holds it
        if replaced is not None:
            try:
                return _exchange_or_two_renames(new, out), replaced
            except BaseException:
                os.close(replaced)
                raise
        try:
            os.rename(new, out)  # an empty `out` made meanwhile is replaced too
            return None, None
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                raise  # else another run put a site there meanwhile: swap with it


def _exchange_or_two_renames(new: Path, out: Path) -> Path | None:
    try:
        _exchange(new, out)
        return new
    except _Unsupported:
        return _two_renames(new, out)


def _two_renames(new: Path, out: Path) -> Path | None:
    """The last resort: `out` is missing between the two renames."""
    retired = out.parent / f".{out.name}.old-{secrets.token_hex(4)}"
    try:
        os.rename(out, retired)
    except FileNotFoundError:
        os.rename(new, out)
        return None
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(retired, out)
        raise
    return retired


class _Unsupported(Exception):
    """No way to swap two names in one step here."""


def _libc_call() -> Callable[[bytes, bytes], int] | None:
    """The C library's one-step swap of two paths, when it has one."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if hasattr(libc, "renameat2"):  # Linux, glibc 2.28 and later
        call = libc.renameat2
        call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
        return lambda a, b: call(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    if hasattr(libc, "renamex_np"):  # macOS 10.12 and later
        call = libc.renamex_np
        call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: call(a, b, _RENAME_SWAP)
    return None


_SWAP = _libc_call()
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _exchange(a: Path, b: Path) -> None:
    """Swap the names a and b in one step, or raise _Unsupported."""
    if _SWAP is None:
        raise _Unsupported
    if _SWAP(os.fsencode(a), os.fsencode(b)) == 0:
        return
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        raise _Unsupported
    raise OSError(code, os.strerror(code), str(a), None, str(b))
