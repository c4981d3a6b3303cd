"""Sharing CPU-bound work with one forked process, for the two cores a build has."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a second process costs more than it saves.
MIN_ITEMS = 200


def split_map(func: Callable[[T], R], items: Sequence[T], parallel: bool = True) -> list[R]:
    """[func(item) for item in items], the second half computed by a forked process.

    The results come back pickled, in order, and an exception raised for an item
    is raised here, as without the second process. Only fork from a process
    without threads (`parallel=False` computes everything here).
    """
    if not parallel or len(items) < MIN_ITEMS or not hasattr(os, "fork"):
        return [func(item) for item in items]
    half = len(items) // 2
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, never return
        os.close(read_end)
        _child(func, items[half:], write_end)
    os.close(write_end)
    try:
        first = [func(item) for item in items[:half]]
    finally:
        with os.fdopen(read_end, "rb") as stream:
            sent = stream.read()
        status = os.waitpid(pid, 0)[1]
    if status != 0 or not sent:
        raise OSError("a process sharing the work failed (see above)")
    failed, second = pickle.loads(sent)
    if failed:
        raise second
    return first + second


def _child(func: Callable, items: Sequence, write_end: int) -> None:
    status = 1
    try:
        try:
            message = (False, [func(item) for item in items])
        except Exception as error:
            message = (True, error)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)
