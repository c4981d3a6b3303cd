"""Claiming items from both ends of a list, for two processes sharing the work: the
lock and the bounds that `parallel.map_alongside` and the site's scheduler use."""

from __future__ import annotations

import contextlib
import mmap
import os
import struct
import weakref
from collections.abc import Iterator


class Meeting:
    """The items not yet claimed, [low, high), in memory two processes share (made before
    one forks the other): one claims them from the first on, the other from the last back,
    until they meet, so that each takes as many as it has time for. The bounds are in a
    shared anonymous mapping; a byte in a pipe is the lock (os.read takes it, os.write
    gives it back): no `multiprocessing`, whose import and lock took 20 ms."""

    def __init__(self, count: int):
        self._bounds = mmap.mmap(-1, _BOUNDS.size)  # shared with forked processes
        _BOUNDS.pack_into(self._bounds, 0, 0, count)
        self._token = os.pipe()
        os.write(self._token[1], b".")
        weakref.finalize(self, _close_all, self._token)

    def claims(self, from_end: bool, size: int = 1, share: int = 0) -> Iterator[int]:
        """The items this process claims until none is left, from the end back in that
        order: `size` at a time, or 1/`share` of those left when that is more (large claims
        while many are left, small ones near the end so that both processes end together:
        fewer turns of the lock, each of which may wait for the other process)."""
        while claimed := self._claim(from_end, size, share):
            yield from claimed

    def close(self) -> None:
        """No item is claimed any more."""
        with self._locked():
            low, _ = _BOUNDS.unpack_from(self._bounds)
            _BOUNDS.pack_into(self._bounds, 0, low, low)

    def _claim(self, from_end: bool, size: int, share: int) -> range:
        with self._locked():
            low, high = _BOUNDS.unpack_from(self._bounds)
            left = max(0, high - low)
            taken = min(left, max(size, left // share if share else 0))
            if from_end:
                _BOUNDS.pack_into(self._bounds, 0, low, high - taken)
                return range(high - 1, high - 1 - taken, -1)
            _BOUNDS.pack_into(self._bounds, 0, low + taken, high)
            return range(low, low + taken)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        os.read(self._token[0], 1)
        try:
            yield
        finally:
            os.write(self._token[1], b".")


_BOUNDS = struct.Struct("qq")  # the lowest and one past the highest item not yet claimed


def _close_all(handles: tuple[int, ...]) -> None:
    for handle in handles:
        with contextlib.suppress(OSError):
            os.close(handle)
