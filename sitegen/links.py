"""Links found in an abstract: code repositories, model hubs, project pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .model import Link

_URL = re.compile(
    r"(?:https?://|(?<![\w./])(?=(?:www\.|github\.com/|huggingface\.co/)))[^\s<>\"'`{}|\\^]+",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?*"
_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")


def find_links(text: str) -> list[Link]:
    """The http(s) links of a text, each once, in order of appearance."""
    links, seen = [], set()
    for match in _URL.finditer(text):
        url = _trim(match.group(0))
        if not url.lower().startswith(("http://", "https://")):
            url = "https://" + url
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:  # a malformed address such as http://[x
            continue
        if "." not in host or url in seen:
            continue
        seen.add(url)
        links.append(Link(url, link_kind(url)))
    return links


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
