"""What is measured at one size: each step runs its commands through the harness and
returns its figures, with the runs they are the median of under "<key>_runs"."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import hugo
from bench.browser import measure_search, search_sizes, server, start
from bench.harness import SITEGEN, StepFailed, timed
from sitegen.core.model import Paper

BENCH = Path(__file__).parent
INGEST_DATE = "2026-11-22"  # recorded for new papers, so that runs are comparable


@dataclass(frozen=True)
class Settings:
    """How a whole run measures."""
    repeat: int
    timeout: float  # seconds any one command may take
    browser_timeout: float  # seconds the search index may take to load
    seed: int = 0  # of the synthetic catalogues
    quick: bool = False  # fewer browser rounds
    browser: bool = True
    hugo: bool = True
    serve: bool = True  # the preview servers' edit-to-visible latency
    edits: int = 5  # timed edits per round of a preview server
    log: Callable[[str], None] = print


class Steps:
    """The steps of one size, over its content directory, in a scratch folder `here`.

    Nothing is deleted until the whole run ends (see bench/run.py); the cold builds
    each get a fresh folder, and the rebuilds reuse the last of them.
    """

    def __init__(self, settings: Settings, papers: int, here: Path, content: Path):
        self.settings, self.papers, self.here, self.content = settings, papers, here, content
        self.pristine = listing(content)
        self.bound, self.url = server(here / f"cold-{settings.repeat}" / "site")
        self.build = [*SITEGEN, "build", "--content", str(content), "--base-url", self.url,
                      "--out"]
        self.site: Path | None = None  # the last cold build's output
        self.newest: Paper | None = None  # the paper the preview servers edit

    def close(self) -> None:
        self.bound.server_close()

    def log(self, text: str) -> None:
        self.settings.log(f"[{self.papers}] {text}")

    def last_site(self) -> Path:
        if self.site is None:
            raise StepFailed("no cold build to start from")
        return self.site

    def cold(self) -> dict:
        """Cold builds, each in a fresh process into a fresh folder; time and peak memory."""
        runs = []
        repeat = self.settings.repeat
        for k in range(1, repeat + 1):
            restore(self.content, self.pristine)  # nothing left behind by an earlier build
            out = self.here / f"cold-{k}" / "site"  # a fresh parent: no record beside it
            out.parent.mkdir()
            runs.append(timed([*self.build, str(out)], self.settings.timeout))
            self.log(f"cold build {k}/{repeat}: {runs[-1].seconds:.2f} s, "
                     f"{runs[-1].peak_mib:.0f} MiB")
            self.site = out
        times = [r.seconds for r in runs]
        return {"cold": statistics.median(times), "cold_runs": times,
                "memory": max(r.peak_mib for r in runs),
                "memory_runs": [r.peak_mib for r in runs]}

    def outputs(self) -> dict:
        return output_sizes(self.last_site())

    def hugo_project(self) -> Path:
        """The same papers as a plain Hugo site, written once."""
        project = self.here / "hugo"
        if not project.exists():
            written = hugo.hugo_project(self.content, project)
            if written != self.papers:
                raise StepFailed(f"the Hugo project has {written} pages, not {self.papers}")
        return project

    def hugo(self) -> dict:
        """The same papers as a plain Hugo site, cold builds."""
        hugo.require()
        project = self.hugo_project()

        def clear(_k: int) -> None:
            hugo.clear_resources(project)  # small: Hugo's own cache

        return self._repeat("hugo", lambda k: hugo.build_command(
            project, self.here / f"hugo-out-{k}", self.here / f"hugo-cache-{k}"), clear)

    def nothing(self) -> dict:
        """Rebuilds with nothing changed, into the last cold build."""
        return self._repeat("nothing", lambda _k: [*self.build, str(self.last_site())])

    def edit(self) -> dict:
        """Rebuilds after editing one paper's title, a different edit each run."""
        from sitegen.catalogue.store import read_paper, serialise

        site = self.last_site()
        path = sorted((self.content / "papers").glob("*.yaml"))[0]
        original = path.read_bytes()

        def edit(k: int) -> None:
            paper = read_paper(path, path.name)[0]
            if paper is None:
                raise StepFailed(f"{path.name} could not be read to edit it")
            paper.title = f"{paper.title} (edited {k})"
            path.write_bytes(serialise(paper))

        try:
            return self._repeat("edit", lambda _k: [*self.build, str(site)], edit)
        finally:
            path.write_bytes(original)

    def paper_to_edit(self) -> Paper:
        if self.newest is None:
            from bench.servers import newest_paper

            self.newest = newest_paper(self.content)
        return self.newest

    def serve(self) -> dict:
        """`sitegen serve`: from saving a paper's title to seeing it (bench/preview.py)."""
        from bench.servers import sitegen_latencies

        restore(self.content, self.pristine)
        return sitegen_latencies(self.content, self.paper_to_edit(), self.here / "serve",
                                 self.settings.edits, self.settings.timeout, self.log)

    def hugo_serve(self) -> dict:
        """`hugo server` on the same paper of the Hugo site, edited the same way."""
        from bench.servers import hugo_latencies

        return hugo_latencies(self.hugo_project(), self.paper_to_edit().id,
                              self.here / "hugo-serve", self.settings.edits,
                              self.settings.timeout, self.log)

    def check(self) -> dict:
        restore(self.content, self.pristine)
        return self._repeat("check", lambda _k: [*SITEGEN, "check", "--content",
                                                  str(self.content)])

    def ingest(self) -> dict:
        """The shipped dumps ingested into a fresh copy of the catalogue each run."""
        def copy(k: int) -> Path:
            return self.here / f"ingest-{k}" / "content"

        return self._repeat("ingest", lambda k: [*SITEGEN, "ingest", "--content", str(copy(k)),
                                                 "--date", INGEST_DATE],
                            lambda k: shutil.copytree(self.content, copy(k)))

    def scale_ingest(self) -> dict:
        """This many new entries ingested into an empty catalogue, then again (bench/ingest.py)."""
        from bench.ingest import corpus_dumps, figures, ingest_runs

        dumps = self.here / "scale-dumps"
        corpus_dumps(self.papers, dumps, self.settings.seed)
        found = figures(ingest_runs(dumps, self.here, self.settings.repeat,
                                    self.settings.timeout))
        self.log(f"ingest of {self.papers} new entries: {found['ingest_new']:.2f} s, "
                 f"again: {found['ingest_again']:.2f} s")
        return found

    def classify(self) -> dict:
        """Labelling every paper of this size, in a fresh process (bench/classify.py)."""
        from bench.classify import runs_reported

        run = timed([sys.executable, str(BENCH / "classify.py"), "--content", str(self.content),
                     "--repeat", str(self.settings.repeat)], self.settings.timeout)
        runs = runs_reported(run.stdout.strip())
        self.log(run.stdout.strip())
        return {"classify": statistics.median(runs), "classify_runs": runs}

    def search(self) -> dict:
        """Readiness and time to results in Chromium, served from the last cold build."""
        self.last_site()
        start(self.bound)
        try:
            loads, rounds = (2, 1) if self.settings.quick else (5, 3)
            found = measure_search(self.url, loads, rounds, self.settings.browser_timeout * 1000)
        finally:
            self.bound.shutdown()
        self.log(f"search ready {found.ready:.0f} ms, results median "
                 f"{found.median:.1f} ms, p95 {found.p95:.1f} ms")
        return {"ready": found.ready, "query_median": found.median, "query_p95": found.p95,
                "ready_runs": [r[0] for r in found.readiness]}

    def _repeat(self, key: str, command: Callable[[int], list[str]],
                before: Callable[[int], object] = lambda _k: None) -> dict:
        """The median time of `repeat` runs of a command (`before` each, untimed)."""
        times = []
        repeat = self.settings.repeat
        for k in range(1, repeat + 1):
            before(k)
            times.append(timed(command(k), self.settings.timeout).seconds)
            self.log(f"{key} {k}/{repeat}: {times[-1]:.2f} s")
        return {key: statistics.median(times), f"{key}_runs": times}


def output_sizes(out: Path) -> dict:
    """Files, pages and bytes a build wrote, and the size of its search data."""
    files, pages, size = 0, 0, 0
    for folder, _, names in os.walk(out):
        for name in names:
            files += 1
            pages += name.endswith(".html")
            size += os.path.getsize(os.path.join(folder, name))
    if not (out / "search" / "index.json").is_file():
        raise StepFailed("the build wrote no search/index.json")
    sizes = search_sizes(out)
    return {"files": files, "pages": pages, "output": size / 1e6, "search_raw": sizes["search_raw"],
            "search_gzip": sizes["search_gzip"], "shards_gzip": sizes["shards_gzip"]}


def listing(content: Path) -> set[str]:
    """Top-level entries, and those of papers/, as generated."""
    return {p.name for p in content.iterdir()} | \
        {f"papers/{p.name}" for p in (content / "papers").iterdir() if p.name.startswith(".")}


def restore(content: Path, pristine: set[str]) -> None:
    """Remove whatever a command left in the content directory (caches), for a cold start."""
    for name in listing(content) - pristine:
        path = content / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
