"""The `sitegen` command line: parses the arguments and hands them to one command module.

Each command is `sitegen.commands.<name>.run(args)`, imported only when it runs, so that a
quick answer (`--help`, or a build with nothing to do) does not wait for every stage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from sitegen import __version__
from sitegen.commands.common import UsageError, system_error

DESCRIPTION = "The `sitegen` command line: each command loads, runs one stage and reports."
# Each command and its help line; OPTIONS (below) adds the options of those that have any.
COMMANDS: dict[str, str] = {
    "ingest": "read dumps into papers/*.yaml",
    "new": "add a paper from a title and abstract, or from its arXiv id",
    "enrich": "fill in arXiv ids, authors and dates from the arXiv API",
    "classify": "relabel every paper no person labelled",
    "check": "validate all content",
    "fmt": "rewrite papers in canonical form",
    "export": "write the catalogue to stdout",
    "build": "render the static site",
    "serve": "build, serve on localhost and rebuild on changes",
    "diff": "the catalogue's changes since a git ref, in Markdown",
    "evaluate": "precision, recall and F1 of the rules on a gold set",
}


def entry() -> NoReturn:
    """The `sitegen` executable: main() with the command line's arguments, then `leave`."""
    from sitegen.core.parallel import leave, leaving_at_end
    leaving_at_end()
    leave(main())


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return importlib.import_module(f"sitegen.commands.{args.command}").run(args)
    except UsageError as error:
        print(f"sitegen: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; files already written are complete, none is half-written",
              file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (`| head`): nothing more to say
        _quiet_stdout()
        return 141  # as a shell reports a command that SIGPIPE ended
    except OSError as error:
        print(f"sitegen: {system_error(error)}", file=sys.stderr)
        return 1


def _quiet_stdout() -> None:
    """Point standard output at /dev/null, so that flushing it at exit raises nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="the catalogue's content directory (default: content)")
    top = argparse.ArgumentParser(prog="sitegen", description=DESCRIPTION)
    top.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = top.add_subparsers(required=True, metavar="COMMAND", dest="command")
    for name, help_line in COMMANDS.items():
        options = commands.add_parser(name, parents=[common], help=help_line)
        OPTIONS.get(name, lambda _: None)(options)
    return top


def _ingest(run: argparse.ArgumentParser) -> None:
    run.add_argument("dumps", nargs="*", type=Path, metavar="DUMP",
                     help="dump files (default: every .txt in CONTENT/dumps)")
    run.add_argument("--date", help="date recorded for new papers (default: today, or "
                                    "SOURCE_DATE_EPOCH)")
    run.add_argument("-v", "--verbose", action="store_true", help="explain every merge")


def _new(run: argparse.ArgumentParser) -> None:
    run.add_argument("--title", help="the paper's title")
    run.add_argument("--abstract", help="the paper's abstract")
    run.add_argument("--from", dest="source", type=Path, metavar="FILE",
                     help="read the title and abstract from FILE: YAML (.yaml, .yml) with "
                          "`title:` and `abstract:`, or text with the title on its first "
                          "line and the abstract below")
    run.add_argument("--dry-run", action="store_true",
                     help="print the file on stdout instead of writing it")
    run.add_argument("--arxiv", metavar="ID",
                     help="take the title, abstract, authors and dates from the arXiv API: "
                          "an id such as 2401.12345, or its arxiv.org address")
    run.add_argument("--force", action="store_true",
                     help="write even if the catalogue seems to hold the paper already "
                          "(the new paper is then marked distinct_from it)")
    _service(run)


def _service(run: argparse.ArgumentParser) -> None:
    """The options of a command that asks the arXiv API."""
    run.add_argument("--api", metavar="URL",
                     help="the arXiv API's query address (default: SITEGEN_ARXIV_API, else "
                          "https://export.arxiv.org/api/query)")
    run.add_argument("--delay", type=float, default=3.0, metavar="SECONDS",
                     help="seconds between two requests (default: 3, as arXiv asks)")
    run.add_argument("--cache", type=Path, default=Path(".sitegen-cache"), metavar="DIR",
                     help="where answers are kept, so that a second run asks nothing the "
                          "first was told (default: .sitegen-cache)")
    run.add_argument("--no-cache", action="store_true", help="keep no answers, read none")


def _enrich(run: argparse.ArgumentParser) -> None:
    _service(run)
    run.add_argument("--limit", type=int, metavar="N",
                     help="ask about the first N papers that lack an identity")
    run.add_argument("-v", "--verbose", action="store_true",
                     help="list every paper found and not found too")


def _build(run: argparse.ArgumentParser) -> None:
    run.add_argument("--out", type=Path, default=Path("_site"), help="output directory")
    run.add_argument("--base-url", default="", metavar="URL",
                     help="absolute URL the site is served from (default: site.yaml's)")
    run.add_argument("--force", action="store_true",
                     help="build every file again, even when nothing changed since the last "
                          "build, taking none from earlier builds")


def _port(text: str) -> int:
    """A TCP port number, 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is no port: use a number from 0 to 65535")
    return port


def _serve(run: argparse.ArgumentParser) -> None:
    run.add_argument("--port", type=_port, default=8000,
                     help="the port to serve on (default: 8000; 0: any free port)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--out", type=Path, default=Path("_serve"),
                     help="output directory (default: _serve, apart from build's _site)")


OPTIONS = {
    "ingest": _ingest,
    "new": _new,
    "enrich": _enrich,
    "fmt": lambda run: run.add_argument(
        "--drop-comments", action="store_true",
        help="remove the comments paper files hold (without it, each is an error, so that "
             "no note is lost unseen)"),
    "export": lambda run: run.add_argument("--format", choices=("json", "csv"), default="json"),
    "build": _build,
    "serve": _serve,
    "diff": lambda run: run.add_argument("base", metavar="BASE_REF",
                                         help="commit, branch or tag to compare with"),
    "evaluate": lambda run: run.add_argument("--gold", type=Path,
                                             default=None,
                                             help="labels file (default: the reference set, "
                                                  "tests/gold/reference.yaml)"),
}
