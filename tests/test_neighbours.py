"""The topics of the reviewed papers most like a text (sitegen.ingest.neighbours), and how
they add to the rules' topic scores (sitegen.ingest.classify)."""

from __future__ import annotations

import time

from conftest import ROOT

from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.ingest.classify import classify
from sitegen.ingest.neighbours import NEIGHBOURS, Reviewed

TAXONOMY, _ = load_taxonomy(ROOT / "content" / "taxonomy.yaml", "taxonomy.yaml")
# Reviewed papers: three on speculative decoding, three on legal questions, one on models.
REVIEWED = Reviewed([
    ("draft-a", "Draft heads for speculative decoding", "Draft heads verify tokens in "
     "parallel, accelerating speculative decoding on GPUs.", ["inference-serving"]),
    ("draft-b", "Tree drafts", "Tree-shaped drafts verify tokens for speculative decoding.",
     ["inference-serving", "reasoning"]),
    ("draft-c", "Cascaded drafting", "Cascaded drafters verify tokens cheaply.",
     ["inference-serving"]),
    ("law-a", "Statutes and models", "Answering questions on statutes and court rulings.",
     ["domain-applications"]),
    ("law-b", "Court rulings", "Court rulings summarised for lawyers.",
     ["domain-applications"]),
    ("law-c", "Contracts", "Reviewing contracts and statutes for lawyers.",
     ["domain-applications", "evaluation"]),
    ("other", "Models", "Models of models.", ["survey"]),
])


def test_the_closest_reviewed_papers_share_out_their_topics_by_similarity():
    vote = REVIEWED.vote("Faster drafts", "Drafters verify tokens for speculative decoding.")
    assert [pid for pid, _ in vote.papers[:3]] == ["draft-b", "draft-a", "draft-c"]
    assert max(vote.shares, key=vote.shares.get) == "inference-serving"
    assert vote.shares["inference-serving"] > vote.shares.get("reasoning", 0) > 0
    assert len(vote.papers) <= NEIGHBOURS


def test_fewer_close_papers_than_neighbours_give_a_smaller_vote():
    """Three close papers of the five counted: the two missing ones vote for nothing."""
    vote = REVIEWED.vote("Lawyers", "Statutes for lawyers.")
    assert {pid for pid, _ in vote.papers} == {"law-a", "law-b", "law-c"}
    assert abs(vote.shares["domain-applications"] - 3 / NEIGHBOURS) < 1e-9
    assert 0 < vote.shares["evaluation"] < vote.shares["domain-applications"]  # law-c only


def test_a_reviewed_paper_can_be_left_out_of_its_own_vote():
    vote = REVIEWED.vote("Court rulings", "Court rulings summarised for lawyers.", "law-b")
    assert "law-b" not in {pid for pid, _ in vote.papers}


def test_a_word_most_reviewed_papers_use_makes_no_paper_close():
    studies = Reviewed([(f"s{n}", f"A study of {word}", "A study.", ["survey"])
                        for n, word in enumerate(["tokens", "statutes", "drafts"])])
    assert studies.vote("Study", "A study of studies.").papers == ()
    assert [pid for pid, _ in studies.vote("Study", "A study of drafts.").papers] == ["s2"]


def test_no_reviewed_papers_no_vote():
    assert Reviewed([]).vote("Draft heads", "Speculative decoding.").shares == {}


def test_the_vote_and_the_digest_do_not_depend_on_the_order_papers_come_in():
    again = Reviewed(reversed(REVIEWED.items))
    assert again.digest == REVIEWED.digest
    text = ("Draft statutes", "Drafters verify statutes for lawyers and tokens.")
    assert again.vote(*text) == REVIEWED.vote(*text)


def test_the_reviewed_papers_topics_raise_the_rules_scores_with_their_evidence():
    assert TAXONOMY is not None
    text = ("Drafting for court rulings", "We summarise court rulings for lawyers.")
    without, taught = classify(*text, TAXONOMY), classify(*text, TAXONOMY, REVIEWED)
    assert "domain-applications" in taught.topics
    assert taught.evidence["domain-applications"].endswith(
        "3 of the 4 most similar reviewed papers: law-b, law-a, ...")
    assert classify(*text, TAXONOMY, Reviewed([])) == without


def test_a_text_no_rule_labels_takes_the_topic_of_the_papers_like_it():
    """Not the default topic: what people decided for papers like it."""
    assert TAXONOMY is not None
    text = ("Tree drafters", "Cascaded tree drafters verify tokens in parallel.")
    assert classify(*text, TAXONOMY).topics == ["evaluation"]
    assert classify(*text, TAXONOMY, REVIEWED).topics == ["inference-serving"]


def test_comparing_a_megabyte_of_text_takes_linear_time():
    hostile = ("Llama-" * 50_000 + "- / " * 50_000 + "draft " * 50_000)[:1_000_000]
    start = time.perf_counter()
    REVIEWED.vote("x", hostile)
    assert time.perf_counter() - start < 2.0
