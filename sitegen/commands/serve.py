"""`sitegen serve`: build, serve on localhost and rebuild on every change."""

from __future__ import annotations

import argparse
import sys

from sitegen.commands.common import report, report_summary


def run(args: argparse.Namespace) -> int:
    """Refuses at once what no save can put right: a folder that is no catalogue's content
    folder (as every command does), or an --out that no build may write; else serves until
    stopped."""
    from sitegen.catalogue.load import not_a_content_folder
    from sitegen.site.build import refuse_to_build
    from sitegen.site.serve import serve  # the server and watcher load only when serving

    if not_content := not_a_content_folder(args.content):
        report([not_content])
        return 1
    try:
        refuse_to_build(args.content, args.out)
    except (ValueError, FileExistsError) as error:
        print(f"sitegen serve: {error}", file=sys.stderr)
        return 2
    return serve(args.content, args.out, args.host, args.port, report_summary)
