"""Work shared with a forked process gives what the same work gives in one process."""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest

from sitegen.catalogue.load import load_catalogue
from sitegen.core.parallel import no_cycle_collection, split_map

ROOT = Path(__file__).resolve().parent.parent
INVALID = Path(__file__).parent / "fixtures" / "check" / "invalid"


def test_split_map_keeps_the_order():
    items = list(range(1000))
    assert split_map(lambda n: n * n, items) == [n * n for n in items]


def test_split_map_raises_what_the_child_raised():
    def func(n: int) -> int:
        if n == 900:  # in the half the forked process computes
            raise ValueError("nine hundred")
        return n

    with pytest.raises(ValueError, match="nine hundred"):
        split_map(func, list(range(1000)))


def test_parallel_loading_reports_the_same_problems(tmp_path: Path):
    """The shipped catalogue plus every broken paper of the check fixtures."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns("dumps"))
    for broken in sorted(INVALID.glob("*/papers/*.yaml")):
        shutil.copy(broken, content / "papers" / f"{broken.parent.parent.name}-{broken.name}")
    serial, parallel = load_catalogue(content), load_catalogue(content, parallel=True)
    messages = [problem.message for problem in serial.problems]
    assert len(messages) > 10 and any("looks like the same paper" in m for m in messages)
    assert parallel.problems == serial.problems
    assert parallel.papers == serial.papers


def test_split_map_stays_in_one_process_below_its_minimum():
    def pid(_item):
        return os.getpid()

    assert set(split_map(pid, list(range(300)), min_items=301)) == {os.getpid()}
    assert len(set(split_map(pid, list(range(300)), min_items=300))) == 2


def test_no_cycle_collection_pauses_the_collector_and_restores_it():
    assert gc.isenabled()
    with no_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with no_cycle_collection():
            pass
        assert not gc.isenabled()  # a collector paused by the caller stays paused
    finally:
        gc.enable()
