"""A time limit on a whole request, however slowly its server answers.

A socket's timeout bounds each wait for data, not the request: a server that sends a
byte every few seconds would hold one request for hours. A `Deadline` notes the sockets
a request opens (urllib's handlers below make connections that report theirs) and, when
its time is up, shuts them: the read waiting on one returns at once, and the request
fails as a timeout.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import urllib.request
from collections.abc import Callable
from typing import Any


class Deadline:
    """The time limit of one request, from entering it (`with`) to leaving it."""

    def __init__(self, seconds: float):
        self.passed = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()

    def watch(self, connection: socket.socket) -> None:
        with self._lock:
            self._sockets.append(connection)
            if self.passed:
                _shut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.passed = True
            for connection in self._sockets:
                _shut(connection)


def _shut(connection: socket.socket) -> None:
    """End both directions of a socket (of a TLS one, the socket beneath), which wakes a
    read blocked on it in another thread."""
    with contextlib.suppress(OSError):  # closed already
        socket.socket.shutdown(connection, socket.SHUT_RDWR)


def watched_handlers(current: Callable[[], Deadline]) -> list[urllib.request.BaseHandler]:
    """urllib's http and https handlers, each connection they open watched by the
    `current()` deadline."""

    def watched(connection_class: type[http.client.HTTPConnection]) -> Any:
        class Watched(connection_class):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                super().connect()
                current().watch(self.sock)
        return Watched

    class Http(urllib.request.HTTPHandler):
        def do_open(self, http_class, req, **arguments):  # type: ignore[no-untyped-def]
            return super().do_open(watched(http_class), req, **arguments)

    class Https(urllib.request.HTTPSHandler):
        def do_open(self, http_class, req, **arguments):  # type: ignore[no-untyped-def]
            return super().do_open(watched(http_class), req, **arguments)

    return [Http(), Https()]
