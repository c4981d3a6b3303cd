"""`sitegen evaluate`: how far the proposed labels agree with the reference labels."""

from __future__ import annotations

import argparse
from collections.abc import Collection

from sitegen.commands.common import load_valid, report


def run(args: argparse.Namespace) -> int:
    from sitegen.ingest.classify import classify
    from sitegen.ingest.evaluate import (
        REFERENCE,
        Tuning,
        propose_all,
        read_gold,
        unknown_labels,
    )
    from sitegen.ingest.evaluate import report as evaluation
    path = args.gold or REFERENCE
    gold, problems = read_gold(path, str(path))
    reference, _ = read_gold(REFERENCE, str(REFERENCE)) if REFERENCE.is_file() else ([], [])
    if problems:
        report(problems)
        return 1
    catalogue = load_valid(args.content, repairs=True)
    if catalogue is None:
        return 1
    taxonomy = catalogue.taxonomy
    texts = ((p.id, (p.title, p.abstract)) for p in catalogue.papers.values())
    outcomes, problems = propose_all(gold, texts, lambda t, a: classify(t, a, taxonomy),
                                     str(path))
    known: dict[str, Collection[str]] = {"topics": taxonomy.topics,
                                         "families": taxonomy.families}
    report(unknown_labels(gold, known, str(path)) + problems)
    print(evaluation(outcomes, Tuning.of(reference)))
    return 1 if problems else 0
