"""One paper from a title and an abstract, as ingest would have made it from a dump entry.

The paper gets a fresh id from the title (never one in use or reserved by a `same_as`),
the date, and the tool's proposals for links, topics and families with their
`machine:` checksums (its topics taught by the papers people reviewed, as ingest's
are); it has no `sources`, since no dump holds it.
"""

from __future__ import annotations

from sitegen.catalogue import match
from sitegen.catalogue.names import reserved_ids
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Entry, Paper
from sitegen.ingest.merge import TitleIndex, best_verdicts, new_paper, propose
from sitegen.ingest.neighbours import reviewed


def paper_from_text(title: str, abstract: str, papers: dict[str, Paper], taxonomy: Taxonomy,
                    today: str) -> Paper:
    """The paper ingest would make of a one-entry dump holding this title and abstract."""
    paper = new_paper(Entry("", 0, title, abstract), reserved_ids(papers), today)
    paper.sources = []
    propose(paper, taxonomy, reviewed=reviewed(papers.values()))
    return paper


def similar_papers(title: str, abstract: str,
                   papers: dict[str, Paper]) -> list[tuple[str, match.Verdict]]:
    """Every paper that may be this one (the same or unsure), most convincing first."""
    verdicts = best_verdicts(title, abstract, papers, TitleIndex(papers), limit=None)
    return [(paper_id, v) for paper_id, v in verdicts if v.decision != match.DIFFERENT]
