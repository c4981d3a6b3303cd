"""What was put into a tree by hand is found by looking only into the folders whose change
time moved since the tree's manifest was saved (`reuse.unlisted`, `Manifest.unchanged`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sitegen.site import reuse
from sitegen.site.manifest import RACY_NS, Manifest, folder_times

FOLDERS = 40


def tree_with_manifest(root: Path, racy: bool = False) -> Manifest:
    """A tree of FOLDERS folders of one page each (one of them with a folder inside), and
    its manifest as a build saves it: saved after every folder's last change, and long
    after unless `racy`."""
    page = ["k", -1, "d", 1, 1]
    outputs = {"index.html": page, "papers/p3/more/index.html": page}
    outputs |= {f"papers/p{n}/index.html": page for n in range(FOLDERS)}
    for path in outputs:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text("page")
    times = folder_times(root, outputs)
    latest = max(times.values())
    time.sleep(0.05)  # later changes fall in a later tick of the disk's clock
    return Manifest(outputs, folders=times, saved=latest + (1 if racy else RACY_NS + 1))


@pytest.fixture
def looked_into(monkeypatch) -> list[str]:
    """The folders `unlisted` lists the entries of."""
    folders: list[str] = []
    scandir = os.scandir

    def counting(path):  # type: ignore[no-untyped-def]
        folders.append(os.path.normpath(path))
        return scandir(path)

    monkeypatch.setattr(reuse.os, "scandir", counting)
    return folders


def test_only_the_folders_changed_since_the_manifest_are_looked_into(tmp_path, looked_into):
    root = tmp_path / "site"
    spare = tree_with_manifest(root)
    (root / "CNAME").write_text("papers.example.org")
    (root / "papers" / "p7" / "notes.html").write_text("mine")
    (root / "papers" / "p3" / "more" / "mine").mkdir()
    assert sorted(reuse.unlisted(root, spare)) == [
        "CNAME", os.path.join("papers", "p3", "more", "mine"),
        os.path.join("papers", "p7", "notes.html")]
    assert sorted(looked_into) == sorted(str(root / folder) for folder in
                                         ["", "papers/p3/more", "papers/p7"])


def test_a_folder_changed_in_the_tick_the_manifest_was_saved_in_is_looked_into(
        tmp_path, looked_into):
    """A change time a later change may share proves nothing: every folder is looked into."""
    root = tmp_path / "site"
    spare = tree_with_manifest(root, racy=True)
    assert reuse.unlisted(root, spare) == []
    assert len(looked_into) == FOLDERS + 3  # the root, papers/, p0 to p39, p3/more


def test_a_link_put_in_a_folders_place_is_found_and_never_followed(tmp_path, looked_into):
    root, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    spare = tree_with_manifest(root)
    (elsewhere / "more").mkdir(parents=True)
    (elsewhere / "more" / "index.html").write_text("not the site's")
    (elsewhere / "keep.txt").write_text("not the site's")
    for path in (root / "papers" / "p3").rglob("*"):
        if path.is_file():
            path.unlink()
    (root / "papers" / "p3" / "more").rmdir()
    (root / "papers" / "p3").rmdir()
    (root / "papers" / "p3").symlink_to(elsewhere, target_is_directory=True)
    looked_into.clear()  # (the setting up looked too)
    assert reuse.unlisted(root, spare) == [os.path.join("papers", "p3")]
    assert not any(folder.startswith(str(elsewhere)) or folder.endswith(("p3", "more"))
                   for folder in looked_into)
