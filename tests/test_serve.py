"""`sitegen serve`, run for real: a subprocess serving a three-paper copy of the catalogue.

Every test starts its own server (`serving.Server`) and talks to it over HTTP,
editing the copied content to make it rebuild.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from serving import (
    DEADLINE,
    RELOAD_TAG,
    ROOT,
    content,
    first_paper,
    retitle,
    serve,
    wait_for,
)

from sitegen.catalogue.store import read_paper, serialise
from sitegen.core.summary import FIRST, KINDS
from sitegen.site import serve as serve_module
from sitegen.site.build import build

__all__ = ["content", "serve"]  # fixtures


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
    assert json.loads(build_id.body)["build"].strip()
    assert build_id.headers["Cache-Control"] == "no-store"
    assert server.out[0].startswith("built in ")


def test_an_edit_rebuilds_and_changes_the_build_id(content, serve):
    server = serve()
    before = server.build_id()
    paper = first_paper(content)
    retitle(paper, "A Title Edited While Serving")

    wait_for(lambda: server.build_id() != before, "the pages to be told")  # its first look
    page = server.get(f"/papers/{paper.stem}/")
    assert page.status == 200
    assert "A Title Edited While Serving" in page.body
    assert RELOAD_TAG in page.body
    wait_for(lambda: any(line.startswith("rebuilt in ") for line in server.out), "a rebuild")
    after = server.build_id()
    time.sleep(0.5)  # longer than the watcher's gathering of saves: no further rebuild
    assert server.build_id() == after
    assert sum(line.startswith("rebuilt in ") for line in server.out) == 1


def test_a_broken_edit_keeps_the_old_site_and_tells_the_terminal_and_the_pages(content, serve):
    server = serve()
    paper = first_paper(content)
    address = f"/papers/{paper.stem}/"
    page = server.get(address)
    before = (page.status, page.body)  # not the headers: Date ticks
    good = server.build_state(address)
    original = paper.read_bytes()
    paper.write_text("id: [unclosed\n")

    failed = server.build_state(address, since=good["build"])  # a page waiting for news
    assert failed["build"] != good["build"]
    assert failed["page"] == good["page"]  # the last good page: open tabs do not reload
    assert failed["problems"][0].startswith(f"content/papers/{paper.name}:2: invalid YAML")
    wait_for(lambda: "build failed: 1 error(s)" in server.err, "the failure to be reported")
    assert any(line.startswith(f"content/papers/{paper.name}:") for line in server.err)
    page = server.get(address)
    assert (page.status, page.body) == before
    assert not any("Traceback" in line for line in server.err)

    paper.write_bytes(original)  # fixed: the next build succeeds, the problems are gone
    fixed = server.build_state(address, since=failed["build"])
    assert fixed["problems"] == [] and fixed["page"] == good["page"]


def test_a_page_learns_of_a_build_only_when_its_own_file_changed(content, serve):
    server = serve()
    edited = first_paper(content)
    edited_state = server.build_state(f"/papers/{edited.stem}/")
    other_state = server.build_state("/404.html")  # names no paper
    retitle(edited, "A Title Edited While Serving")

    after = server.build_state(f"/papers/{edited.stem}/", since=edited_state["build"])
    assert after["page"] != edited_state["page"]
    assert server.build_state("/404.html")["page"] == other_state["page"]
    assert "A Title Edited While Serving" in server.get(f"/papers/{edited.stem}/").body


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
    # told once: the watcher's first build, which fails the same way, says nothing more
    assert sum(line.startswith("build failed: ") for line in server.err) == 1
    assert sum(line.startswith("content/taxonomy.yaml:") for line in server.err) == 1

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


def test_a_sitegen_build_output_served_until_a_first_good_build_reloads_once_fixed(
        content, serve, tmp_path):
    """The output of `sitegen build` has no reload script: the preview serves it with one,
    so that its pages show the failed build and reload when the file is fixed."""
    paper = first_paper(content)
    good = paper.read_bytes()
    assert not build(content, tmp_path / "_serve").problems
    paper.write_text("id: [unclosed\n")
    server = serve()
    page = f"/papers/{paper.stem}/"
    shown = server.get(page)
    assert shown.status == 200 and shown.body.count(RELOAD_TAG) == 1
    assert shown.body.index(RELOAD_TAG) < shown.body.index("</body>")
    on_disk = (tmp_path / "_serve" / page.strip("/") / "index.html").read_bytes()
    assert RELOAD_TAG.encode() not in on_disk  # served with the script, kept without it
    told = server.build_state(page)
    assert told["problems"] and shown.headers["Server-Timing"] == f'page;desc="{told["page"]}"'
    paper.write_bytes(good)
    fixed = wait_for(lambda: not (state := server.build_state(page))["problems"] and state)
    assert fixed["page"] != told["page"]  # so the open page reloads
    assert server.get(page).body.count(RELOAD_TAG) == 1


def test_ctrl_c_stops_cleanly(content, serve):
    server = serve()
    assert server.stop() == 0
    assert not any("Traceback" in line for line in server.err)


def test_ctrl_c_ends_the_server_process_too(content, serve):
    server = serve()
    answering = _children(server.process.pid)
    assert len(answering) == 1  # the process answering requests, beside the building one
    assert server.stop() == 0
    assert not Path(f"/proc/{answering[0]}").exists()


def test_a_server_process_that_dies_stops_the_preview_with_a_clear_message(content, serve):
    server = serve()
    (answering,) = _children(server.process.pid)
    os.kill(answering, signal.SIGKILL)
    assert server.process.wait(timeout=DEADLINE) == 1
    wait_for(lambda: "sitegen serve: the server stopped (killed by signal 9); run sitegen serve "
             "again" in server.err, "the message")
    assert not any("Traceback" in line for line in server.err)


def _children(pid: int) -> list[int]:
    """The processes `pid` started that still run."""
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


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


def test_a_taxonomy_edit_that_breaks_many_papers_is_told_once_in_a_summary(content, serve):
    """Papers whose topics a person decided become invalid when the topic is renamed."""
    template = content.parent / "template.yaml"
    shutil.copy(ROOT / "content" / "papers" / "2-olmo-2-furious.yaml", template)
    paper, _, _ = read_paper(template, template.name)
    assert paper is not None and "pretraining-data" in paper.topics
    for n in range(120):
        copy = dataclasses.replace(paper, id=f"copy-{n:03}", title=f"Copy number {n} of a paper",
                                   sources=[])  # no other paper's sighting
        (content / "papers" / f"copy-{n:03}.yaml").write_bytes(serialise(copy))
    server = serve()
    taxonomy = content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text().replace("- id: pretraining-data\n",
                                                      "- id: pretraining-and-data\n"))

    failed = server.build_state("/", since=server.build_id())
    lines = failed["problems"]
    count = int(lines[0].split()[0])  # the copies, and the shipped papers with that topic
    assert count >= 120
    assert lines[0] == f"{count} problems in {count} file(s); the commonest:"
    # the copies' topics, a person's (one or two shipped papers' the rules proposed have
    # another hint: to run `sitegen classify`)
    most = int(lines[1].split()[0])
    assert most >= 120
    assert lines[1].startswith(f"  {most} x topics[]: unknown topic 'pretraining-data' (hint: ")
    assert len(lines) <= FIRST + KINDS + 3
    wait_for(lambda: any(line.startswith("build failed: ") for line in server.err))
    assert server.err[:len(lines)] == lines  # the terminal says the same, once
    assert sum(line.startswith("build failed: ") for line in server.err) == 1


def test_a_burst_of_saves_is_one_rebuild_of_the_last_state(content, serve):
    """Saves are gathered until 20 ms pass without one, then built once. A burst on a busy
    machine may pause longer than that once, so two rebuilds are allowed, never 200."""
    server = serve()
    papers = sorted((content / "papers").glob("*.yaml"))
    originals = [paper.read_bytes() for paper in papers]
    for n in range(200):  # "save all", or a checkout: 200 saves as fast as they come
        papers[n % len(papers)].write_bytes(originals[n % len(papers)] + f"# {n}\n".encode())
    for paper, original in zip(papers, originals, strict=True):
        paper.write_bytes(original)
    retitle(papers[0], "The Last Save Of The Burst")
    wait_for(lambda: any(line.startswith("rebuilt in ") for line in server.out), "a rebuild")
    time.sleep(2.0)  # long enough for another rebuild to start and end, were there one
    assert 1 <= sum(line.startswith("rebuilt in ") for line in server.out) <= 2
    assert "The Last Save Of The Burst" in server.get(f"/papers/{papers[0].stem}/").body


def test_a_file_the_build_refuses_is_seen_coming_and_going_and_an_editors_are_not(content,
                                                                                serve):
    """The watcher rebuilds for every file the build reads or refuses: a stray file fails
    the build at once, and removing it, as the message says, recovers without another
    save. The files editors keep beside an open paper (Vim's swap file, a backup), which
    no build reads, make no rebuild and no error."""
    server = serve()
    good = server.build_id()
    swap = content / "papers" / f".{first_paper(content).name}.swp"
    swap.write_bytes(b"b0VIM 9.0")
    (content / "papers" / "x.yaml~").write_text("id: [half", "utf-8")
    time.sleep(1.0)  # long enough for a rebuild to start and end, were there one
    assert server.build_id() == good and not server.err

    stray = content / "papers" / "notes.txt"
    stray.write_text("to do", "utf-8")
    failed = server.build_state("/", since=good)
    assert failed["problems"] == ["content/papers/notes.txt: is not a paper: papers/ holds "
                                  "only *.yaml files (hint: remove it, or move it out of "
                                  "papers/)"]
    stray.unlink()
    assert server.build_state("/", since=failed["build"])["problems"] == []
    wait_for(lambda: any(line.startswith("rebuilt in ") for line in server.out), "a rebuild")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_ctrl_c_during_a_rebuild_lets_it_end_so_the_site_left_is_whole(content, serve,
                                                                       tmp_path, how):
    """The preview writes its site in place: Ctrl+C (or SIGTERM, or SIGHUP) while a rebuild
    runs waits for it to end, saying so, and the site left is the one a build of the
    content makes (not pages of two builds); the server's process ends too."""
    template, _, _ = read_paper(first_paper(content), first_paper(content).name)
    assert template is not None
    for n in range(300):  # enough pages for a rebuild of all of them to take a while
        copy = dataclasses.replace(template, id=f"copy-{n:04}", title=f"Copy number {n}",
                                   sources=[])
        (content / "papers" / f"copy-{n:04}.yaml").write_bytes(serialise(copy))
    server = serve()
    before = server.build_state("/")["build"]  # the home page is open, and made first
    site = content / "site.yaml"
    site.write_text(site.read_text().replace("title: ", "title: Renamed ", 1))  # every page
    assert server.build_state("/", since=before)["problems"] == []  # the rebuild is under way
    answering = _children(server.process.pid)
    assert server.stop(how) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in answering)
    assert not any("Traceback" in line for line in server.err)
    cold = tmp_path / "cold"
    assert not build(content, cold, server.url, live_reload=True).problems
    assert _files(tmp_path / "_serve") == _files(cold)


def _files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file()}


def test_stopping_waits_for_the_rebuild_in_progress_however_long_it_takes(capsys):
    """However long the rebuild still runs (here a stand-in for one), stopping waits for it
    and says why it waits: a time limit would leave a long rebuild's site half written."""
    ended = threading.Event()
    rebuilding = threading.Thread(target=lambda: (time.sleep(1.5), ended.set()))
    rebuilding.start()
    serve_module._finish(rebuilding)
    assert ended.is_set()
    assert capsys.readouterr().out == ("but first, finishing the rebuild in progress (Ctrl+C "
                                       "again to leave it unfinished)\n")


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "eighty"])
def test_a_port_no_server_can_take_is_a_usage_error_not_a_traceback(port, capsys):
    from sitegen import cli
    with pytest.raises(SystemExit) as stopped:
        cli.parser().parse_args(["serve", "--port", port])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"sitegen serve: error: argument --port: {port!r} is no port: use a number from 0 "
        "to 65535")


def test_what_no_save_can_put_right_stops_serve_at_once(tmp_path, capsys):
    """A content folder that is not there (as every command says it), or an --out no build
    may write, is refused before serving: no save would put it right, and a notice served
    until then never went away."""
    from sitegen import cli
    site = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", site)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine\n")
    cases = [([str(tmp_path / "nothere")], 1, "nothere: the content folder does not exist "
              "(hint: run from the project's root, where content/ is, or give --content DIR)"),
             ([str(site), "--out", str(site / "out")], 2, "it is inside the content directory"),
             ([str(site), "--out", str(tmp_path / "notes")], 2, "it is not empty and not a built")]
    for args, code, message in cases:
        assert cli.main(["serve", "--port", "0", "--content", *args]) == code
        assert message in capsys.readouterr().err
    assert (tmp_path / "notes" / "todo.txt").read_text() == "mine\n"


@pytest.mark.parametrize("folder", [".idea", ".git", "node_modules", "__pycache__"])
def test_a_folder_tools_keep_is_seen_as_the_build_sees_it(content, serve, folder):
    """A folder the build refuses in the content folder is one the preview reports as it
    appears, and stops reporting once removed: the watcher passes over none of the folders
    editors and tools make (its library's default does)."""
    server = serve()
    before = server.build_state("/")["build"]
    (content / folder).mkdir()
    shown = server.build_state("/", since=before)
    assert any(folder in problem for problem in shown["problems"]), shown
    (content / folder).rmdir()
    assert server.build_state("/", since=shown["build"])["problems"] == []


def test_a_content_folder_replaced_whole_is_watched_anew(content, serve):
    """Moved away and a copy put in its place (a backup restored, a catalogue swapped): the
    system's watches follow the old folder, so the preview watches the new one, and an
    edit to it shows."""
    server = serve()
    shutil.move(content, content.with_name("content.old"))
    shutil.copytree(content.with_name("content.old"), content)
    wait_for(lambda: any("content folder was replaced" in line for line in server.err),
             "the new folder to be watched")
    paper = first_paper(content)
    retitle(paper, "A Title Edited In The New Folder")
    wait_for(lambda: "A Title Edited In The New Folder" in server.get(
        f"/papers/{paper.stem}/").body, "the edit to show")
