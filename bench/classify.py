"""Benchmark: proposing one paper's labels, as ingest does (at most 2 ms a paper at 50,000).

Run: .venv/bin/python bench/classify.py (--papers N | --content DIR) [--repeat R]

Every paper of the catalogue (the synthetic corpus's first N papers, or the papers of
the content given) is labelled from its title and abstract with the shipped taxonomy's
rules (or the content's) and the topics of the catalogue's reviewed papers most like it
(those whose topics a person decided: about 40% of the synthetic corpus, copies of the
reference papers), one paper after another in this one process, once per run.
Prints the milliseconds a paper took in each run and their median: the first run also
pays for building the patterns' automata, which later papers reuse.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

if not __package__:  # run as a script: import bench/ as the package it is
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import SHIPPED
from bench.make_corpus import base_papers, generate
from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.core.model import Paper
from sitegen.ingest.classify import classify
from sitegen.ingest.neighbours import reviewed


def corpus_texts(papers: int, seed: int = 0) -> list[Paper]:
    return list(generate(base_papers(SHIPPED), papers, seed))


def content_texts(content: Path) -> list[Paper]:
    catalogue = load_catalogue(content)
    if catalogue.errors:
        raise SystemExit(f"{content} does not pass `sitegen check`: fix it first")
    return list(catalogue.papers.values())


def shipped_taxonomy(folder: Path = SHIPPED) -> Taxonomy:
    taxonomy, problems = load_taxonomy(folder / "taxonomy.yaml", "taxonomy.yaml")
    if taxonomy is None:
        raise SystemExit(f"{folder}/taxonomy.yaml does not load: {problems[0].message}")
    return taxonomy


def milliseconds_per_paper(papers: list[Paper], taxonomy: Taxonomy, repeat: int) -> list[float]:
    """Each run's time over every paper, divided by their number, in milliseconds (each
    run compares the texts with the reviewed papers afresh, as each ingest does)."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        teachers = reviewed(papers)
        for paper in papers:
            classify(paper.title, paper.abstract, taxonomy, teachers)
        runs.append((time.perf_counter() - start) * 1000 / max(len(papers), 1))
    return runs


def report(papers: int, runs: list[float], load: tuple[float, float]) -> str:
    return (f"classify {papers} papers ({len(runs)} runs), load average {load[0]:.1f} -> "
            f"{load[1]:.1f}: median {statistics.median(runs):.3f} ms a paper "
            f"({', '.join(f'{ms:.3f}' for ms in runs)})")


def runs_reported(said: str) -> list[float]:
    """The runs' milliseconds a paper, from what `report` said."""
    found = said.rsplit("(", 1)[-1].removesuffix(")\n").removesuffix(")")
    return [float(ms) for ms in found.split(", ")]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--papers", type=int, metavar="N", help="the synthetic corpus's first N")
    source.add_argument("--content", type=Path, metavar="DIR", help="a catalogue's papers")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.content is not None:
        texts, taxonomy = content_texts(args.content), shipped_taxonomy(args.content)
    else:
        texts, taxonomy = corpus_texts(args.papers, args.seed), shipped_taxonomy()
    before = os.getloadavg()[0]
    runs = milliseconds_per_paper(texts, taxonomy, args.repeat)
    print(report(len(texts), runs, (before, os.getloadavg()[0])))


if __name__ == "__main__":
    main()
