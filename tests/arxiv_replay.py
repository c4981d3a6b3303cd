"""A local HTTP server that answers as the arXiv API does, from scripted replies.

Replies are Atom feeds in the format the API documents
(https://info.arxiv.org/help/api/user-manual.html), or failures: a status with headers,
a connection closed before any answer, a redirect, an endless body, a body sent a byte
at a time. The server notes every request it gets (when, its query, its headers), so
tests can check the manners.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

FEED_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<feed xmlns="http://www.w3.org/2005/Atom" '
             'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
             'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
             '  <link href="http://arxiv.org/api/query" rel="self" type="application/atom+xml"/>\n'
             '  <title type="html">ArXiv Query: replay</title>\n'
             '  <id>http://arxiv.org/api/replay</id>\n'
             '  <updated>2024-05-01T00:00:00-04:00</updated>\n')


@dataclass(frozen=True)
class Paper:
    """An arXiv entry: its id with version, title and abstract as arXiv wraps them."""

    id: str
    title: str
    abstract: str
    authors: tuple[str, ...] = ("Ada Lovelace", "Alan Turing")
    published: str = "2023-03-28T17:59:56Z"
    updated: str = "2023-06-14T17:49:39Z"
    doi: str = ""
    journal_ref: str = ""
    category: str = "cs.CL"  # the primary one; "" for an entry without it

    def entry(self) -> str:
        wrapped = "\n  ".join(_lines(self.abstract))
        extras = "".join(f"    <arxiv:{name}>{escape(value)}</arxiv:{name}>\n"
                         for name, value in (("doi", self.doi), ("journal_ref", self.journal_ref))
                         if value)
        primary = (f"    <arxiv:primary_category xmlns:arxiv=\"http://arxiv.org/schemas/atom\" "
                   f"term={quoteattr(self.category)} scheme=\"http://arxiv.org/schemas/atom\"/>\n"
                   if self.category else "")
        authors = "".join(f"    <author>\n      <name>{escape(name)}</name>\n    </author>\n"
                          for name in self.authors)
        return (f"  <entry>\n    <id>http://arxiv.org/abs/{self.id}</id>\n"
                f"    <updated>{self.updated}</updated>\n"
                f"    <published>{self.published}</published>\n"
                f"    <title>{escape(chr(10).join(_lines(self.title, 60)))}</title>\n"
                f"    <summary>  {escape(wrapped)}\n</summary>\n{authors}{extras}"
                f"    <link href=\"http://arxiv.org/abs/{self.id}\" rel=\"alternate\" "
                "type=\"text/html\"/>\n"
                f"    <link title=\"pdf\" href=\"http://arxiv.org/pdf/{self.id}\" rel=\"related\" "
                "type=\"application/pdf\"/>\n"
                f"{primary}    <category term=\"cs.CL\" scheme=\"http://arxiv.org/schemas/atom\"/>\n"
                "  </entry>\n")


def _lines(text: str, width: int = 78) -> list[str]:
    """Text broken into lines as arXiv's feed breaks titles and abstracts."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def feed(*papers: Paper, total: int | None = None, start: int = 0) -> bytes:
    count = len(papers) if total is None else total
    return (FEED_HEAD + f"  <opensearch:totalResults>{count}</opensearch:totalResults>\n"
            f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
            f"  <opensearch:itemsPerPage>{len(papers)}</opensearch:itemsPerPage>\n"
            + "".join(p.entry() for p in papers) + "</feed>\n").encode("utf-8")


def error_feed(message: str) -> bytes:
    """The answer arXiv gives, with status 200, to a query it cannot run."""
    anchor = "incorrect_id_format_for_" + message.rsplit(" ", 1)[-1]
    return (FEED_HEAD + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
            "  <opensearch:startIndex>0</opensearch:startIndex>\n"
            "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
            f"  <entry>\n    <id>http://arxiv.org/api/errors#{anchor}</id>\n"
            "    <title>Error</title>\n"
            f"    <summary>{escape(message)}</summary>\n"
            "    <updated>2024-05-01T00:00:00-04:00</updated>\n"
            f"    <link href={quoteattr('http://arxiv.org/api/errors#' + anchor)} "
            "rel=\"alternate\" type=\"text/html\"/>\n"
            "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
            "  </entry>\n</feed>\n").encode("utf-8")


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    reset: bool = False  # close the connection without an answer
    endless: int = 0  # send this many bytes of a feed's opening, without a length
    trickle: float = 0.0  # send the body one byte at a time, this many seconds apart


@dataclass
class Request:
    at: float
    path: str
    query: dict[str, str]
    headers: dict[str, str]


class Replay:
    """The server: `when(test, replies...)` answers the requests whose query passes `test`
    with the replies in turn, the last one again and again; any other gets an empty feed."""

    def __init__(self) -> None:
        self.routes: list[tuple[Callable[[dict[str, str]], bool], list[Reply]]] = []
        self.requests: list[Request] = []
        self.sent_of_endless = 0
        self.at_once = self.most_at_once = 0  # requests being answered, and the most ever
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/query"

    def when(self, test: Callable[[dict[str, str]], bool], *replies: Reply) -> None:
        self.routes.append((test, list(replies)))

    def reply(self, query: dict[str, str]) -> Reply:
        for test, replies in self.routes:
            if test(query):
                return replies.pop(0) if len(replies) > 1 else replies[0]
        return Reply(body=feed(total=0))

    def __enter__(self) -> Replay:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(replay: Replay) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with replay.lock:
                replay.at_once += 1
                replay.most_at_once = max(replay.most_at_once, replay.at_once)
            try:
                self._answer()
            finally:
                with replay.lock:
                    replay.at_once -= 1

        def _answer(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            replay.requests.append(Request(time.monotonic(), parts.path, query,
                                           dict(self.headers.items())))
            if parts.path == "/moved":
                query = {"search_query": "moved"}
            answer = replay.reply(query)
            if answer.reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.connection.close()
                return
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            if answer.endless:
                self._endless(answer.endless)
                return
            self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            if answer.trickle:
                self._trickle(answer.body, answer.trickle)
                return
            self.wfile.write(answer.body)

        def _trickle(self, body: bytes, pause: float) -> None:
            try:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(pause)
            except OSError:
                pass  # the client gave up

        def _endless(self, size: int) -> None:
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"<feed>" + b" " * 65530
            try:
                while replay.sent_of_endless < size:
                    self.wfile.write(chunk)
                    replay.sent_of_endless += len(chunk)
            except OSError:
                pass
    return Handler
