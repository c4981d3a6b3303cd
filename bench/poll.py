"""Seeing an edit as a browser would: polling pages over HTTP until they show a text.

A preview server's latency is what its user waits for: from saving a file to the first
answer at a page's address that holds the new text. These functions ask for the page
again and again (a request every `interval`; after an answer that took more than half of
that, a pause as long as the answer took, so that polling never keeps a server busy more
than half the time) and time the first answer that shows it.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable

INTERVAL = 0.01  # seconds between two requests for the same page
REQUEST_TIMEOUT = 30.0  # seconds one answer may take


class NotShown(Exception):
    """A page that never showed the text in time; its message says which and how long."""


def fetch(url: str, timeout: float = REQUEST_TIMEOUT) -> tuple[int, bytes]:
    """The status and body of one GET, as a browser that caches nothing gets them; status 0
    when no answer came (the server is starting, restarting or gone)."""
    request = urllib.request.Request(url, headers={"Cache-Control": "no-cache"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, ValueError):  # refused, reset, timed out, a broken answer
        return 0, b""


def first_showing(url: str, needle: bytes, since: float, timeout: float,
                  interval: float = INTERVAL,
                  fetcher: Callable[[str], tuple[int, bytes]] = fetch) -> float:
    """Seconds from `since` (a time.perf_counter()) to the end of the first successful
    answer at `url` whose body holds `needle`; NotShown after `timeout` seconds."""
    deadline = since + timeout
    while True:
        asked = time.perf_counter()
        status, body = fetcher(url)
        answered = time.perf_counter()
        if status == 200 and needle in body:
            return answered - since
        if answered > deadline:
            raise NotShown(f"{url} did not show {needle.decode(errors='replace')!r} "
                           f"within {timeout:g} s (last status {status})")
        took = answered - asked
        time.sleep(max(interval - took, took))


def all_showing(urls: dict[str, str], needle: bytes, since: float, timeout: float,
                interval: float = INTERVAL) -> dict[str, float]:
    """`first_showing` for several pages at once, each polled by a thread of its own:
    {name: seconds}; NotShown names the first page that never showed it."""
    found: dict[str, float] = {}
    failed: list[str] = []

    def poll(name: str, url: str) -> None:
        try:
            found[name] = first_showing(url, needle, since, timeout, interval)
        except NotShown as error:
            failed.append(str(error))

    threads = [threading.Thread(target=poll, args=item, daemon=True) for item in urls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise NotShown(failed[0])
    return found


def wait_until_serving(url: str, needle: bytes, timeout: float,
                       alive: Callable[[], bool] = lambda: True) -> float:
    """Wait until `url` answers 200 with `needle` in its body (a server's first build);
    seconds waited. NotShown if it does not in `timeout`, or as soon as `alive()` is
    False (the server stopped)."""
    start = time.perf_counter()
    while True:
        status, body = fetch(url)
        if status == 200 and needle in body:
            return time.perf_counter() - start
        if not alive():
            raise NotShown(f"the server stopped before serving {url}")
        if time.perf_counter() - start > timeout:
            raise NotShown(f"{url} was not served within {timeout:g} s (last status {status})")
        time.sleep(0.1)
