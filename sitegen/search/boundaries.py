"""Where the search data's shards begin, decided for every term at once with NumPy.

Boundaries are content-defined, as in deduplicating backups: a shard ends before a term
whose hash (`term_hashes`) is a multiple of the stride, before and after a term whose entry
is heavy on its own, and before a term that would take it past CAP times the size asked
for. Each rule looks only at the terms since the last boundary, so an edit moves boundaries
near its own terms and nowhere else (unless it changes the stride, a power of two that
follows the catalogue's size).

The first two rules look at one term (or two neighbours) alone, so they are decided for
all terms together. Only the third depends on the shard so far, and only inside a run
between two of those cuts whose entries together pass CAP times the size: the few such runs
are walked term by term. Walking every term so took a third of a second at 50,000 papers
(126,000 terms), on every rebuild of the preview; so did hashing each term with a call of
its own (60 ms), where NumPy hashes them all together in a tenth of that.
"""

from __future__ import annotations

import math

import numpy as np

HEAVY = 2  # an entry of at least 1/HEAVY of a shard stands in a shard of its own
CAP = 4  # no shard of several terms grows past CAP times the size asked for


def shard_starts(hashes: np.ndarray, sizes: np.ndarray, shard_bytes: int) -> list[int]:
    """Where each shard starts: the positions among the terms (in order, of `term_hashes`
    `hashes` and entries of about `sizes` bytes) where a new shard begins, so that shards
    average about `shard_bytes` (see the module)."""
    if not len(hashes):
        return []
    size = np.asarray(sizes, dtype=np.int64)
    heavy = size * HEAVY >= shard_bytes
    cut = heavy.copy()
    cut[1:] |= heavy[:-1]
    cut |= hashes % _stride(size[~heavy], shard_bytes) == 0
    cut[0] = True
    runs = np.flatnonzero(cut)
    totals = np.add.reduceat(size, runs)
    starts: list[int] = []
    ends = [*runs[1:].tolist(), len(hashes)]
    for start, end, total in zip(runs.tolist(), ends, totals.tolist(), strict=True):
        starts.append(start)
        if total > CAP * shard_bytes:
            starts += _capped(size, start, end, CAP * shard_bytes)
    return starts


def _stride(light: np.ndarray, shard_bytes: int) -> np.uint64:
    """The stride of the hash rule: the power of two nearest to the number of light entries
    a shard holds on average (the sum taken exactly, as integers), at most 2**63 (a hash
    is a 64-bit number)."""
    mean = int(light.sum()) / len(light) if len(light) else 1
    return np.uint64(min(2 ** 63, 2 ** max(0, round(math.log2(max(1.0, shard_bytes / mean))))))


# A term's hash: its UTF-8 bytes and a newline b[0..n], summed as b[j] * PRIME**j modulo
# 2**64 and then mixed by SplitMix64's finaliser, so that its low bits (which the stride
# tests) depend on every byte. The same on every machine and in every run.
PRIME = 0x100000001B3
MIX = (30, 0xBF58476D1CE4E5B9, 27, 0x94D049BB133111EB, 31)


def term_hashes(names: list[str]) -> np.ndarray:
    """Every term's hash (see PRIME), computed for all terms together. Terms hold no
    newline (they are words, and the page splits the vocabulary on newlines)."""
    if not names:
        return np.zeros(0, dtype=np.uint64)
    data = np.frombuffer(("\n".join(names) + "\n").encode("utf-8", "surrogatepass"),
                         dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    if len(ends) != len(names):
        raise ValueError("a search term holds a newline")
    starts = np.concatenate(([0], ends[:-1] + 1))
    place = np.arange(len(data)) - np.repeat(starts, ends - starts + 1)  # j, in its term
    powers = np.cumprod(np.full(int(place.max()), PRIME, dtype=np.uint64))
    powers = np.concatenate((np.ones(1, dtype=np.uint64), powers))  # PRIME**j mod 2**64
    return _mixed(np.add.reduceat(data.astype(np.uint64) * powers[place], starts))


def _mixed(summed: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, on every number at once."""
    first, times, second, again, last = (np.uint64(x) for x in MIX)
    summed = (summed ^ (summed >> first)) * times
    summed = (summed ^ (summed >> second)) * again
    return summed ^ (summed >> last)


def _capped(sizes: np.ndarray, start: int, end: int, cap: int) -> list[int]:
    """The starts the CAP rule adds inside the run of terms from `start` to `end` (a shard
    begins at `start`, and none of the other rules cuts before `end`)."""
    found = []
    run = sizes[start:end].tolist()
    size = run[0]
    for i in range(1, len(run)):
        if size + run[i] > cap:
            found.append(start + i)
            size = 0
        size += run[i]
    return found
