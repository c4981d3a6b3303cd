"""Where the search data's shards begin: content-defined, and decided for all terms at once
exactly as a walk through the terms one by one decides them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.search.boundaries import CAP, HEAVY, shard_starts, term_hashes

WORDS = st.text(st.characters(blacklist_characters="\n"), max_size=6)


def hash_of(name: str) -> int:
    """A term's hash, byte by byte: the specification of `term_hashes`."""
    summed, power = 0, 1
    for byte in name.encode("utf-8", "surrogatepass") + b"\n":
        summed = (summed + byte * power) % 2 ** 64
        power = power * 0x100000001B3 % 2 ** 64
    for shift, times in ((30, 0xBF58476D1CE4E5B9), (27, 0x94D049BB133111EB)):
        summed = (summed ^ summed >> shift) * times % 2 ** 64
    return summed ^ summed >> 31


def starts_of(names: list[str], sizes: list[int], shard_bytes: int) -> list[int]:
    """`shard_starts` of these terms, hashed."""
    return shard_starts(term_hashes(names), np.array(sizes, dtype=np.int64), shard_bytes)


def walked_starts(names: list[str], sizes: list[int], shard_bytes: int) -> list[int]:
    """The rules of `boundaries`, applied to one term after another: the specification."""
    heavy = [size * HEAVY >= shard_bytes for size in sizes]
    light = [size for size, big in zip(sizes, heavy, strict=True) if not big]
    mean = sum(light) / len(light) if light else 1
    stride = min(2 ** 63, 2 ** max(0, round(math.log2(max(1.0, shard_bytes / mean)))))
    starts: list[int] = []
    size = 0
    for i, name in enumerate(names):
        cut = not starts or heavy[i] or heavy[i - 1] or size + sizes[i] > CAP * shard_bytes
        if cut or hash_of(name) % stride == 0:
            starts.append(i)
            size = 0
        size += sizes[i]
    return starts


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, st.integers(12, 400)), max_size=300),
       st.integers(1, 600))
def test_the_starts_are_those_a_walk_through_the_terms_finds(entries, shard_bytes):
    """Any terms (heavy ones, runs that pass the cap, a surrogate) and any shard size."""
    names = [name for name, _ in entries]
    sizes = [size for _, size in entries]
    assert starts_of(names, sizes, shard_bytes) == walked_starts(names, sizes, shard_bytes)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=50))
@example(["", "llama", "\u00e9t\u00e9", "\udc80", "\U0001f999"])
def test_the_hashes_of_all_terms_together_are_those_of_each_term(names):
    """Any words: empty, non-ASCII, a lone surrogate."""
    assert term_hashes(names).tolist() == [hash_of(name) for name in names]


def test_a_term_with_a_newline_is_refused():
    with pytest.raises(ValueError, match="newline"):
        term_hashes(["two\nwords"])


def test_a_run_of_light_terms_no_hash_cuts_is_cut_at_the_cap():
    """With a stride no term's hash divides, only the cap cuts the light terms."""
    names = [f"t{n}" for n in range(400)]
    starts = starts_of(names, [12] * 400, 2 ** 40)
    assert starts == walked_starts(names, [12] * 400, 2 ** 40) == [0]
    capped = starts_of(names, [12] * 400, 100)
    assert capped == walked_starts(names, [12] * 400, 100)
    assert all(b - a <= CAP * 100 // 12 for a, b in zip(capped, [*capped[1:], 400], strict=True))


def test_no_terms_no_shard():
    assert starts_of([], [], 100) == []


def test_shard_boundaries_depend_only_on_the_terms_near_them():
    """An entry grown heavy stands alone; the shards far from it are the same terms."""
    names = [f"term{n:04d}" for n in range(2000)]
    starts = starts_of(names, [10] * 2000, 200)
    assert 2000 / 40 < len(starts) < 2000 / 10  # the stride is about 20 entries
    changed = starts_of(names, [10] * 1000 + [150] + [10] * 999, 200)
    assert {1000, 1001} <= set(changed)
    assert set(changed) ^ set(starts) <= {1000, 1001}


def test_a_term_that_would_take_its_shard_one_byte_past_the_cap_starts_one():
    """Nine light terms whose hashes cut nowhere (odd, with a stride of 2), 1,601 bytes in
    all where the cap is 1,600: the ninth begins a shard."""
    names = [name for name in (f"w{n}" for n in range(100)) if hash_of(name) % 2][:9]
    sizes = [199] * 8 + [9]
    assert starts_of(names, sizes, 400) == walked_starts(names, sizes, 400) == [0, 8]
    assert starts_of(names, [*sizes[:-1], 8], 400) == [0]  # 1,600 bytes: one shard
