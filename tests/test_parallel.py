"""Work shared with a forked process gives what the same work gives in one process."""

from __future__ import annotations

import gc
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen.catalogue.load import load_catalogue
from sitegen.core.meeting import Meeting
from sitegen.core.parallel import (
    beside,
    fork,
    join,
    map_alongside,
    no_cycle_collection,
    set_aside_long_lived,
    split_map,
)

ROOT = Path(__file__).resolve().parent.parent
INVALID = Path(__file__).parent / "fixtures" / "check" / "invalid"
SITE = Path(__file__).parent / "fixtures" / "site"


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


class Unpicklable(Exception):
    """An exception holding what pickle refuses (a lock)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.lock = threading.Lock()


def _raise_unpicklable() -> None:
    raise Unpicklable("the lock was held")


@pytest.mark.parametrize(("func", "message"), [
    (_raise_unpicklable, "a process sharing the work failed: Unpicklable: the lock was held"),
    (threading.Lock, "a process sharing the work failed: its result: cannot pickle "
                     "'_thread.lock' object"),
    (lambda: os.kill(os.getpid(), signal.SIGKILL),
     "a process sharing the work was stopped by SIGKILL (the system may have run out of "
     "memory)"),
    (lambda: os._exit(3), "a process sharing the work ended with status 3 and sent no result"),
], ids=["exception that does not pickle", "result that does not pickle", "killed", "exited"])
def test_a_forked_process_that_sends_nothing_usable_is_said_how_it_ended(func, message):
    with pytest.raises(OSError) as raised:
        join(fork(func))
    assert str(raised.value) == message


def _slow_square(n: int) -> tuple[int, int]:
    time.sleep(0.001)
    return n * n, os.getpid()


def test_map_alongside_maps_every_item_once_in_order_and_runs_alongside():
    ran = []
    value, mapped = map_alongside(_slow_square, list(range(600)),
                                  lambda: ran.append(os.getpid()) or "matched")
    assert value == "matched" and ran == [os.getpid()]
    assert [square for square, _ in mapped] == [n * n for n in range(600)]


def test_map_alongside_shares_the_items_with_a_forked_process_while_alongside_runs():
    _, mapped = map_alongside(_slow_square, list(range(600)), lambda: time.sleep(0.2))
    here = [n for n, (_, pid) in enumerate(mapped) if pid == os.getpid()]
    there = [n for n, (_, pid) in enumerate(mapped) if pid != os.getpid()]
    assert here and there  # this process took the first items, once alongside() was done
    assert max(here) < min(there) and len(there) > len(here) / 2


def test_beside_runs_func_in_another_process_while_here_runs_in_this_one():
    def here() -> tuple[int, float]:
        time.sleep(0.3)
        return os.getpid(), time.monotonic()

    started = time.monotonic()
    (theirs, their_end), (mine, my_end) = beside(lambda: (os.getpid(), time.monotonic()), here)
    assert mine == os.getpid() != theirs
    assert their_end - started < 0.25 < my_end - started  # at the same time, not after


def test_beside_raises_what_either_side_raised():
    def fail(message: str) -> None:
        raise LookupError(message)

    with pytest.raises(LookupError, match="there"):
        beside(lambda: fail("there"), lambda: "here")
    with pytest.raises(LookupError, match="here"):
        beside(lambda: "there", lambda: fail("here"))


def _noting(done: Path, failing: int | None = None) -> Callable[[int], int]:
    """A function of an item that notes which process took it, and fails for `failing`."""
    def func(n: int) -> int:
        with done.open("a") as file:
            file.write(f"{os.getpid()}\n")
        if n == failing:
            raise ValueError(f"item {n}")
        return _slow_square(n)[0]

    return func


def _reaped_others(done: Path) -> int:
    """How many items other processes took, each of which has been waited for."""
    pids = [int(line) for line in done.read_text().split()]
    for pid in set(pids) - {os.getpid()}:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # waited for already: no longer a child of ours
    return sum(pid != os.getpid() for pid in pids)


@pytest.mark.parametrize("failing", [0, 599])  # taken here, and by the forked process
def test_map_alongside_raises_what_an_item_raised(failing, tmp_path):
    done = tmp_path / "done"
    with pytest.raises(ValueError, match=f"item {failing}"):
        map_alongside(_noting(done, failing), list(range(600)), lambda: time.sleep(0.05))
    assert _reaped_others(done) > 0


def test_map_alongside_raises_what_alongside_raised_and_stops_the_other_process(tmp_path):
    done = tmp_path / "done"

    def fail() -> None:
        time.sleep(0.05)
        raise KeyError("alongside")

    with pytest.raises(KeyError, match="alongside"):
        map_alongside(_noting(done), list(range(5000)), fail)
    assert 0 < _reaped_others(done) < 2500  # stopped, not mapping every item


def test_map_alongside_stays_in_one_process_below_its_minimum():
    _, mapped = map_alongside(_slow_square, list(range(10)), lambda: time.sleep(0.05))
    assert {pid for _, pid in mapped} == {os.getpid()}


def test_two_processes_meeting_claim_every_item_once_the_forked_one_from_the_end():
    meeting = Meeting(1000)
    child = fork(lambda: list(meeting.claims(from_end=True, size=7)))
    mine = list(meeting.claims(from_end=False, size=5))
    theirs = join(child)
    assert sorted(mine + theirs) == list(range(1000))
    assert mine == sorted(mine) and theirs == sorted(theirs, reverse=True)
    assert not mine or not theirs or max(mine) < min(theirs)  # they met once, in between


def test_claims_by_share_take_a_share_of_those_left_until_only_the_least_is_worth_it():
    meeting = Meeting(1000)
    child = fork(lambda: list(meeting.claims(from_end=True, size=4, share=8)))
    mine = list(meeting.claims(from_end=False, size=4, share=8))
    assert sorted(mine + join(child)) == list(range(1000))
    alone = Meeting(100)
    claims = alone.claims(from_end=False, size=4, share=8)
    assert next(claims) == 0
    assert alone._claim(False, 4, 8) == range(12, 23)  # 1/8 of the 88 left after 0..11
    assert alone._claim(True, 4, 8) == range(99, 90, -1)
    assert alone._claim(False, 4, 0) == range(23, 27)


def test_a_closed_meeting_gives_no_more_items():
    meeting = Meeting(10)
    claims = meeting.claims(from_end=False, size=3)
    assert [next(claims) for _ in range(3)] == [0, 1, 2]
    meeting.close()
    assert list(claims) == []
    assert list(meeting.claims(from_end=True)) == []


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


class _Node:
    me: _Node | None = None


def test_what_is_set_aside_is_out_of_collections_until_the_next_setting_aside():
    node = _Node()
    node.me = node  # garbage only the cycle collector can find, once dropped
    alive = weakref.ref(node)
    try:
        set_aside_long_lived()
        assert gc.get_freeze_count() > 0
        del node
        gc.collect()
        assert alive() is not None  # set aside: no collection walks it
        set_aside_long_lived()
        assert alive() is None  # put back and collected first: none is lost for good
    finally:
        gc.unfreeze()


def _ended(program: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=60, cwd=ROOT)


def test_leave_runs_exit_handlers_flushes_output_and_ends_with_the_code():
    ended = _ended("import atexit, sys\n"
                   "from sitegen.core.parallel import leave\n"
                   "atexit.register(lambda: print('handler ran'))\n"
                   "sys.stdout.write('no newline yet')\n"
                   "sys.stderr.write('to stderr')\n"
                   "leave(3)\n"
                   "print('never')\n")
    assert (ended.returncode, ended.stdout, ended.stderr) == (
        3, "no newline yethandler ran\n", "to stderr")


_HELD = "class Held:\n    def __del__(self): print('freed', flush=True)\n"


def test_leave_frees_nothing_held_while_a_plain_exit_does():
    program = ("import sys\nfrom sitegen.core.parallel import leave\n" + _HELD +
               "held = Held()\n{exit}(0)\n")
    assert _ended(program.format(exit="sys.exit")).stdout == "freed\n"
    assert _ended(program.format(exit="leave")).stdout == ""


def test_outlive_keeps_a_value_only_in_a_process_that_is_to_leave():
    program = ("from sitegen.core.parallel import leave, leaving_at_end, outlive\n" + _HELD +
               "{announce}def make(): outlive(Held())\n"
               "make()\nprint('made', flush=True)\nleave(0)\n")
    assert _ended(program.format(announce="")).stdout == "freed\nmade\n"
    assert _ended(program.format(announce="leaving_at_end()\n")).stdout == "made\n"


def test_a_build_in_a_process_that_is_to_leave_keeps_its_catalogue_and_paper_cache(tmp_path):
    """Scheduler.long_lived hands what it makes to `outlive`: the catalogue, the pages and
    the paper cache are not freed as the build returns."""
    ended = _ended("import gc, sys, weakref\n"
                   "from pathlib import Path\n"
                   "from sitegen.core import parallel\n"
                   "from sitegen.site import build\n"
                   "parallel.leaving_at_end()\n"
                   f"build.build(Path({str(SITE)!r}), Path({str(tmp_path / 'out')!r}), "
                   "'https://example.org/')\n"
                   "print(sorted(type(kept).__name__ for kept in parallel._outliving))\n"
                   "parallel.leave(0)\n")
    assert ended.stdout == "['Catalogue', 'PageJobs', 'PaperCache']\n", ended.stderr


def test_the_last_work_of_a_process_that_is_to_leave_is_set_aside_not_collected():
    program = ("import gc\n"
               "from sitegen.core.parallel import leave, leaving_at_end, no_cycle_collection\n"
               "{announce}"
               "with no_cycle_collection(last={last}):\n"
               "    made = [[n] for n in range(1000)]\n"
               "print(gc.isenabled(), gc.get_freeze_count() >= 1000, flush=True)\n"
               "leave(0)\n")
    leaving = "leaving_at_end()\n"
    assert _ended(program.format(announce=leaving, last=True)).stdout == "True True\n"
    assert _ended(program.format(announce="", last=True)).stdout == "True False\n"
    assert _ended(program.format(announce=leaving, last=False)).stdout == "True False\n"


def test_leave_lets_a_profiler_write_its_report(tmp_path):
    report, program = tmp_path / "profile", tmp_path / "program.py"
    program.write_text("from sitegen.core.parallel import leave\nleave(5)\n")
    ended = subprocess.run([sys.executable, "-m", "cProfile", "-o", str(report), str(program)],
                           capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert ended.stderr == "" and report.stat().st_size > 0  # (cProfile ends with 0)


def test_leave_waits_for_a_thread_still_running():
    ended = _ended("import threading, time\n"
                   "from sitegen.core.parallel import leave\n"
                   "def late(): time.sleep(0.3); print('thread done', flush=True)\n"
                   "threading.Thread(target=late).start()\n"
                   "leave(4)\n")
    assert (ended.returncode, ended.stdout) == (4, "thread done\n")


def test_the_command_line_leaves_with_its_output_and_code():
    ended = subprocess.run([sys.executable, "-m", "sitegen", "check", "--content",
                            str(INVALID)], capture_output=True, text=True, timeout=120,
                           cwd=ROOT)
    in_process = subprocess.run([sys.executable, "-c", "import sys\n"
                                 "from sitegen.cli import main\n"
                                 f"sys.exit(main(['check', '--content', {str(INVALID)!r}]))"],
                                capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert ended.returncode == in_process.returncode == 1
    assert ended.stdout + ended.stderr == in_process.stdout + in_process.stderr
    assert "error" in ended.stdout + ended.stderr


def test_a_companion_that_fails_says_so_and_ends():
    ended = _ended("import os\n"
                   "from sitegen.core.parallel import companion\n"
                   "def fail(link): raise OSError('no room')\n"
                   "beside = companion(fail)\n"
                   "print(os.waitstatus_to_exitcode(os.waitpid(beside.pid, 0)[1]))\n")
    assert ended.stdout == "1\n"
    assert ended.stderr == "sitegen: a helper process failed: OSError('no room')\n"
