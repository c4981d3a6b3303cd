"""Decide whether a dump entry is a paper the catalogue already holds.

Titles are compared word by word after folding case, accents, punctuation and
spacing; words may differ by single-letter typos, never in their numbers
("Omni" vs "Omni2", "Llama 3" vs "Llama 4"). The abstract is the second
witness: a truncated or lightly edited abstract agrees, a different paper's
does not. Anything in between is reported for a person to decide.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import threading
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from sitegen.catalogue.typos import title_typos
from sitegen.core.model import Paper
from sitegen.core.parallel import split_map
from sitegen.core.text import CACHED, first_folded_words, fold, title_tokens

SAME_ABSTRACT = 70.0  # abstracts at least this similar are the same text
RENAMED_TITLE = 60.0  # titles this close with the same abstract may be a renamed paper
RENAMED_ABSTRACT = 90.0  # ... when their abstracts are at least this similar
# Titles a typo apart are one paper only with (nearly) the same abstract: one letter may
# make another name ("Mistral", "Mixtral"), whose paper may be worded much alike.
TYPO_ABSTRACT = 95.0

SAME = "same"
UNSURE = "unsure"
DIFFERENT = "different"


@dataclass(frozen=True)
class Verdict:
    decision: str  # SAME, UNSURE or DIFFERENT
    title_score: float
    abstract_score: float | None
    reason: str

    def explain(self) -> str:
        score = self.abstract_score
        abstract = "no abstract" if score is None else f"abstract {score:.0f}"
        return f"{self.reason}; title {self.title_score:.0f}, {abstract}"


def abstract_similarity(first: str, second: str, cutoff: float = 0) -> float | None:
    """0-100; a truncated copy of an abstract scores as high as the full one.

    Scores below `cutoff` may be returned as 0 (rapidfuzz stops early).
    """
    if not first or not second:
        return None
    short, long = sorted((fold(first), fold(second)), key=lambda text: (len(text), text))
    short = _untruncated(short)
    if long.startswith(short):  # the same text, or a truncated copy: the opening is all
        return 100.0
    opening = fuzz.ratio(short, long[: len(short)], score_cutoff=cutoff)
    if len(long) == len(short):
        return opening
    # Only a higher score matters: rapidfuzz stops at once when lengths rule it out.
    return max(opening, fuzz.ratio(short, long, score_cutoff=max(cutoff, opening)))


def same_text(abstract: str, known: str) -> bool:
    """Whether two abstracts are the same text (`abstract_similarity`); a dump replaced
    under the same name may hold another paper of the same title at a place seen before."""
    if abstract == known:
        return True
    similarity = abstract_similarity(abstract, known)
    return similarity is not None and similarity >= SAME_ABSTRACT


def extends(longer: str, shorter: str) -> bool:
    """Whether `longer` is `shorter` with more text after it: `shorter` is its opening, or
    a truncated copy of it (case, accents and typography aside)."""
    return fold(longer).startswith(_untruncated(fold(shorter)))


def _untruncated(text: str) -> str:
    """A folded text as the opening of a longer one: without the "..." a truncation adds."""
    return text.removesuffix("...").rstrip()


# Verdicts remembered: the look-alike check of a large catalogue judges tens of thousands
# of pairs, again after every edit in the preview, and again after an ingest, whose
# matching judged most of them already (50,000 new papers: 48,796 of the check's 64,736).
VERDICTS = 2**18


def compare(title: str, abstract: str, known_title: str, known_abstract: str) -> Verdict:
    """Is an entry (title, abstract) the same paper as a known one? The verdict is the
    same whichever of the two is given first, and is remembered under one order: so
    that ingest's matching (an entry against a paper) and the look-alike check that
    follows (a paper against another) share what they judge."""
    if (known_title, known_abstract) < (title, abstract):
        return _judged(known_title, known_abstract, title, abstract)
    return _judged(title, abstract, known_title, known_abstract)


@functools.lru_cache(maxsize=VERDICTS)
def _judged(title: str, abstract: str, known_title: str, known_abstract: str) -> Verdict:
    title_score = fuzz.ratio(" ".join(title_tokens(title)), " ".join(title_tokens(known_title)))
    typos = title_typos(title, known_title)
    if typos is not None:
        abstract_score = abstract_similarity(abstract, known_abstract)
        reason = "same title" if typos == 0 else f"title differs by {typos} typo(s)"
        needed = SAME_ABSTRACT if typos == 0 else TYPO_ABSTRACT
        if (abstract_score is None and typos == 0) or (
                abstract_score is not None and abstract_score >= needed):
            return Verdict(SAME, title_score, abstract_score, reason)
        return Verdict(UNSURE, title_score, abstract_score, f"{reason} but abstracts differ")
    if title_score < RENAMED_TITLE:
        return Verdict(DIFFERENT, title_score, None, "different titles")
    abstract_score = abstract_similarity(abstract, known_abstract, cutoff=RENAMED_ABSTRACT)
    if abstract_score is not None and abstract_score >= RENAMED_ABSTRACT:
        return Verdict(UNSURE, title_score, abstract_score, "same abstract, different title")
    return Verdict(DIFFERENT, title_score, abstract_score, "different titles")


BLOCKING_TOKENS = 4  # a title's rarest words that a look-alike must share one of
CLOSEST_LATER = 50  # the later titles of a group each title is paired with, at most
OPENING_WORDS, OPENINGS = 8, 2  # runs of words at an abstract's start: a renamed paper keeps one
OPENING_HEAD = 200  # characters of an abstract folded to find a run, unless too few


@functools.lru_cache(maxsize=CACHED)
def sized_words(tokens: tuple[str, ...]) -> frozenset[str]:
    """A title's words, each with the title's length ("word 7"): the keys that block titles
    for `title_typos`, which only titles of as many words can pass. Strings, whose hashes
    Python keeps, and which sort among one title's keys as its words do. (Remembered, as
    the title's words are: every load checks every title again.)"""
    return frozenset(f"{token} {len(tokens)}" for token in tokens)


def candidate_pairs(titles: list[str], abstracts: list[str],
                    parallel: bool = False) -> list[tuple[int, int]]:
    """Pairs (i < j) that could be the same paper, without comparing every pair.

    Two titles can only be SAME when they have as many words and at most MAX_TYPOS
    of them differ, so they share one of the first title's BLOCKING_TOKENS rarest
    words (rarest among the titles of that length); a renamed paper keeps
    its abstract, so it shares the abstract's opening words. Only those pairs are
    scored (title similarity at least RENAMED_TITLE), which keeps a large
    catalogue's check close to linear instead of quadratic. With `parallel`, a
    forked process scores half of the pairs (see `split_map`). What the last call
    worked out is taken where it still holds (see `Blocking`).
    """
    with _LAST_LOCK:
        try:
            return _LAST.pairs(titles, abstracts, parallel)
        except BaseException:
            _LAST.forget()  # half brought up to date: start again
            raise


def check_ahead(papers: list[Paper]) -> None:
    """Work out the look-alike check of these papers (in the order loading them gives: by
    id) now: its blocking (kept by `Blocking`) and the verdict on each of its pairs
    (remembered by `compare`), so that the check that loads them next finds both done.
    For an ingest of mostly new papers, which knows the papers it is about to write while
    a second process still labels them, and would otherwise wait for the check once they
    are written (2 s at 50,000 new papers). Done in one process: worth it only while the
    other is busy, not for a few new papers in a large catalogue (the check would take
    longer than in two) nor for none (no check follows)."""
    titles, abstracts = [p.title for p in papers], [p.abstract for p in papers]
    for i, j in candidate_pairs(titles, abstracts):
        compare(titles[j], abstracts[j], titles[i], abstracts[i])


class Blocking:
    """`candidate_pairs` worked out from what the last call on it worked out: the preview
    checks every title again after each save, of which most are as they were. A title's
    rarest keys are found again only when its keys, or how many titles hold one of them,
    changed (the order of the other keys among themselves is as it was); the titles that
    hold each key are moved only for the titles whose keys changed; a group's close pairs
    are found again only when its titles changed. The pairs are those a new Blocking finds
    (`tests/test_match.py`)."""

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        """Start again from nothing."""
        self.sized: list[frozenset[str]] = []  # each title's keys, as last given
        self.frequency: Counter[str] = Counter()  # how many of those titles hold each key
        self.rarest: list[tuple[str, ...]] = []  # each title's rarest keys
        self.keyed: list[tuple[object, ...]] = []  # each title's rarest keys, then its
        # abstract's opening (if it has one)
        self.holders: dict[object, list[int]] = {}  # each of those keys -> its titles
        self.close: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # a group's names ->
        # its close pairs, as places in the group

    def pairs(self, titles: list[str], abstracts: list[str],
              parallel: bool) -> list[tuple[int, int]]:
        sized = [sized_words(title_tokens(title)) for title in titles]
        recounted = self._recount(sized)
        self.rarest = [self._rarest(i, keys, recounted) for i, keys in enumerate(sized)]
        self.sized = sized
        self._hold([(*keys, *abstract_keys(abstracts[i])) for i, keys in enumerate(self.rarest)])
        names = [" ".join(title_tokens(title)) for title in titles]
        groups = [group for group in self.holders.values() if len(group) > 1]
        named = [tuple(names[i] for i in group) for group in groups]
        self._find_close(named, parallel)
        return sorted({(group[x], group[y]) for group, key in zip(groups, named, strict=True)
                       for x, y in self.close[key]})

    def _recount(self, sized: list[frozenset[str]]) -> set[str] | None:
        """Bring `frequency` up to date with these titles' keys: the keys whose count
        changed, or None when the titles are not the last ones, place for place (all
        counted afresh)."""
        if len(sized) != len(self.sized):
            self.frequency = Counter(itertools.chain.from_iterable(sized))
            return None
        frequency, changed = self.frequency, set[str]()
        for old, new in zip(self.sized, sized, strict=True):
            if old is new or old == new:
                continue
            for key in old - new:
                frequency[key] -= 1
                if not frequency[key]:
                    del frequency[key]
            for key in new - old:
                frequency[key] += 1
            changed |= old ^ new
        return changed

    def _hold(self, keyed: list[tuple[object, ...]]) -> None:
        """Bring `holders` up to date with each title's keys: moved only for the titles
        whose keys changed, while the titles are the last ones place for place."""
        if len(keyed) != len(self.keyed):
            self.holders = {}
            self.keyed = [()] * len(keyed)
        holders = self.holders
        for i, (old, new) in enumerate(zip(self.keyed, keyed, strict=True)):
            if old == new:
                continue
            for key in old:
                held = holders[key]
                held.remove(i)
                if not held:
                    del holders[key]
            for key in new:
                bisect.insort(holders.setdefault(key, []), i)
        self.keyed = keyed

    def _rarest(self, i: int, keys: frozenset[str], recounted: set[str] | None
                ) -> tuple[str, ...]:
        """The title's BLOCKING_TOKENS rarest keys, ties in the keys' order."""
        if recounted is not None and recounted.isdisjoint(keys) and (
                self.sized[i] is keys or self.sized[i] == keys):
            return self.rarest[i]
        frequency = self.frequency
        return tuple(sorted(keys, key=lambda key: (frequency[key], key))[:BLOCKING_TOKENS])

    def _find_close(self, named: list[tuple[str, ...]], parallel: bool) -> None:
        """Each group's close pairs, kept from the last call for the groups it had."""
        close = {key: self.close[key] for key in named if key in self.close}
        todo = sorted({key for key in named if key not in close}, key=len)
        todo = todo[::2] + todo[1::2]  # the halves `split_map` deals out, of equal work
        found = split_map(_close_among, todo, parallel, min_items=5_000)  # most: microseconds
        close.update(zip(todo, found, strict=True))
        self.close = close


_LAST = Blocking()
_LAST_LOCK = threading.Lock()


@functools.lru_cache(maxsize=CACHED)
def abstract_keys(abstract: str) -> tuple[tuple[object, ...], ...]:
    """The keys a renamed paper keeps: its abstract's first OPENINGS whole runs of
    OPENING_WORDS folded words, each with its place ("Llama 3" made "Llama 3.1" in one run
    leaves the next as it was). Remembered: every load checks every abstract again."""
    count = OPENING_WORDS * OPENINGS
    words = first_folded_words(abstract, count, OPENING_HEAD * OPENINGS)
    return tuple((place, words[start:start + OPENING_WORDS])
                 for place, start in enumerate(range(0, count, OPENING_WORDS))
                 if start + OPENING_WORDS <= len(words))


def _close_among(names: tuple[str, ...]) -> list[tuple[int, int]]:
    """The pairs (x < y) of places in a group whose titles are at least RENAMED_TITLE alike:
    for each title, the CLOSEST_LATER most alike of the later ones.

    rapidfuzz compares one title with all the later ones in a single call: a group
    of a large catalogue holds hundreds of titles, and so tens of thousands of pairs. The
    limit keeps a group of thousands of titles alike (a dump of one title again and again)
    from making millions of pairs to judge; the same paper again is among the most alike.
    """
    pairs = []
    for x in range(len(names) - 1):
        for _, _, k in process.extract(names[x], names[x + 1:], scorer=fuzz.ratio,
                                       score_cutoff=RENAMED_TITLE, limit=CLOSEST_LATER):
            pairs.append((x, x + 1 + k))
    return sorted(pairs)
