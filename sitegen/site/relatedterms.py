"""The terms that relate papers: each paper's distinctive words and their weights
(tf-idf), its labels as a bit set, and what an index of the catalogue leaves the next one
(`IndexState`), so that an edit reweighs only the papers whose terms it can change."""

from __future__ import annotations

import functools
import hashlib
import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sitegen.core.model import Paper
from sitegen.core.perpaper import per_paper

_WORD = re.compile(r"[a-z][a-z0-9]+(?:-[a-z0-9]+)*")
_STOP = frozenset("""
a about above across after again against all also an and any are as at be been before being
below between both but by can could did do does doing during each few for from further had has
have having here how however i if in into is it its itself just large language languages llm
llms model models more most new no nor not of off on once only or other our out over own paper
same show shows shown so some such than that the their them then there these they this those
through to too under until up use used using very via was we were what when where which while
who whom why will with within without would yet approach method methods propose proposed results
performance based existing work study achieve achieves significant significantly furthermore
moreover demonstrate demonstrates task tasks data training trained train state-of-the-art
""".split())
TERMS_PER_PAPER = 12

Labels = tuple[list[str], list[str]]  # a paper's families and topics
Names = tuple[dict[str, str], dict[str, str]]  # the taxonomy's families' and topics' names


class Related(NamedTuple):
    """A related paper, and why (a named tuple: a build reads hundreds of thousands)."""

    id: str
    reasons: tuple[str, ...]


@per_paper
def paper_terms(paper: Paper) -> dict[str, int]:
    """The paper's terms (its title counting twice) and how often each occurs."""
    words = Counter(_WORD.findall(f"{paper.title} {paper.title} {paper.abstract}".lower()))
    return {word: n for word, n in words.items() if len(word) > 2 and word not in _STOP}


@per_paper
def text_digest(paper: Paper) -> int:
    """A digest of what `paper_terms` reads: papers with equal digests have equal terms."""
    text = f"{len(paper.title)}:{paper.title}{paper.abstract}"
    data = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(data, "little")


@dataclass
class TermWeights:
    """How many papers hold each term, each term's idf and each paper's most distinctive
    terms (by its number), weighted by tf-idf. Each paper's terms are kept by their numbers
    in `vocabulary` (as strings, 90 MB at 20,000 papers), with a digest of their text."""

    frequency: Counter
    idf: dict[str, float]
    weighted: list[dict[str, float]]
    vocabulary: dict[str, int]  # every term seen, numbered from 0 in the order first seen
    held: list[array]  # the numbers of each paper's terms
    texts: list[int]  # each paper's `text_digest`
    # the papers (by number) whose terms or weights are other than the earlier index's they
    # were made from (`term_weights`); None: not made from one
    renewed: frozenset[int] | None = None


@dataclass
class IndexState:
    """What an index of the catalogue keeps for one made after some edits (`RelatedIndex`
    makes it; a build keeps it beside the output, `relatedmemo`): papers by number, in the
    order of their ids."""

    ids: list[str]
    names: Names
    weights: TermWeights
    labels: list[Labels]
    lists: dict[str, list[Related]]  # the related papers found so far
    # each term's holders and their weights (see `relatedholders.term_holders`), if known: an index
    # in memory has them, one read from a file does not
    holders: dict[str, dict[int, float]] | None = None
    papers: list[Paper] | None = None  # the papers themselves, likewise: by number
    label_index: LabelIndex | None = None  # and what `label_index` made of the labels
    # the papers (by number) whose terms, weights, labels or lists differ from those of the
    # earlier state (named by its `id`) the index was made from (`RelatedIndex.carry_over`)
    renewed: tuple[int, frozenset[int]] | None = None
    numbers: dict[str, int] | None = None  # `number`, when the index gave its own

    @functools.cached_property
    def number(self) -> dict[str, int]:
        """Each paper's number, by its id (made when first asked for: keeping a state for
        the next build asks it of a few related papers' ids only, `relatedmemo`)."""
        if self.numbers is not None:
            return self.numbers
        return {pid: i for i, pid in enumerate(self.ids)}

    def terms_held(self, number: int) -> set[str]:
        terms = self._terms
        return {terms[k] for k in self.weights.held[number]}

    @functools.cached_property
    def _terms(self) -> list[str]:
        return list(self.weights.vocabulary)


def paper_labels(paper: Paper) -> Labels:
    """A paper's families and topics."""
    return paper.families, paper.topics


def label_list(listed: list[Paper], earlier: IndexState | None,
                replaced: list[int] | None) -> list[Labels]:
    """Each paper's labels: the earlier index's but at the places `replaced`, if known."""
    if earlier is None or replaced is None:
        return list(map(paper_labels, listed))
    found = list(earlier.labels)
    for k in replaced:
        found[k] = paper_labels(listed[k])
    return found


@dataclass(frozen=True)
class LabelIndex:
    """The papers' labels as bit sets (`label_masks`), the bits given to each label, and
    the papers (by number) of each family and topic they are both labelled with."""

    bits: dict[tuple[str, str], int]
    masks: list[int]
    groups: dict[tuple[str, str], list[int]]


def label_index(papers: list[Paper], labels: list[Labels],
                earlier: IndexState | None = None) -> LabelIndex:
    """The papers' `LabelIndex` (`labels`, theirs); an earlier index's, which depends on the
    labels alone, when they are the same in the same order (an edit of a text)."""
    if earlier is not None and earlier.label_index is not None and earlier.labels == labels:
        return earlier.label_index
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (families, topics) in enumerate(labels):
        for family in families:
            for topic in topics:
                groups[family, topic].append(i)
    return LabelIndex(*label_masks(papers), groups)


def label_masks(papers: list[Paper]) -> tuple[dict[tuple[str, str], int], list[int]]:
    """Each paper's labels as a bit set (`label_mask`), and the bits given to each label.
    Many papers share a set of labels: each set is worked out once."""
    bits: dict[tuple[str, str], int] = {}
    masks: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
    found = []
    for paper in papers:
        key = (tuple(paper.families), tuple(paper.topics))
        mask = masks.get(key)
        if mask is None:  # a set seen before has every one of its labels' bits already
            mask = masks[key] = label_mask(paper, bits)
        found.append(mask)
    return bits, found


def label_mask(paper: Paper, bits: dict[tuple[str, str], int], grow: bool = True) -> int:
    """A paper's labels as a bit set in which a family has two bits and a topic one, so
    that the bits two papers share count 2 per shared family and 1 per shared topic. Each
    label's bits are given in `bits` when first seen (`grow`), else it has none."""
    labels = [("family", f) for f in set(paper.families)]
    labels += [("topic", t) for t in set(paper.topics)]
    mask = 0
    for kind, label in labels:
        if grow:
            bits.setdefault((kind, label), 2 * len(bits))
        if (kind, label) in bits:
            mask += (3 if kind == "family" else 1) << bits[kind, label]
    return mask
