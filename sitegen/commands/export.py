"""`sitegen export`: the whole catalogue on stdout, as JSON or CSV."""

from __future__ import annotations

import argparse
import sys

from sitegen.commands.common import load_valid


def run(args: argparse.Namespace) -> int:
    from sitegen.site.export import to_csv, to_json
    catalogue = load_valid(args.content)
    if catalogue is None:
        return 1
    papers = list(catalogue.papers.values())
    sys.stdout.write(to_json(papers) if args.format == "json" else to_csv(papers))
    return 0
