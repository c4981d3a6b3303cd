"""The pairs of a catalogue's papers that may be one paper, each with its verdict: what the
look-alike check of `load` reports.

Finding the pairs is `blocking.candidate_pairs`; judging them (`match.compare`) takes about
a tenth of a millisecond each, and a large catalogue has tens of thousands of them. A
verdict is a function of the two papers' titles and abstracts alone, so a build may keep
the verdicts it saw for the next one (`Judged`, by `pair_key`): most pairs are the same
after an edit.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

from sitegen.catalogue import blocking, match
from sitegen.catalogue.sameas import marked_distinct
from sitegen.core.model import Paper
from sitegen.core.parallel import split_map

Texts = tuple[str, str, str, str]  # a paper's title and abstract, then the other's
Judging = tuple[int, int, match.Verdict]  # two papers' places, and the verdict on them


class Judged(Protocol):
    """Verdicts judged before, by the `pair_key` of the texts judged."""

    def get(self, key: str) -> match.Verdict | None: ...

    def put(self, key: str, verdict: match.Verdict) -> None: ...


def pair_key(texts: Texts) -> str:
    """A digest of the texts a verdict judged, the same in either order (as `compare`'s)."""
    first, second = texts[:2], texts[2:]
    data = "\0".join([*min(first, second), *max(first, second)])
    return hashlib.blake2b(data.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def lookalikes(papers: list[Paper], parallel: bool = False,
               judged: Judged | None = None) -> list[Judging]:
    """The candidate pairs (i < j) of these papers, with the verdict on each, but for those
    a person said differ; verdicts `judged` holds are taken from it, the others given to
    it. With `parallel`, a forked process judges half of the pairs (see `split_map`).
    Without `judged`, the last such call's answer while the papers are as they were then,
    place for place, in all that the answer depends on (see `check_ahead`)."""
    if judged is not None:
        return _judgings(papers, parallel, judged)
    global _last
    seen, last = [_what_counts(paper) for paper in papers], _last  # one answer, of one call
    if last is None or last[0] != seen:
        last = _last = seen, _judgings(papers, parallel, None)
    return list(last[1])


def check_ahead(papers: list[Paper]) -> None:
    """Work out the look-alike check of these papers, in the order loading them gives
    (`store.in_loading_order`), for the check that loads them next to find it done (see
    `lookalikes`). For an ingest of mostly new papers, which knows the papers it is about to
    write while a second process still labels them, and would otherwise wait for the check
    once they are written (at 50,000 new papers: 1.4-1.7 s with only the blocking and the
    verdicts worked out ahead, 0.1 s with the answer). Done in one process: worth it only
    while the other is busy, not for a few new papers in a large catalogue (the check would
    take longer than in two) nor for none (no check follows)."""
    lookalikes(papers)


# A paper as far as its look-alikes go: its id and those it was marked distinct from, its
# title and abstract (the pairs and verdicts), its arXiv id (see `match.apart_by_arxiv`).
_Counted = tuple[str, str, str, str, tuple[str, ...]]
_last: tuple[list[_Counted], list[Judging]] | None = None  # the last answer without `judged`


def _what_counts(paper: Paper) -> _Counted:
    return paper.id, paper.title, paper.abstract, paper.arxiv, tuple(paper.distinct_from)


def _judgings(papers: list[Paper], parallel: bool, judged: Judged | None) -> list[Judging]:
    pairs = blocking.candidate_pairs([paper.title for paper in papers],
                                  [paper.abstract for paper in papers], parallel)
    pairs = [(i, j) for i, j in pairs if not marked_distinct(papers[i], papers[j])]
    texts: list[Texts] = [(papers[j].title, papers[j].abstract, papers[i].title,
                           papers[i].abstract) for i, j in pairs]
    keys = [pair_key(found) for found in texts] if judged is not None else []
    verdicts: list[match.Verdict | None] = (
        [judged.get(key) for key in keys] if judged is not None else [None] * len(pairs))
    todo = [n for n, verdict in enumerate(verdicts) if verdict is None]
    made = split_map(lambda n: match.compare(*texts[n]), todo, parallel,
                     min_items=2_000)  # ~0.1 ms a pair
    for n, verdict in zip(todo, made, strict=True):
        verdicts[n] = verdict
        if judged is not None:
            judged.put(keys[n], verdict)
    return [(i, j, match.apart_by_arxiv(verdict, papers[i].arxiv, papers[j].arxiv))
            for (i, j), verdict in zip(pairs, verdicts, strict=True) if verdict is not None]
