"""`sitegen check`: validate all content and print every problem with its file and line."""

from __future__ import annotations

import argparse

from sitegen.commands.common import report


def run(args: argparse.Namespace) -> int:
    from sitegen.catalogue.load import load_catalogue
    catalogue = load_catalogue(args.content)
    report(catalogue.problems)
    errors = len(catalogue.errors)
    warnings = len(catalogue.problems) - errors
    print(f"{len(catalogue.papers)} papers checked: {errors} error(s), {warnings} warning(s)")
    return 1 if errors else 0
