"""Which papers of a catalogue could be the same paper, found without comparing every pair
(`candidate_pairs`), for `match.compare` to judge: the look-alike check of every load, and
what ingest's `TitleIndex` and `sitegen evaluate` ask by the same keys."""

from __future__ import annotations

import bisect
import functools
import itertools
import threading
from collections import Counter
from collections.abc import Iterator

from rapidfuzz import fuzz, process

from sitegen.catalogue.match import RENAMED_TITLE
from sitegen.core.parallel import split_map
from sitegen.core.text import CACHED, first_folded_words, title_tokens

BLOCKING_TOKENS = 4  # a title's rarest words that a look-alike must share one of
CLOSEST_LATER = 50  # the later titles of a group each title is paired with, at most
OPENING_WORDS, OPENINGS = 8, 2  # runs of words at an abstract's start: a renamed paper keeps one
OPENING_HEAD = 200  # characters of an abstract folded to find the runs, unless too few
SAME_TEXT = "#text "  # what starts the key of an abstract's opening runs all together
# (a title's keys are a word and a number: no "#")


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
        held = [(key, group) for key, group in self.holders.items() if len(group) > 1]
        groups = [group for key, group in held if not same_text_key(key)]
        named = [tuple(names[i] for i in group) for group in groups]
        self._find_close(named, parallel)
        found = {(group[x], group[y]) for group, key in zip(groups, named, strict=True)
                 for x, y in self.close[key]}
        found.update(pair for key, group in held if same_text_key(key)
                     for pair in _later_pairs(group))
        return sorted(found)

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
def abstract_keys(abstract: str) -> tuple[str, ...]:
    """The keys a renamed paper keeps: its abstract's first OPENINGS whole runs of
    OPENING_WORDS folded words, each with its place ("Llama 3" made "Llama 3.1" in one run
    leaves the next as it was), and all of those words together (`SAME_TEXT`: a paper
    retitled whole keeps them). Strings, which hash once and hold no other objects (a
    catalogue's keys are hundreds of thousands). Remembered: every load checks every
    abstract again."""
    count = OPENING_WORDS * OPENINGS
    words = first_folded_words(abstract, count, OPENING_HEAD)
    runs = tuple(f"#{place} " + " ".join(words[start:start + OPENING_WORDS])
                 for place, start in enumerate(range(0, count, OPENING_WORDS))
                 if start + OPENING_WORDS <= len(words))
    return (*runs, SAME_TEXT + " ".join(words)) if len(words) == count else runs


def same_text_key(key: object) -> bool:
    """Whether a key is an abstract's opening words all together: the papers holding one
    are paired whatever their titles, as a paper retitled whole keeps its abstract."""
    return isinstance(key, str) and key.startswith(SAME_TEXT)


def _later_pairs(group: list[int]) -> Iterator[tuple[int, int]]:
    """Each of a group's papers with the CLOSEST_LATER that follow it, whatever their
    titles (a group of one text held again and again stays linear)."""
    for x, first in enumerate(group):
        for second in group[x + 1:x + 1 + CLOSEST_LATER]:
            yield first, second


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
