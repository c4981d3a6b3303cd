"""The catalogue's pages, content/pages/<name>.md: Markdown shown on the site as written."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

from sitegen.catalogue import contentfs, contenttree
from sitegen.catalogue.links import is_page_link
from sitegen.core.model import Problem
from sitegen.core.text import REFUSED, Refused, not_utf8


def load_pages(content: Path, shown: contentfs.Shown, problems: list[Problem]) -> dict[str, str]:
    """content/pages/<name>.md by name; a problem for every other entry there."""
    pages = {}
    names, found = contenttree.members(content, contenttree.PAGES, shown)
    problems += found
    for name in names:
        page, problem = _read_page(content, f"{contenttree.PAGES.name}/{name}", shown)
        if problem:
            problems.append(problem)
        if page is not None:
            pages[name.removesuffix(contenttree.PAGES.suffix)] = page
            problems += page_link_warnings(page, shown(f"{contenttree.PAGES.name}/{name}"))
    return pages


def _read_page(content: Path, relative: str, shown: contentfs.Shown) -> tuple[str | None,
                                                                             Problem | None]:
    """A page's text, and what is wrong with it."""
    try:
        text = contentfs.read_file(content, relative, shown)
    except contentfs.ContentError as error:
        return None, error.problem
    if text is None:  # removed since the folder was listed
        return None, Problem(shown(relative), 0, "", "cannot be read: the file is gone",
                             "run the command again")
    try:
        page = text.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, message = not_utf8(text, error)
        return None, Problem(shown(relative), line, "", message,
                             "save the file with UTF-8 encoding")
    return page, _refused_in_page(page, shown(relative))


def page_link_warnings(page: str, where: str) -> list[Problem]:
    """A warning for each link of a page that the site shows as text: an address from the
    root (`/search/`), another scheme (`mailto:`, `javascript:`), or any other address that
    is neither an http(s) one nor a relative path to the site's pages."""
    parser = MarkdownIt("commonmark", {"html": False})
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    lines = page.replace("\r\n", "\n").split("\n")
    warnings = []
    for block in parser.parse(page):
        for token in block.children or []:
            href = str(token.attrs.get("href", "")) if token.type == "link_open" else ""
            if not href or is_page_link(href):
                continue
            written = unquote(href)  # as written, before markdown-it's percent-encoding
            warnings.append(Problem(
                where, _line_of(lines, block.map, written), "",
                f"the link to {written!r} shows as text, not as a link",
                "link the site's own pages by relative paths such as ../search/ (a path from "
                "the root would skip the site's base URL), and other sites by http(s) "
                "addresses", warning=True))
    return warnings


def _line_of(lines: list[str], span: list[int] | None, href: str) -> int:
    """The line of a block that holds the address (its first line if none does)."""
    first, last = span or (0, 1)
    return next((n + 1 for n in range(first, last) if href in lines[n]), first + 1)


def _refused_in_page(page: str, where: str) -> Problem | None:
    """The first character of a page that no stored text may hold (a page is shown on the
    site as written: an override could reorder it, a control break it), at its line."""
    text = page.replace("\r\n", "\n")  # Windows line ends are line ends
    found = REFUSED.search(text)
    if found is None:
        return None
    line_start = text.rfind("\n", 0, found.start()) + 1
    refused = Refused(found[0], found.start() - line_start + 1)
    return Problem(where, text.count("\n", 0, found.start()) + 1, "",
                   f"contains {refused} at column {refused.position}",
                   "remove invisible and control characters")
