"""The committed catalogue: 690 papers from the shipped dumps, valid and settled."""

import shutil
from pathlib import Path

import yaml
from conftest import ROOT, run, snapshot

CONTENT = ROOT / "content"
REFERENCE = ROOT / "tests" / "gold" / "reference.yaml"


def test_shipped_content_passes_check(capsys):
    assert run("check", "--content", str(CONTENT)) == 0
    assert "690 papers checked: 0 error(s)" in capsys.readouterr().out


def test_reingesting_the_shipped_dumps_changes_nothing(tmp_path: Path, capsys):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    assert run("ingest", "--content", str(copy)) == 0
    out = capsys.readouterr().out
    assert "entries: 804\nnew papers: 0\n" in out
    assert snapshot(copy / "papers") == snapshot(CONTENT / "papers")


def test_ingesting_the_shipped_dumps_afresh_yields_690_papers(tmp_path: Path, capsys):
    fresh = tmp_path / "content"
    fresh.mkdir()
    shutil.copytree(CONTENT / "dumps", fresh / "dumps")
    shutil.copy(CONTENT / "taxonomy.yaml", fresh / "taxonomy.yaml")
    assert run("ingest", "--content", str(fresh)) == 0
    assert "entries: 804\nnew papers: 690\nmerged: 114\nuncertain pairs: 0\n" in (
        capsys.readouterr().out)
    assert set(snapshot(fresh / "papers")) == set(snapshot(CONTENT / "papers"))


def test_the_rules_meet_their_targets_on_the_older_80_reference_papers(tmp_path, capsys):
    """The targets were set on the 80 papers labelled first (`source: gold80`)."""
    papers = [p for p in yaml.safe_load(REFERENCE.read_text("utf-8")) if p["source"] == "gold80"]
    older = tmp_path / "gold80.yaml"
    older.write_text(yaml.safe_dump(papers), "utf-8")
    assert run("evaluate", "--content", str(CONTENT), "--gold", str(older)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "80 hand-labelled papers"
    rows = {line.split()[0]: [float(x) for x in line.split()[1:4]] for line in lines[2:]}
    assert rows["topics"][2] >= 0.75
    assert rows["families"][2] >= 0.80
