"""The preview's HTTP server in a process of its own, beside the one that builds.

Answering a request takes the interpreter's lock a few times, each time from the thread
that rebuilds: with six pages polled every 10 ms, a rebuild of 20,000 papers took 2.4-2.8 s
instead of 1.9-2.0 s. Served from a second process, requests cost the rebuild nothing but
their share of the machine. The two processes share what `livereload.Builds` holds
through a socket pair, one JSON line per message:

- `{"start": true}`: the first build is done, serve from now on (until then a request
  waits, as it would for a server not yet answering);
- `{"problems": [...]}`: a build finished, with these lines of its problems' summary
  (none: it succeeded). Answered `{"shown": true}` once the pages can see it, so a
  request made after `finished` returns learns of that build;
- `{"open": true}`: which pages are open in a browser? Answered `{"open": [...]}`.

The server process ends when the link closes: when `serve` stops, however it stops.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable
from io import BufferedIOBase

from sitegen.core.model import Problem
from sitegen.core.parallel import Companion, companion, part
from sitegen.core.summary import summary_lines
from sitegen.site.livereload import Builds
from sitegen.site.servehttp import Server

STOP_S = 5.0  # seconds the server process has to end once told, before it is killed


class ServerProcess:
    """`server`, answering from a forked process; this side tells its pages of every
    build (its `served.builds`, there)."""

    def __init__(self, server: Server):
        self._lock = threading.Lock()  # one message (and its answer) at a time
        self._beside: Companion = companion(
            lambda link: _serve(server, server.served.builds, link))
        self._stream = self._beside.link.makefile("rwb")

    def start(self) -> None:
        """Serve from now on."""
        self._tell({"start": True})

    def finished(self, problems: list[Problem]) -> None:
        """A build ended: returns once the server's pages can see it (or it has gone)."""
        self._tell({"problems": summary_lines(problems)}, answered=True)

    def open_pages(self) -> set[str]:
        """The pages open in a browser, as the server knows them (none if it has gone)."""
        answer = self._tell({"open": True}, answered=True)
        pages = answer.get("open") if isinstance(answer, dict) else None
        return {page for page in pages if isinstance(page, str)} if isinstance(
            pages, list) else set()

    def wait(self) -> int:
        """Until the server process ends (it never does while told nothing else): its
        status."""
        return os.waitstatus_to_exitcode(os.waitpid(self._beside.pid, 0)[1])

    def stop(self) -> None:
        self._stream.close()
        part(self._beside, STOP_S)

    def _tell(self, message: dict, answered: bool = False) -> object:
        with self._lock:
            try:
                self._stream.write(json.dumps(message).encode() + b"\n")
                self._stream.flush()
                return json.loads(self._stream.readline() or b"null") if answered else None
            except (OSError, ValueError):  # the server process has gone: nothing to tell
                return None


def _serve(server: Server, builds: Builds, link: socket.socket) -> None:
    """The server process: serve once told to start, until the link closes."""
    started = threading.Event()
    threading.Thread(target=_follow, args=(link, builds, started.set, server.shutdown),
                     daemon=True).start()
    started.wait()
    server.serve_forever()


def _follow(link: socket.socket, builds: Builds, start: Callable[[], None],
            stop: Callable[[], None]) -> None:
    """Apply each message the building process sends, until the link closes (or breaks);
    then end the server, started or not."""
    try:
        with link.makefile("rwb") as stream:
            for line in stream:
                message = json.loads(line)
                if "start" in message:
                    start()
                if "problems" in message:
                    builds.show(message["problems"])
                    _answer(stream, {"shown": True})
                if "open" in message:
                    _answer(stream, {"open": sorted(builds.open_pages())})
    except (OSError, ValueError):
        pass  # the building process has gone
    finally:
        start()
        stop()


def _answer(stream: BufferedIOBase, answer: dict) -> None:
    stream.write(json.dumps(answer).encode() + b"\n")
    stream.flush()
