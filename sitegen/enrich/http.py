"""Asking a service politely: one request at a time, paced, retried, capped and cached.

Requests go out one by one, at least `delay` seconds apart (retries too), with a
User-Agent that says who asks and why. A 429 or 503 (and a 500, 502 or 504, a reset
connection, a timeout or an empty page the caller finds wanting) is retried after the
time the service asks for in Retry-After, else after a backoff that doubles from
`delay`, and never sooner than SHORTEST_WAIT; a Retry-After over LONGEST_WAIT stops the
run (`RunStopped`). A request has `timeout` seconds in all (`deadline`). A body over
`max_bytes` is refused after reading at most that much plus one byte, and a compressed
one unread. Redirects are followed (at most 5, http and https only).

The standard library's urllib is enough for this and adds no dependency: the service
speaks plain GETs, and the pacing, retries and cap are the caller's rules anyway.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sitegen import __version__
from sitegen.enrich.cache import ResponseCache
from sitegen.enrich.deadline import Deadline, watched_handlers
from sitegen.enrich.source import RunStopped, ServiceError

T = TypeVar("T")

USER_AGENT = (f"sitegen/{__version__} (static catalogue of LLM papers; fills in arXiv ids, "
              "authors and dates, one request at a time; Python urllib)")
RETRIED = {429, 500, 502, 503, 504}
MiB = 1024 * 1024
LONGEST_WAIT = 600.0  # a Retry-After beyond this many seconds stops the run instead
SHORTEST_WAIT = 1.0  # before a retry, whatever the delay
LONGEST_READ = 366 * 86400  # a longer Retry-After is read as this one


class Transient(ServiceError):
    """A failure that asking again may cure; `wait` is the Retry-After asked for, if any."""

    def __init__(self, message: str, wait: float | None = None):
        super().__init__(message)
        self.wait = wait


@dataclass(frozen=True)
class Manners:
    delay: float = 3.0  # seconds between the starts of two requests
    retries: int = 4
    timeout: float = 30.0
    max_bytes: int = MiB  # a page of arXiv results is tens of kilobytes


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = 5

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not newurl.lower().startswith(("http://", "https://")):
            raise ServiceError(f"redirected to {newurl[:80]!r}, which is not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class PoliteClient:
    """GETs under `Manners`, answered from `cache` when it can."""

    def __init__(self, manners: Manners, cache: ResponseCache,
                 sleep: Callable[[float], None] = time.sleep):
        self.manners, self.cache, self._sleep = manners, cache, sleep
        self._deadline = Deadline(manners.timeout)
        self._opener = urllib.request.build_opener(_Redirects,
                                                   *watched_handlers(lambda: self._deadline))
        self._last: float | None = None
        self.requests = 0  # sent, for the summary

    def get(self, url: str, accept: Callable[[bytes], T]) -> T:
        """`accept(body)` of the address's response: from the cache, else asked (and kept
        when `accept` took it). `accept` raises ServiceError for a body it refuses."""
        cached = self.cache.get(url)
        if cached is not None:
            try:
                return accept(cached)
            except ServiceError:
                pass  # kept by an older version, or damaged: ask again
        for attempt in range(self.manners.retries + 1):
            try:
                body = self._request(url)
                value = accept(body)
            except Transient as error:
                if attempt == self.manners.retries:
                    raise ServiceError(f"{error} (gave up after {attempt + 1} tries)") from None
                self._back_off(error.wait, attempt)
                continue
            self.cache.put(url, body)
            return value
        raise AssertionError("unreachable")

    def _back_off(self, wait: float | None, attempt: int) -> None:
        """Wait before asking again: as long as the service asks (the whole run stops when
        that is longer than LONGEST_WAIT), else a backoff doubling from the delay, and
        never less than SHORTEST_WAIT."""
        if wait is not None and wait > LONGEST_WAIT:
            resume = dt.datetime.fromtimestamp(time.time() + wait, dt.UTC)
            raise RunStopped(f"the service asks to wait {wait:,.0f} s (Retry-After), longer "
                             f"than the {LONGEST_WAIT:.0f} s a run waits: run again after "
                             f"{resume:%Y-%m-%d %H:%M} UTC")
        backoff = max(self.manners.delay, SHORTEST_WAIT) * 2 ** attempt
        self._sleep(max(wait if wait is not None else backoff, SHORTEST_WAIT))

    def _pace(self) -> None:
        if self._last is not None:
            wait = self._last + self.manners.delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last = time.monotonic()

    def _request(self, url: str) -> bytes:
        """One GET's body, within `timeout` seconds in all (a server sending a byte now and
        then is cut off, as one sending nothing is)."""
        self._pace()
        self.requests += 1
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT, "Accept": "application/atom+xml",
            "Accept-Encoding": "identity"})
        with Deadline(self.manners.timeout) as self._deadline:
            try:
                with self._opener.open(request, timeout=self.manners.timeout) as response:
                    body = _body(response, self.manners.max_bytes)
            except urllib.error.HTTPError as error:
                raise _refusal(error) from None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                if not self._deadline.passed:
                    raise Transient(f"no answer: {getattr(error, 'reason', None) or error}"
                                    ) from None
        if self._deadline.passed:
            raise Transient(f"no answer within {self.manners.timeout:.0f} s (the response "
                            "came too slowly)")
        return body


def _refusal(error: urllib.error.HTTPError) -> ServiceError:
    """The failure an HTTP error status stands for: one worth retrying, or not."""
    if error.code in RETRIED:
        return Transient(f"HTTP {error.code}", retry_after(error.headers))
    if 300 <= error.code < 400:
        return ServiceError(f"HTTP {error.code}: redirected in a loop or more than "
                            f"{_Redirects.max_redirections} times")
    return ServiceError(f"HTTP {error.code} {' '.join(str(error.reason).split())[:100]}")


def _body(response: http.client.HTTPResponse, limit: int) -> bytes:
    """The body, refused unread when it is compressed (the tool asks for none and reads
    none) or says it is over `limit` bytes, and cut off after `limit` + 1 bytes when it
    does not say."""
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        raise ServiceError(f"the service sent a body compressed with {encoding[:40]!r}, "
                           "which this tool does not read (it asks for none); not read")
    declared = whole_number(response.headers.get("Content-Length", ""))
    if declared is not None and declared > limit:
        raise ServiceError(f"the response is {declared:,} bytes, over the {limit:,} "
                           "allowed; not read")
    body = response.read(limit + 1)
    if len(body) > limit:
        raise ServiceError(f"the response is over the {limit:,} bytes allowed; cut off")
    return body


def whole_number(text: str) -> int | None:
    """A header's whole number (ASCII digits only: `str.isdigit` takes '²' too), or None
    when it is none or absurdly long."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def retry_after(headers: object) -> float | None:
    """Retry-After's seconds, given as seconds or as an HTTP date; None when absent or bad.
    A wait beyond a year is read as a year."""
    value = str(getattr(headers, "get", lambda _: "")("Retry-After") or "").strip()
    seconds = whole_number(value)
    if seconds is not None:
        return float(min(seconds, LONGEST_READ))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return min(max(0.0, when.timestamp() - time.time()), LONGEST_READ)
