"""What the last ingest left, so that an ingest with nothing new redoes nothing.

Kept beside the content folder, as `.NAME.ingest.sitegen.json` (never inside it: `sitegen
check` refuses what does not belong there), in JSON, which loading cannot turn into code.
Each part counts only while what it was made from is unchanged:

- `code`: a digest of the package's code and of the taxonomy file. Labels and every
  proposal depend on nothing else; a memo made by other code or rules is not used at all.
- `tree`: the state (size, inode, modification and change times) of every entry under the
  content folder when the last ingest finished, and the catalogue as loading it gave:
  while every state is the same, loading again would give the same papers and problems.
- `files`: each paper file's state as that ingest left it: a paper whose file still has
  it is settled, as an ingest under these rules leaves it (see `merge.ingest`).
- `labels`: the labels proposed for a title and abstract, by their digest.
- `reviewed`: a digest of the papers whose topics a person decided, which teach the topics
  proposed to the others (`neighbours`): while it differs, no paper is settled and no
  labels are known.
- `dumps`: each dump's entries and problems, by the dump file's state.
- `texts`: in the file, the titles and abstracts of the entries' and papers' rows, each
  once (see `memotexts`).

A file's state changes with every write, even one that puts back the same bytes, and an
inode with its change time cannot be set back by any copying tool: an unchanged state is an
unchanged file. The reverse is not needed: a state that changed only costs the work.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import typing
from pathlib import Path
from typing import Any

from sitegen.catalogue.contenttree import PAPERS
from sitegen.catalogue.load import Catalogue, PaperRead, Reader, ReadPapers
from sitegen.catalogue.store import read_paper
from sitegen.catalogue.yamlio import Loaded
from sitegen.core.jsonbytes import json_bytes, json_value
from sitegen.core.model import Entry, Paper, Problem, SiteConfig
from sitegen.core.parallel import no_cycle_collection
from sitegen.ingest.classify import Labels
from sitegen.ingest.memotexts import texts_apart, texts_in_place

FORMAT = 2  # 2: titles and abstracts in a table of their own (`memotexts`)
State = list[int]  # size, inode, modification and change time in ns
CODE = Path(__file__).resolve().parent.parent  # the sitegen package


def memo_path(content: Path) -> Path:
    content = content.resolve()
    return content.parent / f".{content.name}.ingest.sitegen.json"


def state(status: os.stat_result) -> State:
    return [status.st_size, status.st_ino, status.st_mtime_ns, status.st_ctime_ns]


def file_state(path: Path) -> State | None:
    try:
        return state(os.stat(path, follow_symlinks=False))
    except OSError:
        return None


def tree_states(folder: Path) -> dict[str, State]:
    """Every entry under a folder (links and folders as themselves), by relative path."""
    found: dict[str, State] = {}
    waiting = [""]
    while waiting:
        relative = waiting.pop()
        try:
            entries = list(os.scandir(folder / relative))
        except OSError:
            continue
        for entry in entries:
            name = f"{relative}{entry.name}"
            try:
                found[name] = state(entry.stat(follow_symlinks=False))
            except OSError:  # removed while listed
                found[name] = []
            if entry.is_dir(follow_symlinks=False):
                waiting.append(f"{name}/")
    return found


def digest(*parts: object) -> str:
    """(By orjson: the states of 50,000 paper files took 0.2 s by `json.dumps`.)"""
    return hashlib.blake2b(json_bytes(parts), digest_size=16).hexdigest()


def text_digest(title: str, abstract: str) -> str:
    """The key of a paper's labels: its title and abstract, nothing else (the title's length
    first tells where it ends; as JSON, as `digest` writes them, it took four times longer,
    asked twice a paper)."""
    data = f"{len(title)}:{title}{abstract}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def code_digest(taxonomy_file: Path) -> str:
    """The package's code and schemas, and the taxonomy file's bytes."""
    hashed = hashlib.blake2b(digest_size=16)
    files = [p for p in CODE.rglob("*") if p.suffix in (".py", ".json") and p.is_file()]
    for path in sorted(files):
        hashed.update(f"{path.relative_to(CODE)}\0".encode())
        hashed.update(path.read_bytes())
    try:
        hashed.update(taxonomy_file.read_bytes())
    except OSError:
        hashed.update(b"\0no taxonomy")
    return hashed.hexdigest()


def snapshot(content: Path, code: str) -> tuple[str, dict[str, State]]:
    """The digest of everything loading the catalogue reads (and of how it names the files
    it reports), and the state of each paper file, by paper id."""
    states = tree_states(content)
    folder = f"{PAPERS.name}/"
    papers = {name[len(folder):].removesuffix(PAPERS.suffix): status
              for name, status in states.items() if name.startswith(folder)}
    return digest(code, str(content), os.getcwd(), sorted(states.items())), papers


@functools.cache
def _nested(cls: Any) -> dict[str, Any]:
    """The fields of a dataclass that hold lists of another dataclass (a paper's links)."""
    hints = typing.get_type_hints(cls)
    return {f.name: arg for f in dataclasses.fields(cls)
            for arg in typing.get_args(hints[f.name]) if dataclasses.is_dataclass(arg)}


def row(item: Any) -> list:
    """A dataclass as the list of its field values, nested ones as lists too."""
    nested: dict[str, Any] = _nested(item.__class__)
    return [[list(vars(x).values()) for x in value] if name in nested else value
            for name, value in vars(item).items()]


@functools.cache
def _shape(cls: Any) -> tuple[int, tuple[tuple[int, Any], ...]]:
    """How many fields a dataclass has, and where those `_nested` holds are, with their
    class (looked up once: a memo holds 100,000 rows at 50,000 papers)."""
    names, nested = [f.name for f in dataclasses.fields(cls)], _nested(cls)
    return len(names), tuple((k, nested[name]) for k, name in enumerate(names)
                             if name in nested)


def from_row(cls: Any, values: list) -> Any:
    """The dataclass a `row` was made of."""
    size, nested = _shape(cls)
    if len(values) != size:
        raise ValueError(f"a row of {len(values)} values for {size} fields")
    if nested:
        values = list(values)
        for k, inner in nested:
            values[k] = [inner(*x) for x in values[k]]
    return cls(*values)


def read_memo(content: Path, code: str) -> dict[str, Any]:
    """The memo made under this code and taxonomy, or an empty one."""
    try:
        with no_cycle_collection():
            memo = json_value(memo_path(content).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(memo, dict) or memo.get("format") != FORMAT or memo.get("code") != code:
        return {}
    try:
        return texts_in_place(memo)
    except ValueError:
        return {}


def memo_bytes(memo: dict[str, Any]) -> bytes:
    """The memo as its file holds it (written at `memo_path` by the one writer, which
    replaces it in one step and removes what a killed run left beside it)."""
    return json_bytes({**texts_apart(memo), "format": FORMAT})


def saved_catalogue(memo: dict[str, Any]) -> Catalogue | None:
    """The catalogue as loaded when the tree was last in the memo's state (`tree`), taxonomy
    not included."""
    saved = memo.get("catalogue")
    if not saved:
        return None
    with no_cycle_collection():
        papers = {p.id: p for p in (from_row(Paper, r) for r in saved["papers"])}
        return Catalogue(Path(saved["root"]), None, papers,
                         [from_row(Problem, r) for r in saved["problems"]],
                         SiteConfig(**saved["site"]), saved["pages"])


def catalogue_part(catalogue: Catalogue, rows: dict[str, list] | None = None) -> dict[str, Any]:
    """The catalogue as the memo keeps it (`rows`: papers' rows already made, by id)."""
    rows = rows or {}
    return {"root": str(catalogue.root),
            "papers": [rows.get(pid) or row(p) for pid, p in catalogue.papers.items()],
            "problems": [row(p) for p in catalogue.problems],
            "site": dataclasses.asdict(catalogue.site), "pages": catalogue.pages}


def known_labels(memo: dict[str, Any]) -> dict[str, Labels]:
    with no_cycle_collection():
        return {key: Labels(*value) for key, value in memo.get("labels", {}).items()}


def labels_part(labels: dict[str, Labels]) -> dict[str, list]:
    return {key: [value.topics, value.families, value.evidence] for key, value in labels.items()}


def settled(memo: dict[str, Any], states: dict[str, State]) -> set[str]:
    """The papers whose files are as the last ingest left them (`states`: as they are)."""
    files = memo.get("files", {})
    return {paper_id for paper_id, status in states.items() if files.get(paper_id) == status}


def saved_dump(saved: dict[str, Any] | None,
               status: State | None) -> tuple[list[Entry], list[Problem]] | None:
    """A dump's entries and problems as the memo saved them, if its file is still in that
    state."""
    if not saved or saved["state"] != status:
        return None
    with no_cycle_collection():
        return ([from_row(Entry, r) for r in saved["entries"]],
                [from_row(Problem, r) for r in saved["problems"]])


def dump_part(status: State | None, entries: list[Entry],
              problems: list[Problem]) -> dict[str, Any] | None:
    if status is None:
        return None
    return {"state": status, "entries": [row(e) for e in entries],
            "problems": [row(p) for p in problems]}


def reader(memo: dict[str, Any], papers: dict[str, Paper] | None = None) -> Reader:
    """Reads a paper file as `read_paper` does, but a file the memo knows in its state from
    the memo's paper (the file holds that paper's canonical form), or from `papers`, the
    papers the memo's rows were made of, when given."""
    files = memo.get("files", {})
    rows = {values[0]: values for values in memo.get("catalogue", {}).get("papers", [])}
    made = papers or {}

    def read(path: Path, shown: str) -> tuple[Paper | None, Loaded | None, list[Problem]]:
        paper_id = path.name.removesuffix(PAPERS.suffix)
        if paper_id in rows and files.get(paper_id) == file_state(path):
            return made.get(paper_id) or from_row(Paper, rows[paper_id]), None, []
        return read_paper(path, shown)

    return read


def read_here(memo: dict[str, Any], papers: dict[str, Paper]) -> ReadPapers:
    """Reads every paper file as `reader(memo, papers)` does, all in this process (the papers
    are in its memory, and a second process would only send them back through a pipe), for
    a memo whose file states were taken just now (`snapshot`): a file it names is taken as
    in that state without a second look (`stat` of 50,000 files: 0.15-0.2 s). The memo
    keeps the tree of that snapshot, so a file saved since is read again next time."""
    files = memo.get("files", {})

    def read(path: Path, shown: str) -> tuple[Paper | None, Loaded | None, list[Problem]]:
        paper_id = path.name.removesuffix(PAPERS.suffix)
        if paper_id in files and paper_id in papers:
            return papers[paper_id], None, []
        return read_paper(path, shown)

    def read_all(items: list[tuple[Path, str]]) -> list[PaperRead]:
        return [(paper, loaded.lines if loaded else None, problems)
                for paper, loaded, problems in (read(path, shown) for path, shown in items)]

    return read_all
