"""Values made from one paper alone, kept from rebuild to rebuild of the preview.

The preview's session keeps each paper file's reading while the file is unchanged
(`site.session.PaperFiles`): an unchanged file gives the very same Paper object to
every rebuild. What is made from a paper alone (its related-paper terms, its search
tokens, its export record) can then be made once per edit instead of once per
rebuild. The values are kept only inside `keeping(memo)`, which the session opens
around its rebuilds with a memo of its own; anywhere else (a command that changes
papers as it goes, such as ingest) each call makes its value afresh.

A value is kept by the identity of its paper (and the other arguments, which must
hash), and dropped when the paper is: nothing in the site's stages changes a
paper, so a paper that is still the same object still gives the same value.

A memo may also be told values made elsewhere (`learn`): `sitegen build` keeps a few
in its cache of parsed paper files, and opens a memo that keeps only those.
"""

from __future__ import annotations

import contextlib
import functools
import operator
import weakref
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from itertools import compress, count
from typing import Concatenate, ParamSpec, TypeVar, cast

from sitegen.core.model import Paper

P = ParamSpec("P")
T = TypeVar("T")


class PaperMemo:
    """The values kept for papers: paper identity -> (paper, {(function, arguments): value});
    those made here too, unless `learnt_only`. One weak reference per paper, whatever the
    number of its values (a build learns several of every paper's)."""

    def __init__(self, learnt_only: bool = False) -> None:
        self.kept: dict[int, tuple[weakref.ref, dict[tuple, object]]] = {}
        self.learnt_only = learnt_only
        self.lists: dict[Callable, tuple[list[Paper], list]] = {}  # see `each`
        self.tables: dict[tuple, tuple[list[Paper], list[list]]] = {}  # see `columns`
        self.tallies: dict[Callable, tuple[list[Paper], Counter]] = {}  # see `tally`

    def value(self, make: Callable, paper: Paper, args: tuple[Hashable, ...]) -> object:
        found = self.kept.get(id(paper))
        if found is not None and found[0]() is paper:
            value = found[1].get((make, args), _NONE)
            if value is not _NONE:
                return value
        value = make(paper, *args)
        if not self.learnt_only:
            self.learn(make, paper, args, value)
        return value

    def each(self, make: Callable, papers: Sequence[Paper]) -> list:
        """make(paper) for each paper: where the paper is the very one the last call had in
        its place, that call's value, looked up in no table (a rebuild's papers are the last
        ones, but for those edited, in the same order); else as `value` gives it."""
        before, found = self.lists.get(make, ((), ()))
        if len(before) != len(papers):
            values = [self.value(make, paper, ()) for paper in papers]
        else:  # the other places found with C loops (50,000 papers: a millisecond)
            values = list(found)
            for k in other_places(before, papers):
                values[k] = self.value(make, papers[k], ())
        if not self.learnt_only:
            self.lists[make] = (list(papers), values)
        return values

    def columns(self, make: Callable, papers: Sequence[Paper], args: tuple[Hashable, ...],
                width: int) -> list[list]:
        """The columns of the rows make(paper, *args) (of `width` values), as `each` makes a
        list: the last call's columns copied and changed only at the places where the
        paper is another object. The memo keeps them: not to be changed."""
        known = self.tables.get((make, args))
        if known is None or len(known[0]) != len(papers):
            columns = _columns([self.value(make, paper, args) for paper in papers], width)
        else:
            columns = [list(column) for column in known[1]]
            for k in other_places(known[0], papers):
                row = cast(tuple, self.value(make, papers[k], args))
                for column, value in zip(columns, row, strict=True):
                    column[k] = value
        if not self.learnt_only:
            self.tables[make, args] = (list(papers), columns)
        return columns

    def tally(self, make: Callable, papers: Sequence[Paper]) -> Counter:
        """How many papers hold each of the values make(paper) holds: the last call's
        counts, changed only by the papers at the places where the paper is another object
        (the very same Counter if none of theirs differs). The memo keeps it: not to be
        changed."""
        known = self.tallies.get(make)
        if known is None or len(known[0]) != len(papers):
            counts = _tally(self._held(make, paper) for paper in papers)
        else:
            before, counts = known
            changes = [(old, new) for old, new in (
                (self._held(make, before[k]), self._held(make, papers[k]))
                for k in other_places(before, papers)) if old != new]
            if changes:
                counts = counts.copy()
                for old, new in changes:
                    counts.subtract(old - new)
                    counts.update(new - old)
                for gone in set().union(*(old - new for old, new in changes)):
                    if counts[gone] <= 0:
                        del counts[gone]
        if not self.learnt_only:
            self.tallies[make] = (list(papers), counts)
        return counts

    def _held(self, make: Callable, paper: Paper) -> set[Hashable]:
        """The values make(paper) holds."""
        return set(cast(Iterable[Hashable], self.value(make, paper, ())))

    def values_of(self, paper: Paper) -> dict[tuple, object]:
        """The values kept for this paper, by (function, arguments)."""
        found = self.kept.get(id(paper))
        return found[1] if found is not None and found[0]() is paper else {}

    def __len__(self) -> int:
        """How many values are kept, for all papers."""
        return sum(len(values) for _, values in self.kept.values())

    def learn(self, make: Callable, paper: Paper, args: tuple[Hashable, ...],
              value: object) -> None:
        """Keep `value` as make(paper, *args) (`make` as `per_paper` was given it)."""
        key, kept = id(paper), self.kept
        found = kept.get(key)
        if found is None or found[0]() is not paper:
            found = kept[key] = (weakref.ref(paper, lambda _: kept.pop(key, None)), {})
        found[1][make, args] = value


_NONE = object()  # no value kept
_active: list[PaperMemo] = []


@contextlib.contextmanager
def keeping(memo: PaperMemo) -> Iterator[None]:
    """Values made from papers inside the block are kept in `memo`, and taken from it."""
    _active.append(memo)
    try:
        yield
    finally:
        _active.remove(memo)


@contextlib.contextmanager
def learning() -> Iterator[None]:
    """Inside the block, the values `learn` is told are kept (and no other) where no memo
    is open already (one that is, such as the preview's, learns them)."""
    if _active:
        yield
        return
    with keeping(PaperMemo(learnt_only=True)):
        yield


def learn(kept: Callable, paper: Paper, args: tuple[Hashable, ...], value: object) -> None:
    """Tell the memo `keeping` opened, if any, that kept(paper, *args) is `value` (`kept`,
    a function `per_paper` made)."""
    if _active:
        _active[-1].learn(kept.__wrapped__, paper, args, value)  # type: ignore[attr-defined]


def for_each(kept: Callable[[Paper], T], papers: Sequence[Paper]) -> list[T]:
    """[kept(paper) for paper in papers], for a function `per_paper` made of the paper alone:
    in the memo `keeping` opened, if any, through `PaperMemo.each`."""
    if not _active:
        return [kept(paper) for paper in papers]
    return _active[-1].each(kept.__wrapped__, papers)  # type: ignore[attr-defined]


def columns_of(kept: Callable[..., tuple], papers: Sequence[Paper], width: int,
               *args: Hashable) -> list[list]:
    """The columns of the rows kept(paper, *args), `width` values each, for a function
    `per_paper` made: in the memo `keeping` opened, if any, through `PaperMemo.columns`
    (and then kept by it: not to be changed)."""
    if not _active:
        return _columns([kept(paper, *args) for paper in papers], width)
    return _active[-1].columns(kept.__wrapped__, papers, args, width)  # type: ignore[attr-defined]


def tally_of(kept: Callable[[Paper], Iterable[Hashable]], papers: Sequence[Paper]) -> Counter:
    """How many of the papers hold each value among kept(paper)'s (a paper counts once
    for a value), for a function `per_paper` made of the paper alone: in the memo `keeping`
    opened, if any, through `PaperMemo.tally` (and then kept by it: not to be changed)."""
    if not _active:
        return _tally(kept(paper) for paper in papers)
    return _active[-1].tally(kept.__wrapped__, papers)  # type: ignore[attr-defined]


def other_places(before: Sequence[object], now: Sequence[object]) -> list[int]:
    """The places where `now` holds another object than `before` (of the same length),
    found with C loops: a rebuild's lists are the last ones but at the papers saved."""
    return list(compress(count(), map(operator.is_not, before, now)))


def _tally(held: Iterable[Iterable[Hashable]]) -> Counter:
    return Counter(value for values in held for value in set(values))


def _columns(rows: list, width: int) -> list[list]:
    """Rows of `width` values as columns."""
    return [list(column) for column in zip(*rows, strict=True)] if rows else [
        [] for _ in range(width)]


def per_paper(make: Callable[Concatenate[Paper, P], T]) -> Callable[Concatenate[Paper, P], T]:
    """`make(paper, *args)`, kept in the memo `keeping` opened, if any (see the module)."""

    @functools.wraps(make)
    def kept(paper: Paper, *args: P.args, **kwargs: P.kwargs) -> T:
        if not _active or kwargs:
            return make(paper, *args, **kwargs)
        return _active[-1].value(make, paper, args)  # type: ignore[return-value]

    return kept
