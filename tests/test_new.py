"""`sitegen new`: one paper from a title and an abstract, as ingest would have made it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import run, snapshot

from sitegen.catalogue.provenance import sighting_checksum
from sitegen.catalogue.store import SCHEMA_COMMENT, read_paper
from sitegen.core.text import clean

# Raw text as a person might paste it: entities, doubled spaces, a link.
TITLE = "QLoRA &amp; Mistral 7B:  Four-Bit   Adapters on One GPU"
ABSTRACT = ("We fine-tune Mistral 7B with 4-bit quantized low-rank adapters (QLoRA) on a "
            "single GPU.  Quantization keeps memory low &amp;amp; accuracy high. Code: "
            "https://github.com/example/qlora-mistral.")
NEW_ID = "qlora-mistral-7b-four-bit-adapters-on-one-gpu"
SURVEY = "a-survey-of-large-language-models"
SURVEY_ABSTRACT = (
    "Language is essentially a complex, intricate system of human expressions governed by "
    "grammatical rules. In this survey, we review the recent advances of large language models "
    "by introducing the background, key findings, and mainstream techniques, focusing on "
    "pre-training, adaptation tuning, utilization, and capacity evaluation.")
WARNINGS = 1  # the fixture dumps' own look-alikes: the Llama 3 and Llama 4 herds


def new(content: Path, *args: str) -> int:
    return run("new", "--content", str(content), *args)


def load(content: Path, paper_id: str) -> dict:
    return yaml.safe_load((content / "papers" / f"{paper_id}.yaml").read_text("utf-8"))


def test_new_writes_a_canonical_file_that_passes_check(catalogue, capsys):
    assert new(catalogue, "--title", TITLE, "--abstract", ABSTRACT) == 0
    path = catalogue / "papers" / f"{NEW_ID}.yaml"
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {path}",
        "topics: peft, quantization",
        "families: mistral",
        "links: https://github.com/example/qlora-mistral (code)",
    ]
    paper, _, problems = read_paper(path, path.name)
    assert problems == []
    assert path.read_text("utf-8").startswith(SCHEMA_COMMENT + f"id: {NEW_ID}\n")
    assert (paper.title, paper.abstract) == (clean(TITLE), clean(ABSTRACT))
    assert paper.title == "QLoRA & Mistral 7B: Four-Bit Adapters on One GPU"
    assert "low & accuracy" in paper.abstract
    assert (paper.added, paper.sources, paper.human) == ("2023-11-14", [], [])
    assert run("check", "--content", str(catalogue)) == 0
    assert capsys.readouterr().out == f"13 papers checked: 0 error(s), {WARNINGS} warning(s)\n"


def test_labels_links_and_checksums_are_those_ingest_gives(catalogue, tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(catalogue, twin)
    dump = twin / "dumps" / "004_one.txt"
    dump.write_text(f"{TITLE}\n\n{ABSTRACT}\n", "utf-8")
    before = set(snapshot(twin / "papers"))
    assert run("ingest", "--content", str(twin), str(dump)) == 0
    [ingested] = set(snapshot(twin / "papers")) - before
    assert new(catalogue, "--title", TITLE, "--abstract", ABSTRACT) == 0
    assert ingested == f"{NEW_ID}.yaml"

    by_ingest, by_new = load(twin, NEW_ID), load(catalogue, NEW_ID)
    assert by_ingest.pop("sources") == [{"dump": "004_one.txt", "line": 1, "title": clean(TITLE),
                                         "checksum": sighting_checksum(clean(TITLE),
                                                                       by_ingest["abstract"])}]
    assert by_new.pop("sources") == []
    assert by_new == by_ingest
    assert set(by_new["machine"]) == {"abstract", "links", "topics", "families"}
    # A later classify treats it as the tool's proposal: it stays as it is.
    assert run("classify", "--content", str(catalogue)) == 0
    assert load(catalogue, NEW_ID)["machine"] == by_new["machine"]


def test_a_taken_slug_gets_a_number_and_an_unsure_look_alike_is_reported(catalogue, capsys):
    other = "We study a herd of llamas grazing in the Andes. Counting them takes all day."
    assert new(catalogue, "--title", "The Llama 3 Herd of Models", "--abstract", other) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"wrote {catalogue}/papers/the-llama-3-herd-of-models-2.yaml\n")
    assert (f"warning: may be the same paper as {catalogue}/papers/the-llama-3-herd-of-models.yaml"
            " (same title but abstracts differ; title 100, abstract ") in captured.err
    assert load(catalogue, "the-llama-3-herd-of-models-2")["abstract"] == other
    assert run("check", "--content", str(catalogue)) == 0  # a warning, as for ingest


def test_an_id_reserved_by_same_as_is_never_reused(catalogue, capsys):
    keep, folded = "the-llama-3-herd-of-models", "the-llama-4-herd-of-models"
    path = catalogue / "papers" / f"{keep}.yaml"
    path.write_text(path.read_text("utf-8").replace("machine:", f"same_as:\n- {folded}\nmachine:"))
    assert run("ingest", "--content", str(catalogue)) == 0
    assert not (catalogue / "papers" / f"{folded}.yaml").exists()
    capsys.readouterr()
    assert new(catalogue, "--title", "The Llama 4 Herd of Models", "--abstract",
               "Alpacas and llamas differ. We measure four herds of them.") == 0
    assert f"papers/{folded}-2.yaml" in capsys.readouterr().out
    assert not (catalogue / "papers" / f"{folded}.yaml").exists()


@pytest.mark.parametrize(("title", "expected"), [("Con", "con-2"), ("NUL", "nul-2"),
                                                   ("LPT1", "lpt1-2"), ("Aux 1", "aux-1")])
def test_a_title_never_makes_an_id_windows_reserves(catalogue, capsys, title, expected):
    assert new(catalogue, "--title", title, "--abstract",
               "A paper about devices. It has two sentences.") == 0
    assert f"papers/{expected}.yaml" in capsys.readouterr().out
    assert run("check", "--content", str(catalogue)) == 0


def test_dry_run_prints_the_file_and_writes_nothing(catalogue, capsys):
    before = snapshot(catalogue / "papers")
    assert new(catalogue, "--title", TITLE, "--abstract", ABSTRACT, "--dry-run") == 0
    captured = capsys.readouterr()
    assert snapshot(catalogue / "papers") == before
    assert captured.out.startswith(SCHEMA_COMMENT)
    assert f"would write {catalogue}/papers/{NEW_ID}.yaml\n" in captured.err
    assert new(catalogue, "--title", TITLE, "--abstract", ABSTRACT) == 0
    assert (catalogue / "papers" / f"{NEW_ID}.yaml").read_text("utf-8") == captured.out


def test_the_same_paper_is_refused_and_the_existing_file_named(catalogue, capsys):
    before = snapshot(catalogue / "papers")
    title = "A survey of large langauge models"  # a typo and another case
    assert new(catalogue, "--title", title, "--abstract", SURVEY_ABSTRACT[:200] + "...") == 1
    err = capsys.readouterr().err
    assert (f"sitegen new: looks like the same paper as {catalogue}/papers/{SURVEY}.yaml "
            "(title differs by 1 typo(s); title 97, abstract 100)") in err
    assert "nothing written" in err and "--force" in err
    assert snapshot(catalogue / "papers") == before
    assert new(catalogue, "--title", title, "--abstract", SURVEY_ABSTRACT, "--dry-run") == 1
    assert snapshot(catalogue / "papers") == before


def test_force_writes_it_marked_distinct_so_the_catalogue_stays_valid(catalogue, capsys):
    title = "A survey of large langauge models"
    assert new(catalogue, "--title", title, "--abstract", SURVEY_ABSTRACT, "--force") == 0
    captured = capsys.readouterr()
    assert f"wrote {catalogue}/papers/a-survey-of-large-langauge-models.yaml" in captured.out
    assert f"marked distinct_from {SURVEY}" in captured.err
    assert load(catalogue, "a-survey-of-large-langauge-models")["distinct_from"] == [SURVEY]
    assert run("check", "--content", str(catalogue)) == 0
    assert capsys.readouterr().out == f"13 papers checked: 0 error(s), {WARNINGS} warning(s)\n"


def test_invalid_content_is_refused_with_checks_messages(catalogue, capsys):
    path = catalogue / "papers" / "the-llama-3-herd-of-models.yaml"
    path.write_text(path.read_text("utf-8").replace("topics:", "topics: [oops\n"), "utf-8")
    before = snapshot(catalogue / "papers")
    assert new(catalogue, "--title", TITLE, "--abstract", ABSTRACT) == 1
    err = capsys.readouterr().err
    assert "papers/the-llama-3-herd-of-models.yaml:" in err and "invalid YAML" in err
    assert "fix them first (see `sitegen check`)" in err
    assert snapshot(catalogue / "papers") == before


def test_a_hostile_title_stays_text(catalogue, tmp_path, monkeypatch, capsys):
    marker = tmp_path / "pwned"
    monkeypatch.setenv("SITEGEN_PWNED", str(marker))
    title = ('!!python/object/apply:os.system ["touch $SITEGEN_PWNED"]\nid: evil\n'
             "topics: [x] &a *a # <script>alert(1)</script> &lt;b&gt;")
    abstract = "--- {a: 1}\n... It is text. &#x3C;i&#x3E; NO: 2401.10010\r\n- item"
    assert new(catalogue, f"--title={title}", f"--abstract={abstract}") == 0
    [path] = (catalogue / "papers").glob("python-object-apply-*.yaml")
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["id"] == path.stem
    assert data["title"] == clean(title) == (
        '!!python/object/apply:os.system ["touch $SITEGEN_PWNED"] id: evil topics: [x] &a *a '
        "# <script>alert(1)</script> <b>")
    assert data["abstract"] == clean(abstract) == (
        "--- {a: 1} ... It is text. <i> NO: 2401.10010 - item")
    assert not marker.exists()
    capsys.readouterr()
    assert run("check", "--content", str(catalogue)) == 0
    assert run("build", "--content", str(catalogue), "--out", str(tmp_path / "site")) == 0
    page = (tmp_path / "site" / "papers" / path.stem / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_title_and_abstract_can_come_from_a_yaml_or_a_text_file(catalogue, tmp_path, capsys):
    assert new(catalogue, "--title", TITLE, "--abstract", ABSTRACT, "--dry-run") == 0
    expected = capsys.readouterr().out
    as_yaml = tmp_path / "paper.yaml"
    as_yaml.write_text(f"title: '{TITLE}'\nabstract: >-\n  {ABSTRACT}\n", "utf-8")
    as_text = tmp_path / "paper.txt"
    half = ABSTRACT.index(" Quantization")
    as_text.write_text(f"\n{TITLE}\n\n{ABSTRACT[:half]}\n{ABSTRACT[half:]}\n", "utf-8")
    for source in (as_yaml, as_text):
        assert new(catalogue, "--from", str(source), "--dry-run") == 0
        assert capsys.readouterr().out == expected


@pytest.mark.parametrize(("args", "file_text", "message"), [
    ((), None, "give --title and --abstract, or --from FILE"),
    (("--title", "A title"), None, "give --title and --abstract, or --from FILE"),
    (("--title", " &nbsp; ", "--abstract", "Text."), None, "the title is empty"),
    (("--title", "A title", "--from", "FILE"), "title: T\nabstract: A\n", "not both"),
    (("--from", "FILE"), "title: T\nabstract: A\ntopics: [peft]\n",
     "only title and abstract are read, not topics"),
    (("--from", "FILE"), "title: T\n", "abstract: is missing"),
    (("--from", "FILE"), "title: [T]\nabstract: A\n", "title: must be text"),
    (("--from", "FILE"), "title: !!python/object/apply:os.system [ls]\nabstract: A\n",
     "is not allowed"),
    (("--from", "FILE"), "title: 'unclosed\nabstract: A\n", "invalid YAML"),
])
def test_unusable_input_is_refused_before_anything_is_read(catalogue, tmp_path, capsys,
                                                           args, file_text, message):
    source = tmp_path / "input.yaml"
    if file_text is not None:
        source.write_text(file_text, "utf-8")
    args = tuple(str(source) if arg == "FILE" else arg for arg in args)
    before = snapshot(catalogue / "papers")
    assert new(catalogue, *args) == 2
    assert message in capsys.readouterr().err
    assert snapshot(catalogue / "papers") == before


def test_a_file_that_is_not_utf8_is_refused_with_the_line_of_its_first_bad_byte(catalogue,
                                                                                 tmp_path, capsys):
    source = tmp_path / "input.txt"
    source.write_bytes(b"Caf\xc3\xa9 Models\nWe train caf\xe9 models.\n")
    assert new(catalogue, "--from", str(source)) == 2
    assert capsys.readouterr().err == (f"sitegen new: {source}:2: not valid UTF-8 at column 13 "
                                       "(byte 25) (hint: save the file as UTF-8)\n")


FROM_HINT = "(hint: give --from a text or YAML file of at most 1 MiB)"


@pytest.mark.parametrize(("source", "message"), [
    ("/dev/zero", f"is a device: content files must be regular files {FROM_HINT}"),
    ("FOLDER", f"is a folder: content files must be regular files {FROM_HINT}"),
    ("BIG", f"is over 1 MiB, the limit for a content file {FROM_HINT}"),
    ("MISSING", "there is no such file (hint: check the path)"),
    ("YAML_TXT", "holds YAML, but only a .yaml or .yml file is read as YAML (hint: rename it "
                 "to end in .yaml, or write the title alone on the first line)"),
])
def test_from_reads_a_regular_file_of_at_most_1_mib_and_yaml_only_from_yaml(
        catalogue, tmp_path, capsys, source, message):
    """`--from /dev/zero` read until memory ran out; a folder or a huge file is refused too."""
    (tmp_path / "big.txt").write_text("A title\n" + "word " * 250_000, "utf-8")
    (tmp_path / "paper.txt").write_text("title: A title\nabstract: Its abstract.\n", "utf-8")
    path = {"FOLDER": str(tmp_path), "BIG": str(tmp_path / "big.txt"),
            "MISSING": str(tmp_path / "missing.yaml"),
            "YAML_TXT": str(tmp_path / "paper.txt")}.get(source, source)
    assert new(catalogue, "--from", path, "--dry-run") == 2
    assert capsys.readouterr().err == f"sitegen new: {path}: {message}\n"


@pytest.mark.parametrize(("args", "message"), [
    (("--title", "Long " * 120, "--abstract", ABSTRACT),
     "the title has 599 characters, more than the 500 a paper allows (hint: give the title "
     "alone, as the paper's listing shows it)"),
    (("--title", "A title", "--abstract", "Word " * 4_001),
     "the abstract has 20,004 characters, more than the 20,000 a paper allows (hint: give "
     "the abstract alone, as the paper's listing shows it)"),
])
def test_a_title_or_abstract_over_its_limit_is_refused_as_input(catalogue, capsys, args,
                                                                message):
    """Not as a problem of a file that is never written."""
    before = snapshot(catalogue / "papers")
    assert new(catalogue, *args) == 2
    assert capsys.readouterr().err == f"sitegen new: {message}\n"
    assert snapshot(catalogue / "papers") == before


@pytest.mark.parametrize(("title", "paper_id"), [
    ("Эффективная тонкая настройка", "effektivnaya-tonkaya-nastroyka"),
    ("大型语言模型的高效微调", "da-xing-yu-yan-mo-xing-de-gao-xiao-wei-diao"),
    ("日本語 LLM の評価", "ri-ben-yu-llm-no-ping-si"),
    ("Œuvre Ærø Łódź", "oeuvre-aero-lodz"),
    ("LLaVA-φ: Efficient Assistants", "llava-efficient-assistants"),  # a symbol, as before
    ("!!!???", "paper"),
])
def test_a_title_in_another_script_gets_an_id_spelled_in_ascii(title, paper_id):
    """Not "paper", "paper-2", ... for every title folding to ASCII leaves no word of."""
    from sitegen.core.text import slugify
    assert slugify(title) == paper_id
