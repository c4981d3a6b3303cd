"""Two trees for one site: the live one, and a spare that the next build brings up to date
and swaps in, in one step, as a build always has.

Writing a whole new tree and removing the old one cost more than rendering once the
site holds tens of thousands of folders (making them and removing them is slow on
many disks). So the tree a swap retires is kept beside the output, as the spare, with
its manifest; the next build changes in it only the files that differ from what it
should hold, takes the rest from it or links it from the live site, removes the files
the new site does not have, and swaps it in. The live site is never written to, so a
failed or killed build leaves it whole, as before; a spare that a killed build left
half updated has no manifest, and the next build replaces it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from sitegen.site import manifest
from sitegen.site.manifest import Manifest
from sitegen.site.output import prepare_to_replace
from sitegen.site.reads import ReadValues, as_read
from sitegen.site.reuse import Earlier, Filled, Written, remove_stale, remove_unlisted
from sitegen.site.swap import lock_folder, locked_dir, swapped_in

Fill = Callable[[Path, Earlier, Manifest | None], Filled]


def spare_path(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def update_site(out: Path, record: Path, values: ReadValues, fill: Fill,
                ready: Callable[[], bool] = lambda: True, fresh: bool = False
                ) -> Written | None:
    """Make the new site in the spare tree (or a new one) with `fill`, taking what it can
    from the trees built before (nothing if `fresh`), and swap it in; what `fill` wrote,
    by path (it also finds what the spare holds unlisted: `reuse.unlisted`). When it is
    made, `ready()` says whether it may replace the live site: if not, nothing is swapped
    (None), and the tree is kept as the spare, with its manifest, for the next build."""
    out = prepare_to_replace(out)
    record.mkdir(parents=True, exist_ok=True)
    if fresh:
        _forget_earlier(out, record)
    staging, lock, spare = _staging(out, record)
    trees = [(staging, spare)] if spare is not None else []
    reading = lock_folder(out, shared=True)  # no build swaps the live site out meanwhile
    live = manifest.load(record, out) if reading is not None else None
    trees += [(out, live)] if live is not None else []
    try:
        try:
            written, found = fill(staging, Earlier(trees, values), spare)
        finally:
            if reading is not None:
                os.close(reading)  # before the swap, which waits for every reader
        if spare is not None:
            remove_stale(staging, spare, written)
            remove_unlisted(staging, found, written)
        if not ready():
            _keep_unswapped(out, record, staging, manifest_of(written, values))
            return None
        with swapped_in(staging, out) as retired:  # out stays ours while `lock` is held
            manifest.save(record, out, manifest_of(written, values))
            _keep_as_spare(out, retired)
    except BaseException:
        if spare is None:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        os.close(lock)
    manifest.prune(record, [out, spare_path(out)])
    return written


def _forget_earlier(out: Path, record: Path) -> None:
    """Take nothing from the trees built before: the live site's manifest is forgotten
    (so no file is taken from it, and the tree the swap retires is not used again), and
    the spare is removed. Files are known unchanged by their size and time, and the two
    trees share the files of unchanged pages: a page changed in place, its time put back,
    was taken as it was by every later build."""
    manifest.forget(record, out)
    spare = spare_path(out)
    lock = lock_folder(spare)
    if lock is not None:  # else another build is at work in it, and will replace it
        try:
            manifest.forget(record, spare)
            shutil.rmtree(spare, ignore_errors=True)
        finally:
            os.close(lock)


def _staging(out: Path, record: Path) -> tuple[Path, int, Manifest | None]:
    """Where to make the new site, locked: the spare tree with its manifest (forgotten
    now, as the tree is about to change), or a new empty folder."""
    spare = spare_path(out)
    lock = lock_folder(spare)
    if lock is not None:
        kept = manifest.load(record, spare)
        if kept is not None:
            manifest.forget(record, spare)
            return spare, lock, kept
        shutil.rmtree(spare, ignore_errors=True)  # left half updated: its files are unknown
        os.close(lock)
    folder, lock = locked_dir(out.parent, f".{out.name}.new-")
    return folder, lock, None


def _keep_unswapped(out: Path, record: Path, staging: Path, made: Manifest) -> None:
    """A site made but not swapped in kept as the spare, whole, with its manifest, for the
    next build to start from (unless another build's spare is there)."""
    if _keep_as_spare(out, staging):
        manifest.save(record, spare_path(out), made)


def _keep_as_spare(out: Path, tree: Path | None) -> bool:
    """Keep the tree (one a swap retired, or a site not swapped in) as the spare, unless it
    is the spare already, or another build's spare is there (then it is removed); whether
    it is the spare now."""
    spare = spare_path(out)
    if tree is None or tree == spare:
        return tree is not None
    try:
        os.rename(tree, spare)  # replaces no folder holding anything
    except OSError:
        shutil.rmtree(tree, ignore_errors=True)
        return False
    return True


def manifest_of(written: Written, values: ReadValues) -> Manifest:
    """The new site's manifest: each file's entry, its reads as an index into the distinct
    sets of reads, and the value of every read."""
    sets: dict[tuple[str, ...], int] = {}
    outputs = {}
    for path, (key, reads, data_digest, size, mtime) in sorted(written.items()):
        index = sets.setdefault(tuple(reads), len(sets)) if reads else -1
        outputs[path] = [key, index, data_digest, size, mtime]
    names = sorted({read for reads in sets for read in reads})
    return Manifest(outputs, [list(reads) for reads in sets],
                    {name: values(as_read(name)) for name in names})
