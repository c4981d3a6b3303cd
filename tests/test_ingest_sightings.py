"""A dump entry a paper was seen at stays that paper's on every later ingest: after a person
folded its copy into the paper (`same_as`), rewrote the paper's abstract, or both, and when
the listing is scraped again with its entries on other lines."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, run, snapshot

from sitegen.catalogue.provenance import sighting_checksum

TITLE = "On the Calibration of Large Language Models"
FULL = ("Large language models have demonstrated remarkable capabilities across a wide range "
        "of tasks, but their confidence is often poorly aligned with their accuracy. In this "
        "work we measure the calibration of twelve open models on question answering, "
        "summarization and code generation, and we show that instruction tuning makes "
        "calibration markedly worse. We then propose a simple post-hoc method based on "
        "temperature scaling of the verbalized confidence, which reduces the expected "
        "calibration error by half without hurting accuracy. Finally we release a benchmark "
        "of 40,000 questions with human-verified answers.")
REWORDED = ("Confidence of large language models is often misaligned with accuracy. Measuring "
            "twelve open models across QA, summarization and code, we find instruction tuning "
            "worsens calibration; verbalized-confidence temperature scaling halves calibration "
            "error. A 40,000-question benchmark is released.")
KEEP, COPY = "on-the-calibration-of-large-language-models", \
    "on-the-calibration-of-large-language-models-2"
LISTING = [
    ("AlphaWidget: Training Language Models with Widgets",
     "We introduce AlphaWidget, a method for training language models with widgets. "
     "Experiments on five benchmarks show gains of ten points over strong baselines."),
    ("BetaChunk: Overlapping Chunks for Long Documents",
     "Large language models struggle with long documents. We propose BetaChunk, which splits "
     "inputs into overlapping chunks and merges their representations."),
]
ON_TOP = ("DeltaNet: A New Paper at the Top",
          "We present DeltaNet, a new architecture for sequence modelling with linear attention.")
ALPHA = "alphawidget-training-language-models-with-widgets"


def ingest(content: Path) -> None:
    assert run("ingest", "--content", str(content)) == 0


def papers(content: Path) -> list[str]:
    return sorted(p.stem for p in (content / "papers").glob("*.yaml"))


def path(content: Path, paper_id: str) -> Path:
    return content / "papers" / f"{paper_id}.yaml"


def load(content: Path, paper_id: str) -> dict:
    return yaml.safe_load(path(content, paper_id).read_text("utf-8"))


def only_dumps(content: Path, **dumps: list[tuple[str, str]]) -> None:
    for fixture in (content / "dumps").iterdir():
        fixture.unlink()
    for name, entries in dumps.items():
        write_dump(content, f"{name}.txt", entries)


def write_dump(content: Path, name: str, entries: list[tuple[str, str]]) -> None:
    text = "".join(f"{title}\n{abstract}\n" for title, abstract in entries)
    (content / "dumps" / name).write_text(text, "utf-8")


def fold_the_copy(content: Path) -> None:
    kept = path(content, KEEP)
    kept.write_text(kept.read_text("utf-8").replace("machine:", f"same_as:\n- {COPY}\nmachine:"))


def test_ingest_records_the_checksum_of_the_entry_it_saw(content):
    only_dumps(content, a=[(TITLE, FULL)])
    ingest(content)
    assert load(content, KEEP)["sources"] == [
        {"dump": "a.txt", "line": 1, "title": TITLE, "checksum": sighting_checksum(TITLE, FULL)}]


def test_a_copy_folded_by_same_as_is_never_made_again_from_its_entry(content, capsys):
    only_dumps(content, a=[(TITLE, FULL)], b=[(TITLE, REWORDED)])
    ingest(content)
    assert "new papers: 2\nmerged: 0\nuncertain pairs: 1\n" in capsys.readouterr().out
    fold_the_copy(content)
    ingest(content)
    assert "new papers: 0\nmerged: 1\nuncertain pairs: 0\n" in capsys.readouterr().out
    assert papers(content) == [KEEP]
    paper = load(content, KEEP)
    assert paper["abstract"] == FULL and paper["same_as"] == [COPY]
    assert [(s["dump"], s["line"]) for s in paper["sources"]] == [("a.txt", 1), ("b.txt", 1)]
    before = snapshot(content / "papers")
    for _ in range(2):
        ingest(content)
        assert "new papers: 0\nmerged: 0\nuncertain pairs: 0\n" in capsys.readouterr().out
        assert snapshot(content / "papers") == before
    assert run("check", "--content", str(content)) == 0


def test_a_copy_folded_from_sightings_recorded_without_checksums_stays_folded(content, capsys):
    """Papers written before sightings kept a checksum: the place and the title are enough
    in a paper a person folded copies into."""
    only_dumps(content, a=[(TITLE, FULL)], b=[(TITLE, REWORDED)])
    ingest(content)
    for paper_id in (KEEP, COPY):
        lines = path(content, paper_id).read_text("utf-8").splitlines(keepends=True)
        path(content, paper_id).write_text(
            "".join(line for line in lines if not line.startswith("  checksum:")), "utf-8")
    fold_the_copy(content)
    ingest(content)
    before = snapshot(content / "papers")
    capsys.readouterr()
    ingest(content)
    assert "new papers: 0\nmerged: 0\nuncertain pairs: 0\n" in capsys.readouterr().out
    assert papers(content) == [KEEP] and snapshot(content / "papers") == before


def test_a_rewritten_abstract_keeps_its_entry_when_the_listing_moves_down(content, capsys):
    """The listing scraped again, a new paper on top, saved under the same name: every
    entry is on another line, and the one whose abstract a person rewrote is still theirs.
    Each paper's sighting moves to its entry's new line; nothing else changes."""
    only_dumps(content, page=LISTING)
    ingest(content)
    rewritten = "AlphaWidget attaches small trainable widgets to each layer of a model."
    text = path(content, ALPHA).read_text("utf-8")
    path(content, ALPHA).write_text("\n".join(
        f"abstract: {rewritten}" if line.startswith("abstract:") else line
        for line in text.splitlines()) + "\n", "utf-8")
    ingest(content)
    before = snapshot(content / "papers")
    write_dump(content, "page.txt", [ON_TOP, *LISTING])
    capsys.readouterr()
    ingest(content)
    assert "new papers: 1\nmerged: 0\nuncertain pairs: 0\n" in capsys.readouterr().out
    assert papers(content) == [ALPHA, "betachunk-overlapping-chunks-for-long-documents",
                               "deltanet-a-new-paper-at-the-top"]
    after = snapshot(content / "papers")
    assert {name: _lines_moved(after[name], 2) for name in before} == {
        name: _lines_moved(text, 0) for name, text in before.items()}
    assert load(content, ALPHA)["abstract"] == rewritten
    assert [s["line"] for s in load(content, ALPHA)["sources"]] == [3]  # was 1


def _lines_moved(text: bytes, moved: int) -> bytes:
    """A paper file as it was before its sightings' lines moved down by `moved`."""
    return re.sub(rb"(?m)^  line: (\d+)$", lambda m: b"  line: %d" % (int(m[1]) - moved), text)


def test_a_folded_copy_keeps_its_entry_when_its_listing_moves_down(content, capsys):
    only_dumps(content, a=[(TITLE, FULL)], b=[(TITLE, REWORDED)])
    ingest(content)
    fold_the_copy(content)
    ingest(content)
    before = snapshot(content / "papers")
    write_dump(content, "b.txt", [ON_TOP, (TITLE, REWORDED)])
    capsys.readouterr()
    ingest(content)
    assert "new papers: 1\nmerged: 0\nuncertain pairs: 0\n" in capsys.readouterr().out
    assert papers(content) == ["deltanet-a-new-paper-at-the-top", KEEP]
    kept = yaml.safe_load(snapshot(content / "papers")[f"{KEEP}.yaml"])
    assert [(s["dump"], s["line"]) for s in kept["sources"]] == [("a.txt", 1), ("b.txt", 3)]
    assert {**kept, "sources": None} == {**yaml.safe_load(before[f"{KEEP}.yaml"]),
                                         "sources": None}  # nothing else changed


def test_another_abstract_under_the_title_is_still_another_paper(content, capsys):
    """Only the entry recorded is found again: a dump replaced under its name, holding
    another text under the paper's title on another line, is matched afresh and kept
    apart for a person."""
    only_dumps(content, a=[(TITLE, FULL)])
    ingest(content)
    write_dump(content, "a.txt", [ON_TOP, (TITLE, REWORDED)])
    capsys.readouterr()
    ingest(content)
    assert "new papers: 2\nmerged: 0\nuncertain pairs: 1\n" in capsys.readouterr().out
    assert load(content, COPY)["abstract"] == REWORDED
    assert load(content, KEEP)["abstract"] == FULL


def sightings(content: Path) -> dict[str, list[tuple[str, int, str]]]:
    return {p.stem: [(s["dump"], s["line"], s.get("checksum", "")) for s in yaml.safe_load(
        p.read_text("utf-8"))["sources"]] for p in (content / "papers").glob("*.yaml")}


@pytest.mark.parametrize(("before", "after"), [
    ("ABA", "XABA"), ("ABA", "XAB"), ("AA", "XAA"), ("AB", "XABA"), ("AXB", "BA"),
    ("AA", "XBAA"), ("ABAB", "XXBABA")])
def test_a_listing_scraped_again_records_each_text_where_it_stands_now(tmp_path, before,
                                                                       after):
    """Texts seen twice in a listing too: each sighting of a text moves to the line its
    occurrence stands on now, in order; one more occurrence is one more sighting, one fewer
    drops one. The papers' sightings are those an ingest of the new listing alone records."""
    papers = {"A": LISTING[0], "B": LISTING[1], "X": ON_TOP}
    incremental, alone = tmp_path / "incremental", tmp_path / "alone"
    for content in (incremental, alone):
        shutil.copytree(FIXTURES / "site", content)
        only_dumps(content)
    write_dump(incremental, "page.txt", [papers[k] for k in before])
    ingest(incremental)
    for content in (incremental, alone):
        write_dump(content, "page.txt", [papers[k] for k in after])
        ingest(content)
    now = sightings(alone)  # (a paper the new listing no longer shows keeps its own)
    assert {paper: found for paper, found in sightings(incremental).items()
            if paper in now} == now
