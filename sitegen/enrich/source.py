"""What a metadata service tells of a paper, and the interface each service implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Record:
    """One paper as a service describes it, its text already cleaned and its identity values
    valid for a paper file (an invalid date or DOI is left empty). The title and abstract
    are as the service gave them, however long: a paper made of them checks their length."""

    arxiv: str  # without its version: the paper, not one of its versions
    title: str
    abstract: str
    authors: tuple[str, ...] = ()
    published: str = ""
    updated: str = ""  # only where it is after `published`
    venue: str = ""
    doi: str = ""
    arxiv_category: str = ""  # the primary subject class: cs.CL
    authors_left_out: str = ""  # why the service's authors were left out, when they were

    def identity(self) -> dict[str, object]:
        """The paper fields this record fills in, by name."""
        return {"arxiv": self.arxiv, "arxiv_category": self.arxiv_category,
                "authors": list(self.authors), "published": self.published,
                "updated": self.updated, "venue": self.venue, "doi": self.doi}


class ServiceError(Exception):
    """The service could not answer: after retries, an error it reported, a body it sent
    that is no feed. The paper asked about is counted as failed and asked again next run."""


class RunStopped(ServiceError):
    """Asking about more papers in this run would be in vain (the service asks to wait
    longer than a run waits, or the same failure repeats paper after paper): the run
    stops, keeping what it did."""


class MetadataSource(Protocol):
    """A service that finds papers by title words and fetches them by id."""

    name: str

    def search_title(self, title: str) -> list[Record]:
        """Papers whose titles hold the words of `title`, best first (none: an empty list)."""
        ...

    def fetch(self, ids: list[str]) -> list[Record]:
        """The papers of these ids that the service knows."""
        ...


@dataclass
class Summary:
    """What one run found: paper ids by outcome, and why for those left out."""

    found: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # "id: why"
    not_found: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # "id: why"
    left_out: list[str] = field(default_factory=list)  # "id: why", of papers found

    def asked(self) -> int:
        """How many papers were asked about (a run stopped early asked fewer)."""
        return len(self.found) + len(self.uncertain) + len(self.not_found) + len(self.failed)
