"""Plain data passed between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field

# Fields whose value the machine proposes and a person may take over.
MACHINE_FIELDS = ("abstract", "links", "topics", "families")


@dataclass(frozen=True)
class Entry:
    """One title and abstract as found in a dump."""

    dump: str
    line: int
    title: str
    abstract: str


@dataclass(frozen=True)
class Source:
    """Where a paper was seen: dump file, line and the title it had there."""

    dump: str
    line: int
    title: str
    match: str = ""


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
    sources: list[Source] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    distinct_from: list[str] = field(default_factory=list)
    human: list[str] = field(default_factory=list)
    machine: dict[str, str] = field(default_factory=dict)


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


@dataclass(frozen=True)
class Problem:
    """Something wrong with the content, with where it is and how to fix it."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    warning: bool = False
    code: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        subject = f"{self.field}: " if self.field else ""
        hint = f" (hint: {self.hint})" if self.hint else ""
        level = "warning: " if self.warning else ""
        return f"{where}: {level}{subject}{self.message}{hint}"

    def annotation(self) -> str:
        """The problem as a GitHub Actions workflow command."""
        kind = "warning" if self.warning else "error"
        where = f"file={self.path}" + (f",line={self.line}" if self.line else "")
        text = str(self).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} {where}::{text}"
