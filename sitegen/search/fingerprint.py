"""The fingerprint that versions the search data's URLs: a short hash of everything the
data is made from, cheap enough to know before the data itself is made.

What it takes from each paper (`paper_fingerprint`) depends on that paper alone, so a
build takes it from what the paper cache kept of the paper (`site.papercache.FACTS`)
rather than hashing every paper's texts again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.core.perpaper import for_each, per_paper

_SOURCES = Path(__file__).parent  # the code the data is made by


def search_fingerprint(papers: list[Paper], taxonomy: Taxonomy) -> str:
    """A short hash of the search code, the papers' texts and labels and the taxonomy's
    names (for cache-busting the search data's URL)."""
    digest = hashlib.sha256()
    for source in sorted(_SOURCES.glob("*.py")):
        digest.update(_lengths_and_texts(source.name, source.read_text("utf-8")))
    digest.update("".join(for_each(paper_fingerprint, papers)).encode("ascii"))
    digest.update(_lengths_and_texts(*(f"{t}\0{taxonomy.topics[t].name}"
                                       for t in taxonomy.topics)))
    digest.update(_lengths_and_texts(*(f"{f}\0{v.name}\0{v.parent}"
                                       for f, v in taxonomy.families.items())))
    digest.update(_lengths_and_texts(*taxonomy.settings.model_names))
    return digest.hexdigest()[:10]


@per_paper
def paper_fingerprint(p: Paper) -> str:
    """A digest of what the search data takes from one paper: each text with its length,
    so that no two papers read the same."""
    return hashlib.sha256(_lengths_and_texts(p.id, p.title, p.abstract, p.published,
                                             *p.topics, "", *p.families)).hexdigest()


def _lengths_and_texts(*texts: str) -> bytes:
    return f"{len(texts)}:{[len(t) for t in texts]}:{''.join(texts)}".encode(
        "utf-8", "surrogatepass")
