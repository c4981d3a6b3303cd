"""The look-alike check's verdicts of the last build, kept beside the output for the next.

Judging the pairs of titles that may be one paper took a fifth of the loading of 20,000
papers (10,000 pairs), in every build, though an edit changes the pairs of one paper. A
verdict is a function of the two texts judged and of the code (`catalogue.lookalikes`),
so each is kept by the digest of the texts and void when the code changes. One file
(`packed`); the verdicts a build did not ask for are dropped when it writes it, which it
does only when it judged a pair afresh or left one out. A file that does not read back
whole, or was written by other code, is ignored, and every pair judged again.
"""

from __future__ import annotations

import contextlib
import math
from array import array
from pathlib import Path
from typing import Any

from sitegen.catalogue.match import Verdict
from sitegen.site.codedigest import code_digest
from sitegen.site.output import write_atomic
from sitegen.site.packed import pack, read

MAGIC = b"sitegen look-alike verdicts\n"
VERDICTS = "verdicts.bin"  # its name in the build record


class VerdictMemo:
    """Verdicts by the key of the texts they judged (`lookalikes.Judged`), from and to `path`."""

    def __init__(self, path: Path):
        self.path = path
        self.version = code_digest()
        self.kept: dict[str, Verdict] | None = None  # read when first asked
        self.used: dict[str, Verdict] = {}
        self.changed = False

    def get(self, key: str) -> Verdict | None:
        found = self._kept().get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, verdict: Verdict) -> None:
        self.used[key] = verdict
        self.changed = True

    def _kept(self) -> dict[str, Verdict]:
        """The verdicts in the file (read when first asked for)."""
        if self.kept is None:
            self.kept = read(self.path, MAGIC, self._current) or {}
        return self.kept

    def save(self) -> None:
        """Write the verdicts asked for, if they are not those in the file."""
        if self.kept is None or not (self.changed or len(self.used) < len(self.kept)):
            return
        with contextlib.suppress(OSError):  # a cache: the build goes on without it
            write_atomic(self.path, self._dump(self.used))

    def _dump(self, verdicts: dict[str, Verdict]) -> bytes:
        kinds = sorted({(v.decision, v.reason) for v in verdicts.values()})
        number = {kind: n for n, kind in enumerate(kinds)}
        head = {"version": self.version, "keys": list(verdicts), "kinds": kinds}
        return pack(MAGIC, head, [
            array("i", (number[v.decision, v.reason] for v in verdicts.values())),
            array("d", (v.title_score for v in verdicts.values())),
            array("d", (math.nan if v.abstract_score is None else v.abstract_score
                        for v in verdicts.values()))])

    def _current(self, head: dict[str, Any], arrays: list[array]) -> dict[str, Verdict] | None:
        return _verdicts(head, arrays) if head.get("version") == self.version else None


def _verdicts(head: dict[str, Any], arrays: list[array]) -> dict[str, Verdict]:
    """The verdicts of a file's head and arrays (ValueError if they do not agree)."""
    keys, kinds = head["keys"], [(str(d), str(r)) for d, r in head["kinds"]]
    chosen, titles, abstracts = arrays
    if (not len(keys) == len(chosen) == len(titles) == len(abstracts)
            or (chosen.typecode, titles.typecode, abstracts.typecode) != ("i", "d", "d")
            or any(not 0 <= n < len(kinds) for n in chosen)):
        raise ValueError("the parts of the file do not agree")
    return {str(key): Verdict(kinds[n][0], title, None if math.isnan(score) else score,
                              kinds[n][1])
            for key, n, title, score in zip(keys, chosen, titles, abstracts, strict=True)}
