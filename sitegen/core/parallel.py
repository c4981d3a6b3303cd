"""Sharing work with forked processes, for the two cores a build has, and pausing the
garbage collector while a command makes many objects.

The only module that forks. Stages that can share their work call `split_map`,
`map_alongside` or `beside`; the site's `scheduler` decides what each process of a build
does, with `fork` and `join`; the preview runs its HTTP server with `companion`.
The command line ends its process through `leave`.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pickle
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Generic, NoReturn, TypeVar

from sitegen.core.meeting import Meeting

T = TypeVar("T")
R = TypeVar("R")
V = TypeVar("V")

# Below this many items (of a few milliseconds' work each, such as reading a paper file) a
# second process costs more than it saves: forking, and then copying the memory pages
# that either process writes to.
MIN_ITEMS = 200
CAN_FORK = hasattr(os, "fork")  # not on Windows


@dataclass(frozen=True)
class Forked(Generic[R]):
    """A forked process computing one value, and the pipe it sends the value through."""

    pid: int
    channel: int


def fork(func: Callable[[], R]) -> Forked[R]:
    """Run func() in a forked process; `join` returns its value. Only fork from a process
    without threads."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, never return
        os.close(read_end)
        _child(func, write_end)
    os.close(write_end)
    return Forked(pid, read_end)


def join(child: Forked[R]) -> R:
    """The value func() returned in the child, or the exception it raised, raised here."""
    with os.fdopen(child.channel, "rb") as stream:
        sent = stream.read()
    status = os.waitpid(child.pid, 0)[1]
    if status != 0 or not sent:
        raise OSError(_ended(status))
    failed, value = pickle.loads(sent)
    if failed:
        raise value
    return value


@dataclass(frozen=True)
class Companion:
    """A forked process living beside this one, and this side of the link between them."""

    pid: int
    link: socket.socket


def companion(func: Callable[[socket.socket], object]) -> Companion:
    """Run func(link) in a forked process until it returns, `link` being its end of a
    socket pair (this process keeps the other: when it ends, however it ends, the companion
    reads the end of the link). Only fork from a process without threads. Ctrl+C, SIGTERM
    and SIGHUP are left to this process, which ends the companion (a terminal signals both)."""
    mine, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            mine.close()
            for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(number, signal.SIG_IGN)
            func(theirs)
            status = 0
        except BaseException as error:  # said, then the process ends
            print(f"sitegen: a helper process failed: {error!r}", file=sys.stderr, flush=True)
        finally:
            os._exit(status)
    theirs.close()
    return Companion(pid, mine)


def part(beside: Companion, timeout: float) -> None:
    """Close the link and wait for the companion to end, killed after `timeout` seconds."""
    beside.link.close()
    deadline = time.monotonic() + timeout
    with contextlib.suppress(ChildProcessError):  # ended and waited for already
        while os.waitpid(beside.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.kill(beside.pid, signal.SIGKILL)
                os.waitpid(beside.pid, 0)
                return
            time.sleep(0.01)


def split_map(func: Callable[[T], R], items: Sequence[T], parallel: bool = True,
              min_items: int = MIN_ITEMS) -> list[R]:
    """[func(item) for item in items], the second half computed by a forked process
    when there are at least `min_items` (more for quicker items). The results come back in
    order, and an exception raised for an item is raised here, as without the second
    process (`parallel=False` computes everything here)."""
    if not parallel or len(items) < min_items or not CAN_FORK:
        return [func(item) for item in items]
    half = len(items) // 2
    child = fork(lambda: [func(item) for item in items[half:]])
    try:
        first = [func(item) for item in items[:half]]
    except BaseException:
        with contextlib.suppress(Exception):
            join(child)  # reaped; this side's exception is the one to report
        raise
    return first + join(child)


def map_alongside(func: Callable[[T], R], items: Sequence[T], alongside: Callable[[], V],
                  min_items: int = MIN_ITEMS) -> tuple[V, list[R]]:
    """alongside() and [func(item) for item in items], sharing two processes: a forked one
    maps the items from the last one back while this one runs alongside(), then this one
    maps them from the first on, until the two meet. Neither has to guess how long
    alongside() takes: each item is claimed under a lock, by one process only.
    For items of a millisecond or more each (the lock costs microseconds). An exception
    raised by alongside() or for an item is raised here, the other process stopped first.
    """
    if len(items) < min_items or not CAN_FORK:
        return alongside(), [func(item) for item in items]
    meeting = Meeting(len(items))
    child = fork(lambda: [func(items[k]) for k in meeting.claims(from_end=True)][::-1])
    try:
        value = alongside()
        first = [func(items[k]) for k in meeting.claims(from_end=False)]
    except BaseException:
        meeting.close()
        with contextlib.suppress(Exception):
            join(child)
        raise
    return value, first + join(child)


def beside(func: Callable[[], R], here: Callable[[], V]) -> tuple[R, V]:
    """func() in a forked process (its value sent back) while here() runs in this one."""
    value, (made,) = map_alongside(lambda _: func(), [None], here, min_items=1)
    return made, value


def _child(func: Callable[[], object], write_end: int) -> None:
    status = 1
    try:
        try:
            message = (False, func())
        except Exception as error:
            message = (True, error)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(_sendable(message))
        status = 0
    finally:
        os._exit(status)


def _sendable(message: tuple[bool, object]) -> bytes:
    """The message pickled; where its value or exception does not pickle, an error that
    says what it was (not a process that ends with nothing said)."""
    try:
        return pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as error:
        failed, value = message
        said = f"{type(value).__name__}: {value}" if failed else f"its result: {error}"
        return pickle.dumps((True, OSError(f"a process sharing the work failed: {said}")))


def _ended(status: int) -> str:
    """How a process that sent no result ended (its wait status), for a person to read."""
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        memory = " (the system may have run out of memory)" if name == "SIGKILL" else ""
        return f"a process sharing the work was stopped by {name}{memory}"
    return (f"a process sharing the work ended with status {os.waitstatus_to_exitcode(status)}"
            " and sent no result")


@contextlib.contextmanager
def no_cycle_collection(last: bool = False) -> Iterator[None]:
    """Making many small objects at once (tens of thousands of papers, entries and labels):
    the cycle collector would walk the growing heap again and again for nothing (a quarter
    of an ingest's time at 50,000 papers), and a forked process would copy every memory
    page it touched. `last`: the command's last work; in a process to end by `leave` after
    it, what is alive is then set aside (`gc.freeze`), not walked by the collection the
    next allocation would start (a second at the end of an ingest of 50,000 papers)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if last and _outliving is not None:
                gc.freeze()
            gc.enable()


def set_aside_long_lived() -> None:
    """Collect once, then keep every object alive now out of later collections (`gc.freeze`).

    For the preview's session, after it has loaded a whole catalogue: it keeps millions of
    objects for hours (papers, values kept per paper, list items), and each full
    collection walked all of them, a pause of ~1.8 s at 20,000 papers every few rebuilds.
    What an earlier call set aside is put back first, so that its garbage is collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


_outliving: list[object] | None = None  # what `outlive` keeps (see `leaving_at_end`)


def leaving_at_end() -> None:
    """Say that this process ends by `leave` once its command is done (see `outlive`)."""
    global _outliving
    if _outliving is None:
        _outliving = []


def outlive(value: T) -> T:
    """`value`, kept alive until the process ends, if it is to end by `leave`: a build freed
    its catalogue and paper cache object by object (0.46 s at 50,000 papers), an ingest its
    memo and papers (0.3 s), just before the system took the memory back at once."""
    if _outliving is not None:
        _outliving.append(value)
    return value


def leave(code: int) -> NoReturn:
    """End the process with `code`, as `sys.exit` does, but without freeing every object
    one by one first (1.1 s after an ingest of 50,000 papers, whose caches hold millions of
    objects), as the system takes the memory back at once. Exit handlers run and output is
    flushed first. While another thread runs, the process ends as usual, after it; so it
    does while a profiler or tracer watches (cProfile, coverage), which reports at the end."""
    if threading.active_count() > 1 or sys.getprofile() or sys.gettrace():
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe: as Python ignores it
            stream.flush()
    os._exit(code)
