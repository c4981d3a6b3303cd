"""What the last ingest left spares an ingest the work whose inputs did not change: the
files it writes must be those that ingesting without it writes, byte for byte, whatever
changed in between (the plain path: every file parsed, every paper labelled by running
every pattern, every proposal made again)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run, snapshot
from test_prefilter import plain

from bench.corpusdumps import write_dumps
from bench.make_corpus import base_papers, generate
from sitegen.catalogue.contenttree import find_dumps
from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.store import serialise
from sitegen.commands.common import today
from sitegen.core.tempnames import prefix_for
from sitegen.ingest.dumps import read_dump
from sitegen.ingest.memo import FORMAT, memo_bytes, memo_path, read_memo, text_digest
from sitegen.ingest.memotexts import TEXTS
from sitegen.ingest.merge import ingest
from sitegen.ingest.neighbours import reviewed

SHIPPED = ROOT / "content"
CLONES = 300  # papers past the shipped ones, so that every entry is a new text


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> Path:
    """Three dumps of generated papers in both layouts, and a fourth that lists the first
    fifty again (merged into the papers the first dump made)."""
    base = base_papers(SHIPPED)
    clones = list(generate(base, len(base) + CLONES))[len(base):]
    folder = tmp_path_factory.mktemp("dumps")
    write_dumps(clones, folder, per_dump=100)
    shutil.copy(folder / "000_flat.txt", folder / "003_again.txt")
    return folder


@pytest.fixture
def generated(tmp_path: Path, dumps: Path) -> Path:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(SHIPPED / "taxonomy.yaml", content / "taxonomy.yaml")
    shutil.copytree(dumps, content / "dumps")
    return content


def plain_ingest(content: Path) -> dict[str, bytes]:
    """The files ingest writes when it keeps nothing between runs and runs every pattern."""
    catalogue = load_catalogue(content)
    assert catalogue.taxonomy is not None and not catalogue.errors
    entries = [e for path in find_dumps(content / "dumps") for e in read_dump(path)[0]]
    papers, _ = ingest(catalogue.papers, entries, plain(catalogue.taxonomy), today(),
                       reviewed=reviewed(catalogue.papers.values()))
    return {f"{paper_id}.yaml": serialise(paper) for paper_id, paper in papers.items()}


def ingested(content: Path, capsys) -> tuple[dict[str, bytes], str]:
    assert run("ingest", "--content", str(content)) == 0
    return snapshot(content / "papers"), capsys.readouterr().out


def written_times(content: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (content / "papers").iterdir()}


def test_an_ingest_writes_what_the_plain_path_writes(generated, capsys):
    """... and its memo, in one step, removing what a run killed while writing it left."""
    left = memo_path(generated).with_name(prefix_for(memo_path(generated).name) + "k2j4h5g6.tmp")
    left.write_bytes(b'{"half": ')
    expected = plain_ingest(generated)
    files, out = ingested(generated, capsys)
    assert files == expected
    assert f"entries: {CLONES + 100}\nnew papers: {CLONES}\nmerged: 100\n" in out
    assert memo_path(generated).is_file() and not left.exists()


def test_ingesting_again_gives_the_same_bytes_and_rewrites_nothing(generated, capsys):
    first, _ = ingested(generated, capsys)
    times = written_times(generated)
    memo = memo_path(generated).stat().st_mtime_ns
    again, out = ingested(generated, capsys)
    assert again == first
    assert written_times(generated) == times
    assert memo_path(generated).stat().st_mtime_ns == memo  # nothing new to remember
    assert "new papers: 0\nmerged: 0\n" in out


def decide_survey(path: Path) -> None:
    """A person's edit of a paper file: its topics are now just `survey`."""
    text = path.read_text("utf-8")
    topics = text[text.index("topics:\n"):text.index("families:")]
    path.write_text(text.replace(topics, "topics:\n- survey\n"), "utf-8")


def test_a_persons_edit_after_an_ingest_is_taken_over_as_without_the_memo(generated, capsys):
    first, _ = ingested(generated, capsys)
    name = next(n for n, data in sorted(first.items()) if b"- survey\n" not in data)
    decide_survey(generated / "papers" / name)
    expected = plain_ingest(generated)
    files, _ = ingested(generated, capsys)
    assert files == expected
    assert yaml.safe_load(files[name])["human"] == ["topics"]


def test_topics_people_decide_teach_the_other_papers_as_without_the_memo(generated, capsys):
    """Deciding the topics of some papers changes what is proposed for papers like them:
    the memo's labels, made before, are not taken."""
    first, _ = ingested(generated, capsys)
    for name in sorted(first)[:40]:
        decide_survey(generated / "papers" / name)
    expected = plain_ingest(generated)
    files, _ = ingested(generated, capsys)
    assert files == expected
    taught = [name for name in sorted(first)[40:]
              if yaml.safe_load(files[name])["topics"] != yaml.safe_load(first[name])["topics"]]
    assert taught


def test_a_taxonomy_edit_labels_every_paper_again_as_without_the_memo(generated, capsys):
    ingested(generated, capsys)
    taxonomy = generated / "taxonomy.yaml"
    text = taxonomy.read_text("utf-8")
    taxonomy.write_text(text.replace("    strong:\n", "    strong:\n      - \\bmodels?\\b\n", 1),
                        "utf-8")
    expected = plain_ingest(generated)
    files, _ = ingested(generated, capsys)
    assert files == expected


def test_a_changed_dump_is_read_again(generated, capsys):
    ingested(generated, capsys)
    dump = generated / "dumps" / "001_spaced.txt"
    text = dump.read_text("utf-8")
    dump.write_text(text + "\nA Paper Seen Only Now\n\nIts abstract says so. It has two "
                           "sentences.\n", "utf-8")
    expected = plain_ingest(generated)
    files, out = ingested(generated, capsys)
    assert files == expected
    assert "new papers: 1\n" in out


def test_a_longer_abstract_in_a_dump_changes_a_settled_paper_as_without_the_memo(generated,
                                                                                  capsys):
    dump = generated / "dumps" / "001_spaced.txt"
    whole = dump.read_text("utf-8")
    lines = whole.split("\n")
    at = next(k for k, line in enumerate(lines) if len(line) > 300)  # the first abstract
    lines[at] = lines[at][:200] + "..."  # as a listing cuts an abstract short
    dump.write_text("\n".join(lines), "utf-8")
    first, _ = ingested(generated, capsys)
    dump.write_text(whole, "utf-8")  # and then the whole of it
    expected = plain_ingest(generated)
    files, out = ingested(generated, capsys)
    assert files == expected
    assert "new papers: 0\n" in out
    assert sum(files[name] != first[name] for name in first) == 1


@pytest.mark.parametrize("text", ["Llama 2 — 7B, «quoted»",
                                  "a lone surrogate \ud800 escaped in YAML"])
def test_the_memo_keeps_every_text_a_catalogue_can_hold(tmp_path: Path, text: str):
    content = tmp_path / "content"
    content.mkdir()
    entry = ["000_flat.txt", 3, text, f"{text}.", ""]
    memo = {"code": "c", "labels": {"k": [[text], [], {}]},
            "dumps": {"000_flat.txt": {"state": [1, 2, 3, 4], "entries": [entry], "problems": []}}}
    memo_path(content).write_bytes(memo_bytes(memo))
    assert read_memo(content, "c") == {**memo, "format": FORMAT}
    assert read_memo(content, "another code") == {}


def test_the_memo_file_holds_each_title_and_abstract_once(generated, capsys):
    """A dump's entry and the paper made from it hold one title and abstract: the file
    holds them once, in a table, where the rows hold their places in it."""
    ingested(generated, capsys)
    raw = json.loads(memo_path(generated).read_bytes())
    table = raw[TEXTS]
    assert len(table) == len(set(table)) >= 2 * CLONES
    entries = [row for part in raw["dumps"].values() for row in part["entries"]]
    places = [row[k] for row in raw["catalogue"]["papers"] for k in (1, 2)] + [
        row[k] for row in entries for k in (2, 3)]  # a paper's title and abstract, an entry's
    assert len(places) > 4 * CLONES and all(isinstance(place, int) for place in places)
    kept = read_memo(generated, raw["code"])
    dump = generated / "dumps" / "000_flat.txt"
    assert [row[2:4] for row in kept["dumps"][str(dump)]["entries"]] == [
        [entry.title, entry.abstract] for entry in read_dump(dump)[0]]


@pytest.mark.parametrize("spoil", [
    lambda raw: raw.pop(TEXTS),
    lambda raw: raw["catalogue"]["papers"][0].__setitem__(1, len(raw[TEXTS])),
    lambda raw: raw["catalogue"]["papers"][0].__setitem__(2, "a text, not its place"),
    lambda raw: next(iter(raw["dumps"].values()))["entries"][0].__setitem__(3, -1),
], ids=["no table", "past the table", "a text", "a negative place"])
def test_a_memo_whose_rows_do_not_refer_to_its_table_is_not_used(generated, capsys, spoil):
    ingested(generated, capsys)
    raw = json.loads(memo_path(generated).read_bytes())
    assert read_memo(generated, raw["code"])
    spoil(raw)
    memo_path(generated).write_text(json.dumps(raw), "utf-8")
    assert read_memo(generated, raw["code"]) == {}


def test_labels_are_kept_by_the_title_and_abstract_each_whole():
    """Moving words from the title to the abstract makes another text, and another key."""
    assert text_digest("LoRA", "Low-rank adapters.") == text_digest("LoRA", "Low-rank adapters.")
    assert text_digest("LoRA: Low-rank", " adapters") != text_digest("LoRA:", " Low-rank adapters")
    assert text_digest("a1", "") != text_digest("a", "1")  # the same characters, cut elsewhere
    assert text_digest("\ud800", "") != text_digest("", "\ud800")  # lone surrogates too
