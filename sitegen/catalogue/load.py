"""The catalogue as loaded and validated: every paper and the taxonomy, or every problem."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.catalogue import contentfs, contenttree, match
from sitegen.catalogue.lookalikes import Judged, lookalikes
from sitegen.catalogue.names import unportable
from sitegen.catalogue.pages import load_pages
from sitegen.catalogue.paperchecks import (
    Lines,
    check_dates,
    check_labels,
    check_references,
    check_shared_sources,
)
from sitegen.catalogue.sameas import same_as_troubles
from sitegen.catalogue.schema import load_document
from sitegen.catalogue.store import papers_dir, parse_paper, read_paper
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.catalogue.yamlio import Loaded
from sitegen.core.model import Paper, Problem, SiteConfig
from sitegen.core.parallel import split_map
from sitegen.core.text import arxiv_paper

# What a catalogue without content/site.yaml calls itself.
DEFAULT_SITE = SiteConfig("LLM Papers", "A catalogue of large-language-model papers.")
# One paper file read: its paper (None if it has an error), its values' lines where they
# were found, and its problems. Reading every paper file: (path, name shown) -> read.
PaperRead = tuple[Paper | None, dict | None, list[Problem]]
ReadPapers = Callable[[list[tuple[Path, str]]], list[PaperRead]]


@dataclass
class Catalogue:
    root: Path
    taxonomy: Taxonomy | None
    papers: dict[str, Paper] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    site: SiteConfig = DEFAULT_SITE
    pages: dict[str, str] = field(default_factory=dict)  # name -> markdown, content/pages/*.md

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]


@dataclass(frozen=True)
class ValidCatalogue:
    """A catalogue that may be used: its taxonomy loaded, no error blocking (its warnings and
    the problems a command repairs stay in `problems`)."""

    root: Path
    taxonomy: Taxonomy
    papers: dict[str, Paper]
    problems: list[Problem]
    site: SiteConfig
    pages: dict[str, str]


def validated(catalogue: Catalogue, tolerated: tuple[str, ...] = ()) -> ValidCatalogue | None:
    """The catalogue as one that may be used, or None while an error blocks it (one whose
    code is not `tolerated`) or its taxonomy did not load."""
    if catalogue.taxonomy is None or blocking(catalogue, tolerated):
        return None
    return ValidCatalogue(catalogue.root, catalogue.taxonomy, catalogue.papers,
                          catalogue.problems, catalogue.site, catalogue.pages)


def blocking(catalogue: Catalogue, tolerated: tuple[str, ...] = ()) -> list[Problem]:
    """The errors that keep the catalogue from being used, but for the `tolerated` codes."""
    return [p for p in catalogue.errors if p.code not in tolerated]


Reader = Callable[[Path, str], tuple[Paper | None, Loaded | None, list[Problem]]]
# A check that needs every paper, given whether it may fork (see `split_map`); and a way
# to run one, which gives the problems known now.
Check = Callable[[bool], list[Problem]]
RunCheck = Callable[[Check], list[Problem]]
ReadTaxonomy = Callable[[Path, str], tuple[Taxonomy | None, list[Problem]]]


def load_catalogue(content: Path, parallel: bool = False, reader: Reader = read_paper,
                   read_papers: ReadPapers | None = None, read_taxonomy: ReadTaxonomy =
                   load_taxonomy, judged: Judged | None = None,
                   run_lookalikes: RunCheck | None = None) -> Catalogue:
    """Load and check all content; problems are collected, never raised. With `parallel`,
    a forked process reads half of the papers (see `split_map`). `reader` reads one paper
    file (one that knows some files already may skip them); `read_papers` reads them all
    instead (a cache: `site.papercache`), `read_taxonomy` the taxonomy; `judged` holds
    the look-alike verdicts judged before (see `lookalikes`). `run_lookalikes` runs the
    look-alike check, which needs every paper: now by default; a build may run it apart
    and add its problems later (`with_problems`)."""
    if not_content := not_a_content_folder(content):  # one problem, not one per file
        return Catalogue(content, None, problems=[not_content])
    shown = contentfs.shown_paths(content)
    taxonomy_file = shown(contenttree.TAXONOMY_FILE)
    taxonomy, problems = read_taxonomy(content / contenttree.TAXONOMY_FILE, taxonomy_file)
    catalogue = Catalogue(content, taxonomy, problems=problems)
    catalogue.problems += contenttree.strays(content, shown)
    catalogue.site = _load_site(content, shown, catalogue.problems)
    catalogue.pages = load_pages(content, shown, catalogue.problems)
    catalogue.problems += contenttree.unread_members(content, contenttree.DUMPS, shown)
    loaded: dict[str, tuple[Paper, Lines, str]] = {}
    reads = _paper_reads(content, shown, catalogue.problems, parallel, reader, read_papers)
    for path, where, (paper, lines, found) in reads:
        catalogue.problems += found
        if paper is not None:
            document = Lines(paper, lines)
            _check_identity(paper, path, document, where, loaded, catalogue.problems)
    catalogue.papers = {pid: item[0] for pid, item in sorted(loaded.items())}
    catalogue.problems += _check_papers(loaded, catalogue, taxonomy_file, shown("papers"))
    catalogue.problems += _check_same_as(loaded)
    check = functools.partial(_check_duplicates, loaded, judged=judged)
    catalogue.problems += run_lookalikes(check) if run_lookalikes else check(parallel)
    catalogue.problems += _check_shared_ids(loaded)
    catalogue.problems += check_shared_sources(loaded)
    return with_problems(catalogue, [])


def not_a_content_folder(content: Path) -> Problem | None:
    """Why `content` cannot be a catalogue's folder: it is missing, a file, or a folder with
    neither a taxonomy nor papers (the folder a command was run from, say)."""
    hint = "run from the project's root, where content/ is, or give --content DIR"
    if not content.exists():
        return Problem(str(content), 0, "", "the content folder does not exist", hint)
    if not content.is_dir():
        return Problem(str(content), 0, "", "is a file, not the content folder", hint)
    if not (content / contenttree.TAXONOMY_FILE).exists() and not (
            content / contenttree.PAPERS.name).exists():
        return Problem(str(content.absolute()), 0, "", "is not a content folder: it holds "
                       f"neither {contenttree.TAXONOMY_FILE} nor {contenttree.PAPERS.name}/",
                       hint)
    return None


def with_problems(catalogue: Catalogue, problems: list[Problem]) -> Catalogue:
    """The catalogue with these problems too, all in the order of their files' names and
    lines (that of every report)."""
    return dataclasses.replace(catalogue, problems=sorted(
        catalogue.problems + problems, key=lambda p: (p.path, p.line, p.field, p.message)))


def _check_papers(loaded: dict[str, tuple[Paper, Lines, str]], catalogue: Catalogue,
                  taxonomy_file: str, papers_shown: str) -> list[Problem]:
    """Each paper's labels (against the taxonomy, if it loaded), references and dates."""
    problems: list[Problem] = []
    for paper, document, where in loaded.values():
        if catalogue.taxonomy is not None:
            problems += check_labels(paper, document, where, catalogue.taxonomy,
                                     taxonomy_file)
        problems += check_references(paper, document, where, catalogue.papers, papers_shown)
        problems += check_dates(paper, document, where)
    return problems


def _paper_reads(content: Path, shown: Callable[[str], str], problems: list[Problem],
                 parallel: bool, reader: Reader, read_papers: ReadPapers | None,
                 ) -> list[tuple[Path, str, PaperRead]]:
    """Each paper file, the name it is shown by, and what reading it gave."""
    names, found = contenttree.members(content, contenttree.PAPERS, shown)
    problems += found
    folder = papers_dir(content)
    items = [(folder / name, shown(f"papers/{name}")) for name in names]
    read = read_papers(items) if read_papers else split_map(
        _read, [(path, where, reader) for path, where in items], parallel)
    return [(path, where, result) for (path, where), result in zip(items, read, strict=True)]


def _read(item: tuple[Path, str, Reader]) -> PaperRead:
    paper, loaded, problems = item[2](item[0], item[1])
    return paper, loaded.lines if loaded else None, problems


def parsed(text: bytes, shown: str) -> PaperRead:
    """What reading a paper file of these bytes gives (`_read`, once the file is read)."""
    paper, loaded, problems = parse_paper(text, shown)
    return paper, loaded.lines if loaded else None, problems


def _load_site(content: Path, shown: contentfs.Shown, problems: list[Problem]) -> SiteConfig:
    """Site settings; defaults where the file or a setting is absent."""
    try:
        text = contentfs.read_file(content, contenttree.SITE_FILE, shown)
    except contentfs.ContentError as error:
        problems.append(error.problem)
        return DEFAULT_SITE
    if text is None:
        return DEFAULT_SITE
    loaded, found = load_document(text, "site", shown(contenttree.SITE_FILE))
    problems += found
    return SiteConfig(**loaded.data) if loaded else DEFAULT_SITE


def misnamed(paper_id: str, stem: str, where: str, line: int, taken: bool) -> Problem:
    """The problem of a paper file whose name (`stem`.yaml) is not its id; renaming the file
    is no fix when another file has the name (`taken`: renaming would replace that paper) or
    no file may have it."""
    message = f"id {paper_id!r} does not match the file name"
    if taken or unportable(f"{paper_id}.yaml"):
        why = "another paper's file has its id's name" if taken else "no file may be named so"
        return Problem(where, line, "id", message,
                       f"ids never change: set id to {stem!r}, as the file is named ({why}); "
                       "a new paper gets a file of its own, named after its id")
    return Problem(where, line, "id", message,
                   f"ids never change: set id to {stem!r}, as the file is named, or rename "
                   f"the file to {paper_id}.yaml, whichever was changed")


def _check_identity(paper: Paper, path: Path, document: Lines, where: str,
                    loaded: dict, problems: list[Problem]) -> None:
    """Add the paper to `loaded` under its id, or report why it cannot have it. Of two
    files with one id, the one named after it holds it, whichever is read first: the other
    (a copy, or a file whose id was changed) is the one to fix."""
    owner = paper.id == path.stem
    if not owner:
        taken = path.with_name(f"{paper.id}{path.suffix}").exists()
        problems.append(misnamed(paper.id, path.stem, where, document.line_of(("id",)), taken))
    held = loaded.get(paper.id)
    if held is None or owner:
        loaded[paper.id] = (paper, document, where)
    if held is not None:
        _, copy, copy_where = held if owner else (paper, document, where)
        holder = where if owner else held[2]
        problems.append(Problem(copy_where, copy.line_of(("id",)), "id",
                                f"duplicate id {paper.id!r}",
                                f"{holder} already uses it; give each paper its own id"))


def _check_same_as(loaded: dict[str, tuple[Paper, Lines, str]]) -> list[Problem]:
    """The `same_as` graph as a whole: cycles, chains, self-references and the like."""
    troubles = same_as_troubles({pid: item[0] for pid, item in loaded.items()})
    problems = []
    for trouble in troubles:
        _, document, where = loaded[trouble.paper]
        field = f"same_as[{trouble.index}]"
        problems.append(Problem(where, document.line_of(("same_as", trouble.index)), field,
                                trouble.message, trouble.hint, code=trouble.code))
    return problems


def _check_duplicates(loaded: dict[str, tuple[Paper, Lines, str]], parallel: bool = False,
                      judged: Judged | None = None) -> list[Problem]:
    """Two files that hold the same paper, unless a person said they differ."""
    items = list(loaded.values())
    problems = []
    for i, j, found in lookalikes([paper for paper, _, _ in items], parallel, judged):
        (first, _, _), (second, document, where) = items[i], items[j]
        if found.decision == match.DIFFERENT:
            continue
        problems.append(Problem(
            where, document.line_of(("title",)), "title",
            f"looks like the same paper as {first.id!r} ({found.explain()})",
            f"if it is, list {second.id} under `same_as:` in {first.id}.yaml and run "
            f"`sitegen ingest`; if not, list {first.id} under `distinct_from:` here",
            warning=found.decision == match.UNSURE))
    return problems


def _check_shared_ids(loaded: dict[str, tuple[Paper, Lines, str]]) -> list[Problem]:
    """A warning for each paper whose arXiv id (any version) an earlier file already has:
    one arXiv id is one paper, so it is a duplicate or one of the ids is wrong."""
    first: dict[str, str] = {}
    problems = []
    for pid, (paper, document, where) in loaded.items():
        holder = first.setdefault(arxiv_paper(paper.arxiv), pid) if paper.arxiv else pid
        if holder != pid:
            problems.append(Problem(
                where, document.line_of(("arxiv",)), "arxiv",
                f"{paper.arxiv!r} is also the arXiv id of {holder!r}: likely the same paper",
                f"if it is, list {pid} under `same_as:` in {holder}.yaml and run `sitegen "
                f"ingest`; if not, correct the id that is wrong", warning=True))
    return problems
