"""Where a build's work runs: the one module that knows about processes, the garbage
collector and overlapping the rendering with the writing.

A one-off build has two cores to use. Data that the whole build keeps (the
catalogue, the page contexts) is made once, here, and forked processes share it
(copy-on-write): the search data and exports are made by one forked process, the
pages are shared between another and this one, each taking the next ones whenever it
is free (so that neither waits for the other). In each, a thread
writes while the next files are being made. The preview server, whose threads
make forking unsafe, does everything in its own process, in the same order.
Either way the same files are written (`output` writes them).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import queue
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from sitegen.core.meeting import Meeting
from sitegen.core.parallel import CAN_FORK, Forked, fork, join, outlive
from sitegen.site.codedigest import code_digest
from sitegen.site.manifest import Manifest
from sitegen.site.output import Listing
from sitegen.site.render import PageJobs, SiteJobs
from sitegen.site.reuse import (
    Earlier,
    Filled,
    Output,
    Written,
    group_outputs,
    page_outputs,
    unlisted,
    write_outputs,
)
from sitegen.site.trees import update_site

T = TypeVar("T")
W = TypeVar("W")
# pages a process rendering them claims at a time, or the SHARE of those left when that is
# more (see `Meeting`): a turn took a millisecond, at 16 pages a claim a tenth of the rendering
CLAIMED, SHARE = 16, 8
BATCH = 32  # files handed to the writing thread at a time: fewer hand-overs of the GIL


class WorkersFailed(OSError):
    """Processes writing part of the site failed: `errors` says how (for the command to
    show), `during` is this process's own failure if it failed too."""

    def __init__(self, errors: list[Exception], during: BaseException | None = None):
        super().__init__("a process writing part of the site failed (see above)")
        self.errors, self.during = errors, during


class Scheduler:
    """Runs a build's work in this process only, or shared with forked ones."""

    def __init__(self, processes: bool = True):
        self.processes = processes and CAN_FORK

    def long_lived(self, make: Callable[[], T]) -> T:
        """make(), for data that lives until the build ends and that forked processes read.
        It is made without the cycle collector, which would go over the growing data again
        and again, and then set aside from it for good, so that forked processes copy no
        memory the collector would otherwise touch; and kept until the process ends, if it is
        to end once the build is done (`parallel.outlive`). (The preview's rebuilds pause the
        collector too: see `session`.)"""
        if not self.processes:
            return make()
        gc.disable()
        try:
            made = make()
        finally:
            gc.enable()
            gc.freeze()
        return outlive(made)

    def write(self, site: SiteJobs, out: Path, record: Path,
              ready: Callable[[], bool] = lambda: True, fresh: bool = False
              ) -> Listing | None:
        """Make and write every file of the site, replacing `out` in one step, taking the
        files that would come out the same from the trees built before (see `trees`;
        their manifests are kept in the folder `record`); the size and modification time
        of every file. A forked process makes the data files while this one makes the page
        contexts. What the pages keep for the next build (`PageJobs.keep`) is saved by this
        one while the forked one starts rendering the pages (a forked process would copy
        most of the index's memory as it reads it), after which this one renders those
        left; each process rendering pages saves the items it rendered
        (`PageJobs.save_items`). Once it is made, the site replaces `out` only if
        `ready()` (None if not: see `update_site`); `fresh`: every file made again."""
        fill = functools.partial(self._fill, site, code_digest())
        written = update_site(out, record, site.values, fill, ready, fresh)
        if written is None:
            return None
        return {path: (entry[3], entry[4]) for path, entry in written.items()}

    def apart(self) -> Apart:
        """Checks that run beside the making of the site, in a process of their own."""
        return Apart(self.processes)

    def _fill(self, site: SiteJobs, code: str, root: Path,
              earlier: Earlier, spare: Manifest | None) -> Filled:
        write = functools.partial(write_outputs, spare=spare)
        if not self.processes:
            pages = site.pages()
            pages.keep()
            every = itertools.chain(group_outputs(site.groups, earlier),
                                    page_outputs(pages, pages.jobs, earlier, code))
            return (_rendering(pages, functools.partial(stream, root, every, write)),
                    unlisted(root, spare))
        workers = [fork(lambda: _data_files(site, root, earlier, spare, write))]
        written: Written = {}
        found: list[str] = []
        meeting: Meeting | None = None
        try:
            pages = self.long_lived(site.pages)  # before forking: shared, not made twice
            meeting = Meeting(len(pages.jobs))
            render = functools.partial(_claiming, pages, meeting, root, earlier, code, write)
            workers.append(fork(lambda: (render(True), [])))
            pages.keep()  # while the forked process renders: then this one takes the rest
            written.update(render(False))
        except BaseException as error:
            if meeting is not None:
                meeting.close()
            _join_all(workers, written, found, during=error)
            raise
        _join_all(workers, written, found)
        return written, found


class Apart:
    """Checks run in a forked process while this one makes the site: a build's look-alike
    check needs every paper but makes nothing the site shows, only whether it may
    replace the live one. Where the build runs in one process, each runs when given."""

    def __init__(self, processes: bool):
        self.processes = processes
        self.children: list[Forked[list]] = []
        self.found: list | None = None

    def run(self, check: Callable[[bool], list[T]], then: Callable[[], None]) -> list[T]:
        """What check(may_fork) finds now, then() run after it; or, run apart (forking
        none), nothing now: its findings come from `findings`, and then() runs after it in
        its process. (A build's then() saves what it read and judged for the next one: work
        the site does not wait for, which the checking process has time for.)"""
        if not self.processes:
            return _checking(check, then)
        self.children.append(fork(functools.partial(_checking, check, then)))
        return []

    def findings(self) -> list:
        """What the checks run apart found, once they have ended (their error raised)."""
        if self.found is None:
            self.found = [found for child in self.children for found in join(child)]
        return self.found

    def __enter__(self) -> Apart:
        return self

    def __exit__(self, *_exc: object) -> None:
        """Wait for the checks still running, whatever they found (the build failed)."""
        if self.found is None:
            for child in self.children:
                with contextlib.suppress(Exception):
                    join(child)
            self.found = []


def _checking(check: Callable[[bool], list[T]], then: Callable[[], None]) -> list[T]:
    found = check(False)  # the other processes of a build keep the cores busy
    then()
    return found


def _data_files(site: SiteJobs, root: Path, earlier: Earlier, spare: Manifest | None,
                write: Callable[[Path, Iterable[Output]], Written]) -> Filled:
    """Write the data files, having looked for what the spare tree holds unlisted first:
    while the other processes make the pages rather than once they wait for this one."""
    found = unlisted(root, spare)
    return stream(root, group_outputs(site.groups, earlier), write), found


def _claiming(pages: PageJobs, meeting: Meeting, root: Path, earlier: Earlier, code: str,
              write: Callable[[Path, Iterable[Output]], Written], from_end: bool) -> Written:
    """Render and write the pages this process claims (see CLAIMED), until none is left (the
    forked process from the last back, this one from the first on)."""
    jobs = (pages.jobs[k] for k in meeting.claims(from_end, CLAIMED, SHARE))
    return _rendering(pages, functools.partial(
        stream, root, page_outputs(pages, jobs, earlier, code), write))


def _rendering(pages: PageJobs, work: Callable[[], T]) -> T:
    """work(), which renders a share of the pages, then the items it rendered saved."""
    done = work()
    pages.save_items()
    return done


def _join_all(workers: list[Forked[Filled]], written: Written, found: list[str],
              during: BaseException | None = None) -> None:
    """Wait for every worker, adding what each wrote and found; WorkersFailed if any
    failed."""
    errors = []
    for worker in workers:
        try:
            done, unknown = join(worker)
        except Exception as error:
            errors.append(error)
        else:
            written.update(done)
            found += unknown
    if errors:
        raise WorkersFailed(errors, during)


def stream(root: Path, items: Iterable[T], write: Callable[[Path, Iterable[T]], W]) -> W:
    """Write items under root with `write`, from a background thread while this one makes
    the next ones: disk and CPU work overlap."""
    pending: queue.Queue[list[T] | None] = queue.Queue(maxsize=4)
    failures: list[Exception] = []
    result: list[W] = []
    thread = threading.Thread(target=_writer, args=(root, pending, failures, result, write),
                              name="site-writer")
    thread.start()
    try:
        batch: list[T] = []
        for item in items:
            if failures:
                break
            batch.append(item)
            if len(batch) == BATCH:
                pending.put(batch)
                batch = []
        pending.put(batch)
    finally:
        pending.put(None)
        thread.join()
    if failures:
        raise failures[0]
    return result[0]


def _writer(root: Path, pending: queue.Queue[list[T] | None], failures: list[Exception],
            result: list[W], write: Callable[[Path, Iterable[T]], W]) -> None:
    """Write the batches handed over until None comes; after a failure, only take them."""

    def handed() -> Iterable[T]:
        while (batch := pending.get()) is not None:
            yield from batch

    try:
        result.append(write(root, handed()))
    except Exception as error:
        failures.append(error)
        for _ in handed():
            pass
