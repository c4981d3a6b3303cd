"""The content tree is a closed world: every entry under content/ is a regular file or
folder that counts, or an error naming it; nothing is read through a link, from a
device or a FIFO, or past a size limit; no name breaks a checkout on Windows or macOS.

Links, FIFOs, sockets and names Windows or macOS cannot hold cannot be committed
portably, so each case adds its one bad entry to a copy of tests/fixtures/check/valid
(three valid papers) in a temporary directory, with a page and a dump, and checks
from there: the exact lines `sitegen check` prints follow.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, run

from sitegen.catalogue.contentfs import ContentError, read_file
from sitegen.catalogue.contenttree import find_dumps
from sitegen.ingest.dumps import read_dump
from sitegen.site.mdsafe import md

VALID = FIXTURES / "check" / "valid"
PAPER = "mistral-7b-in-int8"
SECRET = "the building machine's secret"
BASE = "https://example.org/"
LINK = "is a symbolic link: content files must be regular files (hint: replace the link " \
       "with the file itself)"
FOLDER_LINK = "is a symbolic link: content folders must be real folders (hint: replace the " \
              "link with the folder itself)"
SPECIAL = "content files must be regular files (hint: remove it: only regular files are read)"
SUBFOLDER = "is a folder: papers live directly in papers/ (hint: move the files it holds " \
            "into papers/ and remove the folder)"
STRAY = "is not read: the content folder holds only dumps/, pages/, papers/, site.yaml, " \
        "taxonomy.yaml"
WINDOWS = "rename it: names must work on Windows too and show as they are stored"
DEVICE = "the name is reserved on Windows: {} is a device there, in any case and with any " \
         f"extension (hint: {WINDOWS})"
SITE_NAMES = "404, families, feed, index, papers, robots, search, sitemap, static, topics"
PAGE_ID = "name it with lower-case letters and digits joined by hyphens, like about.md: the " \
          "name is the page's address"


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    """content/: the valid catalogue, a page and a dump; a secret file beside it."""
    root = tmp_path / "content"
    shutil.copytree(VALID, root)
    (root / "pages").mkdir()
    (root / "pages" / "about.md").write_text("# About\n", "utf-8")
    (root / "dumps").mkdir()
    (root / "dumps" / "000_first.txt").write_text("A Title\nAn abstract. Of two.\n", "utf-8")
    (tmp_path / "secret.txt").write_text(SECRET, "utf-8")
    monkeypatch.chdir(tmp_path)
    return root


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail instead of hanging (a FIFO opened for reading blocks until a writer comes) or
    eating the machine's memory (/dev/zero never ends): the process may grow by 1 GiB."""
    def expire(*_):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    limits = resource.getrlimit(resource.RLIMIT_AS)
    status = Path("/proc/self/status")
    if status.exists():  # Linux: the address space used now, in KiB
        used = int(re.search(r"VmSize:\s+(\d+)", status.read_text()).group(1)) * 1024
        resource.setrlimit(resource.RLIMIT_AS, (used + (1 << 30), limits[1]))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, limits)


def check(capsys) -> tuple[int, list[str]]:
    with deadline(20):
        code = run("check", "--content", "content")
    return code, capsys.readouterr().err.splitlines()


def move_papers_away(root: Path) -> None:
    shutil.move(root / "papers", root.parent / "elsewhere")
    (root / "papers").symlink_to("../elsewhere")


def socket_in(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


def rename(root: Path, old: str, new: str) -> None:
    (root / old).rename(root / new)


# One entry per class: what is added to the tree, and the exact lines check prints.
CASES: dict[str, tuple[Callable[[Path], object], list[str]]] = {
    "page linked to a file outside": (
        lambda root: (root / "pages" / "leak.md").symlink_to(root.parent / "secret.txt"),
        [f"content/pages/leak.md: {LINK}"]),
    "paper linked to a valid paper": (
        lambda root: (root / "papers" / "copy.yaml").symlink_to(f"{PAPER}.yaml"),
        [f"content/papers/copy.yaml: {LINK}"]),
    "paper linked to /dev/zero": (
        lambda root: (root / "papers" / "zero.yaml").symlink_to("/dev/zero"),
        [f"content/papers/zero.yaml: {LINK}"]),
    "dangling link": (
        lambda root: (root / "dumps" / "gone.txt").symlink_to("nowhere.txt"),
        [f"content/dumps/gone.txt: {LINK}"]),
    "linked papers folder": (move_papers_away, [f"content/papers: {FOLDER_LINK}"]),
    "linked taxonomy": (
        lambda root: (rename(root, "taxonomy.yaml", "../taxonomy.yaml"),
                      (root / "taxonomy.yaml").symlink_to("../taxonomy.yaml")),
        [f"content/taxonomy.yaml: {LINK}"]),
    "linked site settings": (
        lambda root: (root / "site.yaml").symlink_to("../secret.txt"),
        [f"content/site.yaml: {LINK}"]),
    "FIFO among the papers": (
        lambda root: os.mkfifo(root / "papers" / "pipe.yaml"),
        [f"content/papers/pipe.yaml: is a named pipe (FIFO): {SPECIAL}"]),
    "socket among the pages": (
        lambda root: socket_in(root / "pages" / "s.md"),
        [f"content/pages/s.md: is a socket: {SPECIAL}"]),
    ".yml": (lambda root: rename(root, f"papers/{PAPER}.yaml", f"papers/{PAPER}.yml"),
             [f"content/papers/{PAPER}.yml: is not read: paper files end in .yaml "
              f"(hint: rename it to {PAPER}.yaml)"]),
    ".YAML": (lambda root: rename(root, f"papers/{PAPER}.yaml", f"papers/{PAPER}.YAML"),
              [f"content/papers/{PAPER}.YAML: is not read: paper files end in .yaml "
               f"(hint: rename it to {PAPER}.yaml)"]),
    "another kind of file": (
        lambda root: (root / "papers" / "notes.txt").write_text("to do", "utf-8"),
        ["content/papers/notes.txt: is not a paper: papers/ holds only *.yaml files "
         "(hint: remove it, or move it out of papers/)"]),
    "subfolder": (lambda root: shutil.copytree(root / "papers", root / "papers" / "old"),
                  [f"content/papers/old: {SUBFOLDER}"]),
    "folder named like a paper": (lambda root: (root / "papers" / "x.yaml").mkdir(),
                                  [f"content/papers/x.yaml: {SUBFOLDER}"]),
    "page not named by an id": (
        lambda root: (root / "pages" / "..md").write_text("home", "utf-8"),
        [f"content/pages/..md: page name '.' is not an id (hint: {PAGE_ID})"]),
    "page named like a data file": (
        lambda root: (root / "pages" / "papers.json.md").write_text("[]", "utf-8"),
        [f"content/pages/papers.json.md: page name 'papers.json' is not an id "
         f"(hint: {PAGE_ID})"]),
    "paper named like no id": (
        lambda root: rename(root, f"papers/{PAPER}.yaml", "papers/Mistral_7B.yaml"),
        ["content/papers/Mistral_7B.yaml: paper name 'Mistral_7B' is not an id (hint: name "
         "it with lower-case letters and digits joined by hyphens, like llama-2-chat.yaml: "
         "the name is the paper's address)"]),
    "Windows device as paper id": (
        lambda root: (root / "papers" / "lpt1.yaml").write_text("", "utf-8"),
        [f"content/papers/lpt1.yaml: {DEVICE.format('LPT1')}"]),
    "Windows device in capitals": (
        lambda root: (root / "papers" / "CON.yaml").write_text("", "utf-8"),
        [f"content/papers/CON.yaml: {DEVICE.format('CON')}"]),
    "Windows device as page": (
        lambda root: (root / "pages" / "nul.md").write_text("", "utf-8"),
        [f"content/pages/nul.md: {DEVICE.format('NUL')}"]),
    "Windows device with two extensions": (
        lambda root: (root / "dumps" / "Aux.2024.txt").write_text("", "utf-8"),
        [f"content/dumps/Aux.2024.txt: {DEVICE.format('AUX')}"]),
    "character Windows forbids": (
        lambda root: (root / "dumps" / "jan:feb.txt").write_text("", "utf-8"),
        ["content/dumps/jan:feb.txt: the name holds ':', which Windows does not allow in "
         f"names (hint: {WINDOWS})"]),
    "control character": (
        lambda root: (root / "dumps" / "tab\there.txt").write_text("", "utf-8"),
        ["content/dumps/tab\\there.txt: the name holds the control character '\\t' "
         f"(hint: {WINDOWS})"]),
    "invisible character": (
        lambda root: (root / "dumps" / "x\u202ey.txt").write_text("", "utf-8"),
        ["content/dumps/x\\u202ey.txt: the name holds U+202E RIGHT-TO-LEFT OVERRIDE, an "
         f"invisible or control character (hint: {WINDOWS})"]),
    "trailing space": (
        lambda root: (root / "dumps" / "first.txt ").write_text("", "utf-8"),
        ["content/dumps/first.txt : the name ends with a dot or a space, which Windows drops "
         f"(hint: {WINDOWS})"]),
    "case-only clash": (
        lambda root: (root / "dumps" / "000_First.txt").write_text("", "utf-8"),
        ["content/dumps/000_first.txt: the name differs only in case from '000_First.txt' "
         "(hint: Windows and macOS see one file where there are two: rename or remove one)"]),
    "site settings under another name": (
        lambda root: (root / "site.yml").write_text("title: Mine\n", "utf-8"),
        [f"content/site.yml: {STRAY} (hint: rename it to site.yaml)"]),
    "papers in a folder of another name": (
        lambda root: shutil.copytree(root / "papers", root / "Paper"),
        [f"content/Paper: {STRAY} (hint: rename it to papers/)"]),
    "any other file beside the content": (
        lambda root: (root / "notes.md").write_text("to do", "utf-8"),
        [f"content/notes.md: {STRAY} (hint: remove it, or move it out of the content folder)"]),
    "same name in another Unicode form": (
        lambda root: ((root / "dumps" / "caf\u00e9.txt").write_text("", "utf-8"),
                      (root / "dumps" / "cafe\u0301.txt").write_text("", "utf-8")),
        ["content/dumps/caf\u00e9.txt: the name is 'cafe\\u0301.txt' written in another "
         "Unicode form ('caf\\xe9.txt' here) (hint: macOS sees one file where there are two: "
         "rename or remove one)"]),
    "name too long for a Windows checkout": (
        lambda root: (root / "pages" / f"{'about-' * 17}us.md").write_text("", "utf-8"),
        [f"content/pages/{'about-' * 17}us.md: the name has 107 characters, more than the 100 "
         f"that keep its path short enough for Windows (hint: {WINDOWS})"]),
    "paper over the size limit": (
        lambda root: os.truncate(root / "papers" / f"{PAPER}.yaml", (1 << 20) + 1),
        [f"content/papers/{PAPER}.yaml: is over 1 MiB, the limit for a content file (hint: "
         "content files are short texts: remove what does not belong in it)"]),
    "dump over the size limit": (  # which `check` does not read, and ingest would refuse
        lambda root: (root / "dumps" / "big.txt").write_bytes(b"") or os.truncate(
            root / "dumps" / "big.txt", (50 << 20) + 1),
        ["content/dumps/big.txt: is over 50 MiB, the limit for a dump (hint: split it into "
         "several dumps)"]),
}
RESERVED_PAGES = ["index", "search", "papers", "topics", "families", "static", "404", "feed",
                  "sitemap", "robots"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_entry_that_is_not_content_is_reported_exactly(tree, capsys, case):
    make, expected = CASES[case]
    make(tree)
    code, err = check(capsys)
    assert (code, err) == (1, expected)


@pytest.mark.parametrize("name", RESERVED_PAGES)
def test_a_page_cannot_take_a_name_the_site_uses(tree, capsys, name):
    (tree / "pages" / f"{name}.md").write_text("# Mine\n", "utf-8")
    assert check(capsys) == (1, [f"content/pages/{name}.md: page name {name!r} is taken by the "
                                 f"site itself (hint: rename the page; the site uses "
                                 f"{SITE_NAMES})"])


def test_the_tree_as_copied_is_valid_and_gitkeep_is_allowed(tree, capsys):
    for folder in ("papers", "pages", "dumps", "."):
        (tree / folder / ".gitkeep").touch()
    assert check(capsys) == (0, [])


def test_a_device_is_never_opened(tree, capsys):
    with pytest.raises(ContentError) as raised:
        read_file(Path("/dev"), "zero", lambda name: f"/dev/{name}")
    assert str(raised.value) == f"/dev/zero: is a device: {SPECIAL}"
    try:
        os.mknod(tree / "papers" / "zero.yaml", 0o600 | 0o020000, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("creating a device node needs privileges")
    assert check(capsys) == (1, [f"content/papers/zero.yaml: is a device: {SPECIAL}"])


def test_an_odd_entry_never_hides_the_other_problems(tree, capsys):
    os.mkfifo(tree / "papers" / "pipe.yaml")
    (tree / "papers" / "old").mkdir()
    rename(tree, "papers/four-bit-adapters-llama-2.yaml", "papers/four-bit-adapters-llama-2.yml")
    paper = tree / "papers" / f"{PAPER}.yaml"
    paper.write_text(paper.read_text("utf-8").replace("- quantization", "- quantisation"))
    code, err = check(capsys)
    assert code == 1
    assert [line.split(": ")[0:2] for line in err] == [
        ["content/papers/four-bit-adapters-llama-2.yml", "is not read"],
        [f"content/papers/{PAPER}.yaml:6", "topics[0]"],
        ["content/papers/old", "is a folder"],
        ["content/papers/pipe.yaml", "is a named pipe (FIFO)"],
    ]


def test_build_refuses_a_linked_file_and_publishes_nothing(tree, capsys):
    (tree / "pages" / "leak.md").symlink_to(tree.parent / "secret.txt")
    assert run("build", "--content", "content", "--out", "site", "--base-url", BASE) == 1
    err = capsys.readouterr().err
    assert err == (f"content/pages/leak.md: {LINK}\n"
                   "1 error(s): nothing was built (see `sitegen check`)\n")
    assert not (tree.parent / "site").exists()


def test_build_is_not_up_to_date_once_papers_is_a_link(tree, capsys):
    assert run("build", "--content", "content", "--out", "site", "--base-url", BASE) == 0
    shutil.copytree(tree / "papers", tree.parent / "elsewhere")  # the very same files
    shutil.rmtree(tree / "papers")
    (tree / "papers").symlink_to("../elsewhere")
    capsys.readouterr()
    assert run("build", "--content", "content", "--out", "site", "--base-url", BASE) == 1
    out, err = capsys.readouterr()
    assert "up to date" not in out
    assert err.splitlines()[0] == f"content/papers: {FOLDER_LINK}"


@pytest.mark.parametrize("command", [["fmt"], ["ingest"], ["classify"]])
def test_commands_that_write_papers_refuse_a_linked_paper(tree, capsys, command):
    outside = tree.parent / "outside.yaml"
    shutil.move(tree / "papers" / f"{PAPER}.yaml", outside)
    outside.write_bytes(outside.read_bytes().replace(b"topics:\n", b"topics: \n"))  # not canonical
    before = outside.read_bytes()
    (tree / "papers" / f"{PAPER}.yaml").symlink_to(outside)
    assert run(*command, "--content", "content") == 1
    assert capsys.readouterr().err.splitlines()[0] == f"content/papers/{PAPER}.yaml: {LINK}"
    assert outside.read_bytes() == before and (tree / "papers" / f"{PAPER}.yaml").is_symlink()
    assert sorted(p.name for p in (tree / "papers").iterdir()) == [
        "a-survey-of-llm-benchmarks.yaml", "four-bit-adapters-llama-2.yaml", f"{PAPER}.yaml"]


def test_dumps_are_found_and_read_without_following_links(tree):
    dumps = tree / "dumps"
    (dumps / "linked.txt").symlink_to(tree.parent / "secret.txt")
    os.mkfifo(dumps / "pipe.txt")
    (dumps / "notes.md").write_text("notes", "utf-8")
    assert find_dumps(dumps) == [dumps / "000_first.txt"]
    with deadline(10):
        assert [str(p) for p in read_dump(dumps / "linked.txt")[1]] == [
            f"{dumps}/linked.txt: {LINK}"]
        assert [str(p) for p in read_dump(dumps / "pipe.txt")[1]] == [
            f"{dumps}/pipe.txt: is a named pipe (FIFO): {SPECIAL}"]
    os.truncate(dumps / "000_first.txt", 50 * (1 << 20) + 1)
    assert [str(p) for p in read_dump(dumps / "000_first.txt")[1]] == [
        f"{dumps}/000_first.txt: is over 50 MiB, the limit for a dump "
        "(hint: split it into several dumps)"]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def test_diff_reports_links_on_both_sides_and_reads_neither(tree, capsys, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tree.parent.parent))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    (tree / "papers" / "committed.yaml").symlink_to(tree.parent / "secret.txt")
    git(tree.parent, "init", "-q", "-b", "main")
    git(tree.parent, "add", "content")
    git(tree.parent, "commit", "-q", "-m", "catalogue")
    (tree / "papers" / "committed.yaml").unlink()
    (tree / "papers" / "working.yaml").symlink_to(f"{PAPER}.yaml")
    assert run("diff", "main") == 0
    out = capsys.readouterr().out
    assert out.splitlines()[2:] == [
        "0 added, 0 removed, 0 edited; 2 problem(s).", "", "### Problems", "",
        f"- {md(f'main:content/papers/committed.yaml: {LINK}')}",
        f"- {md(f'content/papers/working.yaml: {LINK}')}",
    ]
    assert SECRET not in out


@pytest.mark.parametrize("replacement", ["invalid: [yaml\n", "\udcff", "link"])
@pytest.mark.parametrize("canonical", [True, False])
def test_a_paper_changed_while_check_runs_is_reported_as_read(tree, capsys, monkeypatch,
                                                              replacement, canonical):
    """An editor saves the file, or a branch is switched, between the moment a paper is read
    and the moment its problem is reported: the line is the one of the text that was read."""
    from sitegen.catalogue import load as catalogue

    paper = tree / "papers" / f"{PAPER}.yaml"
    text = paper.read_text("utf-8").replace("- quantization", "- quantisation")
    paper.write_text(text if canonical else text.replace("topics:\n", "topics:   \n"), "utf-8")
    read = catalogue._read

    def read_then_change(item):
        found = read(item)
        if item[0].name == paper.name:
            paper.unlink()
            if replacement == "link":
                paper.symlink_to(tree.parent / "secret.txt")
            else:
                paper.write_bytes(replacement.encode("utf-8", "surrogateescape"))
        return found

    monkeypatch.setattr(catalogue, "_read", read_then_change)
    code, err = check(capsys)
    assert code == 1
    assert f"content/papers/{PAPER}.yaml:6: topics[0]: unknown topic 'quantisation' (hint: " \
           "use an id from content/taxonomy.yaml: evaluation, peft, quantization, survey)" in err


def test_a_page_removed_while_check_runs_is_reported_not_published_empty(tree, capsys,
                                                                         monkeypatch):
    from sitegen.catalogue import load as catalogue

    listed = catalogue.contenttree.members

    def list_then_remove(root, folder, shown):
        found = listed(root, folder, shown)
        if folder is catalogue.contenttree.PAGES:
            (tree / "pages" / "about.md").unlink()
        return found

    monkeypatch.setattr(catalogue.contenttree, "members", list_then_remove)
    assert check(capsys) == (1, ["content/pages/about.md: cannot be read: the file is gone "
                                 "(hint: run the command again)"])


def test_a_paper_removed_while_it_is_being_opened_is_reported_not_a_traceback(
        tree, capsys, monkeypatch):
    """Between the look at a file and its opening, an editor or a checkout removes it."""
    from sitegen.catalogue import contentfs

    real_open = os.open

    def remove_then_open(name, flags, *args, **kwargs):
        if name == f"{PAPER}.yaml":
            os.unlink(name, dir_fd=kwargs.get("dir_fd"))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(contentfs.os, "open", remove_then_open)
    code, err = check(capsys)
    assert code == 1
    assert err == [f"content/papers/{PAPER}.yaml: cannot be read: the file is gone "
                   "(hint: run the command again)"]


def test_a_killed_writers_temporary_files_are_not_content_and_the_next_ingest_removes_them(
        tree, capsys):
    """A run killed while writing paper files leaves `.NAME.yaml.XXXXXXXX.tmp` files (see
    core.tempnames): they never count as papers or as problems, and the next run that
    writes papers removes them, even when it has nothing to write. A look-alike that the
    writer never makes is still reported."""
    papers = tree / "papers"
    (papers / f".{PAPER}.yaml.0a1b2c3d.tmp").write_text("id: half-writ", "utf-8")
    assert check(capsys) == (0, [])
    (papers / ".notes.yaml.tmp").write_text("mine", "utf-8")
    assert check(capsys) == (1, ["content/papers/.notes.yaml.tmp: is not a paper: papers/ "
                                 "holds only *.yaml files (hint: remove it, or move it out of "
                                 "papers/)"])
    (papers / ".notes.yaml.tmp").unlink()
    assert run("ingest", "--content", "content") == 0
    capsys.readouterr()
    assert sorted(p.name for p in papers.iterdir()) == [
        "a-survey-of-llm-benchmarks.yaml", "a-title.yaml", "four-bit-adapters-llama-2.yaml",
        f"{PAPER}.yaml"]
    (papers / ".a-title.yaml.9f8e7d6c.tmp").write_text("", "utf-8")
    assert run("ingest", "--content", "content") == 0  # nothing new to write
    assert "new papers: 0" in capsys.readouterr().out
    assert not list(papers.glob(".*.tmp"))


EDITOR_LEFTOVERS = [f".{PAPER}.yaml.swp", f".{PAPER}.yaml.swo", f"{PAPER}.yaml~",
                    f"#{PAPER}.yaml#", ".DS_Store", "Thumbs.db", f"flycheck_{PAPER}.yaml",
                    f"{PAPER}.yaml___jb_tmp___"]


def test_the_files_editors_keep_beside_open_files_are_not_content(tree, capsys):
    """Vim's swap files, backups, Emacs's locks and auto-saves, a folder's view settings:
    wherever they are in the content, they are neither papers nor problems (the preview
    would fail while a paper is open in an editor), and a build does not read them. A name
    that only looks like one (`notes.swp`, not hidden) is still reported."""
    for folder in (tree, tree / "papers", tree / "pages", tree / "dumps"):
        folder.mkdir(exist_ok=True)
        for name in EDITOR_LEFTOVERS:
            (folder / name).write_text("id: half-written, or not YAML at all", "utf-8")
        (folder / f".#{PAPER}.yaml").symlink_to("user@host.1234:1700000000")  # to nothing
    assert check(capsys) == (0, [])
    (tree / "papers" / "notes.swp").write_text("mine", "utf-8")
    assert check(capsys) == (1, ["content/papers/notes.swp: is not a paper: papers/ holds "
                                 "only *.yaml files (hint: remove it, or move it out of "
                                 "papers/)"])
