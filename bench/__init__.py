"""Benchmarks of sitegen, from the shipped 690 papers up to synthetic catalogues of 50,000.

Entry points (each runs as `python bench/NAME.py`):

- run.py: every size, every step, written to docs/benchmarks.md against the targets
  (`./dev.sh bench` installs Chromium and Hugo, then runs it)
- build.py, catalogue.py, search.py: quick figures for the shipped catalogue
- make_corpus.py: a synthetic catalogue of N papers

The rest is the machinery they share: harness and launch (running one command: wall
time, its own peak memory), measure and steps (what is measured at a size), hugo and
hugo_site/ (the comparison site), metrics and targets.yaml (what each figure means and
the most it may be), report, plot and figures (Markdown, SVG, terminal), machine (what
it ran on), browser (search in Chromium), stages (one build, stage by stage), poll,
preview and servers (from saving a file to a preview server showing it, over HTTP).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "content"  # the catalogue the repository ships
