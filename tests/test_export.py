"""`sitegen export`: the catalogue as readers see it, after human overrides, with which
fields a person decided and why the rules proposed the other labels."""

import csv
import io
import json
import os
import subprocess
import sys

from conftest import ROOT, run


def test_json_and_csv_hold_every_paper_with_the_human_values(content, capsys):
    run("ingest", "--content", str(content))
    path = content / "papers" / "the-llama-3-herd-of-models.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("families:\n- llama-3\n", "families:\n- llama\n"), "utf-8")
    capsys.readouterr()
    assert run("export", "--content", str(content), "--format", "json") == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 12
    herd = next(r for r in records if r["id"] == "the-llama-3-herd-of-models")
    assert list(herd) == ["id", "title", "abstract", "topics", "families", "links", "added",
                          "arxiv", "arxiv_category", "authors", "published", "updated", "venue",
                          "doi", "sources", "human", "evidence"]
    assert herd["families"] == ["llama"]
    # The edit counts as a person's decision at once: its field has no evidence any more.
    assert herd["human"] == ["families"] and list(herd["evidence"]) == herd["topics"]
    adapter = next(r for r in records if r["id"].startswith("llama-adapter-efficient"))
    assert adapter["human"] == [] and "llama" in adapter["evidence"]
    assert herd["sources"] == [{"dump": "001_first.txt", "line": 11}]
    assert run("export", "--content", str(content), "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    adapter = next(r for r in rows if r["id"].startswith("llama-adapter-efficient"))
    assert adapter["links"] == "https://github.com/example/LLaMA-Adapter"
    assert adapter["sources"] == "001_first.txt:3 | 002_later.txt:11"
    assert adapter["human"] == "" and "evidence" not in adapter
    assert next(r for r in rows if r["id"] == herd["id"])["human"] == "families"


def test_export_refuses_broken_content(content, capsys):
    run("ingest", "--content", str(content))
    path = content / "papers" / "the-llama-3-herd-of-models.yaml"
    path.write_text(path.read_text("utf-8").replace("topics:", "topicz:"), "utf-8")
    capsys.readouterr()
    assert run("export", "--content", str(content)) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "topicz: is not a known field" in captured.err


def test_the_command_prints_the_very_files_the_site_publishes(content, tmp_path, capsys):
    run("ingest", "--content", str(content))
    assert run("build", "--content", str(content), "--out", str(tmp_path / "site")) == 0
    for form in ("json", "csv"):
        capsys.readouterr()
        assert run("export", "--content", str(content), "--format", form) == 0
        printed = capsys.readouterr().out
        assert printed == (tmp_path / "site" / f"papers.{form}").read_bytes().decode("utf-8")


def test_a_reader_that_stops_early_ends_the_export_quietly(tmp_path):
    """`sitegen export | head -c 0`: the pipe is closed before anything is written. The
    export stops without a message, as a command that SIGPIPE ended (141)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        ended = subprocess.run([sys.executable, "-m", "sitegen", "export", "--format", "csv",
                                "--content", str(ROOT / "content")], stdout=write_end,
                               stderr=subprocess.PIPE, cwd=ROOT, timeout=120, check=False)
    finally:
        os.close(write_end)
    assert (ended.returncode, ended.stderr) == (141, b"")
