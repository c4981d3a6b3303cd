"""`sitegen enrich` as a stage: for each paper that lacks its identity, ask a service and
take what it says only on evidence (`evidence.decide`).

A paper without an arXiv id is searched by its title; one with an id (from a dump, or
a person) is fetched by it, and what comes back must still be the same paper. Each
paper enriched is handed to `done` at once (the command writes its file), so a run
stopped at any point keeps every paper finished before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sitegen.catalogue.provenance import decided_fields, propose_identity
from sitegen.core.model import IDENTITY_FIELDS, Paper
from sitegen.core.text import arxiv_paper
from sitegen.enrich.evidence import NOT_FOUND, UNCERTAIN, Decision, decide
from sitegen.enrich.source import MetadataSource, RunStopped, ServiceError, Summary

# The fields without which a paper is worth asking about (a paper enriched before its
# category was kept is asked again for it, by its id).
WANTED = ("arxiv", "arxiv_category", "authors", "published")
SAME_FAILURES = 5  # papers in a row that failed for one reason, after which a run stops


def wants_enriching(paper: Paper) -> bool:
    """Whether a service may fill in something of this paper that no person decided."""
    decided = decided_fields(paper, IDENTITY_FIELDS)
    return any(not getattr(paper, name) and name not in decided for name in WANTED)


def enrich(papers: Iterable[Paper], source: MetadataSource, done: Callable[[Paper], None],
           held: dict[str, str], summary: Summary) -> None:
    """Ask `source` about each paper, in order, and note each outcome in `summary` as it
    comes (a run stopped half-way still tells what it did); `held` maps the arXiv ids the
    catalogue already holds to their papers' ids (a found paper joins it). RunStopped when
    the service asks to wait longer than a run does, or when SAME_FAILURES papers in a row
    failed for the same reason (the next would too: a wrong address, a service down)."""
    failures: list[str] = []  # the reasons of the papers that failed since the last answer
    for paper in papers:
        try:
            decision = _ask(paper, source)
        except ServiceError as error:
            summary.failed.append(f"{paper.id}: {error}")
            if isinstance(error, RunStopped):
                raise
            failures.append(str(error))
            if len(failures) >= SAME_FAILURES and len(set(failures[-SAME_FAILURES:])) == 1:
                raise RunStopped(f"{SAME_FAILURES} papers in a row failed the same way: "
                                 f"{error}") from None
            continue
        failures.clear()
        _note(paper, decision, done, held, summary)


def _note(paper: Paper, decision: Decision, done: Callable[[Paper], None],
          held: dict[str, str], summary: Summary) -> None:
    """Note a paper's answer in `summary`, and give it the record found on evidence."""
    record = decision.record
    if decision.outcome == NOT_FOUND:
        summary.not_found.append(paper.id)
    elif record is None:
        summary.uncertain.append(f"{paper.id}: {decision.why}")
    elif held.get(record.arxiv, paper.id) != paper.id:
        summary.uncertain.append(f"{paper.id}: found {record.arxiv}, which is already "
                                 f"the id of {held[record.arxiv]}")
    else:
        held[record.arxiv] = paper.id
        summary.found.append(f"{paper.id}: {record.arxiv}")
        if record.authors_left_out:
            summary.left_out.append(f"{paper.id}: the authors, as {record.authors_left_out}")
        if propose_identity(paper, record.identity()):
            done(paper)


def _ask(paper: Paper, source: MetadataSource) -> Decision:
    if not paper.arxiv:
        return decide(paper.title, paper.abstract, source.search_title(paper.title))
    records = source.fetch([arxiv_paper(paper.arxiv)])
    decision = decide(paper.title, paper.abstract, records)
    if decision.outcome == NOT_FOUND and records:  # the id is another paper's
        return Decision(UNCERTAIN, None, f"its arxiv {paper.arxiv} is {source.name}'s "
                                         f"{records[0].title!r}")
    return decision
