"""Links found in an abstract: code repositories, model hubs, project pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Link

_URL = re.compile(
    r"(?:https?://|(?<![\w./])(?=(?:www\.|github\.com/|huggingface\.co/)))[^\s<>\"'`{}|\\^]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*"
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


@dataclass(frozen=True)
class Span:
    """Where a link is in a text, with the attributes markdown-it's linkify rules read."""

    index: int  # where the link's text starts ...
    last_index: int  # ... and ends
    text: str  # the link's text as written
    url: str  # where it points: the text, with https:// before it when it has no scheme
    schema: str  # the scheme as written ("https:"), "" when there is none


def link_spans(text: str) -> list[Span]:
    """Every http(s) link of a text, in order: each URL, and each address without a scheme
    that begins with www., github.com/ or huggingface.co/, without the sentence
    punctuation after it."""
    if not _may_hold_links(text):
        return []
    return [span for match in _URL.finditer(text) if (span := _span(match)) is not None]


_MARKS = ("://", "www.", "github.com/", "huggingface.co/")


def _may_hold_links(text: str) -> bool:
    """False for a text none of whose words can begin a link: most texts, at a fraction of
    the time _URL takes to look through them."""
    lowered = text.lower()
    return any(mark in lowered for mark in _MARKS)


def _span(match: re.Match) -> Span | None:
    shown = _trim(match.group(0))
    written = shown[:8].lower().startswith(("http://", "https://"))
    schema = shown[: shown.index(":") + 1] if written else ""
    url = shown if schema else "https://" + shown
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed address such as http://[x
        return None
    if "." not in host:
        return None
    return Span(match.start(), match.start() + len(shown), shown, url, schema)


def find_links(text: str) -> list[Link]:
    """The http(s) links of a text, each once, in order of appearance."""
    urls = dict.fromkeys(span.url for span in link_spans(text))
    return [Link(url, link_kind(url)) for url in urls]


class Linkifier:
    """What markdown-it-py asks of linkify-it (pretest, test, match, match_at_start),
    answered by `link_spans`: an abstract's text links exactly the addresses its page
    lists under Links. (linkify-it took 0.6 ms for each abstract with a URL: half the
    time of rendering every paper page of a large catalogue.)"""

    def __init__(self) -> None:
        self._last: tuple[str, list[Span]] = ("", [])  # markdown-it asks test(t), then match(t)

    def pretest(self, text: str) -> bool:
        """False when the text cannot hold a link (most texts): they skip the rest."""
        return _may_hold_links(text)

    def test(self, text: str) -> bool:
        return bool(self._spans(text))

    def match(self, text: str) -> list[Span] | None:
        return self._spans(text) or None

    def match_at_start(self, text: str) -> Span | None:
        match = _URL.match(text)
        return _span(match) if match and _may_hold_links(match.group(0)) else None

    def _spans(self, text: str) -> list[Span]:
        if self._last[0] != text:
            self._last = (text, link_spans(text))
        return self._last[1]


def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets after a URL."""
    while url and (url[-1] in _TRAILING or (url[-1] in ")]" and _unbalanced(url))):
        url = url[:-1]
    return url


def _unbalanced(url: str) -> bool:
    closer = url[-1]
    opener = "(" if closer == ")" else "["
    return url.count(closer) > url.count(opener)


def link_kind(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.lower()
    if host in _CODE_HOSTS:
        return "code"
    if host in ("huggingface.co", "hf.co"):
        if path.startswith("/datasets/"):
            return "dataset"
        if path.startswith("/spaces/"):
            return "project"
        return "model"
    return "project" if host.endswith((".github.io", ".io", ".ai", ".org", ".com")) else "other"
