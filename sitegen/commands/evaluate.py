"""`sitegen evaluate`: how far the proposed labels agree with the reference labels."""

from __future__ import annotations

import argparse

from sitegen.commands.common import load_valid, report


def run(args: argparse.Namespace) -> int:
    from sitegen.ingest.classify import classify
    from sitegen.ingest.evaluate import load_gold, propose_all
    from sitegen.ingest.evaluate import report as evaluation
    catalogue = load_valid(args.content, repairs=True)
    if catalogue is None:
        return 1
    taxonomy = catalogue.taxonomy
    texts = {p.id: (p.title, p.abstract) for p in catalogue.papers.values()}
    outcomes, problems = propose_all(load_gold(args.gold), texts,
                                     lambda t, a: classify(t, a, taxonomy))
    report(problems)
    print(evaluation(outcomes))
    return 1 if problems else 0
