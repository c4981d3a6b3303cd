"""Links found in an abstract: code repositories, model hubs, project pages.

Abstracts come from strangers, so every pass here takes time linear in the text:
a run of URL characters is matched once (a rejected candidate is skipped whole,
never matched again from inside it), trailing brackets are trimmed with running
counts, and the inline markdown rule looks links up by position instead of
searching the text before every `://`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sitegen.catalogue.schema import valid_value
from sitegen.core.model import Link

if TYPE_CHECKING:
    from markdown_it.rules_inline import StateInline

_URL = re.compile(
    r"(?:https?://|(?<![\w./])(?=(?:www\.|github\.com/|huggingface\.co/)))[^\s<>\"'`{}|\\^]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*"
_CLOSERS = {")": "(", "]": "["}
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
    if not may_hold_links(text):
        return []
    return [span for match in _url_matches(text) if (span := _span(match)) is not None]


_MARKS = ("://", "www.", "github.com/", "huggingface.co/")


def may_hold_links(text: str) -> bool:
    """False for a text none of whose words can begin a link: most texts, at a fraction of
    the time _URL takes to look through them."""
    lowered = text.lower()
    return any(mark in lowered for mark in _MARKS)


def _url_matches(text: str) -> Iterator[re.Match]:
    """`_URL.finditer(text)`. In ASCII text, `_URL` is tried only where a match can start:
    at a mark (`www.`, ...), or four or five characters before a `://` (`http://`,
    `https://`), which `str.find` finds far quicker than `_URL` looks at each character.
    (Elsewhere re's case-blind match takes some other letters for ASCII ones: U+0131 for `i`.)
    Each place is tried once, and none inside a match: still linear in the text."""
    if not text.isascii():
        yield from _URL.finditer(text)
        return
    lowered = text.lower()
    starts = {at - back for at in _places(lowered, "://") for back in (4, 5) if at >= back}
    starts.update(at for mark in _MARKS[1:] for at in _places(lowered, mark))
    end = 0
    for start in sorted(starts):
        if start >= end and (match := _URL.match(text, start)) is not None:
            yield match
            end = match.end()


def _places(text: str, mark: str) -> Iterator[int]:
    """Where `mark` stands in `text`, each place."""
    at = text.find(mark)
    while at >= 0:
        yield at
        at = text.find(mark, at + 1)


def _span(match: re.Match) -> Span | None:
    shown = _trim(match.group(0))
    written = _is_web(shown)
    schema = shown[: shown.index(":") + 1] if written else ""
    url = shown if schema else "https://" + shown
    if not is_web_link(url):
        return None
    return Span(match.start(), match.start() + len(shown), shown, url, schema)


def is_web_link(url: str) -> bool:
    """Whether an address may be a link on the site: an http(s) address that `check` would
    accept among a paper's links, with a host name DNS could hold. Relative and
    protocol-relative addresses (`/papers/`, `//elsewhere.example/`) and every other scheme
    are not: they would lead off the site unseen, or past its base URL."""
    if not _is_web(url):
        return False
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # a malformed address such as http://[x
        return False
    return _host_name(host) and valid_value("paper", _LINK_URL, url)


# A relative address: no scheme, not from the root (`/x`, `//host`, `/\\host`), no space,
# control character or backslash (a browser drops or reads those as slashes).
_RELATIVE = re.compile(r"[^:/\\\x00-\x20][^:\\\x00-\x20]*")


def is_page_link(url: str) -> bool:
    """Whether an address may be a link in one of the site's pages (content/pages/): a web
    link, or a relative path to the site's own pages (`../search/`)."""
    return is_web_link(url) or _RELATIVE.fullmatch(url) is not None


def _is_web(url: str) -> bool:
    return url[:8].lower().startswith(("http://", "https://"))


# Where paper.schema.json says what a link's address may be: a link found in a text is one
# that `check` accepts in a paper's links (at most 2000 characters, say).
_LINK_URL = ("properties", "links", "items", "properties", "url")


def _host_name(host: str) -> bool:
    """A name with a dot that DNS could hold: at most 253 characters, labels of 1 to 63
    (a final dot aside). (markdown-it empties a longer host, which left a link with
    neither address nor text.)"""
    labels = host.removesuffix(".").split(".")
    return len(labels) > 1 and len(host) <= 253 and all(0 < len(label) <= 63
                                                        for label in labels)


def find_links(text: str) -> list[Link]:
    """The http(s) links of a text, each once, in order of appearance."""
    urls = dict.fromkeys(span.url for span in link_spans(text))
    return [Link(url, link_kind(url)) for url in urls]


class Linkifier:
    """What markdown-it-py asks of linkify-it (pretest, test, match, match_at_start),
    answered by `link_spans`: an abstract's text links exactly the addresses its page
    lists under Links. (linkify-it took 0.6 ms for each abstract with a URL: half the
    time of rendering every paper page of a large catalogue.) `inline_rule` replaces
    markdown-it's inline linkify rule, which searched all the text before each `://`
    again (a second per 20,000 characters of `http://`)."""

    def __init__(self) -> None:
        self._last: tuple[str, list[Span]] = ("", [])  # markdown-it asks test(t), then match(t)
        self._colons: tuple[str, dict[int, Span]] = ("", {})  # inline text -> spans by ':'

    def pretest(self, text: str) -> bool:
        """False when the text cannot hold a link (most texts): they skip the rest."""
        return may_hold_links(text)

    def test(self, text: str) -> bool:
        return bool(self._spans(text))

    def match(self, text: str) -> list[Span] | None:
        return self._spans(text) or None

    def match_at_start(self, text: str) -> Span | None:
        match = _URL.match(text)
        return _span(match) if match and may_hold_links(match.group(0)) else None

    def inline_rule(self, state: StateInline, silent: bool) -> bool:
        """At a `://` that ends the scheme of one of the inline text's links, make it a
        link token, before emphasis or code could be read inside it."""
        pos = state.pos
        if state.linkLevel > 0 or not state.src.startswith("://", pos):
            return False
        span = self._by_colon(state.src).get(pos)
        scheme = span.schema[:-1] if span else ""
        if span is None or not state.pending.endswith(scheme):
            return False
        href = state.md.normalizeLink(span.url)
        if not state.md.validateLink(href):
            return False
        if not silent:
            state.pending = state.pending[: -len(scheme)]
            state.push("link_open", "a", 1).attrs = {"href": href}
            state.push("text", "", 0).content = state.md.normalizeLinkText(span.text)
            state.push("link_close", "a", -1)
            for token in state.tokens[-3::2]:
                token.markup, token.info = "linkify", "auto"
        state.pos = span.last_index
        return True

    def _spans(self, text: str) -> list[Span]:
        if self._last[0] != text:
            self._last = (text, link_spans(text))
        return self._last[1]

    def _by_colon(self, text: str) -> dict[int, Span]:
        """The text's links that have a scheme, by where its colon is."""
        if self._colons[0] != text:
            found = {s.index + len(s.schema) - 1: s for s in link_spans(text) if s.schema}
            self._colons = (text, found)
        return self._colons[1]


def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets after a URL; the brackets
    are counted once, not again for each one dropped."""
    counts = {bracket: url.count(bracket) for bracket in "()[]"}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _CLOSERS and counts[last] > counts[_CLOSERS[last]]:
            counts[last] -= 1
        elif last not in _TRAILING:
            break
        end -= 1
    return url[:end]


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
