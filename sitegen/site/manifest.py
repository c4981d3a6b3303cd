"""What a tree of output files holds and what each file was made from: its manifest, kept
in the build record beside the output (never in the published site).

For every file: its key (a digest of the page's template and typed context, or of the
data a group of files is made from, and of the code), the reads its rendering made
(templates, settings, static files' versions: see `reads`), with the value each had,
and the digest, size and modification time of its bytes. A later build takes a file
from a tree whose manifest gives it the same key and reads of unchanged values, once
the file is seen to be as it was written.

A manifest names its tree by the folder's device and inode, which a swap moves with
the folder, so that a manifest describes the same folder whatever its name is now.
It is removed, durably, before anything in its tree changes: a tree that a killed
build left half updated has none, and nothing is taken from it.

It also records the change time of each of the tree's folders, taken as it is saved:
a folder whose change time is still that one has had no entry added since, so that a
later build looks for what was put into the tree by hand (`reuse.unlisted`) only in
the folders that changed, not in all 20,000. A change time that may share its clock
tick with a change made after it was taken (`RACY_NS` or less before the manifest was
written, both by the disk's own clock) proves nothing, and its folder is looked into.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.core.jsonbytes import json_bytes, json_value
from sitegen.site.output import write_atomic

FORMAT = 2
Entry = list  # [key, index of its reads in `sets` (-1: none), digest, size, mtime in ns]
RACY_NS = 2_000_000_000  # more than any disk's tick of time (FAT's is two seconds)


@dataclass
class Manifest:
    outputs: dict[str, Entry] = field(default_factory=dict)
    sets: list[list[str]] = field(default_factory=list)  # reads, each as "kind\0name"
    values: dict[str, str] = field(default_factory=dict)  # read -> its value's digest
    # each folder's change time when the manifest was saved (the tree's root aside), and
    # the change time of the manifest's file, as loaded (0: unknown)
    folders: dict[str, int] = field(default_factory=dict)
    saved: int = 0

    def unchanged(self, folder: str, ctime_ns: int) -> bool:
        """Whether a folder with this change time has had no entry added since the
        manifest was saved."""
        return self.folders.get(folder) == ctime_ns < self.saved - RACY_NS


def folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder the files at these paths are in, relative (the root aside)."""
    folders: set[str] = set()
    for path in paths:
        folder = os.path.dirname(path)
        while folder and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    return folders


def tree_id(tree: Path) -> str | None:
    """The folder's identity, or None if there is none at that path."""
    try:
        status = os.stat(tree, follow_symlinks=False)
    except OSError:
        return None
    return f"{status.st_dev}-{status.st_ino}"


def load(record: Path, tree: Path) -> Manifest | None:
    """The manifest of the folder at `tree`, if one was kept and reads back whole."""
    identity = tree_id(tree)
    if identity is None:
        return None
    path = record / f"tree-{identity}.json"
    try:
        saved = os.stat(path).st_ctime_ns
        data = json_value(path.read_bytes())
        if data.get("format") != FORMAT:
            return None
        return Manifest(dict(data["outputs"]), list(data["sets"]), dict(data["values"]),
                        {str(k): int(v) for k, v in data["folders"].items()}, saved)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save(record: Path, tree: Path, manifest: Manifest) -> None:
    """Keep the manifest of the folder now at `tree`, and drop those of folders gone."""
    identity = tree_id(tree)
    if identity is None:
        return
    data = {"format": FORMAT, "outputs": manifest.outputs, "sets": manifest.sets,
            "values": manifest.values, "folders": folder_times(tree, manifest.outputs)}
    write_atomic(record / f"tree-{identity}.json", json_bytes(data))


def folder_times(tree: Path, outputs: Iterable[str]) -> dict[str, int]:
    """The change time of each folder the files at these paths are in (relative to `tree`,
    its root aside), where it is a folder; taken before the manifest is written."""
    times = {}
    for folder in sorted(folders_of(outputs)):
        with contextlib.suppress(OSError):
            status = os.stat(os.path.join(tree, folder), follow_symlinks=False)
            if stat.S_ISDIR(status.st_mode):
                times[folder] = status.st_ctime_ns
    return times


def forget(record: Path, tree: Path) -> None:
    """Remove the folder's manifest for good, before the folder is changed: the removal
    is synced to disk, so that no crash can bring it back."""
    identity = tree_id(tree)
    if identity is None:
        return
    with contextlib.suppress(FileNotFoundError):
        os.unlink(record / f"tree-{identity}.json")
        handle = os.open(record, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def prune(record: Path, trees: list[Path]) -> None:
    """Remove the manifests of every folder but these."""
    kept = {f"tree-{identity}.json" for identity in map(tree_id, trees) if identity}
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(record):
            if entry.name.startswith("tree-") and entry.name not in kept:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
