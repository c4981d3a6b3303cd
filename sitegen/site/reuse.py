"""Which files a build makes and which it takes, unchanged, from a tree it built before.

A page is made again only when its key (its template and typed context, with the
code) or a value it read last time (see `reads`) differs from what the tree it could
come from recorded; a group of data files only when the data they are made from does.
Everything else is taken as it is: left in place in the spare tree being brought up to
date, or hard-linked from the live site (files are never changed in place, only
replaced, so a link shares nothing that will change).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import stat
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sitegen.site.digest import digest
from sitegen.site.jinja import Job
from sitegen.site.manifest import Entry, Manifest, folders_of
from sitegen.site.output import write_file
from sitegen.site.reads import ReadValues, as_read, recording
from sitegen.site.render import FileGroup, KeyedFiles, PageJobs


@dataclass(frozen=True)
class Output:
    """A file of the new site: made now (`data`), or taken from the tree `source`."""

    path: str
    key: str
    reads: tuple[str, ...]  # what making it read, each "kind\0name", sorted
    data: bytes | None = None
    source: Path | None = None
    entry: Entry | None = None  # its entry in the source tree's manifest


class Earlier:
    """The trees a build may take files from, best first: the spare tree it updates (whose
    files stay where they are), then the live site."""

    def __init__(self, trees: list[tuple[Path, Manifest]], values: ReadValues):
        self.trees = trees
        self.folders = [os.fspath(tree) for tree, _ in trees]  # joined as text: 20,000 paths
        self.current = [[all(m.values.get(r) == values(as_read(r)) for r in reads)
                         for reads in m.sets] for _, m in trees]

    @functools.cached_property
    def by_key(self) -> list[dict[str, list[str]]]:
        """Each tree's paths by key, for `group` (made when first asked: the preview puts
        the pages and search data that show an edit in place before any group)."""
        found = []
        for _, manifest in self.trees:
            keys: dict[str, list[str]] = {}
            for path, entry in manifest.outputs.items():
                keys.setdefault(entry[0], []).append(path)
            found.append(keys)
        return found

    def output(self, path: str, key: str) -> Output | None:
        """The file at `path` from the first tree holding it made from this key ("": none)
        with every read its making made (a page's) at its current value."""
        if not key:
            return None
        for (tree, manifest), current, folder in zip(self.trees, self.current, self.folders,
                                                     strict=True):
            entry = manifest.outputs.get(path)
            if (entry is not None and entry[0] == key and (entry[1] < 0 or current[entry[1]])
                    and intact(os.path.join(folder, path), entry)):
                reads = tuple(manifest.sets[entry[1]]) if entry[1] >= 0 else ()
                return Output(path, key, reads, None, tree, entry)
        return None

    def group(self, key: str) -> list[Output] | None:
        """Every file of a group, from the first tree holding all of them made from `key`."""
        for (tree, manifest), keys in zip(self.trees, self.by_key, strict=True):
            paths = keys.get(key, [])
            entries = [manifest.outputs[path] for path in paths]
            if paths and all(intact(tree / p, e) for p, e in zip(paths, entries, strict=True)):
                return [Output(p, key, (), None, tree, e)
                        for p, e in zip(paths, entries, strict=True)]
        return None


def intact(path: Path | str, entry: Entry) -> bool:
    """True if the file is still as its manifest says it was written."""
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and (status.st_size, status.st_mtime_ns) == (
        entry[3], entry[4])


def page_outputs(pages: PageJobs, jobs: Iterable[Job], earlier: Earlier,
                 code: str) -> Iterator[Output]:
    """Each page, taken where an earlier tree holds it as it would be made (known from
    its context, or from what its context is made from), else made."""
    for job in jobs:
        context = None if job.inputs else job.context() if callable(job.context) else job.context
        key = digest(job.template, job.inputs() if job.inputs else context, code)
        found = earlier.output(job.path, key)
        if found is not None:
            yield found
            continue
        if context is None:
            context = job.context() if callable(job.context) else job.context
        with recording() as reads:
            data = pages.templates.render(Job(job.path, job.template, context))
        yield Output(job.path, key, tuple(sorted(f"{k}\0{n}" for k, n in reads)), data)


def group_outputs(groups: Iterable[FileGroup | KeyedFiles],
                  earlier: Earlier) -> Iterator[Output]:
    """Each group's files, taken whole where an earlier tree holds them, else made; files
    with keys of their own, each taken where a tree holds it, else made."""
    for group in groups:
        if isinstance(group, KeyedFiles):
            for path, key, make in group.files():
                yield earlier.output(path, key) or Output(path, key, (), make())
            continue
        key = group.key()
        taken = earlier.group(key)
        if taken is not None:
            yield from taken
        else:
            yield from (Output(path, key, (), data) for path, data in group.make())


Written = dict[str, list]  # path -> [key, reads, digest, size, mtime in ns]
Filled = tuple[Written, list[str]]  # what was written, and what `unlisted` found


def write_outputs(root: Path, outputs: Iterable[Output], spare: Manifest | None) -> Written:
    """Put every output at root/path: left as it is when `root`, the spare tree being
    updated (as its manifest `spare` says), holds those bytes already; else written,
    or linked from the tree it is taken from."""
    written: Written = {}
    folders: set[Path] = set()
    for output in outputs:
        target = root / output.path
        data_digest = (hashlib.sha256(output.data).hexdigest() if output.data is not None
                       else output.entry[2] if output.entry else "")
        old = spare.outputs.get(output.path) if spare else None
        if old is not None and old[2] == data_digest and (
                output.source == root or intact(target, old)):  # (found intact there)
            size, mtime = old[3], old[4]
        else:
            if target.parent not in folders:
                _make_folder(root, target.parent)
                folders.add(target.parent)
            if spare is not None:
                _remove(target)
            size, mtime = _put(target, output)
        written[output.path] = [output.key, output.reads, data_digest, size, mtime]
    return written


def _put(target: Path, output: Output) -> tuple[int, int]:
    if output.data is not None:
        return write_file(target, output.data)
    assert output.source is not None and output.entry is not None
    os.link(output.source / output.path, target, follow_symlinks=False)
    return output.entry[3], output.entry[4]


def _make_folder(root: Path, folder: Path) -> None:
    """The folder, made where a file of the spare tree's may stand in its way."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        for parent in reversed([folder, *folder.parents]):
            if parent.is_relative_to(root) and parent.is_file():
                parent.unlink()
        folder.mkdir(parents=True, exist_ok=True)


def _remove(target: Path) -> None:
    try:
        target.unlink()
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)


def remove_stale(root: Path, spare: Manifest, kept: Iterable[str]) -> None:
    """Remove the spare tree's files that the new site does not have, and the folders
    this empties."""
    folders: set[Path] = set()
    for path in spare.outputs.keys() - set(kept):
        _remove(root / path)
        folders.update((root / path).parents)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if folder.is_relative_to(root) and folder != root:
            with contextlib.suppress(OSError):  # not empty
                folder.rmdir()


def unlisted(root: Path, spare: Manifest | None) -> list[str]:
    """What the spare tree holds that its manifest does not list, relative to it: each
    such file, and each folder no listed file is in (not looked into). That is what a
    person or another program put into the tree while it was the live site (a `CNAME`,
    say), and what this build wrote since it started, if it has. Only the folders whose
    change time says an entry may have been added since the manifest was saved are
    looked into (`Manifest.unchanged`): a tree of 20,000 folders took most of a second to
    walk, a folder's time takes a few microseconds."""
    if spare is None:
        return []  # a new tree: nothing in it but what this build writes
    listed = folders_of(spare.outputs)
    found = []
    for folder in _changed_folders(root, spare, listed):
        try:
            with os.scandir(os.path.join(root, folder)) as entries:
                held = [(entry.name, entry.is_dir(follow_symlinks=False)) for entry in entries]
        except OSError:
            continue  # removed meanwhile
        for name, is_folder in held:
            path = os.path.join(folder, name)
            if not (is_folder and path in listed) and path not in spare.outputs:
                found.append(path)
    return found


def _changed_folders(root: Path, spare: Manifest, listed: set[str]) -> list[str]:
    """The root, and the listed folders that are folders still, reached through folders
    only (never through a link put in a folder's place), and may have changed."""
    changed, reached = [""], {""}
    for folder in sorted(listed):  # a folder sorts before what it holds
        if os.path.dirname(folder) not in reached:
            continue  # its parent is no folder now: its parent's entry is found
        try:
            status = os.stat(os.path.join(root, folder), follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(status.st_mode):
            reached.add(folder)
            if not spare.unchanged(folder, status.st_ctime_ns):
                changed.append(folder)
    return changed


def remove_unlisted(root: Path, found: Iterable[str], kept: Collection[str]) -> None:
    """Remove what `unlisted` found that the new site does not hold, so that the tree is
    the new site and nothing else (else what was put there came back every other build,
    when the tree was the spare again)."""
    folders = folders_of(kept)
    for path in found:
        if path not in kept and path not in folders:
            _remove(root / path)
