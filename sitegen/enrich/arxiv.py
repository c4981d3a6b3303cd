"""The arXiv API as a `MetadataSource`: search by title words, fetch by `id_list`.

Title words are the title's ASCII letters and digits only (`core.text.ascii_words`): in
arXiv's query syntax a hyphen is a NOT, a colon names a field and quotes group, so
"LLaMA-Adapter: Efficient ..." is asked as the phrase ti:"llama adapter efficient ...".
When the phrase finds nothing, its main words are asked for in any order
(ti:llama AND ti:adapter ...), as arXiv may split a title's words differently.

The address is a setting (`--api`, or the SITEGEN_ARXIV_API environment variable) so
that a mirror, or a test's local server, answers instead.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode, urlsplit

from sitegen.core.text import ascii_words
from sitegen.enrich.atom import parse_feed
from sitegen.enrich.http import PoliteClient
from sitegen.enrich.source import Record

DEFAULT_API = "https://export.arxiv.org/api/query"
API_VARIABLE = "SITEGEN_ARXIV_API"
CANDIDATES = 5  # results read per title search
BATCH = 20  # ids fetched per request
MOST_WORDS = 12  # of a long title, the first words asked for
# Words arXiv's search leaves out of its index: asked for alone, they would match nothing.
_STOP_WORDS = frozenset("a an and are as at be by for from in into is it of on or that the "
                        "their this to via with".split())


def api_address(option: str | None = None) -> str:
    """The query endpoint: the option, else the environment variable, else arXiv's own;
    ValueError for one that is no http(s) address."""
    address = option or os.environ.get(API_VARIABLE) or DEFAULT_API
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.fragment:
        raise ValueError(f"{address!r} is not an http(s) address such as {DEFAULT_API}")
    return address


def query_words(title: str) -> list[str]:
    """A title's words as arXiv's query syntax can hold them: letters and digits only."""
    return list(ascii_words(title))[:MOST_WORDS]


class ArxivSource:
    """Papers from the arXiv API, asked through a polite client."""

    name = "arXiv"

    def __init__(self, api: str, client: PoliteClient):
        self.api, self.client = api, client

    def _ask(self, **parameters: str | int) -> list[Record]:
        joiner = "&" if urlsplit(self.api).query else "?"
        url = f"{self.api}{joiner}{urlencode(parameters, quote_via=quote)}"
        return self.client.get(url, parse_feed)

    def search_title(self, title: str) -> list[Record]:
        words = query_words(title)
        if not words:
            return []
        found = self._ask(search_query=f'ti:"{" ".join(words)}"', start=0,
                          max_results=CANDIDATES)
        main = [word for word in words if word not in _STOP_WORDS]
        if found or not main or (main == words and len(words) == 1):  # nothing else to ask
            return found
        return self._ask(search_query=" AND ".join(f"ti:{word}" for word in main), start=0,
                         max_results=CANDIDATES)

    def fetch(self, ids: list[str]) -> list[Record]:
        found: list[Record] = []
        for first in range(0, len(ids), BATCH):
            batch = ids[first:first + BATCH]
            found += self._ask(id_list=",".join(batch), start=0, max_results=len(batch))
        return found
