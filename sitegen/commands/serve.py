"""`sitegen serve`: build, serve on localhost and rebuild on every change."""

from __future__ import annotations

import argparse
import sys

from sitegen.commands.common import report_summary


def run(args: argparse.Namespace) -> int:
    """Refuses at once what no save can put right: a content folder that is not there, or
    an --out that no build may write; else serves until stopped."""
    from sitegen.site.build import refuse_to_build
    from sitegen.site.serve import serve  # the server and watcher load only when serving

    if not args.content.is_dir():
        print(f"sitegen serve: {args.content} is not a folder (hint: run it where the "
              "catalogue's content/ is, or name it with --content)", file=sys.stderr)
        return 1
    try:
        refuse_to_build(args.content, args.out)
    except (ValueError, FileExistsError) as error:
        print(f"sitegen serve: {error}", file=sys.stderr)
        return 2
    return serve(args.content, args.out, args.host, args.port, report_summary)
