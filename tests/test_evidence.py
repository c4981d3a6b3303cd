"""Evidence: why the tool proposed each label, kept with the paper while the tool decides it.

Evidence is the tool's, never a person's decision: `ingest` and `classify` rewrite it
for the labels they propose and keep none for a field a person decided. Evidence
for a label the paper does not have is never shown, and the next `classify` drops it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import run
from hypothesis import given
from hypothesis import strategies as st

from sitegen.catalogue.canonical import read_canonical
from sitegen.catalogue.provenance import (
    EVIDENCE_LENGTH,
    decided_fields,
    evidence_line,
    label_evidence,
)
from sitegen.catalogue.schema import load_document
from sitegen.catalogue.store import from_dict, serialise
from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.core.model import Paper
from sitegen.ingest.classify import classify

HERD = "the-llama-3-herd-of-models"
OMNI = "llama-omni-seamless-speech-interaction-with-large-language"


def load(content: Path, paper_id: str) -> dict:
    return yaml.safe_load((content / "papers" / f"{paper_id}.yaml").read_text("utf-8"))


def edit(content: Path, paper_id: str, old: str, new: str) -> None:
    path = content / "papers" / f"{paper_id}.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def proposal(content: Path, paper_id: str):
    """What the rules propose for a paper, with its evidence."""
    taxonomy, _ = load_taxonomy(content / "taxonomy.yaml", "taxonomy.yaml")
    paper = load(content, paper_id)
    return classify(paper["title"], paper["abstract"], taxonomy)


def test_ingest_keeps_the_evidence_of_every_label_it_proposes(content):
    assert run("ingest", "--content", str(content)) == 0
    paper, labels = load(content, OMNI), proposal(content, OMNI)
    assert list(paper["evidence"]) == [*paper["topics"], *paper["families"]]
    assert paper["evidence"] == {label: labels.evidence[label] for label in paper["evidence"]}
    assert "llama-3" in paper["evidence"]


def test_a_field_a_person_decided_keeps_no_evidence_and_the_other_keeps_its_own(content):
    run("ingest", "--content", str(content))
    family = load(content, HERD)["families"][0]
    edit(content, HERD, "topics:\n- model-release\n", "topics:\n- survey\n- model-release\n")
    assert run("classify", "--content", str(content)) == 0
    paper = load(content, HERD)
    assert paper["topics"] == ["survey", "model-release"] and paper["human"] == ["topics"]
    assert list(paper["evidence"]) == [family]
    edit(content, HERD, f"families:\n- {family}\n", "families:\n- llama\n")
    assert run("classify", "--content", str(content)) == 0
    paper = load(content, HERD)
    assert paper["human"] == ["topics", "families"] and "evidence" not in paper


def test_evidence_left_for_a_removed_label_is_ignored_then_dropped_by_classify(content, capsys):
    run("ingest", "--content", str(content))
    edit(content, OMNI, "families:\n- llama-3\n", "families: []\n")
    text = (content / "papers" / f"{OMNI}.yaml").read_bytes()
    assert b"\n  llama-3: " in text
    loaded, _ = load_document(text, "paper", "x.yaml")
    assert "llama-3" not in label_evidence(from_dict(loaded.data))
    assert run("check", "--content", str(content)) == 0
    assert run("classify", "--content", str(content)) == 0
    paper = load(content, OMNI)
    assert paper["families"] == [] and paper["human"] == ["families"]
    assert list(paper["evidence"]) == paper["topics"]


def test_decided_fields_count_an_edit_before_it_is_recorded(content):
    run("ingest", "--content", str(content))
    edit(content, HERD, "families:\n- llama-3\n", "families:\n- llama\n")
    text = (content / "papers" / f"{HERD}.yaml").read_bytes()
    loaded, _ = load_document(text, "paper", "x.yaml")
    paper = from_dict(loaded.data)
    assert paper.human == [] and decided_fields(paper) == ["families"]
    assert list(label_evidence(paper)) == paper.topics


def test_evidence_is_one_short_line_of_allowed_text():
    assert evidence_line('abstract: "post-training\n  quantization",\u202e\t"int4"') \
        == 'abstract: "post-training quantization", "int4"'
    long = evidence_line("x" * 1000)
    assert len(long) == EVIDENCE_LENGTH == 300 and long.endswith("\u2026")
    assert evidence_line(" \u200b ") == ""


def paper_with(evidence: dict[str, str]) -> Paper:
    return Paper(id="p", title="T", abstract="A", topics=["quantization", "peft"],
                 families=["llama-2"], added="2024-01-02", evidence=evidence)


def test_evidence_keeps_its_order_so_editing_a_label_keeps_the_file_canonical():
    paper = paper_with({"llama-2": "c", "peft": "b", "quantization": "a"})
    text = serialise(paper)
    assert text.decode("utf-8").endswith("evidence:\n  llama-2: c\n  peft: b\n  quantization: a\n")
    assert read_canonical(text) == paper
    paper.topics = ["peft", "quantisation"]
    assert read_canonical(serialise(paper)) == paper


@given(st.text(max_size=40))
def test_the_quick_reader_reads_evidence_as_the_yaml_loader_does(value):
    text = serialise(paper_with({"peft": value}))
    loaded, _ = load_document(text, "paper", "p.yaml")
    full = from_dict(loaded.data) if loaded else None
    assert read_canonical(text) == (full if full and serialise(full) == text else None)


@pytest.mark.parametrize("value", ["NO", "123", "- x", "a: b", "'q'", '"d"', "#x", "tail:"])
def test_evidence_that_looks_like_yaml_stays_text(value):
    paper = paper_with({"peft": value})
    assert read_canonical(serialise(paper)) == paper
