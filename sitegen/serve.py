"""`sitegen serve`: build with live reload, serve the output, rebuild on every change.

Pages built here load `__reload.js`, which polls `__build` and reloads the page
when the build id changes; both are answered by this server only, so nothing of
this reaches a normal `sitegen build`.
"""

from __future__ import annotations

import errno
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from watchfiles import DefaultFilter, watch

from .build import STATIC, TEMPLATES, build
from .model import Problem

Report = Callable[[list[Problem]], None]

RELOAD_JS = b"""// sitegen serve: reload the page when the site has been rebuilt.
(() => {
  let seen = null;
  const poll = async () => {
    try {
      const id = await (await fetch("/__build", {cache: "no-store"})).text();
      if (seen !== null && id !== seen) return location.reload();
      seen = id;
    } catch (error) {
      // The server is restarting or stopped: keep asking.
    }
    setTimeout(poll, 1000);
  };
  poll();
})();
"""

FAILED_PAGE = b"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>
<body><h1>Build failed</h1>
<p>The site could not be built: the errors are printed where <code>sitegen serve</code> runs.
This page reloads once they are fixed.</p>
<script src="/__reload.js" defer></script></body></html>
"""


@dataclass
class _State:
    """What the watcher and the request handlers share."""

    content: Path
    out: Path
    base_url: str
    report: Report
    build_id: str = field(default_factory=lambda: str(time.time_ns()))
    failed: bool = False


class _Handler(SimpleHTTPRequestHandler):
    """Files from the output directory, plus the two live-reload answers."""

    cache = "no-cache"

    def __init__(self, *args, state: _State, **kwargs) -> None:
        self.state = state  # set first: the base class handles the request in __init__
        super().__init__(*args, directory=str(state.out), **kwargs)

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == "/__build":
            self.cache = "no-store"
            self._send(HTTPStatus.OK, "text/plain", self.state.build_id.encode(), head)
        elif path == "/__reload.js":
            self._send(HTTPStatus.OK, "text/javascript", RELOAD_JS, head)
        elif self.state.failed and not (self.state.out / "index.html").is_file():
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html", FAILED_PAGE, head)
        else:
            del self.headers["If-Modified-Since"]  # mtimes in seconds miss quick rebuilds
            super().do_HEAD() if head else super().do_GET()

    def _send(self, status: int, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        """The site's own 404.html for missing paths; the standard page otherwise."""
        try:
            page = (self.state.out / "404.html").read_bytes() if code == 404 else None
        except OSError:
            page = None
        if page is None:
            super().send_error(code, message, explain)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/html", page, self.command == "HEAD")

    def end_headers(self) -> None:
        self.send_header("Cache-Control", self.cache)
        super().end_headers()

    def log_message(self, format: str, *args) -> None:
        pass  # one line per rebuild is all the terminal shows


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a browser closing a tab is no news
            print(f"sitegen serve: request failed: {error!r}", file=sys.stderr)


def _rebuild(state: _State) -> bool:
    """Build into state.out; print one line saying how it went. True if it succeeded."""
    start = time.perf_counter()
    try:
        result = build(state.content, state.out, state.base_url, live_reload=True)
    except Exception as error:  # a broken template must not stop the server
        print(f"build failed: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        state.failed = True
        return False
    state.failed = bool(result.problems)
    if state.failed:
        state.report(result.problems)
        print(f"build failed: {len(result.problems)} error(s)", file=sys.stderr, flush=True)
        return False
    state.build_id = str(time.time_ns())
    print(f"rebuilt in {time.perf_counter() - start:.1f} s", flush=True)
    return True


def _watch(state: _State, stop: threading.Event) -> None:
    """Rebuild whenever content, templates or static files change, until stop is set."""
    paths = [p for p in (state.content.resolve(), TEMPLATES, STATIC) if p.is_dir()]
    output = [str(state.out), str(state.out.parent / f".{state.out.name}.")]
    for _changes in watch(*paths, watch_filter=DefaultFilter(ignore_paths=output),
                          stop_event=stop, raise_interrupt=False):
        _rebuild(state)


def _bind(host: str, port: int, state: _State) -> _Server | None:
    """A server listening on host:port, or None after printing why it cannot."""
    _Server.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return _Server((host, port), partial(_Handler, state=state))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(f"sitegen serve: port {port} is already in use on {host}: stop the other "
                  f"server or pick another port with --port", file=sys.stderr)
        else:
            print(f"sitegen serve: cannot listen on {host}:{port}: "
                  f"{error.strerror or error} (try another --host or --port)", file=sys.stderr)
        return None


def serve(content: Path, out: Path, host: str, port: int, report: Report) -> int:
    """Build, serve `out` on host:port and rebuild on changes until Ctrl+C."""
    address = f"[{host}]" if ":" in host else host
    state = _State(content, out.resolve(), f"http://{address}:{port}/", report)
    server = _bind(host, port, state)
    if server is None:
        return 1
    stop = threading.Event()
    try:
        if not _rebuild(state) and state.failed:
            where = "the previous output" if (state.out / "index.html").is_file() else "a notice"
            print(f"serving {where} until the errors are fixed", file=sys.stderr)
        threading.Thread(target=_watch, args=(state, stop), daemon=True).start()
        print(f"Serving http://{address}:{port}/ (Ctrl+C to stop)", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        stop.set()
        server.server_close()
    return 0
