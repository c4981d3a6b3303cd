"""`sitegen serve`: build with live reload, serve the output, rebuild on every change.

Pages built here load `__reload.js`, which polls `__build` and reloads the page
when the build id changes; both are answered by this server only (`servehttp`), so
nothing of this reaches a normal `sitegen build`. The server answers from a process of
its own (`serverlink`); this one watches, builds and tells it of each build.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from watchfiles import Change, DefaultFilter, watch

from sitegen.core.model import Problem
from sitegen.core.parallel import CAN_FORK
from sitegen.core.tempnames import is_editor_leftover
from sitegen.site.livereload import Builds, Told
from sitegen.site.paths import STATIC, TEMPLATES
from sitegen.site.saves import Saves, keep_building, keep_looking
from sitegen.site.servehttp import Served, Server, bind, folder_identity
from sitegen.site.serverlink import ServerProcess
from sitegen.site.session import Session
from sitegen.site.templateerrors import template_problem

Report = Callable[[list[Problem]], None]


@dataclass
class _State:
    """What the watcher, the builder and the looker share."""

    content: Path
    out: Path
    base_url: str
    report: Report
    told: Told  # the pages, told of each build (through the server's process)
    saves: Saves = field(default_factory=Saves)
    session: Session | None = None  # made once the address (and so base_url) is known
    reported: list[Problem] = field(default_factory=list)  # the last build's, as printed

    def open_files(self) -> set[str]:
        """The output files of the pages open in a browser (the server's prefix is /)."""
        return {(path := unquote(page).lstrip("/")) + ("index.html" if path.endswith("/")
                                                        or not path else "")
                for page in self.told.open_pages()}


_IDLE_MS = 200  # how often an idle watcher looks up (and so how soon it is ready)
_QUIET_MS = 20  # saves are gathered until none came for this long (at most twice it)
_READY_S = 10.0  # the longest the server waits for its watcher before it serves


def _rebuild(state: _State, done: str = "rebuilt", saved: set[str] | None = None,
             quiet_if_unchanged: bool = False) -> bool:
    """Build what `saved` changed (all when None) into state.out, the open pages first
    (they are told at once); print how it went, and tell the pages. True if it succeeded.
    `quiet_if_unchanged`: print nothing if nothing changed, or if it failed as the last
    build did (the watcher's first build, after a start-up build)."""
    start = time.perf_counter()
    state.session = state.session or Session(state.content, state.out, state.base_url)
    try:
        result = state.session.rebuild(None if saved is None else map(Path, saved),
                                       state.open_files(),
                                       lambda: state.told.finished([]))
        if result.unchanged and quiet_if_unchanged:
            return True  # nothing was saved while the watcher started
        problems = result.problems
        failed = f"{len(problems)} error(s)" if problems else ""
    except Exception as error:  # a broken template must not stop the server
        failed = f"{type(error).__name__}: {error}"
        problems = [template_problem(error) or Problem("the build", 0, "", failed,
                                                       "see the template or file it names")]
    state.told.finished(problems if failed else [])
    if failed:
        if not (quiet_if_unchanged and problems == state.reported):  # else told already
            state.report(problems)
            print(f"build failed: {failed}", file=sys.stderr, flush=True)
        state.reported = problems
        return False
    state.reported = []
    print(f"{done} in {time.perf_counter() - start:.1f} s", flush=True)
    return True


class Watched(DefaultFilter):
    """The changes a rebuild is for: all but those in the output, and those to the files
    editors keep beside the files they open, which no build reads (`is_editor_leftover`,
    the content tree's own test: a file or folder the build refuses, a `.git` or `.idea`
    put into the content folder too, never comes or goes unseen)."""

    def __init__(self, output: list[str]) -> None:
        super().__init__(ignore_dirs=(), ignore_entity_patterns=(), ignore_paths=output)

    def __call__(self, change: Change, path: str) -> bool:
        return super().__call__(change, path) and not is_editor_leftover(os.path.basename(path))


def _watch(state: _State, stop: threading.Event, ready: threading.Event) -> None:
    """Hand every change to content, templates or static files to the builder and the
    looker (`saves`) until stop is set, saves gathered until none comes for _QUIET_MS. The
    first answer of `watch` comes once the watches are in place: what was saved before
    is built then, the helpers started and `ready` set, so no save is missed. A content
    folder replaced whole (moved away, a copy put in its place) is watched anew."""
    output = [str(state.out), str(state.out.parent / f".{state.out.name}.")]
    helpers = [threading.Thread(target=keep_building, daemon=True, args=(
                   state.saves, stop, lambda saved: _rebuild(state, saved=saved))),
               threading.Thread(target=keep_looking, daemon=True, args=(
                   state.saves, stop, partial(_look, state)))]
    try:
        while _watched_until_replaced(state, stop, ready, helpers, output):
            print("sitegen serve: the content folder was replaced; watching the one there "
                  "now", file=sys.stderr, flush=True)
            state.saves.add([str(state.content.absolute())])
    except Exception as error:  # e.g. the system's limit on watched directories
        print(f"sitegen serve: no longer watching for changes: {error}", file=sys.stderr)
    finally:
        for helper in helpers:
            if helper.is_alive():
                helper.join()  # a rebuild in progress ends (see `_finish`)


def _watched_until_replaced(state: _State, stop: threading.Event, ready: threading.Event,
                            helpers: list[threading.Thread], output: list[str]) -> bool:
    """Watch until stopped (False), or until the content folder is another (True): the
    system's watches follow the folder they were put on, wherever it is moved."""
    folder = folder_identity(state.content)
    paths = [p for p in (state.content.resolve(), TEMPLATES, STATIC) if p.is_dir()]
    for changes in watch(*paths, watch_filter=Watched(output),
                         stop_event=stop, raise_interrupt=False, yield_on_timeout=True,
                         rust_timeout=_IDLE_MS, step=_QUIET_MS):
        if not ready.is_set():
            _rebuild(state, "rebuilt with what was saved while the watcher started,",
                     quiet_if_unchanged=True)
            for helper in helpers:
                helper.start()
            ready.set()
        elif changes:
            state.saves.add(path for _, path in changes)
        if folder_identity(state.content) != folder:
            return True
    return False


def _look(state: _State, unseen: Callable[[], list[str]]) -> None:
    """First looks at the saves waiting, while a rebuild may run (see `firstlook`)."""
    if state.session is not None:
        state.session.look_meanwhile(lambda: [Path(p) for p in unseen()],
                                     lambda: state.told.finished([]))


def serve(content: Path, out: Path, host: str, port: int, report: Report) -> int:
    """Build, serve `out` on host:port and rebuild on changes until Ctrl+C."""
    builds = Builds()
    for stopping in (signal.SIGTERM, signal.SIGHUP):  # as Ctrl+C: the rebuild ends first
        signal.signal(stopping, _interrupt)
    server = bind(host, port, Served(out.resolve(), builds))
    if server is None:
        return 1
    port = server.server_address[1]  # the one the system chose when asked for port 0
    beside = ServerProcess(server) if CAN_FORK else None  # before any thread starts
    if beside is not None:
        server.server_close()  # the server's process listens; this one only builds
    state = _State(content, out.resolve(), f"http://{f'[{host}]' if ':' in host else host}:"
                   f"{port}/", report, beside or builds)
    stop, ready = threading.Event(), threading.Event()
    watcher = threading.Thread(target=_watch, args=(state, stop, ready), daemon=True)
    try:
        if not _rebuild(state, done="built"):
            shown = "the previous output" if (state.out / "index.html").is_file() else "a notice"
            print(f"serving {shown} until the errors are fixed", file=sys.stderr)
        watcher.start()
        ready.wait(timeout=_READY_S)  # a watcher that cannot start says so itself
        print(f"Serving {state.base_url} (Ctrl+C to stop)", flush=True)
        return _serve_until_stopped(server, beside)
    except KeyboardInterrupt:
        print("stopped", flush=True)
        return 0
    finally:
        stop.set()
        if beside is not None:
            beside.stop()
        server.server_close()
        _finish(watcher)


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt(signal.Signals(number).name)


def _finish(watcher: threading.Thread) -> None:
    """Let a rebuild in progress end: it writes the served site in place, so stopping it
    half-way would leave pages of two builds. Ctrl+C again stops at once, and says so."""
    if watcher.is_alive():  # not started, if stopped during the first build
        watcher.join(timeout=0.5)
    if not watcher.is_alive():
        return
    print("but first, finishing the rebuild in progress (Ctrl+C again to leave it "
          "unfinished)", flush=True)
    try:
        watcher.join()
    except KeyboardInterrupt:
        print("stopped during a rebuild: the site written is part old, part new; the next "
              "sitegen serve or build puts it right", file=sys.stderr, flush=True)


def _serve_until_stopped(server: Server, beside: ServerProcess | None) -> int:
    """Serve until Ctrl+C (KeyboardInterrupt); 1 if the server's process ended first."""
    if beside is None:
        server.serve_forever()
        return 0
    beside.start()
    status = beside.wait()
    how = f"killed by signal {-status}" if status < 0 else f"exit status {status}"
    print(f"sitegen serve: the server stopped ({how}); run sitegen serve again",
          file=sys.stderr)
    return 1
