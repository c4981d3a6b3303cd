"""What rendering a page read besides its context: which templates Jinja loaded, which of
the site's settings and which static files' versions it looked at.

A page is a pure function of its template, its typed context and these reads: when a
later build finds the context and every value it read unchanged, rendering it again
would give the same bytes (and read the same things), so its last bytes can be reused.
Reads are noted as (kind, name) pairs, in this thread, while a `recording()` is open.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import threading
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sitegen.site.digest import digest
from sitegen.site.settings import Site

Read = tuple[str, str]  # ("template", name), ("site", setting) or ("asset", name)
R = TypeVar("R")

_local = threading.local()


def as_read(name: str) -> Read:
    """A read from its name in a manifest, "kind\0name"."""
    kind, _, what = name.partition("\0")
    return kind, what


def record(kind: str, name: str) -> None:
    """Note a read in every recording open in this thread."""
    for reads in getattr(_local, "open", ()):
        reads.add((kind, name))


def record_all(made: frozenset[Read]) -> None:
    """Note these reads in every recording open in this thread (`record`, for each)."""
    for reads in getattr(_local, "open", ()):
        reads.update(made)


@contextlib.contextmanager
def recording() -> Iterator[set[Read]]:
    """The reads made until the block ends (those of recordings within it too)."""
    reads: set[Read] = set()
    stack = _local.__dict__.setdefault("open", [])
    stack.append(reads)
    try:
        yield reads
    finally:
        stack.remove(reads)


class Renders(Protocol):
    """Partials earlier builds rendered, as one build sees them: `made(make, arg)` is
    make(arg) and the reads making it made, taken where one was kept (`BuildRenders`,
    `itemmemo.ItemRenders`)."""

    def made(self, make: Callable[[Any], Any], arg: Any) -> tuple[Any, frozenset[Read]]: ...

    def save(self, shown: Callable[[], Collection[str]]) -> None:
        """Keep what this build made for the next, but for the partials of arguments no
        longer `shown()` (by their digests)."""


class RenderMemo(Protocol):
    """Where partials are kept from build to build (`KeptRenders`, `itemmemo.ItemMemo`)."""

    def for_build(self, values: ReadValues) -> Renders: ...


class KeptOnly(Protocol):
    """Partials an earlier build kept, as one build sees them, taken but never made
    (`itemmemo.ItemRenders.kept`)."""

    def kept(self, arg: Any) -> tuple[Any, frozenset[Read]] | None: ...


class KeptOnlyMemo(Protocol):
    def for_build(self, values: ReadValues) -> KeptOnly: ...


def remembered(make: Callable[..., R], kept: Renders | None = None) -> Callable[..., R]:
    """`make`, computed once per argument, whose reads count for every caller: a partial
    rendered once for all pages is read by each page that shows it. With `kept`, a value
    an earlier build made is taken again too, while its reads are unchanged."""

    @functools.cache
    def made(*args) -> tuple[R, frozenset[Read]]:
        with recording() as reads:
            value = make(*args)
        return value, frozenset(reads)

    def call(*args) -> R:
        value, reads = made(*args) if kept is None else kept.made(make, *args)
        record_all(reads)
        return value

    return call


class KeptRenders:
    """Partials rendered by earlier builds (the preview's session keeps one across its
    rebuilds), by their one argument's `id` (a paper's item): each with that argument and
    the value of every read it made. One is taken again while the argument is equal and
    every read has the same value in the build asking (see `BuildRenders`); the others
    are made again. One per paper id: an edited paper's partial replaces its last one."""

    def __init__(self, earlier: KeptOnlyMemo | None = None) -> None:
        """`earlier`: where a partial this has not kept may have been kept by another build
        (the items memo `sitegen build` writes, which the preview's start-up build wrote:
        else its first rebuild would render again every item of the lists it makes)."""
        self.kept: dict[str, tuple[object, object, tuple[tuple[Read, str], ...]]] = {}
        self.earlier = earlier

    def for_build(self, values: ReadValues) -> BuildRenders:
        return BuildRenders(self, values,
                            None if self.earlier is None else self.earlier.for_build(values))


@dataclasses.dataclass(frozen=True)
class BuildRenders:
    """The kept partials as one build sees them, with the values of its reads."""

    kept: KeptRenders
    values: ReadValues
    earlier: KeptOnly | None = None
    # by the argument's id, those this build took or made, with that very argument: a
    # paper's item is asked for by every list showing it, its reads checked once
    sure: dict[str, tuple[object, object, frozenset[Read]]] = dataclasses.field(
        default_factory=dict)

    def made(self, make: Callable[..., R], arg) -> tuple[R, frozenset[Read]]:
        sure = self.sure.get(arg.id)
        if sure is not None and sure[0] is arg:
            return sure[1], sure[2]  # type: ignore[return-value]
        value, noted = self._made(make, arg)
        self.sure[arg.id] = (arg, value, noted)
        return value, noted

    def _made(self, make: Callable[..., R], arg) -> tuple[R, frozenset[Read]]:
        kept, values = self.kept.kept, self.values
        found = kept.get(arg.id)
        if found is not None and found[0] == arg and all(values(read) == was
                                                         for read, was in found[2]):
            return found[1], frozenset(read for read, _ in found[2])  # type: ignore[return-value]
        taken = self.earlier.kept(arg) if self.earlier is not None else None
        if taken is not None:
            value, noted = taken
        else:
            with recording() as reads:
                value = make(arg)
            noted = frozenset(reads)
        kept[arg.id] = (arg, value, tuple((read, values(read)) for read in sorted(noted)))
        return value, noted

    def save(self, shown: Callable[[], Collection[str]]) -> None:
        """Nothing to write: they are kept in memory, one per paper."""


class ReadValues:
    """The value of each read a page can make, as this build sees it, as a digest: taken
    when the build starts (a template saved during the build counts as changed next time)."""

    def __init__(self, site: Site, versions: dict[str, str]):
        self.site, self.versions = site, versions
        self.templates = {path.relative_to(site.templates).as_posix():
                          hashlib.sha256(path.read_bytes()).hexdigest()
                          for path in sorted(site.templates.rglob("*")) if path.is_file()}
        self.known: dict[Read, str] = {}

    def __call__(self, read: Read) -> str:
        found = self.known.get(read)
        if found is None:
            found = self.known[read] = self._value(read)
        return found

    def _value(self, read: Read) -> str:
        kind, name = read
        if kind == "template":
            return self.templates.get(name, "missing")
        if kind == "asset":
            return self.versions.get(name, "missing")
        if kind == "site":
            value = getattr(self.site, name, None)
            return digest(str(value) if isinstance(value, Path) else value)
        raise ValueError(f"no such kind of read: {kind}")
