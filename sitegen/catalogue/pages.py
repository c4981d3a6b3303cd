"""The catalogue's pages, content/pages/<name>.md: Markdown shown on the site as written."""

from __future__ import annotations

from pathlib import Path

from sitegen.catalogue import contentfs, contenttree
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
