"""`sitegen new`: add one paper from a title and an abstract, as ingest would have made it.

The new file gets what ingest gives a new dump entry (see sitegen/ingest/single.py):
text cleaned like dump text, a fresh id, the date, and the tool's proposals with
their `machine:` checksums, so that `sitegen classify` keeps relabelling the paper
until a person edits a label.

Before writing, the paper is compared with every paper of a similar title, as
`sitegen check` compares two files: the same paper is refused (unless
`--force`, which marks the new paper `distinct_from` it, so the catalogue stays
valid), a possible one is reported and written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sitegen.catalogue import match, yamlio
from sitegen.catalogue.contentfs import TEXT, ContentError, read_file
from sitegen.catalogue.paperchecks import Lines, check_dates
from sitegen.catalogue.provenance import propose_identity
from sitegen.catalogue.schema import load_document
from sitegen.catalogue.store import from_dict, paper_path, serialise
from sitegen.commands.common import load_valid, report, today
from sitegen.commands.enrich import source_from
from sitegen.core.model import Paper, Problem
from sitegen.core.text import arxiv_paper, clean, not_utf8
from sitegen.enrich.source import Record, ServiceError
from sitegen.ingest.dumpids import arxiv_id_of
from sitegen.ingest.dumps import max_lengths
from sitegen.ingest.single import paper_from_text, similar_papers
from sitegen.site.output import write_atomic

_YAML_SUFFIXES = (".yaml", ".yml")
_FIELDS = ("title", "abstract")


class InputError(Exception):
    """The title and abstract given cannot make a paper."""


def run(args: argparse.Namespace) -> int:
    """`sitegen new`: 0 when written (or printed), 1 when refused, 2 on unusable input."""
    try:
        arxiv = given_id(args)
        title, abstract = ("", "") if arxiv else read_input(args.title, args.abstract,
                                                            args.source)
    except InputError as error:
        print(f"sitegen new: {error}", file=sys.stderr)
        return 2
    date = today()
    catalogue = load_valid(args.content)
    if catalogue is None:
        return 1
    identity: dict[str, object] = {}
    if arxiv:
        record = fetch_record(args, arxiv, catalogue.papers)
        if record is None:
            return 1
        title, abstract, identity = record.title, record.abstract, record.identity()
    verdicts = similar_papers(title, abstract, catalogue.papers)
    same = [(pid, v) for pid, v in verdicts if v.decision == match.SAME]
    if same and not args.force:
        _refuse(args.content, same)
        return 1
    paper = paper_from_text(title, abstract, catalogue.papers, catalogue.taxonomy, date)
    paper.distinct_from = sorted(pid for pid, _ in same)
    propose_identity(paper, identity)
    return _write(args, paper, verdicts)


def given_id(args: argparse.Namespace) -> str:
    """The arXiv id of --arxiv (an id, or its arxiv.org or Hugging Face address), if given."""
    if args.arxiv is None:
        return ""
    if args.title is not None or args.abstract is not None or args.source is not None:
        raise InputError("give either --arxiv ID or a title and abstract, not both")
    arxiv = arxiv_id_of(args.arxiv.strip())
    if not arxiv:
        raise InputError(f"--arxiv {args.arxiv!r} is not an arXiv id such as 2401.12345 or "
                         "hep-th/9901001, nor its arxiv.org or huggingface.co/papers address")
    return arxiv


def fetch_record(args: argparse.Namespace, arxiv: str, papers: dict[str, Paper]) -> Record | None:
    """The arXiv API's record of a paper the catalogue does not hold yet, or None after
    saying why not."""
    held = sorted(pid for pid, paper in papers.items()
                  if paper.arxiv and arxiv_paper(paper.arxiv) == arxiv)
    if held:
        print(f"sitegen new: {paper_path(args.content, held[0])} already has arxiv "
              f"{arxiv}; nothing written", file=sys.stderr)
        return None
    try:
        records = [r for r in source_from(args).fetch([arxiv]) if r.arxiv == arxiv]
        if records:
            read_input(records[0].title, records[0].abstract, None)  # as a paper may hold
            if records[0].authors_left_out:
                raise InputError(f"{records[0].authors_left_out} (hint: give --title and "
                                 "--abstract instead, and write the authors in by hand)")
    except (ServiceError, InputError) as error:
        print(f"sitegen new: arXiv {arxiv}: {error}; nothing written", file=sys.stderr)
        return None
    if not records:
        print(f"sitegen new: arXiv has no paper {arxiv}; nothing written", file=sys.stderr)
        return None
    return records[0]


def _refuse(content: Path, same: list[tuple[str, match.Verdict]]) -> None:
    for pid, verdict in same:
        print(f"sitegen new: looks like the same paper as {paper_path(content, pid)} "
              f"({verdict.explain()})", file=sys.stderr)
    print("nothing written (hint: edit that file instead; if this is a different paper, "
          "run again with --force and it is marked `distinct_from` the other)",
          file=sys.stderr)


def _write(args: argparse.Namespace, paper: Paper,
           verdicts: list[tuple[str, match.Verdict]]) -> int:
    """Write (or print) the new paper's file, unless it is invalid or already exists."""
    path = paper_path(args.content, paper.id)
    data = serialise(paper)
    problems = _validate(data, path)
    if problems or path.exists():
        report(problems or [Problem(path.as_posix(), 0, "", "the file already exists")])
        print("nothing written", file=sys.stderr)
        return 1
    for pid, verdict in verdicts:
        _warn(args.content, paper.id, pid, verdict)
    if args.dry_run:
        sys.stdout.write(data.decode("utf-8"))
        _summary(f"would write {path}", paper, sys.stderr)
    else:
        write_atomic(path, data)
        _summary(f"wrote {path}", paper, sys.stdout)
    return 0


def read_input(title: str | None, abstract: str | None, source: Path | None) -> tuple[str, str]:
    """The cleaned title and abstract, from the options or from a file."""
    if source is not None:
        if title is not None or abstract is not None:
            raise InputError("give either --from FILE or --title and --abstract, not both")
        title, abstract = _read_file(source)
    if title is None or abstract is None:
        raise InputError("give --title and --abstract, or --from FILE")
    title, abstract = clean(title), clean(abstract)
    for name, value in (("title", title), ("abstract", abstract)):
        if not value:
            raise InputError(f"the {name} is empty (hint: give the paper's {name}, as its "
                             "listing or arXiv page shows it)")
        if len(value) > max_lengths()[name]:
            raise InputError(f"the {name} has {len(value):,} characters, more than the "
                             f"{max_lengths()[name]:,} a paper allows (hint: give the "
                             f"{name} alone, as the paper's listing shows it)")
    return title, abstract


def _bytes_of(source: Path) -> bytes:
    """The bytes of a regular file of at most 1 MiB, as content files are (a device such as
    /dev/zero, a folder or a huge file is refused before it is read)."""
    try:
        raw = read_file(source.parent, source.name, lambda _: str(source), TEXT)
    except ContentError as error:
        raise InputError(f"{source}: {error.problem.message} (hint: give --from a text or YAML "
                         "file of at most 1 MiB)") from None
    if raw is None:
        raise InputError(f"{source}: there is no such file (hint: check the path)")
    return raw


def _read_file(source: Path) -> tuple[str | None, str | None]:
    raw = _bytes_of(source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, message = not_utf8(raw, error)
        raise InputError(f"{source}:{line}: {message} (hint: save the file as UTF-8)") from None
    if source.suffix.lower() not in _YAML_SUFFIXES:
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 2:
            raise InputError(f"{source}: write the title on the first line and the abstract "
                             "below it")
        if lines[0].lower().startswith("title:"):
            raise InputError(f"{source}: holds YAML, but only a .yaml or .yml file is read as "
                             "YAML (hint: rename it to end in .yaml, or write the title alone "
                             "on the first line)")
        return lines[0], " ".join(lines[1:])
    try:
        data = yamlio.load(text).data
    except yamlio.YamlError as error:
        hint = f" (hint: {error.hint})" if error.hint else ""
        raise InputError(f"{source}:{error.line}: {error.message}{hint}") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: must be a mapping with `title:` and `abstract:`")
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise InputError(f"{source}: only title and abstract are read, not "
                         f"{', '.join(unknown)} (edit the written file for the rest)")
    values = []
    for name in _FIELDS:
        value = data.get(name)
        if not isinstance(value, str):
            raise InputError(f"{source}: {name}: " +
                             ("is missing" if value is None else "must be text"))
        values.append(str(value))
    return values[0], values[1]


def _validate(data: bytes, path: Path) -> list[Problem]:
    """What `sitegen check` would say about the file itself (an overlong title, say, or
    an `updated` before `published`)."""
    loaded, problems = load_document(data, "paper", path.as_posix())
    if loaded is None:
        return problems
    paper = from_dict(loaded.data)
    if serialise(paper) != data:  # never, or a bug
        problems.append(Problem(path.as_posix(), 1, "", "would not be in canonical form"))
    return problems + check_dates(paper, Lines(paper, loaded.lines), path.as_posix())


def _warn(content: Path, new_id: str, other_id: str, verdict: match.Verdict) -> None:
    where = paper_path(content, other_id)
    if verdict.decision == match.SAME:
        print(f"warning: looks like the same paper as {where} ({verdict.explain()}); "
              f"added anyway (--force) and marked distinct_from {other_id}", file=sys.stderr)
        return
    print(f"warning: may be the same paper as {where} ({verdict.explain()}) (hint: if it is, "
          f"list {new_id} under `same_as:` in {other_id}.yaml and run `sitegen ingest`; if not, "
          f"list {other_id} under `distinct_from:` in {new_id}.yaml)", file=sys.stderr)


def _summary(first: str, paper: Paper, stream) -> None:
    links = [f"{link.url} ({link.kind})" for link in paper.links]
    print(first, file=stream)
    if paper.arxiv:
        print(f"arxiv: {paper.arxiv}, by {', '.join(paper.authors) or '(no authors)'}, "
              f"{paper.published or '(no date)'}", file=stream)
    for name, values in (("topics", paper.topics), ("families", paper.families),
                         ("links", links)):
        print(f"{name}: {', '.join(values) if values else '(none)'}", file=stream)
