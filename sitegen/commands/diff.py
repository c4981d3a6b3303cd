"""`sitegen diff`: the catalogue's changes since a git ref, as Markdown for reviewers."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from sitegen.site.diff import DiffError, diff_markdown

    try:
        sys.stdout.write(diff_markdown(args.content, args.base))
    except DiffError as error:
        print(f"sitegen diff: {error}", file=sys.stderr)
        return 2
    return 0
