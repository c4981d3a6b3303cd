"""The acronyms a catalogue defines, which the search page matches with their long forms
(`sitegen.search.acronyms`; the page's side is in tests/js/query.test.mjs)."""

from __future__ import annotations

import pytest

from sitegen.core.model import Paper
from sitegen.search.acronyms import definitions, long_forms
from sitegen.search.analysis import Analyzer


@pytest.mark.parametrize(("text", "found"), [
    ("prompting with Chain-of-Thought (CoT) helps", [("CoT", "Chain of Thought")]),
    ("Reinforcement Learning from Human Feedback (RLHF)",
     [("RLHF", "Reinforcement Learning from Human Feedback")]),
    ("Large Language Models (LLMs) are", [("LLMs", "Large Language Models")]),
    ("a sparse Mixture-of-Experts (MoE) layer", [("MoE", "Mixture of Experts")]),
    ("with multi-head latent attention (MLA).", [("MLA", "multi head latent attention")]),
    ("Parameter-Efficient Fine-Tuning (PEFT) and in-context learning (ICL)",
     [("PEFT", "Parameter Efficient Fine Tuning"), ("ICL", "in context learning")]),
    # a hyphenated word's first part is taken before a later one of the same letter
    ("Multi-modal Large Language Models (MLLMs)",
     [("MLLMs", "Multi modal Large Language Models")]),
    ("large multi-modal models (LMMs)", [("LMMs", "large multi modal models")]),
    ("non-negative matrix factorization (NMF)", [("NMF", "non negative matrix factorization")]),
    ("Multi-Modal Models (MMM)", [("MMM", "Multi Modal Models")]),  # unless it needs both
])
def test_a_definition_is_an_acronym_after_the_words_its_letters_begin(text, found):
    assert definitions(text) == found


@pytest.mark.parametrize("text", [
    "Low-Rank Adaptation (LoRA)",  # its letters are no words' initials
    "as before (e.g.) and (Ours)",  # fewer than two capitals
    "large language models, (LLM)",  # after a comma: not what came before it
    "Visual Instruction Tuning (VIT2)",  # a digit
    "(ABC) at the start",
    "we study head attention (MHA)",  # "multi" is missing
    "the pre-multi head attention (MHA)",  # the first letter from inside a word
    "We study planning. Models (PM) are",  # across a sentence's end
])
def test_what_its_letters_do_not_spell_is_no_definition(text):
    assert definitions(text) == []


def paper(n: int, abstract: str) -> Paper:
    return Paper(id=f"p{n}", title=f"Paper {n}", abstract=abstract, topics=[], families=[],
                 added="2024-01-01")


def test_each_acronym_has_its_long_forms_as_index_terms_those_most_papers_define_first():
    papers = [paper(1, "State Space Models (SSMs) scale."),
              paper(2, "Selective state space models (SSM) and state space models (SSMs)."),
              paper(3, "A State Space Machine (SSM) is new."),
              paper(4, "Chain-of-Thought (CoT) prompting.")]
    assert long_forms(papers, Analyzer(())) == {
        "cot": [["chain", "thought"]],
        "ssm": [["state", "space", "model"], ["state", "space", "machin"]]}


def test_at_most_three_long_forms_are_kept_and_the_order_does_not_depend_on_the_papers():
    forms = ["Rapid Long Hops", "Rich Language Heads", "Random Linear Hashing",
             "Robust Latent Hints"]
    papers = [paper(n, f"{form} (RLH) are used.") for n, form in enumerate(forms)]
    kept = long_forms(papers, Analyzer(()))
    assert kept == long_forms(papers[::-1], Analyzer(()))
    assert len(kept["rlh"]) == 3 and kept["rlh"] == sorted(kept["rlh"])
