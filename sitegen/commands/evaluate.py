"""`sitegen evaluate`: how far the proposed labels agree with the reference labels."""

from __future__ import annotations

import argparse
from collections.abc import Collection

from sitegen.commands.common import load_valid, report


def run(args: argparse.Namespace) -> int:
    from sitegen.ingest.classify import classify
    from sitegen.ingest.evaluate import REFERENCE, propose_all, teachers, tuned, unknown_labels
    from sitegen.ingest.evaluate import report as evaluation
    from sitegen.ingest.goldfile import read_gold
    from sitegen.ingest.goldfind import find_all, labelled_twice
    from sitegen.ingest.neighbours import reviewed
    path = args.gold or REFERENCE
    gold, problems = read_gold(path, str(path))
    if problems:
        report(problems)
        return 1
    catalogue = load_valid(args.content, repairs=True)
    if catalogue is None:
        return 1
    found, missing = find_all(gold, catalogue.papers, str(path))
    twice = labelled_twice(found, str(path))
    if twice:
        report(twice)
        return 1
    taxonomy, tuning = catalogue.taxonomy, tuned()
    pool = reviewed(teachers(catalogue.papers.values(), found, tuning))
    outcomes = propose_all(  # a reviewed paper is not taught its own labels
        found, lambda title, abstract, pid: classify(title, abstract, taxonomy, pool, pid))
    known: dict[str, Collection[str]] = {"topics": taxonomy.topics,
                                         "families": taxonomy.families}
    report(unknown_labels(gold, known, str(path)) + missing)
    print(evaluation(outcomes, tuning))
    return 1 if missing else 0
