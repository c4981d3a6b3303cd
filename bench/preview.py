"""Edit-to-visible latency of a preview server: `sitegen serve`, and `hugo server` beside it.

A server is started on a free port over the size's catalogue (a copy in the scratch
folder) and, once it serves the paper's page, the paper's title is edited again and
again. Each save writes the file in place, as VS Code saves (opened, truncated and
written in one call: no temporary file, no rename, so that a reader may briefly find
it empty, as with such an editor), and the time is taken when the write returns. Then
the paper's address is polled over HTTP (bench/poll.py) until an answer holds the new
title: the latency a user's browser would see.

The edited paper is the newest one, so that the home page and the feed list it too.
The first round of edits polls the paper's page alone (the headline figure, with as
little load on the server as possible); the second polls, at the same time, the paper's
page and the pages that depend on the edit: its topic's and first family's list, the
home page, the feed, the search data and the page of another paper that lists it among its
related papers. After each edit the next save waits SETTLE, then until the server is
idle (`Server.wait_idle`): a server may show an edit before it has finished the rest of
its rebuild, and a save made meanwhile would wait for that rest, which no single edit
does.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT
from bench.harness import StepFailed
from bench.poll import NotShown, all_showing, wait_until_serving

SETTLE = 1.0  # seconds at least between an edit showing and the next save
IDLE_WINDOW = 0.5  # seconds over which a server's use of the processor is measured
IDLE_SHARE = 0.05  # the share of one core under which it counts as idle
WARMUP = 2.0  # seconds after a server first answers, for its file watcher to start
EDIT_TIMEOUT = 600.0  # seconds an edit may take to show, at most
STOP_TIMEOUT = 10.0  # seconds a server has to stop after Ctrl+C, before it is killed
DEPENDENTS = ("topic", "family", "home", "feed", "search", "related")


@dataclass(frozen=True)
class Edit:
    """A paper's file, its title, and the file's bytes for another title."""
    path: Path
    title: str
    rewrite: Callable[[str], bytes]

    def save(self, k: int) -> bytes:
        """Save the k-th edit in place; the text that shows it on a page."""
        self.path.write_bytes(self.rewrite(self.title_of(k)))
        return self.marker(k).encode()

    def title_of(self, k: int) -> str:
        """The title the k-th edit saves."""
        return f"{self.title} {self.marker(k)}"

    @staticmethod
    def marker(k: int) -> str:
        return f"(bench edit {k})"


def free_port() -> int:
    """A port nothing listens on now (the system's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process in a session of its own, its output in a log file. Where Linux's
    `setpriv` is at hand, the server is also stopped (SIGTERM) when the process that
    started it dies, however it dies: a benchmark killed half way (a timeout's SIGTERM,
    SIGKILL) leaves no server running, polling its files and taking CPU from the next
    measurements."""

    def __init__(self, command: list[str], log: Path):
        self.log = log
        with open(log, "wb") as out:
            self.process = subprocess.Popen(with_parent(command), stdout=out,
                                            stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=ROOT,
                                            start_new_session=True)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Ctrl+C to its process group, as in a terminal; killed if it does not stop."""
        if not self.alive():
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def wait_idle(self, timeout: float) -> None:
        """Wait until the server's processes (its process group) use less than IDLE_SHARE of
        a core over IDLE_WINDOW, or `timeout` seconds; where the processes' times cannot be
        read (no /proc), as long as `timeout`, at most SETTLE."""
        start, used = time.perf_counter(), group_cpu_seconds(self.process.pid)
        if used is None:
            time.sleep(min(timeout, SETTLE))
            return
        while time.perf_counter() - start < timeout:
            time.sleep(IDLE_WINDOW)
            now = group_cpu_seconds(self.process.pid)
            if now is None or now - used < IDLE_SHARE * IDLE_WINDOW:
                return
            used = now

    def last_words(self) -> str:
        lines = [line.strip() for line in
                 self.log.read_text(encoding="utf-8", errors="replace").splitlines()]
        said = [line for line in lines if line]
        return said[-1][:160] if said else "nothing"


def group_cpu_seconds(group: int) -> float | None:
    """The processor time (user and system, with that of the children they waited for) of
    the processes of a process group, from Linux's /proc; None where it cannot be read."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").is_file():
        return None
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in proc.glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp: the 5th field, the 3rd after the name
                total += sum(int(value) for value in fields[11:15])
    return total / ticks


# Run by `sh` between `setpriv` and the command: the command runs only if the shell's
# parent is still the process that started it ($1). Should that process die before
# `setpriv` asks for the signal, no signal would ever come, and the server would live on.
_IF_STARTER_LIVES = '[ "$PPID" = "$1" ] || exit 1; shift; exec "$@"'


def with_parent(command: list[str]) -> list[str]:
    """The command, run so that it gets SIGTERM when its parent dies (Linux's `setpriv
    --pdeathsig`), and not at all if its parent is already gone; or as it is where there
    is no `setpriv`."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return command
    return [setpriv, "--pdeathsig", "TERM", "--", "sh", "-c", _IF_STARTER_LIVES, "sh",
            str(os.getpid()), *command]


@contextlib.contextmanager
def running(command: list[str], log: Path) -> Iterator[Server]:
    server = Server(command, log)
    try:
        yield server
    finally:
        server.stop()


def edit_round(base: str, edit: Edit, pages: dict[str, str], numbers: range, timeout: float,
               log: Callable[[str], None], idle: Callable[[float], None]
               ) -> dict[str, list[float]]:
    """Save each numbered edit, then poll every page until it shows it: seconds per page.
    After each, SETTLE, then `idle(timeout)`, which returns once the server is idle."""
    times: dict[str, list[float]] = {name: [] for name in pages}
    for k in numbers:
        needle = edit.save(k)
        saved = time.perf_counter()
        found = all_showing({name: base + page for name, page in pages.items()}, needle,
                            saved, timeout)
        for name, seconds in found.items():
            times[name].append(seconds)
        log(f"edit {k}: " + ", ".join(f"{name} {seconds:.3f} s"
                                      for name, seconds in found.items()))
        time.sleep(SETTLE)
        idle(timeout)
    return times


def measure_server(command: list[str], log_file: Path, base: str, edit: Edit,
                   rounds: list[tuple[dict[str, str], range]], timeout: float,
                   log: Callable[[str], None]) -> list[dict[str, list[float]]]:
    """Start the server, wait until it serves the paper, run each round of edits, stop it;
    the file edited is restored whatever happens. StepFailed says what went wrong."""
    original = edit.path.read_bytes()
    try:
        with running(command, log_file) as server:
            try:
                waited = wait_until_serving(base + rounds[0][0]["paper"], b"", timeout,
                                            server.alive)
                log(f"serving after {waited:.1f} s")
                time.sleep(WARMUP)
                each = min(timeout, EDIT_TIMEOUT)
                server.wait_idle(each)
                return [edit_round(base, edit, pages, numbers, each, log, server.wait_idle)
                        for pages, numbers in rounds]
            except NotShown as error:
                raise StepFailed(f"{error}; the server's last words: "
                                 f"{server.last_words()}") from None
    finally:
        edit.path.write_bytes(original)


def median_of(key: str, runs: list[float]) -> dict:
    return {key: statistics.median(runs), f"{key}_runs": runs}


def slowest(times: dict[str, list[float]], names: tuple[str, ...]) -> list[float]:
    """For each edit, the time until the last of these pages showed it."""
    present = [times[name] for name in names if name in times]
    return [max(per_edit) for per_edit in zip(*present, strict=True)]
