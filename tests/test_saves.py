"""The saves waiting for the preview's builder: taken all at once, each given once to a
running rebuild for a first look, and still waiting for the next rebuild after that."""

from __future__ import annotations

import threading
import time

from sitegen.site.saves import Saves


def test_every_waiting_save_is_taken_at_once_and_then_none():
    saves = Saves()
    saves.add(["b.yaml", "a.yaml"])
    saves.add(["a.yaml", "c.yaml"])
    assert saves.take(timeout=1) == {"a.yaml", "b.yaml", "c.yaml"}
    assert saves.take(timeout=0.01) == set()


def test_a_running_rebuild_sees_each_save_once_and_the_next_one_still_builds_it():
    saves = Saves()
    assert saves.unseen() == []
    saves.add(["b.yaml", "a.yaml"])
    assert saves.unseen() == ["a.yaml", "b.yaml"]
    saves.add(["c.yaml"])
    assert saves.unseen() == ["c.yaml"]
    assert saves.unseen() == []
    assert saves.take(timeout=1) == {"a.yaml", "b.yaml", "c.yaml"}
    saves.add(["a.yaml"])
    assert saves.unseen() == ["a.yaml"]  # saved again after it was taken: new again
    saves.add(["a.yaml"])
    assert saves.unseen() == ["a.yaml"]  # saved again before it was taken: new again too


def test_the_builder_waits_for_a_save_from_another_thread():
    saves = Saves()
    threading.Timer(0.05, saves.add, [["late.yaml"]]).start()
    start = time.monotonic()
    assert saves.take(timeout=5) == {"late.yaml"}
    assert time.monotonic() - start < 4
