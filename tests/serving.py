"""A running `sitegen serve` for the tests: a subprocess on a port the system picks,
talked to over HTTP, on a small copy of the catalogue that the tests edit.

The address is read from the "Serving ..." line; waits are polling loops with a
deadline; the `serve` fixture terminates every process it started.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from sitegen.catalogue.store import read_paper, serialise

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
        try:
            serving = wait_for(lambda: next((line for line in self.out
                                             if line.startswith("Serving ")), None))
        except BaseException:
            self.terminate()  # a server that never said it serves is not left running
            raise
        self.url = serving.split()[1]  # "Serving http://127.0.0.1:PORT/ (Ctrl+C to stop)"

    def get(self, path: str) -> Response:
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=5) as response:
                return Response(response.status, dict(response.headers),
                                response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode("utf-8"))

    def build_id(self) -> str:
        return self.build_state()["build"]

    def build_state(self, page: str = "/", since: str = "") -> dict:
        """What `/__build` tells a page (waiting for a build other than `since`)."""
        query = urllib.parse.urlencode({"page": page} | ({"since": since} if since else {}))
        return json.loads(self.get(f"/__build?{query}").body)

    def stop(self, how: int = signal.SIGINT) -> int:
        """Ctrl+C, as a person would press it (or another signal that stops a command: a
        terminal closed, SIGHUP; a service manager's SIGTERM); the exit status."""
        self.process.send_signal(how)
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

