"""The reference labels (tests/gold/reference.yaml): 280 papers of the catalogue, labelled
by people under the taxonomy's policy, in one form."""

from __future__ import annotations

import yaml
from conftest import ROOT

from sitegen.ingest.goldfile import GoldPaper, load_gold

REFERENCE = ROOT / "tests" / "gold" / "reference.yaml"
PAPERS = ROOT / "content" / "papers"


def test_every_reference_paper_is_a_paper_of_the_catalogue_labelled_with_known_ids():
    reference = yaml.safe_load(REFERENCE.read_text("utf-8"))
    taxonomy = yaml.safe_load((ROOT / "content" / "taxonomy.yaml").read_text("utf-8"))
    topics = {t["id"] for t in taxonomy["topics"]}
    families = {f["id"] for f in taxonomy["families"]}
    assert len(reference) == len({p["id"] for p in reference}) == 280
    assert [p["id"] for p in reference] == sorted(p["id"] for p in reference)
    assert sorted(p["source"] for p in reference) == ["dev200"] * 200 + ["gold80"] * 80
    for item in reference:
        assert set(item) == {"id", "title", "topics", "families", "evidence", "confidence",
                             "source"}
        paper = yaml.safe_load((PAPERS / f"{item['id']}.yaml").read_text("utf-8"))
        assert item["title"] == paper["title"]
        assert 1 <= len(item["topics"]) <= 3 and set(item["topics"]) <= topics
        assert set(item["families"]) <= families
        assert list(item["evidence"]) == item["families"]
        for words in item["evidence"].values():
            assert words in paper["title"] or words in paper["abstract"], (item["id"], words)
        assert item["confidence"] in ("high", "low")


def test_the_reference_set_loads_with_ids_and_primary_topics():
    gold = load_gold(REFERENCE)
    assert len(gold) == 280
    olmo = next(p for p in gold if p.id == "2-olmo-2-furious")
    assert olmo == GoldPaper("2 OLMo 2 Furious", frozenset({"model-release", "pretraining-data"}),
                             frozenset({"open-research"}), "2-olmo-2-furious", "model-release",
                             "dev200", line=22, place=(0,))


def test_the_reference_papers_files_hold_their_labels_as_a_person_s_decision():
    for item in yaml.safe_load(REFERENCE.read_text("utf-8")):
        paper = yaml.safe_load((PAPERS / f"{item['id']}.yaml").read_text("utf-8"))
        assert (paper["topics"], paper["families"]) == (item["topics"], item["families"])
        assert {"topics", "families"} <= set(paper["human"]), item["id"]
        assert "evidence" not in paper, item["id"]


def test_the_fresh_sets_are_held_out_papers_of_the_catalogue_labelled_with_known_ids():
    """tests/gold/fresh-a.yaml and fresh-b.yaml: 40 papers each, none of the reference set
    nor of each other, each label a known id and each family's evidence the paper's words."""
    taxonomy = yaml.safe_load((ROOT / "content" / "taxonomy.yaml").read_text("utf-8"))
    topics = {t["id"] for t in taxonomy["topics"]}
    families = {f["id"] for f in taxonomy["families"]}
    reference = {p["id"] for p in yaml.safe_load(REFERENCE.read_text("utf-8"))}
    held: list[set[str]] = []
    for name in ("fresh-a.yaml", "fresh-b.yaml"):
        fresh = yaml.safe_load((REFERENCE.parent / name).read_text("utf-8"))
        held.append({p["id"] for p in fresh})
        assert len(fresh) == len(held[-1]) == 40 and not held[-1] & reference
        for item in fresh:
            paper = yaml.safe_load((PAPERS / f"{item['id']}.yaml").read_text("utf-8"))
            assert item["title"] == paper["title"]
            assert 1 <= len(item["topics"]) <= 3 and set(item["topics"]) <= topics
            assert set(item["families"]) <= families
            for words in item["evidence"].values():
                assert words in paper["title"] or words in paper["abstract"], (item["id"], words)
        assert len(load_gold(REFERENCE.parent / name)) == 40
    assert not held[0] & held[1]
