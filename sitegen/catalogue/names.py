"""Names in the content tree: what a paper or page may be called, and which names break a
checkout somewhere.

A paper id and a page name are path segments of the site and file names on every
contributor's machine. The repository is checked out on Linux, macOS and Windows,
so a name must be one all three can hold, and distinct from its neighbours in a
folder whatever the case.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sitegen.catalogue.schemafiles import schema
from sitegen.core.model import Paper
from sitegen.core.text import REFUSED, first_refused, holds_any

# The id pattern is declared in the paper schema; page names follow the same rule.
ID = re.compile(schema("paper")["properties"]["id"]["pattern"])

# Every top-level name the build writes (site.render.data_files and page_jobs): a
# page would be written to <name>/index.html, over the site's own page or beside its
# file of the same stem. A test builds a site and checks that this list covers it.
SITE_NAMES = ("404.html", "families", "feed.xml", "index.html", "papers", "papers.bib",
              "papers.csv", "papers.json", "robots.txt", "search", "sitemap.xml", "static",
              "topics")
RESERVED_PAGES = frozenset(name.split(".")[0] for name in SITE_NAMES)

# Device names Windows reserves in every folder, whatever the extension and the case
# (`con`, `Con.yaml`, `lpt1.tar.gz`): such a file cannot be created there.
WINDOWS_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"{port}{digit}" for port in ("com", "lpt") for digit in "0123456789\u00b9\u00b2\u00b3"])
# Git for Windows checks out paths of up to 260 characters (MAX_PATH), the folder it
# checks out into included: a name this long leaves room for that and content/dumps/.
MAX_NAME = 100
# Characters no Windows file name may hold (control characters are checked apart).
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
# Anything `unportable` looks for but device names: control characters (category Cc),
# bytes that were not UTF-8 (as os gives them), forbidden characters, a trailing dot or space.
_SUSPECT = re.compile('[\x00-\x1f\x7f-\x9f\udc80-\udcff<>:"/\\\\|?*]|[. ]$')


def is_id(name: str) -> bool:
    """Whether a name is an id: lower-case words of letters and digits joined by hyphens."""
    return ID.fullmatch(name) is not None


def is_reserved_id(name: str) -> bool:
    """Whether a file named `name` (with or without an extension) cannot exist on Windows.

    A paper or page must never get such an id: its file could not be checked out there.
    """
    return _device(name) is not None


def _device(name: str) -> str | None:
    """The Windows device a name stands for, if any (Windows ignores trailing spaces)."""
    stem = name.split(".", 1)[0].rstrip(" ").lower()
    return stem if stem in WINDOWS_DEVICES else None


def unportable(name: str) -> str | None:
    """Why a file named `name` cannot be checked out everywhere (a message), or None."""
    if (not _SUSPECT.search(name) and _device(name) is None and not holds_any(REFUSED, name)
            and len(name) <= MAX_NAME):
        return None  # nearly every name: one search
    if any("\udc80" <= c <= "\udcff" for c in name):  # undecodable bytes, as os gives them
        return "the name is not valid UTF-8"
    control = next((c for c in name if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        return f"the name holds the control character {control!r}"
    refused = first_refused(REFUSED, name)
    if refused is not None:  # a dump's name is stored in its papers' sources
        return f"the name holds {refused}, an invisible or control character"
    forbidden = _WINDOWS_FORBIDDEN.search(name)
    if forbidden:
        return f"the name holds {forbidden.group()!r}, which Windows does not allow in names"
    if name.endswith((".", " ")):
        return "the name ends with a dot or a space, which Windows drops"
    device = _device(name)
    if device is not None:
        return (f"the name is reserved on Windows: {device.upper()} is a device there, "
                "in any case and with any extension")
    if len(name) > MAX_NAME:
        return (f"the name has {len(name):,} characters, more than the {MAX_NAME} that keep "
                "its path short enough for Windows")
    return None


def case_key(name: str) -> str:
    """What a name is on a file system that ignores case (Windows, macOS): names with the
    same key are one file there."""
    if name.isascii():
        return name.lower()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def same_but_form(name: str, other: str) -> bool:
    """Whether two names differ only in how Unicode writes the same characters (`é` as
    one code point, or as `e` and a combining accent, as macOS may store it)."""
    return name != other and unicodedata.normalize("NFC", name) == unicodedata.normalize(
        "NFC", other)


def case_clashes(names: Iterable[str]) -> dict[str, str]:
    """Each name that differs only in case from an earlier one, mapped to that one."""
    first: dict[str, str] = {}
    clashes = {}
    for name in names:
        earlier = first.setdefault(case_key(name), name)
        if earlier != name:
            clashes[name] = earlier
    return clashes


def printable(name: str) -> str:
    """A name as messages show it, on one line and as it is stored: control, invisible and
    format characters and bytes that are not UTF-8 escaped."""
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(repr(c)[1:-1] if unicodedata.category(c) == "Cc"
                   else f"\\u{ord(c):04x}" if REFUSED.match(c) else c for c in text)


def reserved_ids(papers: dict[str, Paper]) -> set[str]:
    """Ids a new paper may not take: every paper's, and every id folded away by `same_as`."""
    return set(papers) | {alias for p in papers.values() for alias in p.same_as}
