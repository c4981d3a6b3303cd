"""`sitegen serve`: build, serve on localhost and rebuild on every change."""

from __future__ import annotations

import argparse

from sitegen.commands.common import report_summary


def run(args: argparse.Namespace) -> int:
    from sitegen.site.serve import serve  # the server and watcher load only when serving

    return serve(args.content, args.out, args.host, args.port, report_summary)
