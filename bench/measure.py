"""Measuring one size after another: the content, every step in order, and what failed."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from bench import SHIPPED
from bench.harness import StepFailed
from bench.machine import code_fingerprint
from bench.steps import Settings, Steps

OUTPUT_KEYS = ("files", "pages", "output", "search_raw", "search_gzip", "shards_gzip")
SEARCH_KEYS = ("ready", "query_median", "query_p95")
SERVE_KEYS = ("serve", "serve_topic", "serve_home", "serve_search", "serve_dependents")


class Measurer:
    """Measures one size after another, in a scratch directory."""

    def __init__(self, scratch: Path, settings: Settings):
        self.scratch = scratch
        self.settings = settings  # without Hugo installed, its steps fail saying so

    def measure(self, papers: int) -> dict:
        """Every figure of one size, with the reason for each that failed."""
        here = self.scratch / str(papers)
        shutil.rmtree(here, ignore_errors=True)
        here.mkdir(parents=True)
        result = {"papers": papers, "repeat": self.settings.repeat, "values": {}, "failures": {},
                  "runs": {}, "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
                  "code": code_fingerprint()}
        start, load = time.perf_counter(), os.getloadavg()[0]
        steps = Steps(self.settings, papers, here, self._content(papers, here, result))
        try:
            self._steps(steps, result)  # their files stay until the run ends (see bench/run.py)
        finally:
            steps.close()
        result["elapsed"] = time.perf_counter() - start
        result["load"] = [load, os.getloadavg()[0]]  # a busy machine slows every figure
        derive(result)
        note_code_change(result, "the end")
        return result

    def _content(self, papers: int, here: Path, result: dict) -> Path:
        """The shipped content when it has this many papers, else a synthetic catalogue."""
        content = here / "content"
        shipped = len(list((SHIPPED / "papers").glob("*.yaml")))
        start = time.perf_counter()
        if papers == shipped:
            shutil.copytree(SHIPPED, content)
            result["corpus"] = "shipped content"
        else:
            from bench.make_corpus import make_corpus

            make_corpus(papers, content, self.settings.seed)
            result["corpus"] = f"synthetic, seed {self.settings.seed}"
        self.settings.log(f"[{papers}] {result['corpus']} ready in "
                          f"{time.perf_counter() - start:.1f} s")
        return content

    def _steps(self, steps: Steps, result: dict) -> None:
        """Every step in order: Hugo right after the cold builds, before the rebuilds
        delete their old output."""
        self.step(result, ("cold", "memory"), steps.cold)
        self.step(result, OUTPUT_KEYS, steps.outputs)
        if self.settings.hugo:
            self.step(result, ("hugo",), steps.hugo)
        self.step(result, ("nothing",), steps.nothing)
        self.step(result, ("edit",), steps.edit)
        if self.settings.serve:
            self.step(result, SERVE_KEYS, steps.serve)
            if self.settings.hugo:
                self.step(result, ("hugo_serve",), steps.hugo_serve)
        self.step(result, ("check",), steps.check)
        self.step(result, ("ingest",), steps.ingest)
        self.step(result, ("ingest_new", "ingest_again"), steps.scale_ingest)
        self.step(result, ("classify",), steps.classify)
        if self.settings.browser:
            self.step(result, SEARCH_KEYS, steps.search)

    def step(self, result: dict, keys: tuple[str, ...], action: Callable[[], dict]) -> None:
        """Run a step that yields values for `keys`; record its failure for each of them."""
        note_code_change(result, keys[0])
        try:
            values = action()
        except StepFailed as error:
            reason = str(error)
        except Exception as error:  # a benchmark reports, it does not crash
            reason = f"{type(error).__name__}: {error}".strip()
        else:
            for key, value in values.items():
                result["runs" if isinstance(value, list) else "values"][key] = value
            return
        reason = " ".join(reason.split())[:300]
        self.settings.log(f"  failed: {', '.join(keys)}: {reason}")
        for key in keys:
            result["failures"][key] = reason


def derive(result: dict) -> None:
    """The figures computed from others: the ratio to Hugo, the rebuild's share."""
    ratio(result)
    share(result)


def ratio(result: dict) -> None:
    """Our cold build's median over Hugo's, or why there is none."""
    values, failures = result["values"], result["failures"]
    if "cold" in values and "hugo" in values:
        values["ratio"] = values["cold"] / values["hugo"]
    elif "hugo" in failures or "cold" in failures:
        failures["ratio"] = "no build to compare"


def share(result: dict) -> None:
    """The rebuild after one edit as a percentage of the cold build, or why there is none."""
    values, failures = result["values"], result["failures"]
    if "cold" in values and "edit" in values:
        values["edit_share"] = 100 * values["edit"] / values["cold"]
    elif "edit" in failures or "cold" in failures:
        failures["edit_share"] = "no build to compare"


def note_code_change(result: dict, step: str) -> None:
    """Someone edited sitegen while it was measured: say from which step on."""
    if "code" not in result:
        return
    now = code_fingerprint()
    seen = result.setdefault("code_changes", [])
    if now != (seen[-1][1] if seen else result["code"]):
        seen.append([step, now])
