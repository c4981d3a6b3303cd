"""The papers' export lines a build keeps beside its output: taken again for a paper
with the same fields and citation key, made again otherwise, ignored when their file
does not read back whole, and a build taking them writes the exports a cold build does."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from conftest import ROOT
from test_related import SHIPPED
from test_searchmemo import SPOILT

from sitegen.catalogue.store import read_paper, serialise
from sitegen.site import exportmemo
from sitegen.site.build import build
from sitegen.site.export import export_files, paper_lines
from sitegen.site.exportmemo import EXPORT_LINES, ExportMemo
from sitegen.site.paperpages import paper_digest
from sitegen.site.uptodate import record_folder

FIXTURE = ROOT / "tests" / "fixtures" / "site"
PAPERS = list(SHIPPED.papers.values())[:200]


def lines(memo: ExportMemo):
    """The memo's lines as a build asks for them, by each paper's digest."""
    return lambda paper, key: memo.lines(paper, key, paper_digest(paper))


def made_lines(monkeypatch) -> list[str]:
    """The ids of the papers whose lines are made from here on (not taken from a memo)."""
    made: list[str] = []
    monkeypatch.setattr(exportmemo, "paper_lines",
                        lambda paper, key: made.append(paper.id) or paper_lines(paper, key))
    return made


def test_kept_lines_are_taken_again_for_the_same_paper_and_citation_key(tmp_path, monkeypatch):
    first = ExportMemo(tmp_path)
    files = dict(export_files(PAPERS, lines(first)))
    first.save()
    made = made_lines(monkeypatch)
    edited = dataclasses.replace(PAPERS[3], title=PAPERS[3].title + " again")
    papers = [*PAPERS[:3], edited, *PAPERS[4:]]
    later = ExportMemo(tmp_path)
    assert dict(export_files(PAPERS, lines(later))) == files
    assert made == []
    assert dict(export_files(papers, lines(later))) == dict(export_files(papers))
    assert made == [edited.id]
    assert lines(later)(PAPERS[0], "another-key") == paper_lines(PAPERS[0], "another-key")
    assert made == [edited.id, PAPERS[0].id]  # made again, under the other key


def test_lines_no_paper_uses_are_dropped_when_their_file_is_written(tmp_path):
    first = ExportMemo(tmp_path)
    list(export_files(PAPERS, lines(first)))
    first.save()
    later = ExportMemo(tmp_path)
    list(export_files(PAPERS[:1], lines(later)))
    later.save()
    kept = ExportMemo(tmp_path)
    assert sum(len(kept._shard(name)) for name in kept._names()) == 1


@pytest.mark.parametrize("spoil", SPOILT)
def test_a_file_of_lines_that_does_not_read_back_whole_is_ignored(tmp_path, monkeypatch, spoil):
    first = ExportMemo(tmp_path)
    files = dict(export_files(PAPERS, lines(first)))
    first.save()
    for shard in tmp_path.glob("*.bin"):
        shard.write_bytes(spoil(shard.read_bytes()))
    made = made_lines(monkeypatch)
    assert dict(export_files(PAPERS, lines(ExportMemo(tmp_path)))) == files
    assert len(made) == len(PAPERS)


def shards(out) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (record_folder(out) / EXPORT_LINES).glob("*.bin")}


def test_a_build_after_one_edit_rewrites_the_lines_of_that_paper_only_and_the_cold_exports(
        tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    assert build(content, out).problems == []
    before = shards(out)
    paper = sorted((content / "papers").glob("*.yaml"))[2]
    edited = read_paper(paper, paper.name)[0]
    assert edited is not None and before
    again = dataclasses.replace(edited, title=edited.title + " again")
    paper.write_bytes(serialise(again))
    assert build(content, out).problems == []
    after = shards(out)
    touched = {f"{paper_digest(p)[0]}.bin" for p in (edited, again)}
    assert {name for name in before.keys() | after.keys()
            if before.get(name) != after.get(name)} <= touched
    assert build(content, tmp_path / "cold").problems == []
    for name in ("papers.json", "papers.csv", "papers.bib"):
        assert (out / name).read_bytes() == (tmp_path / "cold" / name).read_bytes()
