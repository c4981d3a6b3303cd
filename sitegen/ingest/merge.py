"""Normalise dump entries, match them to known papers and merge them into the catalogue:
plain data (the papers as loaded, the entries as parsed) in, the new papers and a report
out. Reading and writing files is left to the caller."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

from sitegen.catalogue import lookalikes, match
from sitegen.catalogue.canonical import serialise, source_size
from sitegen.catalogue.contentfs import TEXT, MiB
from sitegen.catalogue.links import find_links
from sitegen.catalogue.names import is_reserved_id, reserved_ids
from sitegen.catalogue.provenance import (
    checksum,
    decided_fields,
    evidence_line,
    propose_identity,
    proposed_labels,
    seen_at,
)
from sitegen.catalogue.sameas import marked_distinct, merge_same_as, take_extended_abstract
from sitegen.catalogue.store import in_loading_order
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import IDENTITY_FIELDS, MACHINE_FIELDS, Entry, Paper
from sitegen.core.parallel import map_alongside, split_map
from sitegen.core.text import slugify
from sitegen.ingest.classify import Label, Labels, classify
from sitegen.ingest.memo import text_digest
from sitegen.ingest.neighbours import Reviewed
from sitegen.ingest.sharing import SightingLines, copied, own, sighted
from sitegen.ingest.titleindex import TitleIndex


@dataclass
class Report:
    entries: int = 0
    new: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # one explanation per merge
    uncertain: list[str] = field(default_factory=list)
    relabelled: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # ids folded into another by same_as
    unrecorded: list[str] = field(default_factory=list)  # sightings left out of a full file
    changed: list[str] = field(default_factory=list)  # papers new or not as they were given


def ingest(papers: dict[str, Paper], entries: Sequence[Entry], taxonomy: Taxonomy,
           today: str, settled: Collection[str] = (),
           known: dict[str, Labels] | None = None,
           shown: Callable[[Sequence[Entry]], Iterable[Entry]] = iter,
           reviewed: Reviewed | None = None) -> tuple[dict[str, Paper], Report]:
    """Merge entries into the papers; propose labels for every field no person decided.

    A paper in `settled` is as an ingest under these rules (and `reviewed` papers, see
    `neighbours`) left it: unless an entry changes it, it is proposed nothing again. `known`
    holds labels by `text_digest` of title and abstract, and receives those made here.
    The entries are matched in the order `shown` gives them (a progress bar); while they
    are, a second process labels the texts of those no settled paper recorded."""
    given = dict(sorted(papers.items()))
    settled = set(settled) - reserved_ids({k: p for k, p in given.items() if p.same_as})
    papers = {pid: p if pid in settled else copied(p) for pid, p in given.items()}
    report = Report()
    for paper in [p for pid, p in papers.items() if pid not in settled]:
        _take_over_edited_fields(paper)
    _apply_same_as(papers, report)
    shared = {pid for pid in settled if papers.get(pid) is given[pid]}  # copied when changed
    indexes = TitleIndex(papers), SightingLines(entries)
    taken = reserved_ids(papers)
    recorded = {pid: len(paper.sources) for pid, paper in papers.items()}
    known = {} if known is None else known

    def match_entries() -> None:
        for entry in shown(entries):
            report.entries += 1
            _ingest_entry(entry, papers, indexes, (taken, shared), today, report)
        if len(report.new) >= len(given):  # the second process has most labelling left
            lookalikes.check_ahead([papers[pid] for pid in in_loading_order(papers)])

    label = functools.partial(classify, taxonomy=taxonomy, reviewed=reviewed)
    unsettled = [e for e in entries if indexes[0].recorded_as(e) not in shared]
    foreseen = _matched_while_labelling(unsettled, match_entries, label, known)
    work = [p for pid, p in papers.items() if pid not in shared]
    _propose_all(work, _labels(work, label, known, foreseen), taxonomy, recorded, report)
    report.changed = [pid for pid, p in papers.items()
                      if pid not in shared and given.get(pid) != p]
    return dict(sorted(papers.items())), report


def _matched_while_labelling(entries: Sequence[Entry], match_entries: Callable[[], None],
                             label: Label, known: dict[str, Labels]) -> dict[str, Labels]:
    """match_entries(), while a second process labels the entries' texts with no known
    labels: what their papers will need, unless an entry is merged into a paper of
    another text. The labels made, by `text_digest`."""
    texts = ((entry.title, entry.abstract) for entry in entries)
    foreseen = {key: text for text in texts if (key := text_digest(*text)) not in known}
    _, labelled = map_alongside(lambda text: label(*text), list(foreseen.values()),
                                match_entries)
    return dict(zip(foreseen, labelled, strict=True))


PROPOSALS = ("links", "topics", "families")  # what `propose` fills where no person decided
PROPOSED = (*PROPOSALS, "machine", "evidence")  # every field `propose` sets
PROPOSED_IN_TWO = 2_000  # papers from which a second process proposes for half of them


def _propose_all(work: list[Paper], labels: list[Labels], taxonomy: Taxonomy,
                 recorded: dict[str, int], report: Report) -> None:
    """Each paper's proposals from its labels, made in two processes (finding links and
    fingerprinting values took 3 s at 50,000 new papers); and its file kept under the
    size allowed."""
    def proposed(item: tuple[Paper, Labels]) -> tuple[bool, tuple[object, ...]]:
        changed = propose(item[0], taxonomy, item[1])
        return changed, tuple(getattr(item[0], name) for name in PROPOSED)

    made = split_map(proposed, list(zip(work, labels, strict=True)),
                     min_items=PROPOSED_IN_TWO)
    for paper, (changed, values) in zip(work, made, strict=True):
        for name, value in zip(PROPOSED, values, strict=True):
            setattr(paper, name, value)  # the second process proposed on its own copy
        if changed:
            report.relabelled.append(paper.id)
        if len(paper.sources) > recorded.get(paper.id, 1):
            _fit_in_a_file(paper, recorded.get(paper.id, 1), report)


def _labels(papers: list[Paper], label: Label, known: dict[str, Labels],
            foreseen: dict[str, Labels]) -> list[Labels]:
    """Each paper's labels: known or foreseen ones looked up (those used are added to
    `known`), the others classified in two processes."""
    keys = [text_digest(p.title, p.abstract) for p in papers]
    known.update((key, foreseen[key]) for key in keys if key in foreseen)
    missing = list({key: p for key, p in zip(keys, papers, strict=True) if key not in known}
                   .items())
    found = split_map(lambda item: label(item[1].title, item[1].abstract), missing)
    known.update((key, labels) for (key, _), labels in zip(missing, found, strict=True))
    return [known[key] for key in keys]


def take_id(paper: Paper, entry: Entry, index: TitleIndex, report: Report) -> None:
    """The arXiv id a dump gives next to an entry, for its paper while it has none and no
    other paper has it (proposed by the tool: a person's value stays)."""
    holder = index.by_arxiv.get(entry.arxiv, paper.id)
    if not entry.arxiv or paper.arxiv:
        return
    if holder != paper.id:
        report.uncertain.append(f"{entry.dump}:{entry.line} {paper.id}: arXiv id {entry.arxiv} "
                                f"is already the id of {holder}; not given twice")
        return
    if propose_identity(paper, {"arxiv": entry.arxiv}):
        index.by_arxiv[entry.arxiv] = paper.id


def _ingest_entry(entry: Entry, papers: dict[str, Paper],
                  indexes: tuple[TitleIndex, SightingLines], ids: tuple[set[str], set[str]],
                  today: str, report: Report) -> None:
    """`ids`: those taken, and those of the papers still shared with the caller."""
    (index, lines), (taken, shared) = indexes, ids
    seen, again = index.sighting(entry, papers)
    paper = sighted(papers, seen, shared, entry, again, lines.of(entry)) if seen else None
    if paper is not None:  # not `again`: recorded before, with a text a person made its
        if again:
            take_extended_abstract(paper, entry.abstract)
            take_id(paper, entry, index, report)
        return
    verdicts = best_verdicts(entry.title, entry.abstract, papers, index, arxiv=entry.arxiv)
    same = [v for v in verdicts if v[1].decision == match.SAME]
    if same:
        paper_id, verdict = same[0]
        paper = own(papers, paper_id, shared)
        paper.sources.append(seen_at(entry, verdict.explain()))
        take_extended_abstract(paper, entry.abstract)
        take_id(paper, entry, index, report)
        index.add_source(paper_id, paper.sources[-1])
        report.merged.append(f"{entry.dump}:{entry.line} -> {paper_id} ({verdict.explain()})")
        return
    paper = new_paper(entry, taken, today)
    take_id(paper, entry, index, report)
    papers[paper.id] = paper
    index.add(paper)
    report.new.append(paper.id)
    for other_id, verdict in verdicts:
        if verdict.decision == match.UNSURE and not marked_distinct(paper, papers[other_id]):
            report.uncertain.append(f"{entry.dump}:{entry.line} {paper.id} vs {other_id}: "
                                    f"{verdict.explain()}")


def best_verdicts(title: str, abstract: str, papers: dict[str, Paper], index: TitleIndex,
                  limit: int | None = 8, arxiv: str = "") -> list[tuple[str, match.Verdict]]:
    """The best verdict per candidate paper, most convincing first (never "same" for a
    paper of another arXiv id than the entry's `arxiv`)."""
    best: dict[str, match.Verdict] = {}
    for paper_id, known_title in index.candidates(title, limit, abstract):
        paper = papers[paper_id]
        verdict = match.apart_by_arxiv(
            match.compare(title, abstract, known_title, paper.abstract), arxiv, paper.arxiv)
        if paper_id not in best or verdict.strength() > best[paper_id].strength():
            best[paper_id] = verdict
    return sorted(best.items(), key=lambda item: (-item[1].strength()[0],
                                                  -item[1].title_score, item[0]))


def new_paper(entry: Entry, taken: set[str], today: str) -> Paper:
    """A paper for an entry, seen at its dump and line, under a fresh id (added to `taken`).

    Not labelled yet: `propose` fills in the tool's proposals.
    """
    base = slugify(entry.title)
    paper_id, number = base, 2
    while paper_id in taken or is_reserved_id(paper_id):  # `con` is no file on Windows
        paper_id, number = f"{base}-{number}", number + 1
    taken.add(paper_id)
    return Paper(id=paper_id, title=entry.title, abstract=entry.abstract, topics=[],
                 families=[], added=today, sources=[seen_at(entry)])


def _fit_in_a_file(paper: Paper, recorded: int, report: Report) -> None:
    """Leave out the newest sightings (beyond the first `recorded`) while the paper's file
    would be over the size `sitegen check` allows: a dump that lists one paper thousands
    of times must not make a file that stops every command."""
    excess = len(serialise(paper)) - TEXT.size
    left_out = 0
    while excess > 0 and len(paper.sources) > recorded:
        excess -= source_size(paper.sources.pop())
        left_out += 1
    if left_out:
        report.unrecorded.append(f"{paper.id}: {left_out:,} sightings not recorded, as its "
                                 f"file would be over {TEXT.size // MiB} MiB")


def _take_over_edited_fields(paper: Paper) -> None:
    """A value that no longer matches the tool's checksum was changed by a person.

    A field with no checksum was written by a person in a paper they added by
    hand, or handed back to the tool (removed from `human`) in a paper the tool made.
    """
    paper.human = decided_fields(paper)
    for name in paper.human:
        paper.machine.pop(name, None)


def _apply_same_as(papers: dict[str, Paper], report: Report) -> None:
    """Fold every paper a person marked `same_as` into the paper that names it (the graph
    must be valid: `sitegen check` says why when it is not, and then nothing is removed)."""
    merged, moves = merge_same_as(papers)
    papers.clear()
    papers.update(merged)
    for removed, kept in moves:
        report.removed.append(removed)
        report.merged.append(f"{removed} -> {kept} (marked same_as by a person)")


def propose(paper: Paper, taxonomy: Taxonomy, labels: Labels | None = None,
            reviewed: Reviewed | None = None) -> bool:
    """Fill every field no person decided with the tool's proposal, and keep the evidence
    of the labels proposed (none for a field a person decided); True if labels changed.
    `labels` are the paper's, if already classified (by a second process), else made with
    the topics of the `reviewed` papers like it."""
    before = (list(paper.topics), list(paper.families))
    labels = labels or classify(paper.title, paper.abstract, taxonomy, reviewed)
    proposals = dict(zip(PROPOSALS, (find_links(paper.abstract), labels.topics,
                                     labels.families), strict=True))
    for name in MACHINE_FIELDS:
        if name in paper.human or name in IDENTITY_FIELDS:  # proposed only where found
            continue
        if name in proposals:
            setattr(paper, name, proposals[name])
        paper.machine[name] = checksum(paper, name)
    paper.machine = {name: paper.machine[name] for name in MACHINE_FIELDS if name in paper.machine}
    paper.evidence = {label: line for label in proposed_labels(paper, paper.human)
                      if (line := evidence_line(labels.evidence.get(label, "")))}
    return before != (paper.topics, paper.families) and bool(before[0])
