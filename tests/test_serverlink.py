"""The preview's HTTP server in a process of its own (`serverlink`): it serves only once
told to start, the pages learn of each build this side finishes, this side learns which
pages are open, and the server's process never outlives the one that started it.

Each test binds a real server on a port the system picks and forks its process, as
`sitegen serve` does; requests go over HTTP.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.core.model import Problem
from sitegen.site import livereload
from sitegen.site.livereload import Builds
from sitegen.site.output import write_site
from sitegen.site.servehttp import Served, bind
from sitegen.site.serverlink import ServerProcess

DEADLINE = 10.0  # seconds any wait may take before the test fails
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[ServerProcess, str]]:
    """A server process over a small site, started, and its address; stopped afterwards."""
    out = tmp_path / "out"
    write_site({"index.html": b"home", "a/index.html": b"page a"}, out)
    server = bind("127.0.0.1", 0, Served(out.resolve(), Builds()))
    assert server is not None
    beside = ServerProcess(server)
    server.server_close()  # as `serve` does: only the server's process listens
    beside.start()
    yield beside, f"http://127.0.0.1:{server.server_address[1]}/"
    beside.stop()


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=DEADLINE) as answer:
        return answer.read()


def build_state(url: str, page: str = "/", since: str = "") -> dict:
    return json.loads(get(f"{url}__build?page={page}&since={since}"))


def test_the_server_process_answers_once_this_one_stopped_listening(started):
    _, url = started
    assert get(url) == b"home"
    assert get(url + "a/") == b"page a"


def test_each_finished_build_reaches_the_pages_with_its_problems(started):
    beside, url = started
    first = build_state(url)["build"]
    beside.finished([])
    second = build_state(url)
    assert second["build"] != first and second["problems"] == []
    beside.finished([Problem("content/papers/x.yaml", 3, "title", "is empty", "write one")])
    third = build_state(url)
    assert third["build"] != second["build"]
    assert any("content/papers/x.yaml:3" in line for line in third["problems"])


def test_builds_in_the_same_clock_tick_still_have_different_ids(monkeypatch):
    monkeypatch.setattr("sitegen.site.livereload.time.time_ns", lambda: 1_000)
    builds = Builds()
    seen = {builds.id}
    for _ in range(3):
        builds.show([])
        seen.add(builds.id)
    assert len(seen) == 4


def test_a_page_waiting_for_the_next_build_is_known_here_as_open(started):
    beside, url = started
    assert beside.open_pages() == set()
    since = build_state(url)["build"]
    answers: list[dict] = []
    waiting = threading.Thread(target=lambda: answers.append(build_state(url, "/a/", since)))
    waiting.start()
    deadline = time.monotonic() + DEADLINE
    while beside.open_pages() != {"/a/"}:
        assert time.monotonic() < deadline, "the waiting page was never reported open"
        time.sleep(0.02)
    beside.finished([])  # the page's answer comes now, with the new build
    waiting.join(DEADLINE)
    assert answers and answers[0]["build"] != since
    assert beside.open_pages() == {"/a/"}  # it asked a moment ago, and will ask again


def test_a_request_made_before_the_start_is_answered_once_started(tmp_path):
    out = tmp_path / "out"
    write_site({"index.html": b"home"}, out)
    server = bind("127.0.0.1", 0, Served(out.resolve(), Builds()))
    assert server is not None
    beside = ServerProcess(server)
    server.server_close()
    answers: list[bytes] = []
    asking = threading.Thread(target=lambda: answers.append(
        get(f"http://127.0.0.1:{server.server_address[1]}/")))
    try:
        asking.start()
        time.sleep(0.3)
        assert not answers  # waiting in the queue, not refused
        beside.start()
        asking.join(DEADLINE)
        assert answers == [b"home"]
    finally:
        beside.stop()


STARTER = """
import sys, time
from pathlib import Path
from sitegen.site.livereload import Builds
from sitegen.site.servehttp import Served, bind
from sitegen.site.serverlink import ServerProcess
server = bind("127.0.0.1", 0, Served(Path(sys.argv[1]).resolve(), Builds()))
beside = ServerProcess(server)
server.server_close()
beside.start()
print(server.server_address[1], beside._beside.pid, flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_the_server_process_ends_with_the_process_that_started_it(tmp_path, how):
    write_site({"index.html": b"home"}, tmp_path / "out")
    starter = subprocess.Popen([sys.executable, "-c", STARTER, str(tmp_path / "out")],
                               cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        port, pid = map(int, starter.stdout.readline().split())
        assert get(f"http://127.0.0.1:{port}/") == b"home"
        starter.send_signal(how)
        starter.wait(DEADLINE)
        deadline = time.monotonic() + DEADLINE
        while _alive(pid):
            assert time.monotonic() < deadline, "the server process outlived its starter"
            time.sleep(0.05)
        with pytest.raises(OSError):
            get(f"http://127.0.0.1:{port}/")
    finally:
        starter.kill()
        starter.wait()


def _alive(pid: int) -> bool:
    """Whether a process (not this one's child: never waited for here) still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.is_file() and stat.read_text().split(") ")[1].startswith("Z"))


def test_answers_held_back_leave_the_browser_connections_for_its_pages(monkeypatch):
    """A browser opens six connections to a host: with HELD answers held back, the pages
    asking after them are answered at once and told to ask again later (a seventh tab
    hung), and each counts as open while it asked in the last OPEN_S seconds."""
    builds = Builds()
    since = builds.id
    held = [threading.Thread(target=builds.answer, args=(f"page=/{n}/&since={since}", None))
            for n in range(livereload.HELD)]
    for thread in held:
        thread.start()
    deadline = time.monotonic() + DEADLINE
    while len(builds.open_pages()) < livereload.HELD:
        assert time.monotonic() < deadline, "the answers were never held back"
        time.sleep(0.02)
    started = time.monotonic()
    answer = json.loads(builds.answer(f"page=/more/&since={since}", None))
    assert time.monotonic() - started < 1  # not held back
    assert answer == {"build": since, "page": "", "problems": [],
                      "again": livereload.AGAIN_MS}
    assert "/more/" in builds.open_pages()
    builds.show([])
    for thread in held:
        thread.join(DEADLINE)
    now = time.monotonic()
    monkeypatch.setattr(livereload.time, "monotonic", lambda: now + livereload.OPEN_S + 1)
    assert builds.open_pages() == set()  # none asked since
