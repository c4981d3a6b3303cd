"""`sitegen classify`: relabel every paper whose labels no person decided."""

from __future__ import annotations

import argparse

from sitegen.commands.common import load_valid, save_papers, today


def run(args: argparse.Namespace) -> int:
    from sitegen.ingest.merge import ingest
    from sitegen.ingest.neighbours import reviewed
    catalogue = load_valid(args.content, repairs=True)
    if catalogue is None:
        return 1
    papers, outcome = ingest(catalogue.papers, [], catalogue.taxonomy, today(),
                             reviewed=reviewed(catalogue.papers.values()))
    save_papers(args.content, papers, outcome.removed)
    print(f"papers: {len(papers)}\nrelabelled: {len(outcome.relabelled)}")
    return 0
