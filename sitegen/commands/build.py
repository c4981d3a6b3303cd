"""`sitegen build`: render the static site, unless nothing changed since the last build."""

from __future__ import annotations

import argparse
import sys

from sitegen.commands.common import report


def run(args: argparse.Namespace) -> int:
    from sitegen.site.uptodate import build_stamp, is_current

    stamp = build_stamp(args.content, args.base_url, False)
    if not args.force and (count := is_current(args.out, stamp.digest)):
        print(f"{args.out} is up to date ({count} files): nothing changed since it was "
              "built (--force builds every file again)")
        return 0
    from jinja2 import TemplateError

    from sitegen.site.build import build
    from sitegen.site.scheduler import WorkersFailed

    try:
        result = build(args.content, args.out, args.base_url, force=True, stamp=stamp,
                       fresh=args.force)
    except ValueError as error:
        print(f"sitegen build: {error}", file=sys.stderr)
        return 2
    except TemplateError as error:  # a template that does not compile
        return _template_failed(error)
    except WorkersFailed as failed:
        if isinstance(failed.during, TemplateError):  # or fails as a page is rendered
            return _template_failed(failed.during)
        if isinstance(failed.during, KeyboardInterrupt):  # Ctrl+C stopped them all: no
            raise failed.during from None  # process failed of its own
        for failure in failed.errors:
            print(f"sitegen: writing the site failed: {failure}", file=sys.stderr)
        raise failed.during or failed from None
    if result.problems:
        report(result.problems)
        print(f"{len(result.problems)} error(s): nothing was built (see `sitegen check`)",
              file=sys.stderr)
        return 1
    print(f"built {result.files} files into {args.out}")
    return 0


def _template_failed(error: Exception) -> int:
    """A template's mistake, at its file and line; the site left as it was."""
    from sitegen.site.templateerrors import template_problem

    report([problem for problem in [template_problem(error)] if problem])
    print("a template failed: the previous site is left as it was", file=sys.stderr)
    return 1
