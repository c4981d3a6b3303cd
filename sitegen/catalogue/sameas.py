"""`same_as` and `distinct_from` as a graph: validated as a whole, then merged.

A person lists under `same_as` the ids of duplicate papers to fold into this
one. An id whose file no longer exists is the record of an earlier merge (the
id stays reserved); an id whose file exists is a merge waiting for `ingest` or
`classify`. Waiting merges must form simple stars: each duplicate is claimed
by one paper, which is not itself folded away, and no two papers of a star are
marked `distinct_from` each other. Anything else (a paper naming itself, a
cycle, a chain, two claims on one paper, a contradiction) is an error, and
nothing is merged until every error is fixed: no paper is ever lost to a merge
a person did not mean.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from sitegen.catalogue.cycles import Cycles
from sitegen.catalogue.match import cut_short, extends
from sitegen.catalogue.names import is_id
from sitegen.core.model import IDENTITY_FIELDS, MACHINE_FIELDS, Paper, quote
from sitegen.core.text import fold

UNMERGED = "unmerged"  # the code of a valid merge that is still waiting


@dataclass(frozen=True)
class Trouble:
    """Something about one `same_as` entry: paper id, index in its list, message, hint."""

    paper: str
    index: int
    message: str
    hint: str
    code: str = ""


@dataclass(frozen=True)
class _Graph:
    papers: dict[str, Paper]
    waiting: dict[str, list[str]]  # each paper's `same_as` entries that are other papers
    claims: dict[str, list[str]]  # the papers that list each existing paper under `same_as`
    apart: dict[str, set[str]]  # the papers each paper is marked `distinct_from`, both ways
    listed: dict[str, set[str]]  # each paper's `same_as`, as a set
    cycles: Cycles  # of the merges waiting: edges to papers that exist


def same_as_troubles(papers: dict[str, Paper]) -> list[Trouble]:
    """Every problem with the papers' `same_as` entries; waiting merges have code UNMERGED.
    The graph holds only the papers that list others and the papers they list: most
    papers are in neither (walking all 50,000 of a large catalogue took 0.3 s)."""
    listing = {pid: paper for pid, paper in papers.items() if paper.same_as}
    if not listing:
        return []
    named = {other for paper in listing.values() for other in paper.same_as}
    waiting = {pid: [o for o in paper.same_as if o in papers and o != pid]
               for pid, paper in papers.items() if pid in listing or pid in named}
    listed = {pid: set(paper.same_as) for pid, paper in listing.items()}
    graph = _Graph(papers, waiting, _claims(waiting), _apart(papers), listed, Cycles(waiting))
    troubles = []
    for paper in listing.values():
        for index, other in enumerate(paper.same_as):
            trouble = _judge(paper, index, other, graph)
            if trouble is not None:
                troubles.append(trouble)
    return troubles


def _claims(waiting: dict[str, list[str]]) -> dict[str, list[str]]:
    """The papers that list each existing paper under `same_as`, in id order."""
    claims: dict[str, list[str]] = {}
    for pid, others in waiting.items():
        for other in others:
            claims.setdefault(other, []).append(pid)
    return claims


def marked_distinct(first: Paper, second: Paper) -> bool:
    """Whether a person marked the two papers different (`distinct_from`, in either file):
    such a pair is never merged nor reported as a likely duplicate."""
    return second.id in first.distinct_from or first.id in second.distinct_from


def _apart(papers: dict[str, Paper]) -> dict[str, set[str]]:
    """For each paper, the papers marked `distinct_from` it, in either file."""
    apart: dict[str, set[str]] = {}
    for paper in papers.values():
        for other in paper.distinct_from:
            apart.setdefault(paper.id, set()).add(other)
            apart.setdefault(other, set()).add(paper.id)
    return apart


def _judge(paper: Paper, index: int, other: str, graph: _Graph) -> Trouble | None:
    """The trouble with one `same_as` entry: an error, a merge waiting (UNMERGED), or None
    for the record of an earlier merge."""
    found = _entry_trouble(paper, other)
    if found is None and other not in graph.papers:
        return None  # an earlier merge: the id stays reserved
    found = found or _shape_trouble(paper, other, graph) or _apart_trouble(paper, other, graph)
    if found is None:
        return Trouble(paper.id, index, f"{other!r} is marked the same paper but is not merged "
                       "yet", "run `sitegen ingest` to merge it into this file", code=UNMERGED)
    return Trouble(paper.id, index, *found)


def _entry_trouble(paper: Paper, other: str) -> tuple[str, str] | None:
    """An entry that cannot name a duplicate: the paper itself, or no id at all."""
    if other == paper.id:
        return "a paper cannot be the same as itself", f"remove {other!r} from this list"
    if not is_id(other):  # a typo would otherwise pass for the id of an earlier merge
        return (f"{quote(other)} is not a paper id",
                "write the id of the duplicate: its file name without .yaml, "
                "lower-case words joined by hyphens")
    return None


def _shape_trouble(paper: Paper, other: str, graph: _Graph) -> tuple[str, str] | None:
    """A waiting merge that is not part of a simple star: a cycle, a paper claimed twice,
    or a chain (this paper is itself claimed, or `other` claims another)."""
    claims = graph.claims
    cycle = graph.cycles.through(paper.id, other)
    if cycle:
        return (f"{other!r} leads back to this paper (a cycle: {' -> '.join(cycle)})",
                "choose the paper that stays: list the others under its `same_as` "
                "and remove the `same_as` entries of the others")
    if len(claims[other]) > 1:
        return (f"{other!r} is also listed under `same_as` in {_rivals(claims[other], paper.id)}",
                "one paper absorbs a duplicate: keep it in one file's list")
    if paper.id in claims:
        return (f"this paper is itself to be merged into {claims[paper.id][0]!r}, so "
                f"{other!r} would be merged twice (a chain)",
                f"list {other!r} under `same_as` in {claims[paper.id][0]}.yaml instead")
    onward = graph.waiting[other]
    if onward:
        return (f"{other!r} itself lists {onward[0]!r} under `same_as` (a chain)",
                f"merge in one step: list {onward[0]!r} here and remove it from {other}.yaml")
    return None


def _apart_trouble(paper: Paper, other: str, graph: _Graph) -> tuple[str, str] | None:
    """A merge that would make one paper of two a person marked `distinct_from`."""
    apart = _marked_apart(paper, other, graph)
    if apart == paper.id:
        return (f"{other!r} is also marked `distinct_from` this paper",
                "decide: remove it from `same_as` or from `distinct_from`")
    if apart:
        return (f"{other!r} and {apart!r}, both listed here, are marked `distinct_from` each "
                "other", "decide: they cannot both be this paper; remove one from `same_as`, "
                "or the mark from `distinct_from`")
    return None


def _rivals(claimants: list[str], paper_id: str, shown: int = 3) -> str:
    """The other files that claim a paper: a few by name, then how many more (a paper
    claimed by thousands is reported thousands of times)."""
    named = [f"{c}.yaml" for c in claimants[:shown + 1] if c != paper_id][:shown]
    more = len(claimants) - 1 - len(named)
    return ", ".join(named) + (f" and {more:,} more" if more else "")


def _marked_apart(paper: Paper, other: str, graph: _Graph) -> str | None:
    """A paper that merging `other` into `paper` would make one with `other` although a
    person marked the two `distinct_from` each other: `paper` itself, or another paper
    it absorbs (merged together, the mark between them would silently vanish)."""
    apart = graph.apart.get(other, set())
    if paper.id in apart:
        return paper.id
    listed = graph.listed[paper.id]
    return next((o for o in sorted(apart) if o in listed and o in graph.papers), None)


class InvalidGraph(ValueError):
    """`merge_same_as` was asked to merge a graph that has errors."""


def merge_same_as(papers: dict[str, Paper]) -> tuple[dict[str, Paper], list[tuple[str, str]]]:
    """The papers with every waiting merge done, and (removed id, kept id) per merge.

    Refuses (InvalidGraph) unless the graph is valid, so that a bad graph removes
    nothing. The kept paper gains every source of the removed one, its earlier
    aliases, its `distinct_from` marks and any value a person decided that the
    kept paper leaves to the tool; other papers' `distinct_from` follow the move.
    """
    troubles = same_as_troubles(papers)
    errors = [t for t in troubles if t.code != UNMERGED]
    if errors:
        raise InvalidGraph(f"{errors[0].paper}: same_as[{errors[0].index}]: {errors[0].message}")
    moves = [(papers[t.paper].same_as[t.index], t.paper) for t in troubles]
    renamed, keepers = dict(moves), {kept for _, kept in moves}
    merged = dict(papers)
    for pid, paper in papers.items():  # copy only the papers that change
        if pid in keepers or renamed.keys() & set(paper.distinct_from):
            merged[pid] = copy.deepcopy(paper)
    absorbed: dict[str, list[Paper]] = {}
    for removed, kept in moves:
        absorbed.setdefault(kept, []).append(merged.pop(removed))
    for kept, copies in absorbed.items():
        _absorb(merged[kept], copies)
    for pid, paper in merged.items():
        if paper is not papers.get(pid):
            paper.distinct_from = _unique(renamed.get(i, i) for i in paper.distinct_from
                                          if renamed.get(i, i) != pid)
    return merged, moves


def _absorb(kept: Paper, copies: list[Paper]) -> None:
    """Fold every copy into the paper that absorbs it, in one pass (a paper may absorb
    thousands: merging them one by one rebuilt its lists each time)."""
    known = {(s.dump, s.line) for s in kept.sources}
    for removed in copies:
        gained = [s for s in removed.sources if (s.dump, s.line) not in known]
        kept.sources += gained
        known.update((s.dump, s.line) for s in gained)
        for name in MACHINE_FIELDS:
            if name in removed.human and name not in kept.human:
                setattr(kept, name, copy.deepcopy(getattr(removed, name)))
                kept.human.append(name)
                kept.machine.pop(name, None)
            elif name in IDENTITY_FIELDS and not getattr(kept, name) and name in removed.machine:
                setattr(kept, name, copy.deepcopy(getattr(removed, name)))  # the tool's find
                kept.machine[name] = removed.machine[name]
        keep_longer_abstract(kept, removed.abstract)
    kept.same_as = _unique([*kept.same_as, *(i for r in copies for i in r.same_as)])
    kept.distinct_from = _unique([*kept.distinct_from,
                                  *(i for r in copies for i in r.distinct_from)])
    kept.human = [name for name in MACHINE_FIELDS if name in kept.human]


def keep_longer_abstract(paper: Paper, abstract: str) -> None:
    """A paper folded into another keeps the longer of their abstracts, unless a person
    decided it."""
    if "abstract" not in paper.human and len(abstract) > len(paper.abstract):
        paper.abstract = abstract


def take_extended_abstract(paper: Paper, abstract: str) -> None:
    """A paper seen again takes the abstract seen now where it goes on from the one it has
    and that one was cut short (it ends in "..." or within a sentence), unless a person
    decided it. A longer text that does not go on from it (other words somewhere), or that
    goes on from a whole one (a card's votes or a page's chrome run into its end), leaves
    the abstract as it is: length alone says nothing of which is right."""
    if "abstract" not in paper.human and len(abstract) > len(paper.abstract) and (
            not paper.abstract or (cut_short(fold(paper.abstract))
                                   and extends(abstract, paper.abstract))):
        paper.abstract = abstract


def _unique(ids) -> list[str]:
    return list(dict.fromkeys(ids))
