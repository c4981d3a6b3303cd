"""A build killed at any moment leaves a whole site, and a site rebuilt is always served.

The known-good sites are the fixture catalogue ("old") and an edited copy
("new", one paper removed and one retitled), each built once. Builds run in
forked processes (in a process group of their own, so SIGKILL reaches the
processes they fork too) and are killed at random moments of a seeded
sequence; after each kill the output must be one of the two sites, byte for
byte, and the next build must remove whatever the killed ones left.
"""

from __future__ import annotations

import fcntl
import os
import random
import shutil
import signal
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import ROOT

from sitegen.site.build import build
from sitegen.site.livereload import Builds
from sitegen.site.output import write_site
from sitegen.site.servehttp import Served, bind

FIXTURE = ROOT / "tests" / "fixtures" / "site"
BASE = "https://example.org/papers/"
KILLS = 15  # kills at random moments; more, up to MOST_KILLS, until one lands mid-write
MOST_KILLS = 4 * KILLS
ROUNDS = 4  # of builds at once into one output


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.name.startswith(".out.")  # but the record
                  and p.name not in (".out.sitegen.json", ".out.sitegen", ".out.spare"))


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("catalogues")
    old, new = root / "old", root / "new"
    shutil.copytree(FIXTURE, old)
    shutil.copytree(FIXTURE, new)
    (new / "papers" / "visual-instruction-tuning.yaml").unlink()
    paper = new / "papers" / "mistral-7b.yaml"
    paper.write_text(paper.read_text("utf-8").replace("title: Mistral 7B",
                                                      "title: Mistral 7B, edited"), "utf-8")
    return {"old": old, "new": new}


@pytest.fixture(scope="module")
def known(catalogues, tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """Every file of each whole site, by path."""
    root = tmp_path_factory.mktemp("known")
    sites = {}
    for name, content in catalogues.items():
        assert not build(content, root / name, BASE).problems
        sites[name] = files(root / name)
    assert sites["old"] != sites["new"]
    return sites


def start_build(content: Path, out: Path) -> int:
    """A forked process building content into out, leader of its own process group."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.setpgid(0, 0)
            status = 0 if not build(content, out, BASE, force=True).problems else 1
        finally:
            os._exit(status)
    os.setpgid(pid, pid)  # here too: the group must exist before it can be killed
    return pid


def wait_until_abandoned(folders: list[Path]) -> None:
    """Until processes of killed builds have died and dropped their locks (a few ms)."""
    for folder in folders:
        handle = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)  # blocks while a dying process holds it
        finally:
            os.close(handle)


def which(out: Path, known: dict[str, dict[str, bytes]]) -> str:
    found = files(out)
    names = [name for name, site in known.items() if site == found]
    assert names, f"the output is neither site: {sorted(set(found) ^ set(known['old']))[:5]}"
    return names[0]


def test_a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one(catalogues, known,
                                                                         tmp_path):
    out = tmp_path / "out"
    began = time.monotonic()
    assert os.waitpid(start_build(catalogues["old"], out), 0)[1] == 0
    duration = time.monotonic() - began
    chance = random.Random(11)
    outcomes, stranded = [], 0
    for kill in range(MOST_KILLS):
        if kill >= KILLS and stranded:
            break  # on a busy machine a build may often end before its kill
        pid = start_build(catalogues["new" if kill % 2 == 0 else "old"], out)
        time.sleep(chance.uniform(0, duration * 1.1))
        os.killpg(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        outcomes.append(which(out, known))
        stranded += bool(leftovers(tmp_path))
    assert stranded, "no kill landed while a build was writing: the test proves nothing"

    wait_until_abandoned(leftovers(tmp_path))
    assert os.waitpid(start_build(catalogues["new"], out), 0)[1] == 0
    assert which(out, known) == "new"
    assert leftovers(tmp_path) == []
    which(tmp_path / ".out.spare", known)  # the tree the next build updates: a whole site


def test_builds_running_at_once_into_one_output_leave_one_whole_site(catalogues, known,
                                                                     tmp_path):
    """Rounds of three builds at once: the first round finds no output, the later ones
    a site and its spare tree, for the builds to race over."""
    out = tmp_path / "out"
    for _ in range(ROUNDS):
        builds = [start_build(catalogues[name], out) for name in ("old", "new", "old")]
        assert [os.waitpid(pid, 0)[1] for pid in builds] == [0, 0, 0]
        which(out, known)
        assert leftovers(tmp_path) == []


SMALL_SITE = {"index.html": b"home", "sitemap.xml": b"<urlset/>", "404.html": b"not found",
              **{f"papers/p{i}/index.html": b"paper" for i in range(5)}}


def test_the_preview_server_never_misses_a_page_while_the_site_is_replaced(tmp_path):
    """Many quick swaps of a small site while two clients ask for its pages: with the
    old site moved away before the new one moved in, a few in a hundred answered 404."""
    out = tmp_path / "out"
    write_site(SMALL_SITE, out)
    server = bind("127.0.0.1", 0, Served(out.resolve(), Builds()))
    assert server is not None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    statuses: list[int] = []
    done = threading.Event()

    def ask() -> None:
        while not done.is_set():
            for page in ("", "papers/p1/", "papers/p4/index.html"):
                try:
                    with urllib.request.urlopen(url + page, timeout=5) as response:
                        statuses.append(response.status)
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)

    clients = [threading.Thread(target=ask) for _ in range(2)]
    for client in clients:
        client.start()
    try:
        for _ in range(100):
            write_site(SMALL_SITE, out)
    finally:
        done.set()
        for client in clients:
            client.join()
        server.shutdown()
        server.server_close()
    assert len(statuses) > 100 and set(statuses) == {200}


def test_ctrl_c_during_a_build_is_told_as_an_interruption_not_as_a_failure(
        tmp_path, monkeypatch, capsys):
    """Ctrl+C reaches every process of the build: the forked ones end without a value,
    which is no failure of their own to report."""
    from sitegen import cli
    from sitegen.site import build as build_module
    from sitegen.site.scheduler import WorkersFailed

    def interrupted(*_args, **_kwargs):
        raise WorkersFailed([OSError("a process sharing the work failed (see above)")],
                            during=KeyboardInterrupt())

    monkeypatch.setattr(build_module, "build", interrupted)
    assert cli.main(["build", "--content", str(FIXTURE), "--out", str(tmp_path / "out")]) == 130
    assert capsys.readouterr().err == ("interrupted; files already written are complete, "
                                       "none is half-written\n")
