"""Related papers: shared model family, shared topics and distinctive shared terms."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Collection, Iterable
from itertools import chain

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.core.perpaper import other_places
from sitegen.site.relatedholders import term_holders
from sitegen.site.relatedterms import (
    IndexState,
    Labels,
    Names,
    Related,
    label_index,
    label_list,
    label_mask,
    paper_labels,
)
from sitegen.site.relatedweights import replaced_in_place, term_weights, weigh_alone

RELATED = 5
CANDIDATES_PER_KEY = 100


class RelatedIndex:
    """What finding any one paper's related papers needs, computed once for the catalogue.

    Papers are then looked up one at a time, so that the work can be shared out, and
    each list is kept once found. Inside, a paper is its number in the order of ids
    (ties between equally related papers go to the smaller id), which is quicker to
    hash and compare than the id.
    """

    def __init__(self, papers: dict[str, Paper], taxonomy: Taxonomy,
                 earlier: IndexState | None = None):
        """`earlier`: what an index of the catalogue before some edits left (`state`),
        whose term weights are taken where they cannot differ (see `term_weights`)."""
        self.papers, self.taxonomy = papers, taxonomy
        self.ids = sorted(papers)
        self.listed = list(map(papers.__getitem__, self.ids))
        same_ids = earlier is not None and earlier.ids == self.ids
        self.number = earlier.number if earlier is not None and same_ids else {
            pid: i for i, pid in enumerate(self.ids)}
        replaced = replaced_in_place(self.listed, earlier)  # (no pass over every paper then)
        self.weights = term_weights(self.listed, earlier, replaced)
        self.terms, self.idf = self.weights.weighted, self.weights.idf
        self.label_list = label_list(self.listed, earlier, replaced)
        self.label_index = label_index(self.listed, self.label_list, earlier)
        self.bits, self.labels = self.label_index.bits, self.label_index.masks
        self.by_term = term_holders(self.terms, earlier if same_ids else None,
                                    self.weights.renewed)  # holder -> weight
        self.by_group = self.label_index.groups
        self._lists: dict[str, list[Related]] = {}  # each paper's related papers, once found
        self._weighed_from = earlier  # the state the weights were taken from (until carried)
        self.renewed: tuple[int, frozenset[int]] | None = None  # see `IndexState.renewed`

    def related(self, paper_id: str) -> list[Related]:
        """Up to five related papers, best first, with the reasons they are related."""
        if (found := self._lists.get(paper_id)) is None:
            found = self._lists[paper_id] = self._find(paper_id)
        return found

    def find_all(self) -> list[str]:
        """Find every paper's related papers now (a build, before it shares the pages out;
        the preview's session at its start, for its first rebuild to carry them over), here:
        a second process would copy the index's pages (13-15% more faults, no quicker).
        The ids of the papers whose lists were found now."""
        for pid in (found := self._unfound()):
            self._lists[pid] = self._find(pid)
        return found

    def _unfound(self) -> list[str]:
        """The ids of the papers whose lists are not found yet, in order."""
        if not self._lists:
            return self.ids
        if len(self._lists) == len(self.ids):
            return []
        return sorted(set(self.ids).difference(self._lists))

    def listing(self, ids: Collection[str]) -> set[str]:
        """The papers whose pages may show an edit of the papers `ids` in their related
        papers: those whose list holds one of them, and those whose list was not carried
        over from an earlier index (found now: the edit may have changed it). A list holds
        only candidates, which share a short key with the paper, so only the candidates of
        the edited papers are looked at (keys are shared both ways)."""
        missing = set(self.find_all())
        wanted = {self.number[pid] for pid in ids if pid in self.number}
        near = set().union(*(self._candidates(self.papers[self.ids[mine]], mine,
                                              self.terms[mine]) for mine in wanted))
        holding = (self.ids[other] for other in near)
        return missing.union(pid for pid in holding
                             if any(self.number[r.id] in wanted for r in self._lists[pid]))

    def state(self, in_memory: bool = True) -> IndexState:
        """What an index made after some edits takes from this one (or a file, `IndexState`)."""
        return IndexState(self.ids, _names(self.taxonomy), self.weights, self.label_list,
                          self._lists, self.by_term if in_memory else None,
                          self.listed if in_memory else None,
                          self.label_index if in_memory else None, self.renewed,
                          self.number if in_memory else None)

    def carry_over(self, earlier: IndexState) -> int:
        """Take the lists the earlier index found wherever they cannot differ here, or
        differ only by a changed paper entering them; how many were taken.

        A paper's list is the best of its candidates (the holders of its keys, a term or a
        family and topic, whose holders are few enough), by a score made from its weighted
        terms and labels and theirs. Where a paper's terms (and so any idf they use) or
        labels changed, its list is found again, and so is that of every paper holding a
        key whose holders crossed the limit, or holding a changed paper in its list (its
        place may go to a candidate not in the list). Any other paper's candidates differ
        at most in changed papers, which enter its list by their score. Papers added or
        removed, or names changed: none taken. The papers weighed or listed anew are
        recorded (`renewed`) when the weights were taken from `earlier` too."""
        weighed_from, self._weighed_from = self._weighed_from, None  # keep no state alive
        if earlier.ids != self.ids or earlier.names != _names(self.taxonomy):
            return 0
        changed = self._changed(earlier)
        again, near = self._touched(earlier, changed)
        renewed = set(range(len(self.ids)) if self.weights.renewed is None  # weighed anew,
                      else self.weights.renewed)  # and listed anew (`changed` among them)
        lists = dict(earlier.lists)
        for i in again:
            lists.pop(self.ids[i], None)
        for i in near:  # (none of `again`)
            if (before := lists.get(self.ids[i])) is not None:
                found = self._entering(i, before, changed)
                _put(lists, self.ids[i], found)
                if found is not before:
                    renewed.add(i)
        renewed |= again
        if len(earlier.lists) < len(self.ids):  # those the earlier index found no list for
            renewed.update(self.number[pid] for pid in set(self.ids).difference(lists))
        self._lists.update(lists)
        if weighed_from is earlier:
            self.renewed = (id(earlier), frozenset(renewed))
        return len(lists)

    def _changed(self, earlier: IndexState) -> set[int]:
        """The papers whose weighted terms or labels differ from the earlier index's (only
        those that are other objects there are compared)."""
        was, labels = earlier.weights.weighted, earlier.labels
        other = chain(other_places(was, self.terms), other_places(labels, self.label_list))
        return {i for i in other
                if _moved(was[i], self.terms[i]) or labels[i] != self.label_list[i]}

    def _touched(self, earlier: IndexState, changed: set[int]) -> tuple[set[int], set[int]]:
        """The papers whose lists are found again (the changed ones, and the holders of a
        key whose holders crossed the limit), and those holding a key with a changed paper
        among its holders, before or after, few enough either way."""
        before: Counter = Counter()  # per key, the changed papers holding it before
        after: Counter = Counter()  # and now
        for i in changed:
            before.update(earlier.weights.weighted[i].keys() | _groups(earlier.labels[i]))
            after.update(self.terms[i].keys() | _groups(paper_labels(self.papers[self.ids[i]])))
        again, near = set(changed), set[int]()
        for key in before.keys() | after.keys():
            holders = self.by_term.get(key, {}) if isinstance(key, str) else self.by_group.get(
                key, [])
            then = len(holders) - after[key] + before[key]
            if min(then, len(holders)) <= CANDIDATES_PER_KEY:
                (again if max(then, len(holders)) > CANDIDATES_PER_KEY else near).update(holders)
        return again, near - again

    def _entering(self, mine: int, found: list[Related], changed: set[int]
                  ) -> list[Related] | None:
        """The earlier list of a paper whose candidates differ at most in `changed` papers,
        those among its candidates entered by their score; None if a changed paper is in it."""
        numbers = [self.number[r.id] for r in found]
        if not changed.isdisjoint(numbers):
            return None
        paper, terms, mask = self.papers[self.ids[mine]], self.terms[mine], self.labels[mine]
        entering = set().union(*self._short_keys(paper, terms)) & changed
        if not entering:
            return found
        scored = [(self._score(terms, mask, other), other) for other in [*numbers, *entering]]
        kept = dict(zip(numbers, found, strict=True))
        return [kept.get(other) or _explain(paper, self.papers[self.ids[other]], terms,
                                            self.terms[other], self.taxonomy)
                for score, other in heapq.nsmallest(RELATED, scored) if score < 0]

    def related_as_saved(self, paper: Paper) -> list[Related]:
        """A paper's related papers were it saved as `paper`, found among the others as they
        are: its terms weighted by this catalogue's idf, its labels as the others' bits (one
        no other paper has is shared with none). The catalogue with `paper` in it may weigh
        terms a little differently: a preview that a build then makes exact."""
        return self._related(paper, self.number[paper.id], weigh_alone(paper, self.idf),
                             label_mask(paper, self.bits, grow=False))

    def _find(self, paper_id: str) -> list[Related]:
        mine = self.number[paper_id]
        return self._related(self.papers[paper_id], mine, self.terms[mine], self.labels[mine])

    def _related(self, paper: Paper, mine: int, terms: dict[str, float],
                 mask: int) -> list[Related]:
        best = _best(*self._scores(mine, terms, mask, self._candidates(paper, mine, terms)))
        return [_explain(paper, self.papers[self.ids[other]], terms, self.terms[other],
                         self.taxonomy)
                for score, other in best if score < 0]

    def _candidates(self, paper: Paper, mine: int, terms: dict[str, float]) -> set[int]:
        """Papers sharing a distinctive term, or a family and a topic, with this one."""
        found: set[int] = set().union(*self._short_keys(paper, terms))
        found.discard(mine)
        return found

    def _short_keys(self, paper: Paper, terms: dict[str, float]) -> list[Collection[int]]:
        """The holders of each of the paper's keys (its terms, and its families and topics
        together) held by CANDIDATES_PER_KEY papers at most. Longer lists say little about
        any one paper and would make the work grow with the square of the catalogue."""
        keys: list[Collection[int]] = [self.by_term[t] for t in terms if t in self.by_term]
        keys += [self.by_group[f, t] for f in paper.families for t in paper.topics
                 if (f, t) in self.by_group]
        return [holders for holders in keys if len(holders) <= CANDIDATES_PER_KEY]

    def _score(self, terms: dict[str, float], mask: int, other: int) -> float:
        """One candidate's score as `_scores` gives it, the same sums in the same order."""
        theirs, part = self.terms[other], 0.0
        for term, weight in terms.items():
            if (held := theirs.get(term)) is not None:
                part += weight if weight < held else held
        return -(1.5 * (mask & self.labels[other]).bit_count() + part / 4)

    def _scores(self, mine: int, terms: dict[str, float], mask: int,
                candidates: set[int]) -> tuple[list[float], list[int]]:
        """Minus each candidate's relatedness, and the candidates (by number): 3 per shared
        family, 1.5 per shared topic, plus the terms' part: the sum, in this paper's order
        of its terms, of the lesser of the two weights of each term the candidate shares."""
        shared = dict.fromkeys(candidates, 0.0)  # the terms' part, summed in that order
        shared[mine] = 0.0  # this paper holds its own terms: a place to add them, unused
        for term, weight in terms.items():
            holders = self.by_term.get(term, {})
            if len(holders) <= CANDIDATES_PER_KEY:  # every holder is a candidate
                for other, theirs in holders.items():
                    shared[other] += weight if weight < theirs else theirs
            else:  # only the candidates among them: looked up from the smaller side
                for other in _common(holders, candidates):
                    shared[other] += weight if weight < (theirs := holders[other]) else theirs
        del shared[mine]
        labels = self.labels  # 3 * shared families + 1.5 * shared topics, exactly:
        return ([-(1.5 * (mask & labels[other]).bit_count() + part / 4)
                 for other, part in shared.items()], list(shared))


def _put(lists: dict[str, list[Related]], paper_id: str, found: list[Related] | None) -> None:
    """A paper's list, or none (None)."""
    if found is None:
        del lists[paper_id]
    else:
        lists[paper_id] = found


def _common(holders: dict[int, float], candidates: set[int]) -> Iterable[int]:
    """The candidates holding a term, walking the shorter of the two."""
    if len(candidates) < len(holders):
        return [other for other in candidates if other in holders]
    return holders.keys() & candidates


def _best(scores: list[float], others: list[int]) -> list[tuple[float, int]]:
    """The RELATED lowest (score, number) pairs, as `heapq.nsmallest` gives them, pairing
    only the scores up to the RELATED-th lowest (a few of hundreds)."""
    if len(scores) > RELATED:
        bound = sorted(scores)[RELATED - 1]
        return sorted([(score, other) for score, other in zip(scores, others, strict=True)
                       if score <= bound])[:RELATED]
    return sorted(zip(scores, others, strict=True))


def _moved(before: dict[str, float], after: dict[str, float]) -> bool:
    """Whether a paper's weighted terms changed (order too: scores add them in order)."""
    return before is not after and list(before.items()) != list(after.items())


def _names(taxonomy: Taxonomy) -> Names:
    """What the reasons of a related paper say of the taxonomy."""
    return ({f.id: f.name for f in taxonomy.families.values()},
            {t.id: t.name for t in taxonomy.topics.values()})


def _groups(labels: Labels) -> set[tuple[str, str]]:
    families, topics = labels
    return {(f, t) for f in families for t in topics}


def _explain(paper: Paper, other: Paper, mine: dict[str, float], theirs: dict[str, float],
             taxonomy: Taxonomy) -> Related:
    shared_terms = sorted(mine.keys() & theirs.keys(), key=lambda t: (-mine[t], t))
    reasons = [f"same family: {taxonomy.families[f].name}" for f in paper.families
               if f in other.families and f in taxonomy.families]
    reasons += [f"same topic: {taxonomy.topics[t].name}" for t in paper.topics
                if t in other.topics and t in taxonomy.topics]
    if shared_terms:
        reasons.append("shared terms: " + ", ".join(shared_terms[:3]))
    return Related(other.id, tuple(reasons))
