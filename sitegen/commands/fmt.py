"""`sitegen fmt`: rewrite every paper file in canonical form."""

from __future__ import annotations

import argparse

from sitegen.commands.common import load_valid, save_papers


def run(args: argparse.Namespace) -> int:
    catalogue = load_valid(args.content, repairs=True)
    if catalogue is None:
        return 1
    print(f"{save_papers(args.content, catalogue.papers)} file(s) rewritten")
    return 0
