"""Postings brought up to date from the last ones, for a catalogue where a few papers changed.

Postings are a function of the documents' field texts alone (and of the analysis, which
the model names set): document d's counts, positions and lengths come from the texts of
document d and nothing else. So the postings counted from one list of texts become those
of another list of the same length by taking each changed document's old terms out and
putting its new ones in, term by term; every other document's postings stay as they are.
A build whose catalogue gained or lost a paper (which renumbers the documents after it),
whose model names changed, or where much changed counts afresh.

Nothing counted before is changed: the postings of a term that moves are copied first,
so the earlier `Counted` stays true for whoever still holds it.
"""

from __future__ import annotations

import dataclasses
from abc import abstractmethod
from array import array
from bisect import bisect_left
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.core.perpaper import other_places
from sitegen.search.analysis import Analyzer, analyzer_for
from sitegen.search.layered import Layered
from sitegen.search.postings import (
    FIELDS,
    POSITIONED,
    Postings,
    count_postings,
    field_texts,
    grouped,
    held_in,
    run_of,
)

if TYPE_CHECKING:
    from sitegen.search.termorder import TermOrder

Texts = tuple[str, ...]  # a document's field texts, in FIELDS order
REDO = 8  # when more than 1/REDO of the documents changed, counting afresh is quicker


class KeptTexts(Sequence[Texts]):
    """Documents' texts kept where comparing them is cheaper than reading them all back
    (a file's bytes): only the documents that differ are read."""

    @abstractmethod
    def differing(self, texts: list[Texts]) -> list[int]:
        """The documents whose texts here are not `texts`' (of the same length)."""


@dataclass(frozen=True)
class Counted:
    """Postings, with the texts and model names they were counted from; `touched`, the
    terms whose postings differ from those of the Counted they were brought up to date
    from (None: counted afresh)."""

    postings: Postings
    texts: Sequence[Texts]
    model_names: tuple[str, ...]
    touched: frozenset[str] | None = None
    # what files.search_plan made of these postings, for a later plan to take: the digest
    # of each run of terms (first term, last term, count)
    digests: dict[tuple[str, str, int], str] = field(default_factory=dict, compare=False)
    # and the terms in the order the page sorts them, with their entries' sizes
    ordered: list[TermOrder] = field(default_factory=list, compare=False)
    # the papers and taxonomy the texts were taken from, when known (not read from a file):
    # the next count takes the texts of the very same papers from these
    made_from: tuple[Sequence[Paper], Taxonomy] | None = field(default=None, compare=False)


def counted(papers: list[Paper], taxonomy: Taxonomy, earlier: Counted | None = None) -> Counted:
    """The postings of these papers: `earlier`'s brought up to date when only a few
    documents' texts differ from those it was counted from, else counted afresh."""
    texts, made = _texts(papers, taxonomy, earlier)
    names = taxonomy.settings.model_names
    source = (papers, taxonomy)
    if earlier is not None and earlier.model_names == names and len(earlier.texts) == len(texts):
        changed = _differing(earlier.texts, texts, made)
        if not changed:
            return dataclasses.replace(earlier, touched=frozenset(), digests=dict(earlier.digests),
                                       ordered=list(earlier.ordered), made_from=source)
        if len(changed) * REDO <= len(texts):
            postings, touched = updated(earlier.postings, earlier.texts, texts, changed,
                                        analyzer_for(names))
            # the page's order of the earlier postings' own terms, if it was made for them
            # (`termorder.term_order` changes it where the touched terms came or went)
            ordered = [order for order in earlier.ordered
                       if order.terms is earlier.postings.terms]
            return Counted(postings, texts, names, touched, dict(earlier.digests), ordered,
                           source)
    return Counted(count_postings(papers, taxonomy), texts, names, made_from=source)


def _texts(papers: list[Paper], taxonomy: Taxonomy, earlier: Counted | None
           ) -> tuple[list[Texts], list[int] | None]:
    """Each document's texts, and which were made here (None: all were): the texts `earlier`
    took from the very same paper at the same place, with the same taxonomy, are its."""
    labels: dict[tuple, tuple[str, str]] = {}
    source = earlier.made_from if earlier is not None else None
    if source is None or source[1] is not taxonomy or len(source[0]) != len(papers):
        return [tuple(field_texts(paper, taxonomy, labels).values()) for paper in papers], None
    assert earlier is not None
    texts = list(earlier.texts)
    made = other_places(source[0], papers)
    for doc in made:
        texts[doc] = tuple(field_texts(papers[doc], taxonomy, labels).values())
    return texts, made


def _differing(before: Sequence[Texts], after: list[Texts], made: list[int] | None) -> list[int]:
    """The documents whose texts changed (of lists of the same length), among those `made`
    anew if known."""
    if made is not None:
        return [doc for doc in made if before[doc] != after[doc]]
    if isinstance(before, KeptTexts):
        return before.differing(after)
    return [doc for doc, (old, new) in enumerate(zip(before, after, strict=True))
            if old != new]  # (the same strings, mostly: compared by identity first)


def updated(postings: Postings, before: Sequence[Texts], after: list[Texts],
            changed: list[int], analyzer: Analyzer) -> tuple[Postings, frozenset[str]]:
    """`postings` (counted from `before`) as `after` gives them, where only the documents
    `changed` differ; and the terms whose postings may differ."""
    fields = [Layered.over(found) for found in postings.fields]
    positions = [Layered.over(places) for places in postings.positions]
    lengths = [array(part.typecode, part) for part in postings.lengths]
    touched: set[str] = set()
    for doc in changed:
        for slot, (name, _) in enumerate(FIELDS):
            old, new = before[doc][slot], after[doc][slot]
            if old == new:
                continue
            places = positions[POSITIONED.index(name)] if name in POSITIONED else None
            old_counts = _analysed(analyzer, old, places is not None)[1]
            at, counts, lengths[slot][doc] = _analysed(analyzer, new, places is not None)
            for term in sorted(old_counts.keys() | counts.keys()):
                _move(doc, term, counts.get(term, 0), at.get(term, []), fields[slot], places)
            touched.update(old_counts, counts)
    went = {term for term in touched if not held_in(term, fields)}
    terms = [term for term in postings.terms if term not in went] if went else list(
        postings.terms)  # (a term is one of `terms` exactly when a field holds it)
    terms += sorted(term for term in touched - went if not postings.holds(term))
    return Postings(terms, fields, positions, lengths), frozenset(touched)


def _analysed(analyzer: Analyzer, text: str, positioned: bool
              ) -> tuple[dict[str, list[int]], dict[str, int], int]:
    """Where each term of the text stands (positioned fields only), how often, and how
    many terms it has: what `count_postings` takes from the text."""
    if positioned:
        at, length = grouped(analyzer.tokens(text))
        return at, {term: len(where) for term, where in at.items()}, length
    counts, length = analyzer.term_counts(text)
    return {}, counts, length


def _move(doc: int, term: str, times: int, where: list[int],
          found: MutableMapping[str, tuple[array, array]],
          places: MutableMapping[str, array] | None) -> None:
    """The term's postings in one field (and its positions, if `places`) with `doc` holding
    it `times` times, at `where`: the document's old entry out, its new one in."""
    docs, counts = (array("i", part) for part in found.get(term, ((), ())))
    k = bisect_left(docs, doc)
    held = k < len(docs) and docs[k] == doc
    if places is not None:
        runs = array("i", places.get(term, ()))
        start = _run_start(runs, k)
        runs[start:start + 1 + runs[start] if held else start] = array("i", run_of(where)
                                                                       if times else ())
    if held:
        del docs[k], counts[k]
    if times:
        docs.insert(k, doc)
        counts.insert(k, times)
    if docs:
        found[term] = (docs, counts)
        if places is not None:
            places[term] = runs
    else:
        found.pop(term, None)
        if places is not None:
            places.pop(term, None)


def _run_start(runs: array, k: int) -> int:
    """Where the k-th document's run begins: each run is its count, then that many numbers."""
    start = 0
    for _ in range(k):
        start += 1 + runs[start]
    return start
