"""`sitegen serve`, run for real: a subprocess serving a three-paper copy of the catalogue.

Every test starts its own server on a port the system picks (`--port 0`; the
address is read from the "Serving ..." line), talks to it over HTTP and edits
the copied content to make it rebuild. Waits are polling loops with a deadline;
the `serve` fixture terminates every process it started.
"""

from __future__ import annotations

import dataclasses
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from sitegen.catalogue.store import read_paper, serialise
from sitegen.site.build import build

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 10.0  # seconds any wait may take before the test fails
RELOAD_TAG = '<script src="/__reload.js" defer></script>'

# `python -m sitegen`, except that Ctrl+C (SIGINT) is honoured even when the tests
# themselves run in the background, where the shell makes children ignore it.
RUN_SITEGEN = ("import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
               "from sitegen.cli import main; sys.exit(main(sys.argv[1:]))")


class Response(NamedTuple):
    status: int
    headers: dict[str, str]
    body: str


class Server:
    """A running `sitegen serve` process and everything it has printed so far."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUN_SITEGEN, "serve", "--content", "content", *args],
            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.out: list[str] = []
        self.err: list[str] = []
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=_collect, args=(stream, lines), daemon=True).start()
        serving = wait_for(lambda: next((line for line in self.out
                                         if line.startswith("Serving ")), None))
        self.url = serving.split()[1]  # "Serving http://127.0.0.1:PORT/ (Ctrl+C to stop)"

    def get(self, path: str) -> Response:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=5) as response:
                return Response(response.status, dict(response.headers),
                                response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode("utf-8"))

    def build_id(self) -> str:
        return self.get("/__build").body

    def stop(self) -> int:
        """Ctrl+C, as a person would press it; the exit status."""
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=DEADLINE)

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _collect(stream, lines: list[str]) -> None:
    for line in stream:
        lines.append(line.rstrip("\n"))


def wait_for(probe: Callable[[], object], what: str = "the server") -> object:
    """The first truthy value probe returns, polling until DEADLINE."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = probe()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"waited {DEADLINE} s for {what}")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A small catalogue: the shipped taxonomy and site settings, and three papers."""
    root = tmp_path / "content"
    (root / "papers").mkdir(parents=True)
    for name in ("taxonomy.yaml", "site.yaml"):
        shutil.copy(ROOT / "content" / name, root / name)
    for paper in sorted((ROOT / "content" / "papers").glob("*.yaml"))[:3]:
        shutil.copy(paper, root / "papers" / paper.name)
    return root


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start `sitegen serve` in tmp_path; every server started is terminated afterwards."""
    servers: list[Server] = []

    def start(*args: str) -> Server:
        servers.append(Server(tmp_path, "--port", "0", *args))
        return servers[-1]

    yield start
    for server in servers:
        server.terminate()


def first_paper(content: Path) -> Path:
    return sorted((content / "papers").glob("*.yaml"))[0]


def retitle(path: Path, title: str) -> None:
    """Change a paper's title, keeping the file in canonical form."""
    paper, _, problems = read_paper(path, path.name)
    assert paper is not None, problems
    path.write_bytes(serialise(dataclasses.replace(paper, title=title)))


def test_serves_the_site_with_the_live_reload_script(content, serve):
    server = serve()
    home = server.get("/")
    assert home.status == 200
    assert RELOAD_TAG in home.body
    script = server.get("/__reload.js")
    assert script.status == 200
    assert "/__build" in script.body and "location.reload()" in script.body
    build_id = server.get("/__build")
    assert build_id.status == 200
    assert build_id.body.strip()
    assert build_id.headers["Cache-Control"] == "no-store"
    assert server.out[0].startswith("built in ")


def test_an_edit_rebuilds_and_changes_the_build_id(content, serve):
    server = serve()
    before = server.build_id()
    paper = first_paper(content)
    retitle(paper, "A Title Edited While Serving")

    after = wait_for(lambda: (now := server.build_id()) != before and now, "a rebuild")
    page = server.get(f"/papers/{paper.stem}/")
    assert page.status == 200
    assert "A Title Edited While Serving" in page.body
    assert RELOAD_TAG in page.body
    assert any(line.startswith("rebuilt in ") for line in server.out)
    assert server.build_id() == after


def test_a_broken_edit_keeps_the_old_site_and_prints_the_error(content, serve):
    server = serve()
    paper = first_paper(content)
    page = server.get(f"/papers/{paper.stem}/")
    before = (server.build_id(), page.status, page.body)  # not the headers: Date ticks
    original = paper.read_bytes()
    paper.write_text("id: [unclosed\n")

    wait_for(lambda: "build failed: 1 error(s)" in server.err, "the failure to be reported")
    assert any(line.startswith(f"content/papers/{paper.name}:") for line in server.err)
    page = server.get(f"/papers/{paper.stem}/")
    assert (server.build_id(), page.status, page.body) == before
    assert not any("Traceback" in line for line in server.err)

    paper.write_bytes(original)  # fixed: the next build succeeds and browsers reload
    wait_for(lambda: server.build_id() != before[0], "a rebuild after the fix")


def test_a_missing_path_gets_the_404_page(content, serve):
    server = serve()
    missing = server.get("/nope")
    assert missing.status == 404
    assert "Page not found" in missing.body
    assert server.get("/static/").status == 404  # no directory listings, as when published


def test_a_first_build_that_fails_serves_a_notice_until_fixed(content, serve):
    taxonomy = content / "taxonomy.yaml"
    good = taxonomy.read_bytes()
    taxonomy.write_text("topics: [\n")
    server = serve()
    notice = server.get("/")
    assert notice.status == 503
    assert "Build failed" in notice.body and RELOAD_TAG in notice.body
    assert any(line.startswith("build failed: ") for line in server.err)

    taxonomy.write_bytes(good)
    home = wait_for(lambda: (page := server.get("/")).status == 200 and page, "a good build")
    assert RELOAD_TAG in home.body


def test_a_first_build_that_fails_keeps_the_previous_output(content, serve, tmp_path):
    assert not build(content, tmp_path / "_serve", "http://127.0.0.1/", live_reload=True).problems
    first_paper(content).write_text("id: [unclosed\n")
    server = serve()
    assert any(line.startswith("build failed: ") for line in server.err)
    assert server.get("/").status == 200
    assert server.get(f"/papers/{first_paper(content).stem}/").status == 200


def test_ctrl_c_stops_cleanly(content, serve):
    server = serve()
    assert server.stop() == 0
    assert not any("Traceback" in line for line in server.err)


def test_a_taken_port_is_a_clear_error(content, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", "--content", "content", "--port",
             str(port)], cwd=tmp_path, capture_output=True, text=True, timeout=DEADLINE)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert f"port {port} is already in use" in lines[0] and "--port" in lines[0]
    assert not (tmp_path / "_serve").exists()  # nothing built for a server that never ran
