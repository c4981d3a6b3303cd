"""`sitegen serve`: build with live reload, serve the output, rebuild on every change.

Pages built here load `__reload.js`, which polls `__build` and reloads the page
when the build id changes; both are answered by this server only, so nothing of
this reaches a normal `sitegen build`.
"""

from __future__ import annotations

import errno
import os
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
from urllib.parse import unquote

from watchfiles import DefaultFilter, watch

from sitegen.core.model import Problem
from sitegen.site.livereload import RELOAD_JS, Builds, page_of
from sitegen.site.paths import STATIC, TEMPLATES
from sitegen.site.requestpaths import refusal_of
from sitegen.site.saves import Saves, keep_building, keep_looking
from sitegen.site.session import Session

Report = Callable[[list[Problem]], None]

FAILED_PAGE = b"""<!doctype html><html lang="en"><meta charset="utf-8"><title>Build failed</title>
<h1>Build failed</h1><p>Its problems are shown below and printed by
<code>sitegen serve</code>: this page reloads once they are fixed.</p>
<script src="/__reload.js" defer></script></html>
"""


@dataclass
class _State:
    """What the watcher and the request handlers share."""

    content: Path
    out: Path
    base_url: str
    report: Report
    builds: Builds = field(default_factory=Builds)
    saves: Saves = field(default_factory=Saves)
    session: Session | None = None  # made once the address (and so base_url) is known

    def open_files(self) -> set[str]:
        """The output files of the pages open in a browser (the server's prefix is /)."""
        return {(path := unquote(page).lstrip("/")) + ("index.html" if path.endswith("/")
                                                        or not path else "")
                for page in self.builds.open_pages()}


_IDLE_MS = 200  # how often an idle watcher looks up (and so how soon it is ready)
_READY_S = 10.0  # the longest the server waits for its watcher before it serves
def _identity(path: Path) -> tuple[int, int] | None:
    """Which directory is at path now: a swap puts another one there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


class _Swapped(Exception):
    """The site was replaced while a request looked for its file: look again."""


class _Handler(SimpleHTTPRequestHandler):
    """Files from the output directory, plus the two live-reload answers."""

    cache = "no-cache"
    retries = 2  # lookups started again when the site is swapped under them
    seen: tuple[int, int] | None = None  # the site's identity when the lookup started

    def __init__(self, *args, state: _State, **kwargs) -> None:
        self.state = state  # set first: the base class handles the request in __init__
        super().__init__(*args, directory=str(state.out), **kwargs)

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        path, _, query = self.path.partition("?")
        if path == "/__build":
            self.cache = "no-store"
            answer = self.state.builds.answer(query, self._page_file(page_of(query)))
            self._send(HTTPStatus.OK, "application/json", answer, head)
        elif path == "/__reload.js":
            self._send(HTTPStatus.OK, "text/javascript", RELOAD_JS, head)
        elif refusal := refusal_of(self.path):
            self.send_error(refusal[0], explain=refusal[1])
        elif self.state.builds.failed() and not (self.state.out / "index.html").is_file():
            self._send(HTTPStatus.SERVICE_UNAVAILABLE, "text/html", FAILED_PAGE, head)
        elif not self._inside(self.translate_path(self.path)):
            self.send_error(HTTPStatus.NOT_FOUND)
        else:
            del self.headers["If-Modified-Since"]  # mtimes in seconds miss quick rebuilds
            self._serve_file(head)

    def _serve_file(self, head: bool) -> None:
        """Answer from the site on disk; if it was swapped while its file was looked for
        (the old one is removed right after), look again in the new one."""
        while True:
            self.seen = _identity(self.state.out)
            try:
                return (super().do_HEAD if head else super().do_GET)()
            except _Swapped:
                self.retries -= 1

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        """A file's bytes sent by the kernel in one call (`sendfile`), which holds the
        interpreter's lock for none of it: copying in 64 KiB pieces took the lock back
        twice for each of the 60 pieces of the search data of 20,000 papers, each time
        from the rebuild that pages open in a browser are waiting for. (The headers are sent
        already: the stream under `wfile` keeps nothing back.)"""
        self.connection.sendfile(source)

    def _page_file(self, page: str) -> Path | None:
        """The file served at a site path a page asks about, if it is a safe one."""
        if not page or refusal_of(page) or not self._inside(self.translate_path(page)):
            return None
        found = Path(self.translate_path(page))
        return found / "index.html" if found.is_dir() else found

    def _inside(self, translated: str) -> bool:
        """True if the file lies in the output directory, links resolved."""
        root = os.path.realpath(self.state.out)
        return os.path.commonpath([root, os.path.realpath(translated)]) == root

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
        if code == 404 and self.retries and self.seen not in (None, _identity(self.state.out)):
            raise _Swapped
        try:
            page = (self.state.out / "404.html").read_bytes() if code == 404 else None
        except OSError:
            page = None
        if page is None:
            super().send_error(code, message, explain)
        else:
            self._send(HTTPStatus.NOT_FOUND, "text/html", page, self.command == "HEAD")

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND)  # like the real host: no directory listings

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


class _Server6(_Server):
    address_family = socket.AF_INET6


def _rebuild(state: _State, done: str = "rebuilt", saved: set[str] | None = None,
             quiet_if_unchanged: bool = False) -> bool:
    """Build what `saved` changed (all when None) into state.out, the open pages first
    (they are told at once); print how it went, and tell the pages. True if it succeeded."""
    start = time.perf_counter()
    state.session = state.session or Session(state.content, state.out, state.base_url)
    try:
        result = state.session.rebuild(None if saved is None else map(Path, saved),
                                       state.open_files(),
                                       lambda: state.builds.finished([]))
        if result.unchanged and quiet_if_unchanged:
            return True  # nothing was saved while the watcher started
        problems = result.problems
        failed = f"{len(problems)} error(s)" if problems else ""
    except Exception as error:  # a broken template must not stop the server
        failed = f"{type(error).__name__}: {error}"
        problems = [Problem("the build", 0, "", failed, "see the template or file it names")]
    state.builds.finished(problems if failed else [])
    if failed:
        state.report(problems)
        print(f"build failed: {failed}", file=sys.stderr, flush=True)
        return False
    print(f"{done} in {time.perf_counter() - start:.1f} s", flush=True)
    return True


def _watch(state: _State, stop: threading.Event, ready: threading.Event) -> None:
    """Hand every change to content, templates or static files to the builder and the
    looker (`saves`) until stop is set, saves gathered until none comes for 50 ms. The
    first answer of `watch` comes once the watches are in place: what was saved before
    is built then, the helpers started and `ready` set, so no save is missed."""
    paths = [p for p in (state.content.resolve(), TEMPLATES, STATIC) if p.is_dir()]
    output = [str(state.out), str(state.out.parent / f".{state.out.name}.")]
    helpers = [threading.Thread(target=keep_building, daemon=True, args=(
                   state.saves, stop, lambda saved: _rebuild(state, saved=saved))),
               threading.Thread(target=keep_looking, daemon=True, args=(
                   state.saves, stop, partial(_look, state)))]
    try:
        for changes in watch(*paths, watch_filter=DefaultFilter(ignore_paths=output),
                             stop_event=stop, raise_interrupt=False, yield_on_timeout=True,
                             rust_timeout=_IDLE_MS):
            if not ready.is_set():
                _rebuild(state, "rebuilt with what was saved while the watcher started,",
                         quiet_if_unchanged=True)
                for helper in helpers:
                    helper.start()
                ready.set()
            elif changes:
                state.saves.add(path for _, path in changes)
    except Exception as error:  # e.g. the system's limit on watched directories
        print(f"sitegen serve: no longer watching for changes: {error}", file=sys.stderr)
    finally:
        for helper in helpers:
            if helper.is_alive():
                helper.join(timeout=5)  # let a rebuild in progress finish


def _look(state: _State, unseen: Callable[[], list[str]]) -> None:
    """First looks at the saves waiting, while a rebuild may run (see `firstlook`)."""
    if state.session is not None:
        state.session.look_meanwhile(lambda: [Path(p) for p in unseen()],
                                     lambda: state.builds.finished([]))


def _bind(host: str, port: int, state: _State) -> _Server | None:
    """A server listening on host:port, or None after printing why it cannot."""
    server = _Server6 if ":" in host else _Server
    try:
        return server((host, port), partial(_Handler, state=state))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            why = f"port {port} is already in use on {host}: stop the other server or"
        else:
            why = f"cannot listen on {host}:{port} ({error.strerror or error}): try --host or"
        print(f"sitegen serve: {why} pick another port with --port", file=sys.stderr)
        return None


def serve(content: Path, out: Path, host: str, port: int, report: Report) -> int:
    """Build, serve `out` on host:port and rebuild on changes until Ctrl+C."""
    state = _State(content, out.resolve(), "", report)
    server = _bind(host, port, state)
    if server is None:
        return 1
    port = server.server_address[1]  # the one the system chose when asked for port 0
    state.base_url = f"http://{f'[{host}]' if ':' in host else host}:{port}/"
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=_watch, args=(state, stop, ready), daemon=True)
    try:
        if not _rebuild(state, done="built"):
            shown = "the previous output" if (state.out / "index.html").is_file() else "a notice"
            print(f"serving {shown} until the errors are fixed", file=sys.stderr)
        watcher.start()
        ready.wait(timeout=_READY_S)  # a watcher that cannot start says so itself
        print(f"Serving {state.base_url} (Ctrl+C to stop)", flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        stop.set()
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=10)  # let a rebuild in progress finish its swap
    return 0
