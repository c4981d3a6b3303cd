"""Plain data passed between the pipeline stages."""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass, field

# A paper's identity, filled in from a dump or a metadata service (`sitegen enrich`): a
# value is the tool's only while it matches the tool's checksum; any other is a person's.
IDENTITY_FIELDS = ("arxiv", "arxiv_category", "authors", "published", "updated", "venue", "doi")
# Fields whose value the machine proposes and a person may take over.
MACHINE_FIELDS = ("abstract", "links", "topics", "families", *IDENTITY_FIELDS)
# The fields of labels, and what one label of each is called: for each label the tool
# proposed in one, a paper keeps its evidence.
LABEL_NOUNS = {"topics": "topic", "families": "family"}
LABEL_FIELDS = tuple(LABEL_NOUNS)


@dataclass(frozen=True)
class Entry:
    """One title and abstract as found in a dump."""

    dump: str
    line: int
    title: str
    abstract: str
    arxiv: str = ""  # an id the dump gives next to the paper, without its version


@dataclass(frozen=True)
class Source:
    """Where a paper was seen: dump file, line and the title it had there, why it was taken
    for the paper (`match`), and a checksum of the entry's title and abstract as the dump
    gave them (`sighting_checksum`), which finds the entry again wherever its line moves."""

    dump: str
    line: int
    title: str
    match: str = ""
    checksum: str = ""


@dataclass(frozen=True)
class Link:
    url: str
    kind: str


@dataclass
class Paper:
    id: str
    title: str
    abstract: str
    topics: list[str]
    families: list[str]
    added: str
    links: list[Link] = field(default_factory=list)
    arxiv: str = ""  # 2401.12345v2 or hep-th/9901001
    arxiv_category: str = ""  # the primary subject class arXiv files it under: cs.CL
    authors: list[str] = field(default_factory=list)  # in the paper's order
    published: str = ""  # YYYY-MM-DD, as `added`
    updated: str = ""  # the latest version's date, where it differs from `published`
    venue: str = ""
    doi: str = ""
    sources: list[Source] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    distinct_from: list[str] = field(default_factory=list)
    human: list[str] = field(default_factory=list)
    machine: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)  # proposed label id -> why


def field_path(parts: tuple | list) -> str:
    """A field's place in a document as people write it: ``sources[1].line``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


@dataclass(frozen=True)
class SiteConfig:
    """content/site.yaml, validated."""

    title: str
    description: str
    base_url: str = "http://localhost:8000/"
    repository: str = ""
    branch: str = "main"
    recent: int = 20


# Messages can quote what a contributor wrote, which may be a whole abstract or worse:
# a value is quoted up to QUOTED characters, and a message, hint or field is cut at
# MAX_TEXT, so that every problem prints as one short line.
QUOTED = 60
MAX_TEXT = 1000
ELLIPSIS = "\u2026"
_REPR = reprlib.Repr()  # bounded work on any value (keyword arguments need Python 3.12)
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 2, QUOTED, QUOTED
# Characters that would break a line, or reorder or hide text, in a terminal or a CI log.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def shorten(text: str, limit: int = QUOTED) -> str:
    """The text, or its first characters and an ellipsis when it is longer than `limit`."""
    return text if len(text) <= limit else text[:limit - 1] + ELLIPSIS


def quote(value: object, limit: int = QUOTED) -> str:
    """A value as Python writes it (`'text'`, `[1, 2]`), cut to about `limit` characters."""
    if isinstance(value, str):
        return repr(str(shorten(value, limit)))
    return shorten(_REPR.repr(value), limit)


def one_line(text: str) -> str:
    """Line breaks, other control and bidirectional characters written as escapes (\\n)."""
    return _UNSAFE.sub(lambda found: found[0].encode("unicode_escape").decode("ascii"), text)


def _escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub Actions reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value: also no `:` or `,`, which end it."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the content, with where it is and how to fix it.

    Field, message and hint are cut to MAX_TEXT characters when the problem is made.
    """

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    warning: bool = False
    code: str = ""

    def __post_init__(self) -> None:
        for name in ("field", "message", "hint"):
            object.__setattr__(self, name, shorten(getattr(self, name), MAX_TEXT))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        subject = f"{self.field}: " if self.field else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        level = "warning: " if self.warning else ""
        return one_line(f"{where}: {level}{subject}{self.message}{hint}")

    def annotation(self, path: str | None = None) -> str:
        """The problem as a GitHub Actions workflow command, on one line whatever it quotes,
        placed in `path` if given (its file as the repository names it)."""
        kind = "warning" if self.warning else "error"
        where = f"file={_escape_property(path or self.path)}" + (
            f",line={self.line}" if self.line else "")
        return f"::{kind} {where}::{_escape_data(str(self))}"
