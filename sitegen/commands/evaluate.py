"""`sitegen evaluate`: how far the proposed labels agree with the reference labels."""

from __future__ import annotations

import argparse
from collections.abc import Collection

from sitegen.commands.common import load_valid, report


def run(args: argparse.Namespace) -> int:
    from sitegen.ingest.classify import classify
    from sitegen.ingest.evaluate import (
        REFERENCE,
        propose_all,
        teachers,
        tuned,
        unknown_labels,
    )
    from sitegen.ingest.evaluate import report as evaluation
    from sitegen.ingest.goldfile import read_gold
    from sitegen.ingest.neighbours import reviewed
    path = args.gold or REFERENCE
    gold, problems = read_gold(path, str(path))
    if problems:
        report(problems)
        return 1
    catalogue = load_valid(args.content, repairs=True)
    if catalogue is None:
        return 1
    taxonomy, tuning = catalogue.taxonomy, tuned()
    pool = reviewed(teachers(catalogue.papers.values(), gold, tuning))
    texts = ((p.title, p.abstract, p.id) for p in catalogue.papers.values())
    outcomes, problems = propose_all(  # a reviewed paper is not taught its own labels
        gold, texts, lambda title, abstract, pid: classify(title, abstract, taxonomy, pool, pid),
        str(path))
    known: dict[str, Collection[str]] = {"topics": taxonomy.topics,
                                         "families": taxonomy.families}
    report(unknown_labels(gold, known, str(path)) + problems)
    print(evaluation(outcomes, tuning))
    return 1 if problems else 0
