"""The report: docs/benchmarks.md, docs/benchmarks-build.svg and the results they are
written from, docs/benchmarks.json (kept, so that sizes measured apart are merged)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.figures import cell, escape, mark, number, target_text
from bench.metrics import BY_KEY, FAILED, METRICS, TARGETS, Metric, verdict
from bench.plot import render_svg

INTRO = [
    "# Benchmarks",
    "",
    "Measured by `bench/run.py` for the issues \"Scale: fast builds and instant search from "
    "690 to 50,000 papers\" and \"The edit loop at any size\" (issue 16), with their targets "
    "(`bench/targets.yaml`). The whole report, every size with Hugo beside it, comes from one "
    "command:",
    "",
    "```sh",
    "./dev.sh bench   # installs what it needs (Hugo and Chromium too), then bench/run.py --fresh",
    "```",
    "",
    "It takes about an hour on two cores and 10 GB of scratch space; `./dev.sh bench "
    "--sizes 690,5000` measures some sizes only, `.venv/bin/python bench/run.py --help` lists "
    "the options.",
    "",
    "Each figure comes from fresh processes; times are medians over the runs (the machine's "
    "CPU speed varies by about ±30% from run to run, so compare medians, and expect "
    "that much noise). A cell marked failed says why.",
    "",
]
MACHINE = {"cpu": "CPU", "cores": "Cores", "ram": "RAM", "os": "OS", "python": "Python",
           "chromium": "Chromium", "hugo": "Hugo", "date": "Date"}
ABOUT_RUNS = [
    "\"Every step took\" is the wall time of the whole size: preparing the content, every run "
    "of every step and the Hugo build. \"Load average\" is the machine's (one minute) when "
    "the size started and when it ended: other work on the machine slows every figure. "
    "\"Code measured\" is a hash of `sitegen/`, "
    "`sitegen/site/templates/` and `sitegen/site/static/`: sizes measured with different code "
    "are not comparable.",
    "",
    "Nothing is deleted until the run ends (only a rebuild replaces its own output, as it does "
    "for every user): on this machine's disk, file creation is up to four times slower for a "
    "minute or two after a large directory tree is removed (10,000 new directories with a "
    "page each: 2.6 s, or 12 s right after a 20,000-page site was removed), which would "
    "otherwise land on whichever build came next. Hugo builds right after the cold builds, "
    "before the rebuilds. The disk is synced before each timed command, so that no command "
    "pays for writing back what earlier ones wrote.",
    "",
]
PLOT = ["## Cold build time", "",
        "![Cold build time against the number of papers, log scales: sitegen, Hugo and the "
        "issue's targets](benchmarks-build.svg)", ""]
SYNTHETIC = [
    "## The synthetic catalogues", "",
    "Every size but the shipped one is written by `bench/make_corpus.py --papers N` (seed 0): "
    "the shipped papers, then clones of them whose titles have about 60% of their words "
    "replaced and a number appended, and whose abstracts have their sentences shuffled and "
    "about 30% of their words replaced (drawn from the catalogue's own words, weighted by "
    "frequency, a twentieth of them coined, so the vocabulary grows with N). Labels, links and "
    "sources are the original's. Each passes `sitegen check` with no error or warning, "
    "look-alike check included (verified at 1,000, 5,000 and 50,000 papers). The text is "
    "nonsense but its statistics (lengths, word frequencies, labels per paper) are the real "
    "catalogue's, which is what the build and the search index are sensitive to. One "
    "difference shows in `sitegen ingest`: the rules would label most clones' varied text "
    "differently from the labels copied from their original, so ingest relabels and rewrites "
    "those files (the rules run on every paper at every size either way).", ""]


def render_markdown(info: dict[str, str], results: dict[int, dict]) -> str:
    """docs/benchmarks.md: the machine, the runs, the verdicts, a table per metric."""
    sizes = sorted(results)
    lines = [*INTRO, "## Machine", "", "| | |", "| --- | --- |"]
    lines += [f"| {label} | {escape(info.get(key, 'unknown'))} |"
              for key, label in MACHINE.items()]
    lines += _runs(results, sizes) + ABOUT_RUNS + _code_changes(results, sizes)
    lines += _few_runs(results, sizes) + _summary(results, sizes) + PLOT
    for metric in METRICS:
        lines += _metric_table(metric, results, sizes)
    return "\n".join(lines + _failures(results, sizes) + SYNTHETIC)


def _runs(results: dict[int, dict], sizes: list[int]) -> list[str]:
    lines = ["", "## Runs", "",
             "| Papers | Content | Runs per figure | Every step took | Load average | Date | "
             "Code measured |",
             "| ---: | --- | ---: | ---: | ---: | --- | --- |"]
    for n in sizes:
        r = results[n]
        took = f"{r['elapsed'] / 60:.1f} min" if "elapsed" in r else "?"
        load = " → ".join(f"{x:.1f}" for x in r["load"]) if "load" in r else "?"
        lines.append(f"| {n:,} | {r.get('corpus', '?')} | {r.get('repeat', '?')} | {took} | "
                     f"{load} | {r.get('date', '?')} | `{r.get('code', '?')}` |")
    return [*lines, ""]


def _code_changes(results: dict[int, dict], sizes: list[int]) -> list[str]:
    """A warning for each size during which sitegen's code changed."""
    lines = []
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
    return lines


def _few_runs(results: dict[int, dict], sizes: list[int]) -> list[str]:
    few = [n for n in sizes if results[n].get("repeat", 3) < 3]
    if not few:
        return []
    return [f"**Fewer runs:** {', '.join(f'{n:,}' for n in few)} papers were measured "
            f"with {', '.join(sorted({str(results[n]['repeat']) for n in few}))} run(s) "
            "per figure instead of 3 (`--repeat 1`), because one pass over every step at "
            "these sizes takes many minutes; their figures carry a single run's noise "
            "(±30% on this machine).", ""]


def _summary(results: dict[int, dict], sizes: list[int]) -> list[str]:
    """Every figure that has a target at one of the sizes, against it."""
    keys = [m.key for m in METRICS
            if m.beside or any(m.key in TARGETS.get(n, {}) for n in sizes)]
    if not keys:
        return []
    lines = ["## Against the issues' targets", "",
             "| Metric | " + " | ".join(f"{n:,} papers" for n in sizes) + " |",
             "| --- | " + " | ".join("---" for _ in sizes) + " |"]
    for key in keys:
        cells = [_summary_cell(results[n], n, key) for n in sizes]
        lines.append(f"| {BY_KEY[key].label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def _summary_cell(result: dict, papers: int, key: str) -> str:
    status = verdict(result, key)
    if not status:
        return cell(result, key) if BY_KEY[key].beside else f"{cell(result, key)} (no target)"
    if status == FAILED:
        return "❌ failed"
    return f"{cell(result, key)} / {target_text(papers, key)} {mark(status)}"


def _metric_table(metric: Metric, results: dict[int, dict], sizes: list[int]) -> list[str]:
    lines = [f"### {metric.label}", "", metric.how[:1].upper() + metric.how[1:] + ".", "",
             "| Papers | Measured | Target | Status | Runs |", "| ---: | ---: | ---: | --- | --- |"]
    for n in sizes:
        r = results[n]
        runs = r.get("runs", {}).get(f"{metric.key}_runs", [])
        shown = ", ".join(number(v, metric.unit) for v in runs) if len(runs) > 1 else ""
        lines.append(f"| {n:,} | {cell(r, metric.key)} | {target_text(n, metric.key)} | "
                     f"{mark(verdict(r, metric.key))} | {shown} |")
    return [*lines, ""]


def _failures(results: dict[int, dict], sizes: list[int]) -> list[str]:
    failures = [(n, key, reason) for n in sizes
                for key, reason in results[n].get("failures", {}).items()]
    lines = ["## Failures", ""]
    if not failures:
        return [*lines, "None: every step finished at every size.", ""]
    return lines + [f"- {n:,} papers, {BY_KEY[key].label if key in BY_KEY else key}: "
                    f"{escape(reason)}" for n, key, reason in failures] + [""]


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
