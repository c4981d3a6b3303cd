"""A paper's identity as the site gives it: where to read it (arXiv, DOI), its dates as
people read them, the Highwire `citation_*` tags that Zotero and Google Scholar read, and
its identity in schema.org terms for the JSON-LD."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

from sitegen.core.model import Paper
from sitegen.site.contexts import Day

ARXIV = "https://arxiv.org/"
DOI = "https://doi.org/"
# What a DOI may keep as itself in an address's path; anything else is percent-encoded
# (a `#` or `?` would end the path, a quote or a space is no part of an address).
_DOI_SAFE = "/:;()@&=+$,!*'"


def abs_url(arxiv: str) -> str:
    """The paper's abstract page on arXiv (the version named, if the id names one)."""
    return f"{ARXIV}abs/{arxiv}"


def pdf_url(arxiv: str) -> str:
    return f"{ARXIV}pdf/{arxiv}"


def doi_url(doi: str) -> str:
    return DOI + quote(doi, safe=_DOI_SAFE)


def primary_class(paper: Paper) -> str:
    """The paper's primary subject class: its `arxiv_category` where known, else the archive
    an old-style id names (`hep-th/9901001`: hep-th); a new-style id alone names none."""
    if paper.arxiv_category:
        return paper.arxiv_category
    return paper.arxiv.split("/")[0] if "/" in paper.arxiv else ""


def day(iso: str) -> Day | None:
    """A date as the page shows it ("23 May 2023"), or None for no date."""
    if not iso:
        return None
    date = datetime.date.fromisoformat(iso)
    return Day(iso, f"{date.day} {date.strftime('%B %Y')}")


def read_links(paper: Paper) -> tuple[tuple[str, str], ...]:
    """Where to read the paper: arXiv's abstract page and PDF, and its DOI."""
    links = []
    if paper.arxiv:
        links += [(f"arXiv abstract page ({paper.arxiv})", abs_url(paper.arxiv)),
                  ("PDF on arXiv", pdf_url(paper.arxiv))]
    if paper.doi:
        links.append((f"DOI {paper.doi}", doi_url(paper.doi)))
    return tuple(links)


def highwire(paper: Paper) -> tuple[tuple[str, str], ...]:
    """The Highwire Press tags (name, content), each author a tag of their own, in order."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", name) for name in paper.authors]
    if paper.published:
        tags.append(("citation_publication_date", paper.published.replace("-", "/")))
    if paper.venue:
        tags.append(("citation_journal_title", paper.venue))
    if paper.arxiv:
        tags += [("citation_arxiv_id", paper.arxiv), ("citation_pdf_url", pdf_url(paper.arxiv))]
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    return tuple(tags)


def scholarly(paper: Paper) -> dict[str, Any]:
    """What schema.org's ScholarlyArticle says of the paper's identity: authors, dates,
    identifiers (arXiv id, DOI) and the addresses of the same paper elsewhere."""
    data: dict[str, Any] = {}
    if paper.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    if paper.published:
        data["datePublished"] = paper.published
    if paper.updated:
        data["dateModified"] = paper.updated
    ids = [("arXiv", paper.arxiv), ("DOI", paper.doi)]
    identifiers = [{"@type": "PropertyValue", "propertyID": kind, "value": value}
                   for kind, value in ids if value]
    if identifiers:
        data["identifier"] = identifiers
        same = [abs_url(paper.arxiv)] if paper.arxiv else []
        data["sameAs"] = same + ([doi_url(paper.doi)] if paper.doi else [])
    return data
