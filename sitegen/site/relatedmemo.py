"""The related-papers index of the last build, kept for the next one to start from.

Weighing every paper's terms and finding every paper's related papers is most of a
build's work after a small edit (about ten seconds at 20,000 papers): an index made
from the last one's state (`RelatedIndex(..., earlier)`, `carry_over`) weighs again and
finds again only what the edit can change. The preview's session keeps the last index
in memory; `sitegen build` keeps its state beside the output, in the build record, in
the format of `relatedpacked`: a whole state (the base), written by a build with no state
to start from, or one that changed much of it, and beside it the papers an edit changed
since (the changes: every paper's text digest and each term's count, with the changed
papers' terms, labels and lists), which is all a build after a small edit writes (writing
the whole state again took half a second at 20,000 papers, a second at 50,000).

Each file is written whole (`write_atomic`); the changes name the base they apply to, by
a token the base holds, and are ignored with any other. A state is a fact about the
catalogue, true whichever build wrote it, so a base read without its changes is still
one to start from: an earlier catalogue's. A file that does not read back whole, or was
written by other code, is ignored, and the index is made afresh.
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from sitegen.site.output import write_atomic
from sitegen.site.packed import read
from sitegen.site.related import RelatedIndex
from sitegen.site.relatedpacked import (
    CHANGES_MAGIC,
    MAGIC,
    Base,
    apply_changes,
    base_parts,
    dump,
    dump_changes,
    state_of,
)
from sitegen.site.relatedterms import IndexState

RELATED_INDEX = "related-index.bin"  # its name in the build record
CHANGES = ".changes"  # the changes' file: the base's name with this after it
WHOLE_FROM = 4  # the whole state is written again once a changes file would hold more
#                 than a WHOLE_FROM-th of the papers


@dataclass(frozen=True)
class Stored:
    """A state read back, with its base's token and terms, and the papers (by number) whose
    data came from the changes, not the base."""

    state: IndexState
    token: str
    terms: list[str]
    changed: frozenset[int]


class RelatedMemo:
    """The state of the last related-papers index, read from and written beside `path`."""

    def __init__(self, path: Path):
        self.path = path
        self.changes = changes_path(path)
        self.stored: Stored | None = None

    def earlier(self) -> IndexState | None:
        self.stored = load_stored(self.path)
        return None if self.stored is None else self.stored.state

    def keep(self, index: RelatedIndex) -> None:
        """Write the changes since the base read (`earlier`), or the whole state."""
        state = index.state(in_memory=False)
        changed = changed_papers(self.stored, state) if self.stored else None
        with contextlib.suppress(OSError):  # a cache: the build goes on without it
            if self.stored is not None and changed is not None and (
                    WHOLE_FROM * len(changed) <= len(state.ids)):
                base = Base(self.stored.token, len(self.stored.terms))
                write_atomic(self.changes, dump_changes(state, base, sorted(changed)))
                return
            write_atomic(self.path, dump(state, secrets.token_hex(8)))
            self.changes.unlink(missing_ok=True)  # it names the base replaced: never read


def changes_path(path: Path) -> Path:
    return path.with_name(path.name + CHANGES)


def load(path: Path) -> IndexState | None:
    """The state kept in `path` and its changes, or None if there is none this code can use."""
    stored = load_stored(path)
    return None if stored is None else stored.state


def load_stored(path: Path) -> Stored | None:
    base = read(path, MAGIC, base_parts)
    if base is None:
        return None
    parts, token = base
    terms = parts.terms[:]
    changed = read(changes_path(path), CHANGES_MAGIC,
                   lambda head, arrays: apply_changes(parts, token, head, arrays))
    return Stored(state_of(parts), token, terms, frozenset(changed or ()))


def changed_papers(stored: Stored, state: IndexState) -> frozenset[int] | None:
    """The papers (by number) whose data differs from the stored base's: those the changes
    held, and those the index made from the stored state weighed, labelled or listed anew
    (`IndexState.renewed`). None if that is not known: an index not made from it, or made
    for other papers. (An index made from it for the same papers numbers the terms as the
    base does, and any it added after them.)"""
    if state.renewed is None or state.renewed[0] != id(stored.state):
        return None
    return stored.changed | state.renewed[1]
