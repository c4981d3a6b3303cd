"""What the preview server tells the pages it serves: which build is current, whether
a page changed in it, and a failed build's problems.

Each page long-polls `/__build?page=PATH&since=BUILD`: the answer waits until a
build other than BUILD has finished (or WAIT seconds pass), then says the build,
a digest of the page's file as it is now, and the problems of a failed build.
The page reloads only when its own file changed, so an edit reloads the tabs
that show it and leaves the others alone; a failed build shows its problems over
the last good page, which is still the one served. A page knows the digest of the
bytes it shows from the header it was served with (`Server-Timing: page`), so a
rebuild that lands while it loads is not taken as shown. At most HELD answers wait
at once; the other pages are answered at once and ask again a little later.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs

from sitegen.core.model import Problem
from sitegen.core.summary import summary_lines
from sitegen.site.paths import SITE

RELOAD_JS = (SITE / "preview" / "reload.js").read_bytes()
WAIT = 25.0  # seconds an answer is held back: under the usual idle limits of proxies
# Answers held back at once, at most: a browser opens six connections to a host, and the
# pages need some for themselves (a seventh tab hung while six held theirs). The other
# pages are answered at once, told to ask again after AGAIN_MS, and count as open while
# they asked in the last OPEN_S seconds.
HELD = 4
AGAIN_MS = 1000
OPEN_S = 3.0


class Told(Protocol):
    """What the building side tells the pages, and asks of them."""

    def finished(self, problems: list[Problem]) -> None: ...

    def open_pages(self) -> set[str]: ...


class Builds:
    """The current build and its problems, shared by the watcher and the request threads."""

    def __init__(self) -> None:
        self._started = time.time_ns()  # a restarted server's builds are new to its pages
        self._count = 0
        self.id = self._next_id()
        self.problems: list[str] = []
        self._finished = threading.Condition()
        self._waiting: Counter[str] = Counter()  # the pages whose answers are held back
        self._asked: dict[str, float] = {}  # when each page last asked

    def finished(self, problems: list[Problem]) -> None:
        """A build ended, with these problems (none if it succeeded): wake every page."""
        self.show(summary_lines(problems))

    def show(self, problems: list[str]) -> None:
        """A build ended, with these lines of its problems' summary: wake every page."""
        with self._finished:
            self.id = self._next_id()
            self.problems = list(problems)
            self._finished.notify_all()

    def _next_id(self) -> str:
        """An id no earlier build of this server had: however close two builds come, or
        however the clock moves, the pages see each as new."""
        self._count += 1
        return f"{self._started}-{self._count}"

    def failed(self) -> bool:
        return bool(self.problems)

    def open_pages(self) -> set[str]:
        """The site paths of the pages open in a browser now: those waiting for a build,
        and those that asked lately."""
        lately = time.monotonic() - OPEN_S
        with self._finished:
            self._asked = {page: when for page, when in self._asked.items() if when > lately}
            return {page for page, count in self._waiting.items() if count} | set(self._asked)

    def answer(self, query: str, page_file: Path | None, wait: float = WAIT) -> bytes:
        """The JSON answer to `/__build?QUERY`, once a build other than `since` is current
        (at once, and to ask `again` later, while HELD answers are held back already)."""
        since, page = parse_qs(query).get("since", [""])[0], page_of(query)
        with self._finished:
            held = bool(since) and sum(self._waiting.values()) < HELD
            self._waiting[page] += 1
            try:
                self._finished.wait_for(lambda: self.id != since, timeout=wait if held else 0)
            finally:
                self._waiting[page] -= 1
                if not self._waiting[page]:
                    del self._waiting[page]
                self._asked[page] = time.monotonic()
            build, problems = self.id, list(self.problems)
        told = {"build": build, "page": _digest(page_file), "problems": problems}
        return json.dumps(told | ({} if held or not since else {"again": AGAIN_MS})).encode()


def page_of(query: str) -> str:
    """The site path a page asks about (`page=`), '' if none."""
    return parse_qs(query).get("page", [""])[0]


def _digest(path: Path | None) -> str:
    """A short digest of a page's file now; '' if there is none."""
    if path is None:
        return ""
    try:
        return page_digest(path.read_bytes())
    except OSError:
        return ""


def page_digest(data: bytes) -> str:
    """A short digest of a page's bytes: what a page is told of its file, and is told, as
    it is served, of the bytes it shows (the `Server-Timing` header `page`)."""
    return hashlib.blake2b(data, digest_size=12).hexdigest()
