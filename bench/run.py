"""Benchmark at scale: build, rebuild, check, ingest and search from 690 to 50,000 papers.

Run: .venv/bin/python bench/run.py [--sizes 690,1000,5000,20000,50000] [--repeat 3] [--quick]

For each size N (the shipped count is the shipped content itself; any other N is
`bench/make_corpus.py`'s synthetic catalogue), every command in a fresh process:
a cold `sitegen build` into an empty directory (median of --repeat, with peak
memory), a rebuild with nothing changed and one after editing a paper's title
(same output directory), `sitegen check`, `sitegen ingest` of the shipped dumps
into a copy, the files written and their size, the search data's size, then in
Chromium the time from opening /search/ to the index being ready and the time
to results of bench/browser.py's 20 queries. With `hugo` installed, a plain
Hugo site of the same papers is built too, for scale, right after the cold builds.

Nothing is deleted until the whole run ends (it needs about 10 GB of scratch space
at 50,000 papers): removing a large directory tree slows file creation on some
disks for a minute or two (here, 10,000 new directories with a page each took
2.6 s, and 12 s right after a 20,000-page site was removed), and that cost would
land on whichever build came next. Only a rebuild's own replacing of its output
deletes anything, as it does for every user. For the same reason the disk is
synced before each timed command.

A step that fails (an error, a timeout) is recorded as failed with its reason.
Results are merged into docs/benchmarks.json (earlier sizes are kept, unless
--fresh), and docs/benchmarks.md and docs/benchmarks-build.svg are rewritten
from it. --quick (one run each, fewer browser rounds, sizes 690,1000 unless
given) only prints the results, unless --docs names where to write them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for _path in (str(BENCH), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

SHIPPED = ROOT / "content"
DOCS = ROOT / "docs"
SITEGEN = [sys.executable, "-m", "sitegen"]
TIME = Path("/usr/bin/time")
DEFAULT_SIZES = (690, 1000, 5000, 20000, 50000)
QUICK_SIZES = (690, 1000)
INGEST_DATE = "2026-11-22"  # recorded for new papers, so that runs are comparable
# Without /usr/bin/time: run the command under this wrapper, which reports its child's peak.
RSS_WRAPPER = """import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
with open(sys.argv[1], "w") as out:
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=out)
sys.exit(code)
"""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    how: str  # how it is measured, for the report


METRICS = [
    Metric("cold", "Cold build", "s",
           "`sitegen build` in a fresh process into an empty directory (with no earlier "
           "build or record beside it), median of the runs"),
    Metric("nothing", "Rebuild, nothing changed", "s",
           "`sitegen build` again into the last cold build's directory, median"),
    Metric("edit", "Rebuild after editing one title", "s",
           "one paper's title changed (a different edit each run), then `sitegen build` into "
           "the same directory, median"),
    Metric("memory", "Peak memory of a cold build", "MiB",
           "peak resident set size of the build process (`/usr/bin/time -f %M`: the largest "
           "single process; the build's forked writers share its pages), largest of the runs"),
    Metric("check", "`sitegen check`", "s", "median"),
    Metric("ingest", "`sitegen ingest` of the shipped dumps", "s",
           "the 5 shipped dumps ingested into a copy of the catalogue, median"),
    Metric("files", "Files written", "files", "files in the output directory"),
    Metric("pages", "HTML pages written", "pages", "`.html` files in the output directory"),
    Metric("output", "Output size", "MB", "bytes of all files written, 1 MB = 10^6 bytes"),
    Metric("search_raw", "Search data on first load, raw", "KB",
           "what /search/ loads before it is ready: `search/index.json` (documents, vocabulary, "
           "shard starts) and its script (lunr.js and ours, one file), 1 KB = 1000 bytes"),
    Metric("search_gzip", "Search data on first load, gzipped", "KB",
           "the same files gzipped at level 6, as a web server sends them"),
    Metric("shards_gzip", "Search shards, gzipped, all together", "KB",
           "every `search/shards/N.json`, fetched only when a query needs one of its terms"),
    Metric("ready", "Search ready", "ms",
           "from navigation start on /search/ to `performance.mark(\"search-ready\")`, median "
           "of the page loads (local server, no compression)"),
    Metric("query_median", "Time to results, median", "ms",
           "a query typed into the search box until its results are laid out, over the 20 "
           "queries of bench/browser.py, every round (the first round includes fetching the "
           "shards each query needs)"),
    Metric("query_p95", "Time to results, p95", "ms", "the same timings' 95th percentile"),
    Metric("hugo", "Hugo cold build, same papers", "s",
           "a plain Hugo site (page per paper, a list per topic and per family, home, "
           "sitemap, feed; minimal layouts, no related papers, matrix or search) built into an "
           "empty directory, median"),
    Metric("ratio", "Cold build ÷ Hugo's", "x", "our cold build's median over Hugo's"),
]
BY_KEY = {m.key: m for m in METRICS}
# The targets: at most this much (units as in METRICS).
TARGETS: dict[int, dict[str, float]] = {
    690: {"cold": 0.8, "nothing": 0.2, "memory": 200, "ready": 150, "query_median": 16,
          "query_p95": 50, "search_gzip": 600},
    5000: {"cold": 5, "nothing": 1, "memory": 400, "ready": 300, "query_median": 16,
           "query_p95": 50, "search_gzip": 2000},
    20000: {"cold": 20, "nothing": 3, "memory": 1024, "ready": 1000, "query_median": 30,
            "query_p95": 100, "search_gzip": 5000},
    50000: {"cold": 60, "nothing": 8, "memory": 2048, "ready": 2000, "query_median": 50,
            "query_p95": 150, "search_gzip": 10000},
}
MET, MISSED, FAILED, UNMEASURED = "met", "missed", "failed", "not measured"


# Measuring ---------------------------------------------------------------------------------


class StepFailed(Exception):
    """A step that could not be measured; its message is the reason shown in the report."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    stdout: str


def timed(args: list[str], timeout: float, rss: Path | None = None) -> Run:
    """Wall time and peak memory of one command in a fresh process; StepFailed on failure.

    The disk is synced first, so that writing back what earlier steps wrote (a
    large catalogue, an earlier build) is not billed to this command.
    """
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "rss"
        os.sync()
        if TIME.exists():
            prefix = [str(TIME), "-f", "%M", "-o", str(report)]
        else:
            prefix = [sys.executable, "-c", RSS_WRAPPER, str(report)]
        env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
        start = time.perf_counter()
        process = subprocess.Popen([*prefix, *args], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, cwd=ROOT, env=env, text=True,
                                   start_new_session=True)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise StepFailed(f"timed out after {timeout:.0f} s") from None
        seconds = time.perf_counter() - start
        if process.returncode != 0:
            raise StepFailed(failure_reason(err, process.returncode))
        lines = report.read_text().split() if report.exists() else []
        kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if sys.platform == "darwin":
        kib //= 1024  # bytes there
    return Run(seconds, kib / 1024, out)


def failure_reason(stderr: str, code: int) -> str:
    lines = [line.strip() for line in stderr.splitlines()
             if line.strip() and not line.startswith("Command exited with")]
    last = lines[-1] if lines else "no message"
    if code < 0 or code > 128:
        signum = -code if code < 0 else code - 128
        with_signal = signal.Signals(signum).name if signum in signal.Signals._value2member_map_ \
            else f"signal {signum}"
        return f"killed by {with_signal} (out of memory?): {last[:160]}"
    return f"exit {code}: {last[:160]}"


def code_fingerprint() -> str:
    """A short hash of what is measured (sitegen/, with its templates and static files), to
    tell runs apart."""
    digest = hashlib.sha256()
    for folder in ("sitegen",):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = ""
    with open("/proc/meminfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("MemTotal:"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    return {
        "cpu": cpu or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "ram": ram or "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": _version(["/usr/bin/chromium", "--version"], "Chromium"),
        "hugo": _version(["hugo", "version"], "hugo") if shutil.which("hugo") else "not installed",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _version(command: list[str], starts: str) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return "not found"
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith(starts)]
    return lines[0] if lines else "unknown"


class Measurer:
    """Measures one size after another, in a scratch directory."""

    def __init__(self, scratch: Path, repeat: int, timeout: float, browser_timeout: float,
                 seed: int = 0, quick: bool = False, browser: bool = True, hugo: bool = True,
                 log: Callable[[str], None] = print):
        self.scratch, self.repeat, self.timeout = scratch, repeat, timeout
        self.browser_timeout, self.seed, self.quick = browser_timeout, seed, quick
        self.browser = browser
        self.hugo = hugo and shutil.which("hugo") is not None
        self.log = log

    def measure(self, papers: int) -> dict:
        here = self.scratch / str(papers)
        shutil.rmtree(here, ignore_errors=True)
        here.mkdir(parents=True)
        result = {"papers": papers, "repeat": self.repeat, "values": {}, "failures": {},
                  "runs": {}, "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
                  "code": code_fingerprint()}
        start = time.perf_counter()
        self._measure(papers, here, result)  # its files stay until the run ends (see above)
        result["elapsed"] = time.perf_counter() - start
        _note_code_change(result, "the end")
        return result

    def _step(self, result: dict, keys: tuple[str, ...], action: Callable[[], dict]) -> None:
        """Run a step that yields values for `keys`; record its failure for each of them."""
        _note_code_change(result, keys[0])
        try:
            values = action()
        except StepFailed as error:
            reason = str(error)
        except Exception as error:  # a benchmark reports, it does not crash
            reason = f"{type(error).__name__}: {error}".strip()
        else:
            for key, value in values.items():
                if isinstance(value, list):
                    result["runs"][key] = value
                else:
                    result["values"][key] = value
            return
        reason = " ".join(reason.split())[:300]
        self.log(f"  failed: {', '.join(keys)}: {reason}")
        for key in keys:
            result["failures"][key] = reason

    def _measure(self, papers: int, here: Path, result: dict) -> None:
        content = here / "content"
        shipped = len(list((SHIPPED / "papers").glob("*.yaml")))
        start = time.perf_counter()
        if papers == shipped:
            shutil.copytree(SHIPPED, content)
            result["corpus"] = "shipped content"
        else:
            from make_corpus import make_corpus

            make_corpus(papers, content, self.seed)
            result["corpus"] = f"synthetic, seed {self.seed}"
        self.log(f"[{papers}] {result['corpus']} ready in {time.perf_counter() - start:.1f} s")
        pristine = _listing(content)

        from browser import server
        bound, url = server(here / f"cold-{self.repeat}" / "site")
        build = [*SITEGEN, "build", "--content", str(content), "--base-url", url, "--out"]
        site: list[Path] = []

        def cold() -> dict:
            runs = []
            for k in range(1, self.repeat + 1):
                _restore(content, pristine)  # nothing left behind by an earlier build
                out = here / f"cold-{k}" / "site"  # a fresh parent: no record beside it
                out.parent.mkdir()
                runs.append(timed([*build, str(out)], self.timeout))
                self.log(f"[{papers}] cold build {k}/{self.repeat}: {runs[-1].seconds:.2f} s, "
                         f"{runs[-1].peak_mib:.0f} MiB")
                site[:] = [out]
            times = [r.seconds for r in runs]
            return {"cold": statistics.median(times), "cold_runs": times,
                    "memory": max(r.peak_mib for r in runs),
                    "memory_runs": [r.peak_mib for r in runs]}

        self._step(result, ("cold", "memory"), cold)
        self._step(result, ("files", "pages", "output", "search_raw", "search_gzip", "shards_gzip"),
                   lambda: output_sizes(site[0]) if site else _no_site())
        if self.hugo:  # before the rebuilds, which delete their old output
            self._step(result, ("hugo",), lambda: self._hugo(content, here, papers))
            if "cold" in result["values"] and "hugo" in result["values"]:
                result["values"]["ratio"] = result["values"]["cold"] / result["values"]["hugo"]
            elif "hugo" in result["failures"] or "cold" in result["failures"]:
                result["failures"]["ratio"] = "no build to compare"
        self._step(result, ("nothing",), lambda: self._repeat(
            "nothing", lambda _k: [*build, str(site[0])] if site else _no_site(), papers))
        self._step(result, ("edit",), lambda: self._edits(content, build, site, papers))
        _restore(content, pristine)
        self._step(result, ("check",), lambda: self._repeat(
            "check", lambda _k: [*SITEGEN, "check", "--content", str(content)], papers))
        self._step(result, ("ingest",), lambda: self._ingests(content, here, papers))
        if self.browser:
            self._step(result, ("ready", "query_median", "query_p95"),
                       lambda: self._search(bound, url, site, papers))
        bound.server_close()

    def _repeat(self, key: str, command: Callable[[int], list[str]], papers: int,
                before: Callable[[int], None] = lambda _k: None) -> dict:
        times = []
        for k in range(1, self.repeat + 1):
            before(k)
            times.append(timed(command(k), self.timeout).seconds)
            self.log(f"[{papers}] {key} {k}/{self.repeat}: {times[-1]:.2f} s")
        return {key: statistics.median(times), f"{key}_runs": times}

    def _edits(self, content: Path, build: list[str], site: list[Path], papers: int) -> dict:
        if not site:
            _no_site()
        from sitegen.catalogue.store import read_paper, serialise

        path = sorted((content / "papers").glob("*.yaml"))[0]
        original = path.read_bytes()

        def edit(k: int) -> None:
            paper = read_paper(path, path.name)[0]
            paper.title = f"{paper.title} (edited {k})"
            path.write_bytes(serialise(paper))

        try:
            return self._repeat("edit", lambda _k: [*build, str(site[0])], papers, edit)
        finally:
            path.write_bytes(original)

    def _ingests(self, content: Path, here: Path, papers: int) -> dict:
        def copy(k: int) -> Path:
            return here / f"ingest-{k}" / "content"

        return self._repeat("ingest", lambda k: [*SITEGEN, "ingest", "--content", str(copy(k)),
                                                 "--date", INGEST_DATE], papers,
                            lambda k: shutil.copytree(content, copy(k)))

    def _search(self, bound, url: str, site: list[Path], papers: int) -> dict:
        if not site:
            _no_site()
        from browser import measure_search, start

        start(bound)
        try:
            loads, rounds = (2, 1) if self.quick else (5, 3)
            found = measure_search(url, loads, rounds, self.browser_timeout * 1000)
        finally:
            bound.shutdown()
        self.log(f"[{papers}] search ready {found.ready:.0f} ms, results median "
                 f"{found.median:.1f} ms, p95 {found.p95:.1f} ms")
        return {"ready": found.ready, "query_median": found.median, "query_p95": found.p95,
                "ready_runs": [r[0] for r in found.readiness]}

    def _hugo(self, content: Path, here: Path, papers: int) -> dict:
        project = here / "hugo"
        written = hugo_project(content, project)
        if written != papers:
            raise StepFailed(f"the Hugo project has {written} pages, not {papers}")
        times = []
        for k in range(1, self.repeat + 1):
            out, cache = here / f"hugo-out-{k}", here / f"hugo-cache-{k}"
            shutil.rmtree(project / "resources", ignore_errors=True)  # small: Hugo's own cache
            times.append(timed(["hugo", "--source", str(project), "--destination", str(out),
                                "--cacheDir", str(cache), "--quiet"], self.timeout).seconds)
            self.log(f"[{papers}] hugo {k}/{self.repeat}: {times[-1]:.2f} s")
        return {"hugo": statistics.median(times), "hugo_runs": times}


def _note_code_change(result: dict, step: str) -> None:
    """Someone edited sitegen while it was measured: say from which step on."""
    if "code" not in result:
        return
    now = code_fingerprint()
    seen = result.setdefault("code_changes", [])
    if now != (seen[-1][1] if seen else result["code"]):
        seen.append([step, now])


def _no_site():
    raise StepFailed("no cold build to start from")


def _listing(content: Path) -> set[str]:
    """Top-level entries, and those of papers/, as generated."""
    return {p.name for p in content.iterdir()} | \
        {f"papers/{p.name}" for p in (content / "papers").iterdir() if p.name.startswith(".")}


def _restore(content: Path, pristine: set[str]) -> None:
    """Remove whatever a command left in the content directory (caches), for a cold start."""
    for name in _listing(content) - pristine:
        path = content / name
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def output_sizes(out: Path) -> dict:
    files, pages, size = 0, 0, 0
    for folder, _, names in os.walk(out):
        for name in names:
            files += 1
            pages += name.endswith(".html")
            size += os.path.getsize(os.path.join(folder, name))
    from browser import search_sizes

    if not (out / "search" / "index.json").is_file():
        raise StepFailed("the build wrote no search/index.json")
    sizes = search_sizes(out)
    return {"files": files, "pages": pages, "output": size / 1e6, "search_raw": sizes["search_raw"],
            "search_gzip": sizes["search_gzip"], "shards_gzip": sizes["shards_gzip"]}


# A plain Hugo site of the same papers ------------------------------------------------------

HUGO_CONFIG = """baseURL = "http://127.0.0.1/"
title = "LLM Papers"
languageCode = "en"
[taxonomies]
  topic = "topics"
  family = "families"
[outputs]
  home = ["HTML", "RSS"]
  section = ["HTML"]
  taxonomy = ["HTML"]
  term = ["HTML"]
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}
<p>Topics: {{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
{{ end }}</p>
<p>Families: {{ range .GetTerms "families" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>
{{ end }}</p>
<p>Added {{ .Date.Format "2006-01-02" }}</p></article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<p>{{ len .Site.RegularPages }} papers</p>
<h2>Topics</h2><ul>{{ range .Site.Taxonomies.topics.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>Families</h2><ul>{{ range .Site.Taxonomies.families.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
<h2>Recently added</h2><ul>{{ range first 20 .Site.RegularPages.ByDate.Reverse }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
""",
}


def hugo_project(content: Path, project: Path) -> int:
    """A minimal Hugo project with one page per paper of `content`; returns their number."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    pages = project / "content" / "papers"
    pages.mkdir(parents=True)
    (project / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (project / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "layouts" / name).write_text(text, encoding="utf-8")
    count = 0
    for path in sorted((content / "papers").glob("*.yaml")):
        data = yaml.load(path.read_bytes(), Loader=loader)
        front = {"title": data["title"], "date": str(data["added"]), "slug": data["id"],
                 "topics": data["topics"], "families": data["families"]}
        (pages / f"{data['id']}.md").write_text(
            json.dumps(front, ensure_ascii=False) + "\n\n" + data["abstract"] + "\n",
            encoding="utf-8")
        count += 1
    return count


# Reporting ---------------------------------------------------------------------------------


def verdict(result: dict, key: str) -> str:
    """met, missed, failed or not measured against the issue's target; "" without a target."""
    target = TARGETS.get(result["papers"], {}).get(key)
    if target is None:
        return ""
    if key in result.get("failures", {}):
        return FAILED
    value = result.get("values", {}).get(key)
    if value is None:
        return UNMEASURED
    return MET if value <= target else MISSED


def number(value: float, unit: str = "") -> str:
    """A value as the report shows it, with three significant digits or so."""
    if unit in ("files", "pages"):
        return f"{value:,.0f}"
    if unit == "MiB" and value >= 1024:
        return f"{value / 1024:.2f} GiB"
    if unit == "KB" and value >= 1000:
        return f"{value / 1000:.2f} MB"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    shown = f"{value:,.{digits}f}"
    if unit in ("files", "pages", ""):
        return shown
    return f"{shown}{unit}" if unit == "x" else f"{shown} {unit}"


def target_text(papers: int, key: str) -> str:
    """The issue's target as the issue writes it: "≤ 0.8 s", "≤ 1 GiB", "≤ 2 MB"."""
    target = TARGETS.get(papers, {}).get(key)
    if target is None:
        return "—"
    unit = BY_KEY[key].unit
    if unit == "MiB" and target >= 1024:
        return f"≤ {target / 1024:g} GiB"
    if unit == "KB" and target >= 1000:
        return f"≤ {target / 1000:g} MB"
    return f"≤ {target:g} {unit}"


def cell(result: dict, key: str) -> str:
    if key in result.get("failures", {}):
        return f"failed: {_escape(result['failures'][key])}"
    value = result.get("values", {}).get(key)
    return "—" if value is None else number(value, BY_KEY[key].unit)


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _mark(text: str) -> str:
    return {MET: "✅ met", MISSED: "❌ **missed**", FAILED: "❌ **failed**",
            UNMEASURED: "not measured"}.get(text, text or "no target")


def render_markdown(info: dict[str, str], results: dict[int, dict]) -> str:
    sizes = sorted(results)
    lines = [
        "# Benchmarks",
        "",
        "Measured by `bench/run.py` for the issue \"Scale: fast builds and instant search from "
        "690 to 50,000 papers\". Re-run with",
        "",
        "```sh",
        ".venv/bin/python bench/run.py   # every size, 3 runs per figure",
        "```",
        "",
        "Each figure comes from fresh processes; times are medians over the runs (the machine's "
        "CPU speed varies by about ±30% from run to run, so compare medians, and expect "
        "that much noise). A cell marked failed says why.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
    ]
    labels = {"cpu": "CPU", "cores": "Cores", "ram": "RAM", "os": "OS", "python": "Python",
              "chromium": "Chromium", "hugo": "Hugo", "date": "Date"}
    lines += [f"| {label} | {_escape(info.get(key, 'unknown'))} |" for key, label in labels.items()]
    lines += ["", "## Runs", "",
              "| Papers | Content | Runs per figure | Every step took | Date | Code measured |",
              "| ---: | --- | ---: | ---: | --- | --- |"]
    for n in sizes:
        r = results[n]
        took = f"{r['elapsed'] / 60:.1f} min" if "elapsed" in r else "?"
        lines.append(f"| {n:,} | {r.get('corpus', '?')} | {r.get('repeat', '?')} | {took} | "
                     f"{r.get('date', '?')} | `{r.get('code', '?')}` |")
    lines += ["", "\"Every step took\" is the wall time of the whole size: preparing the "
              "content, every run of every step and the Hugo build. \"Code measured\" is a hash "
              "of `sitegen/`, `templates/` and `static/`: sizes measured with different code "
              "are not comparable.", "",
              "Nothing is deleted until the run ends (only a rebuild replaces its own output, "
              "as it does for every user): on this machine's disk, file creation is up to four "
              "times slower for a minute or two after a large directory tree is removed (10,000 "
              "new directories with a page each: 2.6 s, or 12 s right after a 20,000-page site "
              "was removed), which would otherwise land on whichever build came next. Hugo "
              "builds right after the cold builds, before the rebuilds. The disk is synced "
              "before each timed command, so that no command pays for writing back what "
              "earlier ones wrote.", ""]
    for n in sizes:
        changes = results[n].get("code_changes")
        if changes:
            when = ", then ".join(f"`{code}` from the step \"{BY_KEY[step].label}\""
                                  if step in BY_KEY else f"`{code}` by {step}"
                                  for step, code in changes)
            lines += [f"**Code changed during the run at {n:,} papers:** it started with "
                      f"`{results[n]['code']}`, then {when}; figures measured after a change "
                      "mix two versions of sitegen (a rebuild may find its output out of date "
                      "for that reason alone).", ""]
    few = [n for n in sizes if results[n].get("repeat", 3) < 3]
    if few:
        lines += [f"**Fewer runs:** {', '.join(f'{n:,}' for n in few)} papers were measured "
                  f"with {', '.join(sorted({str(results[n]['repeat']) for n in few}))} run(s) "
                  "per figure instead of 3 (`--repeat 1`), because one pass over every step at "
                  "these sizes takes many minutes; their figures carry a single run's noise "
                  "(±30% on this machine).", ""]
    lines += _summary(results, sizes)
    lines += ["## Cold build time", "",
              "![Cold build time against the number of papers, log scales: sitegen, Hugo and "
              "the issue's targets](benchmarks-build.svg)", ""]
    for metric in METRICS:
        lines += _metric_table(metric, results, sizes)
    failures = [(n, key, reason) for n in sizes
                for key, reason in results[n].get("failures", {}).items()]
    lines += ["## Failures", ""]
    if failures:
        lines += [f"- {n:,} papers, {BY_KEY[key].label if key in BY_KEY else key}: "
                  f"{_escape(reason)}" for n, key, reason in failures]
    else:
        lines.append("None: every step finished at every size.")
    lines += ["", "## The synthetic catalogues", "",
              "Every size but the shipped one is written by `bench/make_corpus.py --papers N` (seed"
              " 0): the shipped papers, then clones of them whose titles have about 60% of their "
              "words replaced and a number appended, and whose abstracts have their sentences "
              "shuffled and about 30% of their words replaced (drawn from the catalogue's own "
              "words, weighted by frequency, a twentieth of them coined, so the vocabulary grows "
              "with N). Labels, links and sources are the original's. Each passes `sitegen check` "
              "with no error or warning, look-alike check included (verified at 1,000, 5,000 and "
              "50,000 papers). The text is nonsense but its statistics (lengths, word frequencies, "
              "labels per paper) are the real catalogue's, which is what the build and the search "
              "index are sensitive to. One difference shows in `sitegen ingest`: the rules would "
              "label most clones' varied text differently from the labels copied from their "
              "original, so ingest relabels and rewrites those files (the rules run on every paper "
              "at every size either way).", ""]
    return "\n".join(lines)


def _summary(results: dict[int, dict], sizes: list[int]) -> list[str]:
    keys = [m.key for m in METRICS if any(m.key in TARGETS.get(n, {}) for n in sizes)]
    if not keys:
        return []
    lines = ["## Against the issue's targets", "",
             "| Metric | " + " | ".join(f"{n:,} papers" for n in sizes) + " |",
             "| --- | " + " | ".join("---" for _ in sizes) + " |"]
    for key in keys:
        cells = []
        for n in sizes:
            mark = verdict(results[n], key)
            if not mark:
                cells.append(f"{cell(results[n], key)} (no target)")
            elif mark == FAILED:
                cells.append("❌ failed")
            else:
                cells.append(f"{cell(results[n], key)} / {target_text(n, key)} {_mark(mark)}")
        lines.append(f"| {BY_KEY[key].label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _metric_table(metric: Metric, results: dict[int, dict], sizes: list[int]) -> list[str]:
    lines = [f"### {metric.label}", "", metric.how[:1].upper() + metric.how[1:] + ".", "",
             "| Papers | Measured | Target | Status | Runs |", "| ---: | ---: | ---: | --- | --- |"]
    for n in sizes:
        r = results[n]
        runs = r.get("runs", {}).get(f"{metric.key}_runs", [])
        shown = ", ".join(number(v, metric.unit) for v in runs) if len(runs) > 1 else ""
        lines.append(f"| {n:,} | {cell(r, metric.key)} | {target_text(n, metric.key)} | "
                     f"{_mark(verdict(r, metric.key))} | {shown} |")
    return [*lines, ""]


def render_svg(results: dict[int, dict]) -> str:
    """Cold build seconds against papers, both on log scales: sitegen, Hugo and the targets."""
    series = [
        ("sitegen build", "#1f6feb", "circle",
         {n: r["values"]["cold"] for n, r in results.items() if "cold" in r.get("values", {})}),
        ("Hugo, plain site", "#d97706", "square",
         {n: r["values"]["hugo"] for n, r in results.items() if "hugo" in r.get("values", {})}),
        ("issue's target", "#16a34a", "target",
         {n: t["cold"] for n, t in TARGETS.items() if "cold" in t}),
    ]
    width, height, left, right, top, bottom = 640, 400, 64, 150, 36, 52
    xs = [n for *_, points in series for n in points] or [690]
    ys = [v for *_, points in series for v in points.values() if v > 0] or [1.0]
    x0, x1 = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y0, y1 = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def px(n: float) -> float:
        return left + (math.log10(n) - x0) / (x1 - x0) * (width - left - right)

    def py(v: float) -> float:
        return height - bottom - (math.log10(v) - y0) / (y1 - y0) * (height - top - bottom)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           "<title>Cold build time against the number of papers</title>",
           f'<rect width="{width}" height="{height}" fill="#fff"/>',
           f'<text x="{left}" y="20" font-size="14" font-weight="bold">Cold build (s) '
           "against papers, log-log</text>"]
    for exponent in range(x0, x1 + 1):
        for step in (1, 2, 5):
            n = step * 10**exponent
            if n > 10**x1:
                break
            x = px(n)
            out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{height - bottom}" '
                       f'stroke="#ddd"/>')
            out.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">'
                       f"{_short(n)}</text>")
    for exponent in range(y0, y1 + 1):
        for step in (1, 2, 5):
            v = step * 10.0**exponent
            if v > 10.0**y1:
                break
            y = py(v)
            out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                       f'stroke="#ddd"/>')
            out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                       f"{_short(v)}</text>")
    out.append(f'<rect x="{left}" y="{top}" width="{width - left - right}" '
               f'height="{height - top - bottom}" fill="none" stroke="#555"/>')
    out.append(f'<text x="{(left + width - right) / 2:.0f}" y="{height - 12}" '
               'text-anchor="middle">papers</text>')
    out.append(f'<text transform="translate(16 {(top + height - bottom) / 2:.0f}) rotate(-90)" '
               'text-anchor="middle">seconds</text>')
    for i, (name, colour, shape, points) in enumerate(series):
        ordered = sorted((n, v) for n, v in points.items() if v > 0)
        if len(ordered) > 1:
            dash = ' stroke-dasharray="5 4"' if shape == "target" else ""
            path = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in ordered)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"{dash}/>')
        for n, v in ordered:
            out.append(_marker(shape, px(n), py(v), colour,
                               f"{name}: {n:,} papers, {number(v, 's')}"))
        ly = top + 12 + i * 20
        out.append(_marker(shape, width - right + 16, ly - 4, colour, name))
        out.append(f'<text x="{width - right + 26}" y="{ly}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _marker(shape: str, x: float, y: float, colour: str, label: str) -> str:
    tip = f"<title>{html.escape(label)}</title>"
    if shape == "square":
        return (f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" '
                f'fill="{colour}">{tip}</rect>')
    if shape == "target":
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#fff" stroke="{colour}" '
                f'stroke-width="2">{tip}</circle>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}">{tip}</circle>'


def _short(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def write_report(docs: Path, info: dict[str, str], results: dict[int, dict]) -> list[Path]:
    """docs/benchmarks.json, .md and -build.svg from the results; returns the paths written."""
    docs.mkdir(parents=True, exist_ok=True)
    paths = [docs / "benchmarks.json", docs / "benchmarks.md", docs / "benchmarks-build.svg"]
    stored = {"machine": info, "results": {str(n): results[n] for n in sorted(results)}}
    paths[0].write_text(json.dumps(stored, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    paths[1].write_text(render_markdown(info, results), encoding="utf-8")
    paths[2].write_text(render_svg(results), encoding="utf-8")
    return paths


def load_stored(docs: Path) -> dict:
    """docs/benchmarks.json: {"machine": {...}, "results": {papers: result}} (empty if none)."""
    try:
        stored = json.loads((docs / "benchmarks.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    return {"machine": stored.get("machine", {}),
            "results": {int(n): r for n, r in stored.get("results", {}).items()}}


def load_results(docs: Path) -> dict[int, dict]:
    return load_stored(docs)["results"]


def plain_table(results: dict[int, dict]) -> str:
    """The results for a terminal: one line per metric, one column per size."""
    sizes = sorted(results)
    rows = [["metric", *[f"{n:,}" for n in sizes]]]
    for metric in METRICS:
        row = [f"{metric.label} ({metric.unit})"]
        for n in sizes:
            mark = verdict(results[n], metric.key)
            text = cell(results[n], metric.key).replace("\\|", "|")
            row.append(f"{text} [{mark}]" if mark else text)
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated paper counts (default: "
                        f"{','.join(map(str, DEFAULT_SIZES))}; --quick: "
                        f"{','.join(map(str, QUICK_SIZES))})")
    parser.add_argument("--repeat", type=int, help="runs per timed step (default 3; --quick 1)")
    parser.add_argument("--quick", action="store_true",
                        help="one run each, fewer browser rounds; prints, writes only to --docs")
    parser.add_argument("--seed", type=int, default=0, help="of the synthetic catalogues")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="seconds any one command may take (default 3600)")
    parser.add_argument("--browser-timeout", type=float, default=300,
                        help="seconds the search index may take to load (default 300)")
    parser.add_argument("--docs", type=Path, help="where the report goes (default: docs/)")
    parser.add_argument("--fresh", action="store_true",
                        help="forget earlier results instead of merging with them")
    parser.add_argument("--no-browser", action="store_true", help="skip the search timings")
    parser.add_argument("--no-hugo", action="store_true", help="skip the Hugo comparison")
    parser.add_argument("--scratch", type=Path, help="work directory (default: a temporary one)")
    parser.add_argument("--report-only", action="store_true",
                        help="measure nothing: rewrite the report from --docs's benchmarks.json")
    args = parser.parse_args(argv)
    if args.report_only:
        docs = args.docs or DOCS
        stored = load_stored(docs)
        if not stored["results"]:
            parser.error(f"no results in {docs / 'benchmarks.json'}")
        print("written:", ", ".join(str(p) for p in write_report(docs, stored["machine"],
                                                                  stored["results"])))
        return 0
    try:
        sizes = [int(s) for s in (args.sizes.split(",") if args.sizes else
                                  QUICK_SIZES if args.quick else DEFAULT_SIZES)]
    except ValueError:
        parser.error("--sizes takes numbers separated by commas, e.g. 690,1000,5000")
    if any(n < 1 for n in sizes):
        parser.error("every size must be at least 1")
    repeat = args.repeat or (1 if args.quick else 3)
    docs = args.docs or (None if args.quick else DOCS)
    info = machine()
    results = {} if args.fresh or docs is None else load_results(docs)
    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        measurer = Measurer(Path(scratch), repeat, args.timeout, args.browser_timeout, args.seed,
                            args.quick, not args.no_browser, not args.no_hugo,
                            log=lambda text: print(text, file=sys.stderr, flush=True))
        for papers in sizes:
            results[papers] = measurer.measure(papers)
            if docs is not None:  # after every size: a long run keeps what it measured
                write_report(docs, info, results)
    print(plain_table(results))
    if docs is not None:
        print("written:", ", ".join(str(p) for p in write_report(docs, info, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
