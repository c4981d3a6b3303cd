"""The arXiv API's answers (Atom 1.0 with arXiv's and OpenSearch's elements) read safely.

defusedxml parses them: a document type, and so any entity, is refused, so no answer
can expand an entity a billion times or read a local file. Every text is cleaned
(`core.text.clean`: markup entities decoded, control and invisible characters removed)
and every value checked against the paper schema; an entry whose id arXiv could not
have given is dropped. An error arXiv reports inside a 200 answer is an error, and so
is a page with no entries where the feed says it has results (arXiv sends those when
it is busy): asked again, it is not "no match". A body that is no feed fails at once:
the same request would get the same body.

The format: https://info.arxiv.org/help/api/user-manual.html#_details_of_atom_results_returned
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from sitegen.catalogue.paperfields import PROPERTIES
from sitegen.catalogue.schema import valid_value
from sitegen.core.model import quote
from sitegen.core.text import clean
from sitegen.enrich.http import Transient, whole_number
from sitegen.enrich.source import Record, ServiceError

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
_ABSTRACT_PAGE = re.compile(r"^https?://(?:export\.)?arxiv\.org/abs/(.+?)(v[1-9][0-9]*)?$")
_ERROR_ID = re.compile(r"^https?://arxiv\.org/api/errors")
_NAME_LENGTH = PROPERTIES["authors"]["items"]["maxLength"]
_AUTHOR = ("properties", "authors", "items")  # where paper.schema.json says what a name is


def parse_feed(body: bytes) -> list[Record]:
    """The papers of one answer, in its order; ServiceError for an error or a broken body."""
    try:
        root = safe_xml.fromstring(body, forbid_dtd=True)
    except (safe_xml.ParseError, DefusedXmlException, ValueError) as error:
        raise ServiceError(f"the answer is not a valid Atom feed ({error})") from None
    if root.tag != f"{ATOM}feed":
        raise ServiceError(f"the answer is not an Atom feed but {root.tag[:60]!r}")
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        if _ERROR_ID.match(_text(entry, "id")) or _text(entry, "title") == "Error":
            raise ServiceError(f"the service says: {_text(entry, 'summary')[:200]}")
    total = whole_number(_text(root, "totalResults", OPENSEARCH)) or 0
    start = whole_number(_text(root, "startIndex", OPENSEARCH)) or 0
    if not entries and total > start:
        raise Transient(f"an empty page of {total} results (the service was busy)")
    return [record for entry in entries if (record := _record(entry)) is not None]


def _text(parent: Element, name: str, namespace: str = ATOM) -> str:
    found = parent.find(f"{namespace}{name}")
    return clean("".join(found.itertext())) if found is not None else ""


def _record(entry: Element) -> Record | None:
    page = _ABSTRACT_PAGE.match(_text(entry, "id"))
    title, abstract = _text(entry, "title"), _text(entry, "summary")
    if not page or not valid_value("paper", "arxiv", page[1]) or not title:
        return None
    published, updated = _date(_text(entry, "published")), _date(_text(entry, "updated"))
    authors, left_out = _authors(entry)
    return Record(
        arxiv=page[1], title=title, abstract=abstract, authors=authors, published=published,
        updated=updated if updated > published else "",  # after it, or no updated
        venue=_valid("venue", _text(entry, "journal_ref", ARXIV)),
        doi=_valid("doi", _text(entry, "doi", ARXIV)), arxiv_category=_category(entry),
        authors_left_out=left_out)


def _authors(entry: Element) -> tuple[tuple[str, ...], str]:
    """The authors' names, or none and why when a name is longer than a paper allows (a
    list without that author, or with a name cut short, would misname the paper's authors)."""
    names = [name for author in entry.findall(f"{ATOM}author") if (name := _text(author, "name"))]
    longest = max(names, key=len, default="")
    if len(longest) > _NAME_LENGTH:
        return (), (f"an author's name has {len(longest):,} characters, more than the "
                    f"{_NAME_LENGTH:,} a paper allows")
    refused = next((name for name in names if not valid_value("paper", _AUTHOR, name)), None)
    if refused is not None:  # such as two names in one, "A | B"
        return (), f"an author's name, {quote(refused)}, is not one a paper's file takes"
    return tuple(names), ""


def _category(entry: Element) -> str:
    """The primary subject class, arXiv's `<arxiv:primary_category term="cs.CL"/>`."""
    found = entry.find(f"{ARXIV}primary_category")
    return _valid("arxiv_category", clean(found.get("term", ""))) if found is not None else ""


def _date(timestamp: str) -> str:
    return _valid("published", timestamp[:10])


def _valid(field: str, value: str) -> str:
    """The value when a paper's field accepts it, else nothing."""
    return value if value and valid_value("paper", field, value) else ""
