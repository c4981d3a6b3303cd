"""The preview's HTTP side: files from the output directory, and the two live-reload
answers (`__reload.js`, and `__build`, which tells a page of each finished build).

What it needs of the building side is `Served`: where the site is, and the `Builds` the
pages are told of. `sitegen serve` runs it in a process of its own (see `serverlink`),
so that answering requests never waits for a rebuild's hold on the interpreter, nor
slows the rebuild down.
"""

from __future__ import annotations

import errno
import io
import os
import socket
import sys
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitegen.site.livereload import RELOAD_JS, Builds, page_digest, page_of
from sitegen.site.requestpaths import refusal_of

_RELOAD_END = b'__reload.js" defer></script>'  # the reload tag's end, whatever the base URL
RELOAD_SCRIPT = b'<script src="/' + _RELOAD_END
FAILED_PAGE = b"""<!doctype html><html lang="en"><meta charset="utf-8"><title>Build failed</title>
<h1>Build failed</h1><p>Its problems are shown below and printed by
<code>sitegen serve</code>: this page reloads once they are fixed.</p>
""" + RELOAD_SCRIPT + b"</html>\n"


@dataclass(frozen=True)
class Served:
    """What the request handlers answer from: the output directory (resolved), and the
    builds the pages are told of."""

    out: Path
    builds: Builds


def folder_identity(path: Path) -> tuple[int, int] | None:
    """Which directory is at path now: a swap, or a folder replaced whole, puts another one
    there."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_dev, status.st_ino


class _Swapped(Exception):
    """The site was replaced while a request looked for its file: look again."""


class Handler(SimpleHTTPRequestHandler):
    """Files from the output directory, plus the two live-reload answers."""

    cache = "no-cache"
    retries = 2  # lookups started again when the site is swapped under them
    seen: tuple[int, int] | None = None  # the site's identity when the lookup started

    def __init__(self, *args, state: Served, **kwargs) -> None:
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
            self.seen = folder_identity(self.state.out)
            try:
                return (super().do_HEAD if head else super().do_GET)()
            except _Swapped:
                self.retries -= 1

    def send_head(self):  # type: ignore[no-untyped-def]
        """A page's headers say the digest of its file's bytes as sent (`Server-Timing:
        page`): its reload script takes it as the page it shows, so a rebuild that lands
        between the page's request and the script's first question still reloads it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.partition("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        try:
            data = Path(path).read_bytes() if path.endswith(".html") else None
        except OSError:
            data = None
        if data is None:
            return super().send_head()
        digest, data = page_digest(data), with_reload(data)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Server-Timing", f'page;desc="{digest}"')
        self.end_headers()
        return io.BytesIO(data)

    def copyfile(self, source, outputfile) -> None:  # type: ignore[override]
        """A file's bytes sent by the kernel in one call (`sendfile`), which holds the
        interpreter's lock for none of it: copying in 64 KiB pieces took the lock back
        twice for each of the 60 pieces of the search data of 20,000 papers, each time
        from the rebuild that pages open in a browser are waiting for. (The headers are sent
        already: the stream under `wfile` keeps nothing back.) A page, read already, is
        written as it was read."""
        if isinstance(source, io.BytesIO):
            self.wfile.write(source.getvalue())
        else:
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
        if code == 404 and self.retries and self.seen not in (
                None, folder_identity(self.state.out)):
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


class Server(ThreadingHTTPServer):
    served: Served  # what its handlers answer from

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):  # a browser closing a tab is no news
            print(f"sitegen serve: request failed: {error!r}", file=sys.stderr)


class _Server6(Server):
    address_family = socket.AF_INET6


def with_reload(page: bytes) -> bytes:
    """A page with the preview's reload script: a page `sitegen build` made has none (the
    preview serves such an output until its first build succeeds), and without it the
    page would neither show the build's problems nor reload once they are fixed. It goes
    before the end of the body; the digest a page is told of stays that of its file's
    bytes. (Content is escaped on every page: no text of a paper can spell the tag.)"""
    end = page.rfind(b"</body>")
    if end < 0 or _RELOAD_END in page:
        return page
    return page[:end] + RELOAD_SCRIPT + page[end:]


def bind(host: str, port: int, served: Served) -> Server | None:
    """A server listening on host:port, or None after printing why it cannot."""
    server = _Server6 if ":" in host else Server
    try:
        made = server((host, port), partial(Handler, state=served))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            why = f"port {port} is already in use on {host}: stop the other server or"
        else:
            why = f"cannot listen on {host}:{port} ({error.strerror or error}): try --host or"
        print(f"sitegen serve: {why} pick another port with --port", file=sys.stderr)
        return None
    made.served = served
    return made
