"""Topic and family proposals from the shipped taxonomy's rules."""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.ingest.classify import classify

TAXONOMY, _ = load_taxonomy(ROOT / "content" / "taxonomy.yaml", "taxonomy.yaml")


# Prints which of the YAML and schema libraries a fresh interpreter holds after an import.
LOADED = ("import sys, importlib; importlib.import_module(sys.argv[1]); "
          "print(*[m for m in ('yaml', 'fastjsonschema', 'jsonschema') if m in sys.modules])")


def _libraries_loaded_by(module: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", LOADED, module], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return done.stdout.split()


def test_labelling_a_text_loads_no_yaml_or_schema_library():
    """The taxonomy's types import no loader: only reading content/taxonomy.yaml needs them."""
    assert _libraries_loaded_by("sitegen.ingest.classify") == []
    assert _libraries_loaded_by("sitegen.catalogue.taxonomyload") == ["yaml", "fastjsonschema"]


def families(title: str, abstract: str = "") -> list[str]:
    return classify(title, abstract, TAXONOMY).families


@pytest.mark.parametrize("spelling", ["LLaMA-2", "Llama 2", "llama2", "Llama2-7B", "Llama-2-Chat",
                                      "LLAMA 2", "Llama\u20112"])
def test_every_spelling_of_llama_2_is_llama_2(spelling):
    assert families(f"Fine-tuning {spelling} for Legal Questions") == ["llama-2"]


@pytest.mark.parametrize("spelling",
                         ["Llama 3.1-8B", "Llama-3", "LLaMA3", "Llama 3.2", "llama-3.3"])
def test_every_llama_3_version_is_llama_3(spelling):
    assert families(f"Compressing {spelling} with Low-Rank Adapters") == ["llama-3"]


def test_unversioned_llama_and_code_llama_are_their_own_families():
    assert families("LLaMA: Open and Efficient Foundation Language Models") == ["llama"]
    assert families("Code Llama: Open Foundation Models for Code") == ["code-llama"]


def test_a_family_named_in_the_title_is_refined_by_the_generation_in_the_abstract():
    assert families("Teaching Llama a New Language",
                    "We adapt Llama 2 to Estonian with instruction data.") == ["llama-2"]


def test_baselines_and_passing_examples_do_not_count():
    abstract = ("Large language models such as ChatGPT and LLaMA are popular. Our small model "
                "outperforms GPT-4 and surpasses Mistral 7B on three benchmarks.")
    assert families("A New Approach to Retrieval", abstract) == []


def test_building_on_a_model_counts():
    abstract = ("We fine-tune Mistral 7B on legal documents and release the weights. "
                "Experiments on Qwen2-7B confirm the gains.")
    assert families("Legal Assistants", abstract) == ["mistral", "qwen"]


def test_a_list_shares_the_role_of_its_first_member():
    abstract = ("Our method improves accuracy on Llama2-7B, Mistral-7B and Gemma-7B, "
                "while models such as GPT-4 and Falcon remain far ahead.")
    assert sorted(families("Matrix Skeletons for Fine-tuning", abstract)) == [
        "gemma", "llama-2", "mistral"]


def test_topics_are_one_to_three_and_title_words_weigh_most():
    labels = classify("A Survey on Quantization of Large Language Models",
                      "We review post-training quantization and low-bit methods.", TAXONOMY)
    assert labels.topics[:2] == ["quantization", "survey"] or labels.topics[:2] == [
        "survey", "quantization"]
    assert 1 <= len(labels.topics) <= 3


# The subjects each topic's definition names (content/taxonomy.yaml), one phrase each: a
# paper about any of them is proposed that topic. (Not from the reference papers.)
DEFINED = {
    "quantization": ["low-bit weights", "4-bit activations", "KV cache quantization",
                     "post-training quantization", "ternary weights", "1-bit LLMs"],
    "pruning-sparsity": ["removing attention heads", "layer pruning", "expert pruning",
                         "structured sparsity", "N:M sparsity", "dropping layers"],
    "distillation": ["knowledge distillation", "a teacher model and a smaller student"],
    "peft": ["LoRA", "adapters", "prefix tuning", "prompt tuning", "low-rank adaptation",
             "DoRA"],
    "instruction-tuning": ["supervised fine-tuning", "instruction data sets",
                           "synthetic instruction data"],
    "alignment": ["RLHF", "direct preference optimization", "reward models", "DPO"],
    "safety": ["jailbreaks", "red teaming", "guardrails", "machine unlearning",
               "private inference", "backdoor attacks", "prompt injection",
               "disinformation", "fake news", "adversarial robustness", "hate speech detection",
               "toxic content", "content moderation", "phishing emails", "scams"],
    "vision-language": ["a multimodal LLM", "visual question answering", "image captioning"],
    "video": ["video understanding", "video question answering", "video generation"],
    "speech-audio": ["speech recognition", "speech synthesis", "spoken dialogue",
                     "music understanding"],
    "efficient-architectures": ["state-space models", "linear attention", "sparse attention",
                                "mixture of experts", "architecture search"],
    "long-context": ["extending context length", "KV-cache compression",
                     "a 1M-token context window"],
    "inference-serving": ["speculative decoding", "GPU kernels", "attention implementations",
                          "on-device deployment", "CPU inference", "serving systems",
                          "hardware-aware inference", "inference on mobile devices"],
    "reasoning": ["chain of thought", "mathematical reasoning", "inference-time compute",
                  "test-time scaling"],
    "code": ["code generation", "code completion", "program repair"],
    "multilingual": ["non-English languages", "machine translation", "low-resource languages",
                     "adapting a model to Greek"],
    "medical": ["clinical notes", "biomedical question answering", "radiology reports",
                "chest X-rays", "what clinicians ask", "hospitals", "patients",
                "depression screening", "mental health"],
    "domain-applications": ["finance", "chemistry", "e-commerce", "education",
                            "recommendation", "time-series forecasting", "protein design",
                            "molecular property prediction", "graph learning",
                            "tabular data", "intelligent tutoring", "automated essay scoring",
                            "exam questions for secondary schools", "remote sensing imagery",
                            "judicial decisions"],
    "agents-tools": ["tool calling", "autonomous agents", "embodied planning",
                     "multi-agent systems", "GUI navigation", "web automation"],
    "evaluation": ["a new benchmark", "LLM-as-a-judge", "an audit of chatbots"],
    "interpretability": ["mechanistic interpretability", "probing", "sparse autoencoders",
                         "representation analysis"],
    "pretraining-data": ["training from scratch", "continual pre-training", "data mixtures",
                         "scaling laws", "tokenization", "a pre-train LLM dataset"],
    "model-release": ["a new open base model family", "our technical report"],
    "survey": ["a survey", "a review of"],
}


@pytest.mark.parametrize(("topic", "subject"),
                         [(t, s) for t, subjects in DEFINED.items() for s in subjects])
def test_a_paper_on_a_subject_a_topic_defines_is_proposed_that_topic(topic, subject):
    assert TAXONOMY is not None
    abstract = (f"We present a new method for {subject}. Our experiments on {subject} show "
                "improvements over prior work.")
    assert topic in classify(f"A study of {subject}", abstract, TAXONOMY).topics


@pytest.mark.parametrize("introduction", [
    "We present Orbit, a new base large language model for general use.",
    "In this paper, we develop a family of multilingual language models named Orbit.",
    "We introduce a novel 4.5B parameter small language model that reads and speaks.",
    "We introduce Orbit 7B, a 7-billion-parameter language model for general use."])
def test_a_paper_introducing_a_model_is_a_model_release(introduction):
    assert TAXONOMY is not None
    assert "model-release" in classify("Orbit", introduction + " It is strong on many tasks.",
                                       TAXONOMY).topics


def test_fine_tuning_a_model_on_task_data_is_supervised_fine_tuning():
    assert TAXONOMY is not None
    assert "instruction-tuning" in classify(
        "Fine-tuning language models to summarise clinical notes",
        "We fine-tune a model on 2,000 clinical note summaries.", TAXONOMY).topics


@pytest.mark.parametrize("sentence", [
    "Our empirical evaluation shows gains, and a further empirical evaluation confirms them.",
    "Training runs on 64 GPUs at high throughput, and GPU costs fall.",
    "The adapters learn task representations; these representations transfer across layers.",
    "It gains 4 points on GSM8K and MATH."])
def test_words_other_subjects_use_in_passing_do_not_give_their_topic(sentence):
    """A paper on adapters that reports its evaluation, its GPUs, what its adapters learn
    or its scores on math benchmarks is still a paper on parameter-efficient fine-tuning
    alone (not on evaluation, serving, interpretability or reasoning)."""
    assert TAXONOMY is not None
    assert classify("Gated adapters", f"We propose gated adapters. {sentence}",
                    TAXONOMY).topics == ["peft"]


@pytest.mark.parametrize(("title", "abstract", "other"), [
    ("Detecting implicit hate speech", "We fine-tune a classifier on hate speech.",
     "speech-audio"),
    ("Part-of-speech tagging for Hindi", "We tag parts of speech in social media posts.",
     "speech-audio"),
    ("Speech acts in dialogue", "We classify the speech acts of forum posts.", "speech-audio"),
    ("Moderation and free speech", "We study freedom of speech on social media.",
     "speech-audio"),
    ("Questions at every level of Bloom's taxonomy",
     "We generate questions for each level of Bloom's revised taxonomy.", "survey"),
    ("A taxonomy of errors of code models", "We fine-tune a code model and sort its failures.",
     "survey"),
    ("Compiler diagnostics for code models",
     "We feed the type checker's diagnostics back to the code model.", "medical")])
def test_a_topic_word_in_another_sense_does_not_give_the_topic(title, abstract, other):
    """Hate speech (a safety subject), grammar, a scheme of teaching, a study's own list of
    errors and a compiler's messages are not speech, surveys or medicine."""
    assert TAXONOMY is not None
    assert other not in classify(title, abstract, TAXONOMY).topics


def test_hate_speech_is_a_safety_subject():
    assert TAXONOMY is not None
    assert classify("Detecting implicit hate speech", "We fine-tune DeBERTa on implicit hate "
                    "speech, posts that escape keyword filters.", TAXONOMY).topics[0] == "safety"


@pytest.mark.parametrize(("title", "abstract"), [
    ("An Audit of GPT 4o's Image Descriptions", "We have the model describe 1,500 photos."),
    ("Reading charts with multimodal models",
     "We evaluate twelve open models on chart images; the evaluation finds gaps.")])
def test_a_paper_that_evaluates_models_is_an_evaluation(title, abstract):
    assert TAXONOMY is not None
    assert "evaluation" in classify(title, abstract, TAXONOMY).topics


def test_fine_tuning_with_qlora_is_no_quantization_paper():
    """QLoRA quantizes the model it fine-tunes: a paper that uses it to fine-tune is about
    its own subject, not about quantization."""
    assert TAXONOMY is not None
    assert "quantization" not in classify(
        "Legal question answering with small models",
        "We fine-tune small models for legal questions with QLoRA. QLoRA keeps the memory low.",
        TAXONOMY).topics


def test_open_models_a_paper_evaluates_do_not_make_a_model_release_its_subject():
    """"Open-source models" says what a paper works with, not that it introduces one."""
    assert TAXONOMY is not None
    topics = classify("Can open-source large language models read clinical notes?",
                      "We evaluate open-source language models on clinical notes of patients.",
                      TAXONOMY).topics
    assert topics[0] == "medical"


@pytest.mark.parametrize(("length", "long"), [("4K", False), ("2k", False), ("8K", True),
                                             ("32K", True), ("128k", True)])
def test_only_a_long_window_makes_a_long_context_paper(length, long):
    """A paper that says how long its inputs are is about long context only when they are."""
    assert TAXONOMY is not None
    abstract = f"We present a program repair method. Inputs are up to {length} tokens long."
    assert ("long-context" in classify("Repairing programs", abstract, TAXONOMY).topics) == long


@pytest.mark.parametrize(("said", "release"), [
    ("We release our code and data.", False), ("We release the code for our experiments.", False),
    ("We release Code Gemma, a family of open models.", True),
    ("We release Medi-7B, an open model.", True)])
def test_releasing_code_or_data_is_no_model_release(said, release):
    assert TAXONOMY is not None
    found = classify("Repairing programs", f"We present a program repair method. {said}", TAXONOMY)
    assert ("model-release" in found.topics) == release


def test_a_paper_matching_no_rule_gets_the_default_topic():
    assert classify("Untitled", "Nothing here.", TAXONOMY).topics == ["evaluation"]


def test_invalid_rule_is_reported_with_its_line(tmp_path: Path):
    broken = tmp_path / "taxonomy.yaml"
    text = (ROOT / "content" / "taxonomy.yaml").read_text("utf-8")
    broken.write_text(text.replace("      - quantiz\n", "      - quantiz(\n", 1), "utf-8")
    taxonomy, problems = load_taxonomy(broken, "taxonomy.yaml")
    line = text.splitlines().index("      - quantiz") + 1
    assert taxonomy is None
    assert [str(p) for p in problems] == [
        f"taxonomy.yaml:{line}: topics[0].strong[0]: invalid regular expression: missing ): "
        "quantiz( (hint: patterns use RE2 syntax: https://github.com/google/re2/wiki/Syntax)"]


def test_a_likeness_is_not_the_model():
    abstract = "We train a BERT-style quality annotator and GPT-like decoders on our data."
    assert families("Data Curation at Scale", abstract) == []


# A family with a generation of its own, and a topic, as a maintainer would add them.
ADDED = """
  - id: granite
    name: Granite
    description: IBM's Granite models.
    definition: IBM's Granite models.
    patterns:
      - \\bgranite(?![- ]?3)
  - id: granite-3
    name: Granite 3
    description: The third generation of IBM's Granite models.
    definition: Granite 3.x.
    parent: granite
    patterns:
      - \\bgranite[- ]?3(\\.\\d)?
"""
ADDED_TOPIC = """
  - id: time-series
    name: Time series
    description: Forecasting and understanding series of measurements over time.
    definition: Time-series forecasting, anomaly detection and classification.
    strong:
      - \\btime[- ]series\\b
    weak:
      - \\bforecast
    exclude:
      - \\bweather forecast
"""


def test_a_family_and_a_topic_added_to_the_taxonomy_are_proposed_without_code(tmp_path: Path):
    text = (ROOT / "content" / "taxonomy.yaml").read_text("utf-8")
    added = text.replace("\nfamilies:\n", "\n" + ADDED_TOPIC.lstrip("\n") + "families:\n", 1)
    (tmp_path / "taxonomy.yaml").write_text(added + ADDED.lstrip("\n"), "utf-8")
    taxonomy, problems = load_taxonomy(tmp_path / "taxonomy.yaml", "taxonomy.yaml")
    assert problems == [] and taxonomy is not None
    labels = classify("Forecasting time series with Granite",
                      "We fine-tune Granite-3.1-8B for time-series forecasting.", taxonomy)
    assert labels.topics[0] == "time-series"
    assert labels.families == ["granite-3"]  # the generation stands for its parent
    assert labels.evidence["granite-3"].startswith('abstract: "we fine-tune granite-3.1-8b')
    assert labels.evidence["time-series"].startswith('title: "time series"')
    both = classify("Granite and Granite 3 compared", "We prune Granite and Granite 3.", taxonomy)
    assert sorted(both.families) == ["granite", "granite-3"]
    # a cue inside an `exclude` match is another sense of the word: no points
    assert "time-series" not in classify("Weather forecasting with Granite",
                                         "We make weather forecasts.", taxonomy).topics
    assert "time-series" in classify("Sales forecasting with Granite",
                                     "We forecast tomorrow's sales.", taxonomy).topics


def test_a_family_renamed_in_the_taxonomy_is_proposed_again_where_the_rules_proposed_it(
        tmp_path, monkeypatch, capsys):
    """CONTRIBUTING's way to rename an id: the papers a person labelled are theirs to move;
    `check` tells the rest to `sitegen classify`, which replaces the rules' old label with
    the new id, and records no person's decision for it."""
    import shutil

    from sitegen import cli
    from sitegen.catalogue.store import read_paper
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "fixtures" / "site", content)
    taxonomy = content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text("utf-8").replace("  - id: mistral\n",
                                                            "  - id: mistral-ai\n"), "utf-8")
    monkeypatch.chdir(tmp_path)
    paper = content / "papers" / "mistral-7b.yaml"
    assert cli.main(["check", "--content", "content"]) == 1
    line = paper.read_text("utf-8").splitlines().index("- mistral") + 1
    assert (f"content/papers/mistral-7b.yaml:{line}: families[0]: unknown family 'mistral' "
            "(hint: the rules proposed it, and content/taxonomy.yaml has no such family now: "
            "run `sitegen classify` to propose this paper's labels again)"
            ) in capsys.readouterr().err.splitlines()
    assert cli.main(["classify", "--content", "content"]) == 0
    relabelled = read_paper(paper, "mistral-7b.yaml")[0]
    assert relabelled is not None and relabelled.families == ["mistral-ai"]
    assert "families" not in relabelled.human
    assert cli.main(["check", "--content", "content"]) == 0
