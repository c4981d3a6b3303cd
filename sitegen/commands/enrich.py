"""`sitegen enrich`: fill in papers' arXiv ids, authors and dates from the arXiv API.

Each paper enriched is written at once, in one step (`site.output.write_atomic`), so
Ctrl-C or a crash leaves every file whole and a second run carries on where the first
stopped, answered from the response cache for what it already asked.
"""

from __future__ import annotations

import argparse
import sys

from sitegen.commands.common import UsageError, load_valid, progress
from sitegen.core.model import Paper
from sitegen.enrich.source import MetadataSource, RunStopped, Summary

LONGEST_DELAY = 600.0  # seconds between two requests, at most (as long as a Retry-After waits)


def source_from(args: argparse.Namespace) -> MetadataSource:
    """The arXiv API at the address and with the manners the options give."""
    from sitegen.enrich.arxiv import ArxivSource
    from sitegen.enrich.cache import ResponseCache
    from sitegen.enrich.http import Manners, PoliteClient
    if not 0 <= args.delay <= LONGEST_DELAY:  # nan too
        raise UsageError(f"--delay {args.delay}: give the seconds between requests, from 0 "
                         f"to {LONGEST_DELAY:.0f}")
    cache = ResponseCache(None if args.no_cache else args.cache / "arxiv")
    return ArxivSource(api_from(args), PoliteClient(Manners(delay=args.delay), cache))


def api_from(args: argparse.Namespace) -> str:
    """The API address that --api or the environment gives; UsageError for a bad one."""
    from sitegen.enrich.arxiv import API_VARIABLE, api_address
    try:
        return api_address(args.api)
    except ValueError as error:
        raise UsageError(f"--api or {API_VARIABLE}: {error}") from None


def run(args: argparse.Namespace) -> int:
    """0 when every paper asked about got an answer (found or not), 1 when some failed."""
    from sitegen.catalogue.store import paper_path, serialise
    from sitegen.core.text import arxiv_paper
    from sitegen.enrich.stage import enrich, wants_enriching
    from sitegen.site.output import write_atomic
    if args.limit is not None and args.limit < 0:
        raise UsageError(f"--limit {args.limit}: give how many papers to ask about, 0 or more")
    source = source_from(args)
    catalogue = load_valid(args.content)
    if catalogue is None:
        return 1
    papers = [p for _, p in sorted(catalogue.papers.items()) if wants_enriching(p)]
    papers = papers[:args.limit] if args.limit is not None else papers
    held = {arxiv_paper(p.arxiv): p.id for p in catalogue.papers.values() if p.arxiv}

    def done(paper: Paper) -> None:
        write_atomic(paper_path(args.content, paper.id), serialise(paper))

    summary = Summary()
    try:
        enrich(progress(papers, desc="enriching", unit="paper"), source, done, held, summary)
    except RunStopped as error:
        print(f"sitegen enrich: stopped: {error}{_hint(str(error), api_from(args))}; the papers "
              "enriched so far are written", file=sys.stderr)
    finally:
        print_summary(summary, args.verbose)
    return 1 if summary.failed else 0


def _hint(reason: str, api: str) -> str:
    """What to do when papers keep failing for `reason`."""
    if reason.endswith("UTC"):  # says when to run again already
        return ""
    if " HTTP 4" in reason and " HTTP 429" not in reason:
        return f" (hint: check --api or SITEGEN_ARXIV_API, now {api})"
    return " (hint: run again later; the papers that failed are asked again then)"


def print_summary(summary: Summary, verbose: bool) -> None:
    """Counts on stdout; each uncertain and failed paper, and each value left out (and with
    -v each found and not found) on its own line."""
    for name, lines in (("uncertain", summary.uncertain), ("failed", summary.failed),
                        ("left out", summary.left_out)):
        for line in lines:
            print(f"{name}: {line}", file=sys.stderr)
    if verbose:
        for line in summary.found:
            print(f"found: {line}")
        for paper_id in summary.not_found:
            print(f"not found: {paper_id}")
    print(f"papers asked about: {summary.asked()}\nfound: {len(summary.found)}\n"
          f"uncertain: {len(summary.uncertain)}\nnot found: {len(summary.not_found)}\n"
          f"failed: {len(summary.failed)}")
