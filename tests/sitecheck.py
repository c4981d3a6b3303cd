"""Helpers for tests that look at a built site: every link and asset, resolved to a file."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.refs.append(value)


def references(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.refs


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, [(name, value or "") for name, value in attrs]))


def elements(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every start tag of a page with its attributes, as a browser's parser reads them."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


def broken_links(site: Path, base_url: str) -> list[str]:
    """Internal links and assets of every page that do not resolve to a built file."""
    base = urlsplit(base_url)
    broken = []
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        page_url = urljoin(base_url, relative.removesuffix("index.html"))
        for ref in references(page.read_text("utf-8")):
            target = urlsplit(urljoin(page_url, ref))
            if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                continue
            if not target.path.startswith(base.path):
                broken.append(f"{relative}: {ref} (outside the site)")
                continue
            path = unquote(target.path[len(base.path):])
            file = site / path / "index.html" if path.endswith("/") or not path else site / path
            if not file.is_file():
                broken.append(f"{relative}: {ref}")
    return broken
