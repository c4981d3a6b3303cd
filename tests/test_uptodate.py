"""What makes a build's inputs count as changed (see sitegen/uptodate.py)."""

import os
import time
from pathlib import Path

from sitegen.site.uptodate import fingerprint


def make_tree(tmp_path):
    tree = tmp_path / "content"
    (tree / "papers").mkdir(parents=True)
    (tree / "papers" / "a.yaml").write_text("title: One\n")
    (tree / "site.yaml").write_text("title: Site\n")
    return tree


def test_the_same_inputs_give_the_same_fingerprint(tmp_path):
    tree = make_tree(tmp_path)
    assert fingerprint(["x"], [tree], []) == fingerprint(["x"], [tree], [])


def test_options_files_and_missing_files_are_part_of_it(tmp_path):
    tree = make_tree(tmp_path)
    first = fingerprint(["x"], [tree], [tmp_path / "vendored.js"])
    assert fingerprint(["y"], [tree], [tmp_path / "vendored.js"]) != first
    (tmp_path / "vendored.js").write_text("lib")
    assert fingerprint(["x"], [tree], [tmp_path / "vendored.js"]) != first


def test_an_edit_of_the_same_size_is_seen_even_with_its_old_times_put_back(tmp_path):
    tree = make_tree(tmp_path)
    paper = tree / "papers" / "a.yaml"
    before, status = fingerprint([], [tree], []), paper.stat()
    time.sleep(0.02)  # past the file system clock's tick
    paper.write_text("title: Two\n")  # same size
    os.utime(paper, ns=(status.st_atime_ns, status.st_mtime_ns))  # as `cp -p` or rsync would
    assert paper.stat().st_size == status.st_size
    assert paper.stat().st_mtime_ns == status.st_mtime_ns
    assert fingerprint([], [tree], []) != before  # the change time gives it away


def test_new_and_removed_files_are_seen_but_the_codes_bytecode_caches_are_not(tmp_path):
    tree, code = make_tree(tmp_path), tmp_path / "code"
    (code / "site").mkdir(parents=True)
    before = fingerprint([], [tree], [], code=[code])
    for folder in (code, code / "site"):
        (folder / "__pycache__").mkdir()
        (folder / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert fingerprint([], [tree], [], code=[code]) == before
    (tree / "papers" / "__pycache__").mkdir()  # in content, a folder the build refuses
    assert fingerprint([], [tree], [], code=[code]) != before
    (tree / "papers" / "__pycache__").rmdir()
    (tree / "papers" / "b.yaml").write_text("title: B\n")
    added = fingerprint([], [tree], [], code=[code])
    assert added != before
    (tree / "papers" / "b.yaml").unlink()
    assert fingerprint([], [tree], [], code=[code]) == before


def test_links_fifos_and_folders_count_without_being_followed(tmp_path):
    """What the build refuses must change the fingerprint, or a build would answer
    "up to date" over it."""
    tree = make_tree(tmp_path)
    papers, outside = tree / "papers", tmp_path / "outside"
    outside.mkdir()
    (outside / "b.yaml").write_text("title: B\n")
    seen = {fingerprint([], [tree], [])}
    for change in (lambda: os.mkfifo(papers / "pipe.yaml"),
                   lambda: (papers / "old").mkdir(),
                   lambda: (papers / "gone.yaml").symlink_to("nowhere.yaml"),
                   lambda: (papers / "more").symlink_to(outside),
                   lambda: (outside / "b.yaml").write_text("title: Bee\n"),  # not followed
                   lambda: (papers / "b.yaml").symlink_to(outside / "b.yaml"),
                   lambda: (outside / "b.yaml").write_text("title: Be\n")):  # what is there
        change()
        seen.add(fingerprint([], [tree], []))
    assert len(seen) == 7  # the edit behind the folder link alone changes nothing


def test_folders_nested_thousands_deep_are_walked_without_recursion(tmp_path, monkeypatch):
    """A pull request may nest folders under content/ past Python's recursion limit."""
    tree = make_tree(tmp_path)
    before = fingerprint([], [tree], [])
    monkeypatch.chdir(tree / "papers")
    made = 0
    try:
        for _ in range(1_500):  # one level at a time: pathlib and os.makedirs recurse too
            os.mkdir("a")
            os.chdir("a")
            made += 1
        Path("x.yaml").write_text("title: Deep\n")
        assert fingerprint([], [tree], []) != before
    finally:  # bottom up: pytest's own clean-up of old temporary folders recurses
        Path("x.yaml").unlink(missing_ok=True)
        for _ in range(made):
            os.chdir("..")
            os.rmdir("a")


def test_the_files_editors_keep_beside_open_files_do_not_count(tmp_path):
    """No build reads an editor's swap file or backup (`core.tempnames`): one appearing
    while a paper is open is not a change, while any other new file is."""
    tree = make_tree(tmp_path)
    before = fingerprint([], [tree], [])
    (tree / "papers" / ".a.yaml.swp").write_bytes(b"b0VIM 9.0")
    (tree / "papers" / "a.yaml~").write_text("title: Zero\n")
    (tree / ".DS_Store").write_bytes(b"\0")
    assert fingerprint([], [tree], []) == before
    (tree / "papers" / "a.swp").write_bytes(b"b0VIM 9.0")
    assert fingerprint([], [tree], []) != before
