"""Writing files: modes as a plain open() gives them, and no leftovers from killed runs.

A leftover is told from work in progress by its lock: a live writer holds a
flock on its temporary file or folder, which the kernel drops when it dies.
These tests play the live writer by holding such a lock themselves.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import os
import shutil
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from conftest import FIXTURES, run

from sitegen.site import output, swap
from sitegen.site.output import write_atomic, write_files, write_new, write_site


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock a live writer would hold on path."""
    handle = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("kept", [0o644, 0o640, 0o600, 0o755, 0o664], ids=oct)
def test_a_rewritten_file_keeps_its_mode(tmp_path, kept):
    paper = tmp_path / "paper.yaml"
    paper.write_text("old")
    paper.chmod(kept)
    with umask(0o077):  # not what decides the mode of a file that exists
        write_atomic(paper, b"new")
        write_files({paper: b"newer"})
    assert (mode(paper), paper.read_bytes()) == (kept, b"newer")


def without_unnamed_files(monkeypatch) -> None:
    """Play a file system (or system) that has no unnamed files: opening one is refused."""
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            raise OSError(errno.EOPNOTSUPP, "Operation not supported")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(output.os, "open", refusing)


@pytest.fixture(params=["unnamed first", "no unnamed files"])
def either_way(request, monkeypatch) -> None:
    """New files made as unnamed files named once whole, or through a temporary name."""
    if request.param == "unnamed first" and not output._TMPFILE:
        pytest.skip("this system has no unnamed files")
    if request.param == "no unnamed files":
        without_unnamed_files(monkeypatch)


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600),
                                            (0o027, 0o640)], ids=oct)
@pytest.mark.usefixtures("either_way")
def test_a_new_file_gets_the_mode_open_gives(tmp_path, mask, expected):
    with umask(mask):
        write_atomic(tmp_path / "one.yaml", b"x")
        write_files({tmp_path / "two.yaml": b"x"})
        with open(tmp_path / "plain.yaml", "wb"):
            pass
    assert [mode(tmp_path / name) for name in ("one.yaml", "two.yaml", "plain.yaml")] == \
        [expected] * 3


def test_temporary_files_of_killed_runs_are_removed_by_the_next_write(tmp_path):
    papers = tmp_path / "papers"
    papers.mkdir()
    dead = [papers / ".a.yaml.k2j4h5g6.tmp", papers / ".gone.yaml.0123abcd.tmp"]
    live = papers / ".b.yaml.abcdefgh.tmp"
    others = [papers / ".notes.txt.abcdefgh.tmp",  # another kind of file: not ours
              papers / ".a.yaml.swp", papers / "a.yaml.k2j4h5g6.tmp"]
    for path in [*dead, live, *others]:
        path.write_text("partial")
    (papers / ".c.yaml.zzzzzzzz.tmp").symlink_to(tmp_path / "target")
    (tmp_path / "target").write_text("never followed")
    with held(live):
        write_files({papers / "a.yaml": b"a"})
        assert not any(path.exists() for path in dead)
        assert live.exists() and all(path.exists() for path in others)
    assert (papers / ".c.yaml.zzzzzzzz.tmp").is_symlink()
    assert (tmp_path / "target").read_text() == "never followed"
    write_atomic(papers / "b.yaml", b"b")  # the writer has died: its file goes too
    assert not live.exists()
    assert sorted(p.name for p in papers.iterdir() if not p.name.startswith(".")) == \
        ["a.yaml", "a.yaml.k2j4h5g6.tmp", "b.yaml"]


def test_write_atomic_removes_only_the_leftovers_of_the_same_file(tmp_path):
    mine, other = tmp_path / ".out.sitegen.json.aaaa1111.tmp", tmp_path / ".x.yaml.aaaa1111.tmp"
    mine.write_text("partial")
    other.write_text("partial")
    write_atomic(tmp_path / "out.sitegen.json", b"{}")
    assert (mine.exists(), other.exists()) == (False, True)


def test_a_cleaner_that_takes_a_new_temporary_file_first_cannot_lose_the_write(tmp_path,
                                                                               monkeypatch):
    """Between creating its file and locking it, a writer's file looks abandoned: a
    cleaner may remove it. The writer notices and starts again under a new name."""
    made = []
    original = swap._names

    def cleaned_first(path: Path, handle: int) -> bool:
        if not made:
            made.append(path)
            path.unlink()  # what a cleaner would do
        return original(path, handle)

    monkeypatch.setattr(swap, "_names", cleaned_first)
    write_atomic(tmp_path / "a.yaml", b"kept")
    assert (tmp_path / "a.yaml").read_bytes() == b"kept"
    assert len(made) == 1 and not made[0].exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_cleaner_that_removes_a_new_folder_before_it_is_opened_cannot_lose_it(
        tmp_path, monkeypatch):
    """Between making its folder and opening it, a build's folder looks abandoned too."""
    made: list[str] = []
    real_mkdir = os.mkdir

    def cleaned_at_once(path, *args, **kwargs):
        real_mkdir(path, *args, **kwargs)
        made.append(Path(path).name)
        if len(made) == 1:
            os.rmdir(path)  # what a cleaner would do

    monkeypatch.setattr(os, "mkdir", cleaned_at_once)
    folder, lock = swap.locked_dir(tmp_path, ".out.new-")
    try:
        assert len(made) == 2 and folder.name == made[1] and folder.is_dir()
        assert [p.name for p in tmp_path.iterdir()] == [made[1]]
    finally:
        os.close(lock)


SITE = {"index.html": b"<h1>home</h1>", "sitemap.xml": b"<urlset/>", "a/index.html": b"a"}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".out."))


def test_site_folders_of_killed_builds_are_removed_but_not_those_being_written(tmp_path):
    out = tmp_path / "out"
    write_site(SITE, out)
    stale = [tmp_path / ".out.new-1a2b3c4d", tmp_path / ".out.old-4242", tmp_path / ".out.new-x"]
    live = tmp_path / ".out.new-5e6f7a8b"
    for folder in [*stale, live]:
        (folder / "papers").mkdir(parents=True)
        (folder / "papers" / "index.html").write_bytes(b"half")
    (tmp_path / ".out.old-99").symlink_to(out)  # a link is never followed nor removed
    with held(live):
        write_site(SITE, out)
        assert leftovers(tmp_path) == [".out.new-5e6f7a8b", ".out.old-99"]
    write_site(SITE, out)
    assert leftovers(tmp_path) == [".out.old-99"]
    assert (out / "a" / "index.html").read_bytes() == b"a"


@pytest.mark.skipif(swap._SWAP is None, reason="no one-step swap on this system")
def test_the_swap_replaces_the_folder_in_one_step(tmp_path, monkeypatch):
    """The new site takes the old one's name in one rename: no moment without `out`."""
    out = tmp_path / "out"
    write_site(SITE, out)
    renames: list[tuple[str, str]] = []
    real_rename = os.rename

    def rename(source, target, *args, **kwargs):
        renames.append((Path(source).name, Path(target).name))
        return real_rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "replace", rename)
    before = out.stat().st_ino
    write_site({**SITE, "a/index.html": b"b"}, out)
    assert renames == []  # the one step is the swap itself (renameat2 or renamex_np)
    assert out.stat().st_ino != before and (out / "a" / "index.html").read_bytes() == b"b"
    assert leftovers(tmp_path) == []


def test_without_a_one_step_swap_two_renames_still_replace_the_site(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_site(SITE, out)
    monkeypatch.setattr(swap, "_SWAP", None)
    write_site({**SITE, "a/index.html": b"b"}, out)
    assert (out / "a" / "index.html").read_bytes() == b"b"
    assert leftovers(tmp_path) == []


def test_a_site_another_build_puts_first_where_there_was_none_is_swapped_out(tmp_path,
                                                                               monkeypatch):
    """Two first builds at once: the one that finds no output, then cannot rename its
    site there because the other just did, swaps with that site instead of failing."""
    out = tmp_path / "out"
    original, others = swap.lock_folder, []

    def other_build_first(path: Path, wait: bool = False) -> int | None:
        found = original(path, wait)
        if found is None and wait and not others:
            others.append(path)
            write_site({**SITE, "a/index.html": b"other"}, out)
        return found

    monkeypatch.setattr(swap, "lock_folder", other_build_first)
    write_site(SITE, out)
    assert others == [out] and (out / "a" / "index.html").read_bytes() == b"a"
    assert leftovers(tmp_path) == []


def test_the_folder_a_swap_retires_is_no_leftover_while_the_build_keeps_it(tmp_path):
    """Until the build that swapped it out has kept or removed it, another build's
    cleaning passes it by: it is locked."""
    out = tmp_path / "out"
    write_site(SITE, out)
    staging = tmp_path / ".out.new-1a2b3c4d"
    write_new(staging, {**SITE, "a/index.html": b"b"}.items())
    with swap.swapped_in(staging, out) as retired:
        assert retired == staging and (retired / "a" / "index.html").read_bytes() == b"a"
        swap.remove_leftovers(tmp_path, swap.site_leftovers(out))
        assert (retired / "a" / "index.html").read_bytes() == b"a"
    swap.remove_leftovers(tmp_path, swap.site_leftovers(out))
    assert leftovers(tmp_path) == [] and (out / "a" / "index.html").read_bytes() == b"b"


def swap_waits_while(tmp_path: Path, holding: Callable[[Path], AbstractContextManager]) -> None:
    """Another build's swap of the live site waits while `holding(out)` is entered (the
    old site still served), and completes once it is left."""
    out = tmp_path / "out"
    write_site(SITE, out)
    staging = tmp_path / ".out.new-5e6f7a8b"
    write_new(staging, {**SITE, "a/index.html": b"b"}.items())
    done = threading.Event()

    def other_build() -> None:
        with swap.swapped_in(staging, out):
            done.set()

    waiting = threading.Thread(target=other_build, daemon=True)
    with holding(out):
        waiting.start()
        assert not done.wait(0.3)
        assert (out / "a" / "index.html").read_bytes() == b"a"
    waiting.join(5)
    assert done.is_set() and (out / "a" / "index.html").read_bytes() == b"b"


def test_a_swap_waits_for_the_build_that_holds_the_site_in_place(tmp_path):
    """A build that has just swapped its site in holds it until it is done with the one
    it retired; a second build swaps only then, so that it retires a site whose build
    is over."""
    swap_waits_while(tmp_path, held)


@contextmanager
def shared_readers(out: Path, count: int) -> Iterator[None]:
    """`count` builds taking files from the live site, each under its shared lock."""
    readers = [swap.lock_folder(out, shared=True) for _ in range(count)]  # they share it
    assert None not in readers
    try:
        yield
    finally:
        for handle in readers:
            if handle is not None:
                os.close(handle)


def test_a_swap_waits_for_a_build_still_taking_files_from_the_site(tmp_path):
    """A build links unchanged files from the live site while it fills its own tree, under
    a shared lock: another build's swap waits until it is done, so that no file it links
    is swapped away and removed meanwhile."""
    swap_waits_while(tmp_path, lambda out: shared_readers(out, 2))


def test_sitegen_fmt_keeps_the_mode_of_the_files_it_rewrites(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "check" / "valid", content)
    papers = sorted((content / "papers").glob("*.yaml"))
    for path, kept in zip(papers, (0o640, 0o664), strict=False):
        path.write_bytes(path.read_bytes().split(b"\n", 1)[1])  # not canonical any more
        path.chmod(kept)
    with umask(0o077):
        assert run("fmt", "--content", str(content)) == 0
    assert [mode(path) for path in papers[:2]] == [0o640, 0o664]
    assert not [p.name for p in (content / "papers").iterdir() if p.name.startswith(".")]


@pytest.mark.usefixtures("either_way")
def test_only_files_whose_bytes_change_are_written(tmp_path):
    """The fast path of `fmt`, `classify` and `ingest`: an unchanged file is not rewritten,
    and the result is what writing every file gives."""
    same, changed, new = tmp_path / "same.yaml", tmp_path / "changed.yaml", tmp_path / "n.yaml"
    same.write_bytes(b"kept")
    changed.write_bytes(b"old")
    before = same.stat().st_mtime_ns, same.stat().st_ino
    assert write_files({same: b"kept", changed: b"new", new: b"n"}) == [changed, new]
    assert (same.stat().st_mtime_ns, same.stat().st_ino) == before
    assert [p.read_bytes() for p in (same, changed, new)] == [b"kept", b"new", b"n"]


def _count_syncs(monkeypatch, syncfs_result: int | None) -> tuple[list[int], list[int]]:
    """Record each fsync and syncfs call made by the writer; syncfs answers
    `syncfs_result` (None: the C library has none)."""
    fsyncs: list[int] = []
    syncfs: list[int] = []
    real_fsync = os.fsync

    def fsync(handle: int) -> None:
        fsyncs.append(handle)
        real_fsync(handle)

    def fake_syncfs(handle: int, result: int) -> int:
        syncfs.append(handle)
        return result

    monkeypatch.setattr(output.os, "fsync", fsync)
    monkeypatch.setattr(output, "_syncfs", lambda: None if syncfs_result is None else
                        functools.partial(fake_syncfs, result=syncfs_result))
    return fsyncs, syncfs


def test_a_batch_of_files_is_made_durable_by_one_sync_of_their_file_system(tmp_path,
                                                                           monkeypatch):
    fsyncs, syncfs = _count_syncs(monkeypatch, 0)
    files = {tmp_path / f"paper-{k}.yaml": f"title: {k}\n".encode() for k in range(5)}
    write_files(files)
    assert (len(syncfs), fsyncs) == (1, [])
    assert {path: path.read_bytes() for path in files} == files


@pytest.mark.parametrize("syncfs_result", [None, -1], ids=["no syncfs", "syncfs fails"])
def test_without_a_working_syncfs_each_file_is_synced_on_its_own(tmp_path, monkeypatch,
                                                                  syncfs_result):
    fsyncs, _ = _count_syncs(monkeypatch, syncfs_result)
    files = {tmp_path / f"paper-{k}.yaml": f"title: {k}\n".encode() for k in range(5)}
    write_files(files)
    assert len(fsyncs) == len(files)
    assert {path: path.read_bytes() for path in files} == files


def test_the_c_library_syncfs_is_found_on_linux():
    if os.uname().sysname != "Linux":
        pytest.skip("syncfs is Linux's")
    syncfs = output._syncfs()
    assert syncfs is not None
    handle = os.open(".", os.O_RDONLY)
    try:
        assert syncfs(handle) == 0
    finally:
        os.close(handle)


def test_a_run_killed_before_naming_its_new_files_leaves_nothing_in_their_folder(tmp_path):
    if not output._TMPFILE:
        pytest.skip("this system has no unnamed files")
    papers = tmp_path / "papers"
    papers.mkdir()
    child = os.fork()
    if child == 0:  # the run, killed once its files are written and synced, not yet named
        output._named = lambda opened: os._exit(0)  # type: ignore[assignment]
        try:
            write_files({papers / f"p{k}.yaml": b"whole" for k in range(3)})
        finally:
            os._exit(1)
    assert os.waitpid(child, 0)[1] == 0
    assert list(papers.iterdir()) == []


def test_a_new_file_another_process_makes_meanwhile_is_replaced_whole(tmp_path, monkeypatch):
    """Between finding a path free and naming the new file there, another process may make
    it: the file is then replaced as one that was there, and still counted as written."""
    paper = tmp_path / "paper.yaml"
    real_sync = output._sync

    def sync_then_race(handles: list[int]) -> None:
        real_sync(handles)
        if not paper.exists():
            paper.write_bytes(b"theirs")

    monkeypatch.setattr(output, "_sync", sync_then_race)
    assert write_files({paper: b"ours"}) == [paper]
    assert paper.read_bytes() == b"ours"
    assert [p.name for p in tmp_path.iterdir()] == ["paper.yaml"]


def test_where_new_files_cannot_be_named_they_are_written_once_and_never_unnamed_again(
        tmp_path, monkeypatch):
    """A system may make unnamed files yet refuse to name them (a sandbox's /proc): the
    files are then written through temporary names, and later ones go that way at once."""
    if not output._TMPFILE:
        pytest.skip("this system has no unnamed files")
    monkeypatch.setattr(output, "_unnamed_refused", False)
    real_open = os.open
    unnamed: list[int] = []

    def counting(path, flags, *args, **kwargs):
        if flags & output._TMPFILE == output._TMPFILE:
            unnamed.append(flags)
        return real_open(path, flags, *args, **kwargs)

    def refusing(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(output.os, "open", counting)
    monkeypatch.setattr(output.os, "link", refusing)
    first = {tmp_path / f"a{k}.yaml": b"a" for k in range(3)}
    second = {tmp_path / f"b{k}.yaml": b"b" for k in range(3)}
    assert write_files(first) == sorted(first)
    assert len(unnamed) == 3
    assert write_files(second) == sorted(second)
    assert len(unnamed) == 3
    assert {p: p.read_bytes() for p in tmp_path.iterdir()} == first | second


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--base-url", "ftp://x/"], 2, "sitegen build: base URL must be an absolute http(s) URL, "
                                    "not 'ftp://x/'"),
    (["--out", "afile"], 1, "sitegen: afile exists and is not a directory; choose another --out"),
])
def test_a_build_refused_for_its_options_makes_nothing(args, code, message, tmp_path,
                                                       monkeypatch, capsys):
    """A wrong --base-url or --out is told before anything is read or written: no record of
    the build is left beside the output."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").touch()
    assert run("build", "--content", str(FIXTURES / "site"), "--out", "out", *args) == code
    assert capsys.readouterr().err.startswith(message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
