"""`sitegen fmt`: rewrite every paper file in canonical form."""

from __future__ import annotations

import argparse

from sitegen.catalogue.yamlcomments import COMMENT
from sitegen.commands.common import load_valid, save_papers


def run(args: argparse.Namespace) -> int:
    """A file with comments is left as it is (each is an error naming its line), unless
    asked to drop them: a person's note is never lost without a word."""
    catalogue = load_valid(args.content, repairs=True,
                           also=(COMMENT,) if args.drop_comments else ())
    if catalogue is None:
        return 1
    print(f"{save_papers(args.content, catalogue.papers)} file(s) rewritten")
    dropped = sum(1 for problem in catalogue.problems if problem.code == COMMENT)
    if dropped:
        print(f"{dropped} comment(s) dropped")
    return 0
