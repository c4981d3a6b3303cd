"""The saves the preview's watcher reports, waiting for its builder.

The watcher adds each batch of saved paths as it comes. The builder takes all that
wait when it starts a rebuild, so the saves made during one are built after it,
together, and a rebuild never interleaves with another. While a rebuild runs it
asks for the saves made since (`unseen`), to give their pages a first look; those
saves still wait for the next rebuild.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

IDLE_S = 0.2  # how often a waiting thread looks whether it should stop


class Saves:
    """Saved paths waiting for a rebuild, shared by the watcher and the builder."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._waiting: set[str] = set()
        self._seen: set[str] = set()  # those of them `unseen` gave already

    def add(self, paths: Iterable[str]) -> None:
        """Saves reported: new to `unseen` again if it gave them before (an editor that
        truncates, then writes, may have shown a first look an empty file)."""
        with self._changed:
            paths = set(paths)
            self._waiting.update(paths)
            self._seen.difference_update(paths)
            self._changed.notify_all()

    def take(self, timeout: float) -> set[str]:
        """Every save waiting, once there is one (none if `timeout` seconds pass first)."""
        with self._changed:
            self._changed.wait_for(lambda: self._waiting, timeout)
            taken, self._waiting, self._seen = self._waiting, set(), set()
            return taken

    def wait_unseen(self, timeout: float) -> bool:
        """Whether a save waits that `unseen` has not given, once there is one."""
        with self._changed:
            return bool(self._changed.wait_for(lambda: self._waiting - self._seen, timeout))

    def unseen(self) -> list[str]:
        """The saves waiting that this has not given before, sorted."""
        if not self._waiting:  # read without the lock: a save it misses is seen next time
            return []
        with self._changed:
            new = sorted(self._waiting - self._seen)
            self._seen.update(new)
            return new


def keep_building(saves: Saves, stop: threading.Event,
                  rebuild: Callable[[set[str]], object]) -> None:
    """Rebuild with all the saves waiting, one rebuild at a time, until stop is set."""
    while not stop.is_set():
        if saved := saves.take(IDLE_S):
            rebuild(saved)


def keep_looking(saves: Saves, stop: threading.Event,
                 look: Callable[[Callable[[], list[str]]], object]) -> None:
    """Give each save a first look as it comes (`look(saves.unseen)`), until stop is set."""
    while not stop.is_set():
        if saves.wait_unseen(IDLE_S):
            look(saves.unseen)
