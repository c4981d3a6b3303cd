"""Asking a service politely: one request at a time, paced, retried, capped and cached.

Requests go out one by one, at least `delay` seconds apart (retries too), with a
User-Agent that says who asks and why. A 429 or 503 (and a 500, 502 or 504, a reset
connection, a timeout or a body the caller finds broken) is retried after the time the
service asks for in Retry-After, else after a backoff that doubles from `delay`. A body
over `max_bytes` is refused after reading at most that much plus one byte. Redirects are
followed (at most 5, http and https only).

The standard library's urllib is enough for this and adds no dependency: the service
speaks plain GETs, and the pacing, retries and cap are the caller's rules anyway.
"""

from __future__ import annotations

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
from sitegen.enrich.source import ServiceError

T = TypeVar("T")

USER_AGENT = (f"sitegen/{__version__} (static catalogue of LLM papers; fills in arXiv ids, "
              "authors and dates, one request at a time; Python urllib)")
RETRIED = {429, 500, 502, 503, 504}
MiB = 1024 * 1024
LONGEST_WAIT = 600.0  # a Retry-After beyond this many seconds gives up instead


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
        self._opener = urllib.request.build_opener(_Redirects)
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
        if wait is not None and wait > LONGEST_WAIT:
            raise ServiceError(f"the service asks to wait {wait:.0f} s; try again later")
        self._sleep(wait if wait is not None else self.manners.delay * 2 ** attempt)

    def _pace(self) -> None:
        if self._last is not None:
            wait = self._last + self.manners.delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last = time.monotonic()

    def _request(self, url: str) -> bytes:
        self._pace()
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                       "Accept": "application/atom+xml"})
        try:
            with self._opener.open(request, timeout=self.manners.timeout) as response:
                return _capped(response, self.manners.max_bytes)
        except urllib.error.HTTPError as error:
            if error.code in RETRIED:
                raise Transient(f"HTTP {error.code}", retry_after(error.headers)) from None
            raise ServiceError(f"HTTP {error.code} {error.reason}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            raise Transient(f"no answer: {getattr(error, 'reason', None) or error}") from None


def _capped(response: http.client.HTTPResponse, limit: int) -> bytes:
    """The body, refused unread when it says it is over `limit` bytes, and cut off after
    `limit` + 1 bytes when it does not say."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ServiceError(f"the response is {int(declared):,} bytes, over the {limit:,} "
                           "allowed; not read")
    body = response.read(limit + 1)
    if len(body) > limit:
        raise ServiceError(f"the response is over the {limit:,} bytes allowed; cut off")
    return body


def retry_after(headers: object) -> float | None:
    """Retry-After's seconds, given as seconds or as an HTTP date; None when absent or bad."""
    value = str(getattr(headers, "get", lambda _: "")("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())
