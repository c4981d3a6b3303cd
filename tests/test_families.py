"""Families: which model families a paper uses, evaluates or builds on (sitegen.ingest.families).

Each rule has its cases here, run with the shipped taxonomy's patterns and cues.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue.taxonomyload import load_taxonomy
from sitegen.ingest.classify import classify
from sitegen.ingest.families import (
    _all_mentions,
    _expanded,
    _version_lists,
    _without_abbreviation_stops,
    expand_versions,
)

ROOT = Path(__file__).resolve().parent.parent
TAXONOMY, _ = load_taxonomy(ROOT / "content" / "taxonomy.yaml", "taxonomy.yaml")
NAMES = ("llama", "qwen", "gpt")


def families(abstract: str, title: str = "A study") -> list[str]:
    assert TAXONOMY is not None
    return sorted(classify(title, abstract, TAXONOMY).families)


@pytest.mark.parametrize(("text", "expanded"), [
    ("llama1/2/3/3.1", "llama1/llama 2/llama 3/llama 3.1"),
    ("llama 2 and 3 models", "llama 2 and llama 3 models"),
    ("llama 1 & 2, 7b & 13b", "llama 1 & llama 2, 7b & 13b"),
    ("qwen1.5/2", "qwen1.5/qwen 2"),
    ("llama 2 7b and 13b", "llama 2 7b and 13b"),  # sizes are no versions
])
def test_a_list_of_versions_names_each_generation(text, expanded):
    assert " ".join(expand_versions(text, NAMES).split()) == expanded


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["llama", "qwen", "2", "3.1", "1.5", "/", "&", ",", " and ",
                                 " or ", " ", "-", "b", "x"]), max_size=14).map("".join))
def test_the_quick_test_for_a_list_of_versions_misses_none(text):
    """Texts without a version after a version are left alone unread: the same as reading
    them with the whole pattern."""
    names = TAXONOMY.settings.model_names if TAXONOMY is not None else ()
    assert expand_versions(text, names) == _version_lists(names).sub(_expanded, text)


@pytest.mark.parametrize(("abstract", "expected"), [
    ("We evaluate our method on LLaMA1/2/3.", ["llama", "llama-2", "llama-3"]),
    ("Llama~2 and Code~Llama families are always the best.", ["code-llama", "llama-2"]),
    ("With just 4K examples, LLaMA-3-8B-Base achieves a 42% win rate.", ["llama-3"]),
    ("We instruction-tune LLaMA 1 & 2 models.", ["llama", "llama-2"]),
    ("Our recipe is applied to LLaMA-2.", ["llama-2"]),  # at a sentence's end
    ("We quantize LLaMA-1. It still works.", ["llama"]),
    ("We compare LLaMA-2.5 with others.", []),  # no such generation: not Llama 2
    ("We fine-tune LLaMAs of two sizes.", ["llama"]),  # the plural
    ("We build a pipeline with LlamaIndex.", []),  # a tool named after it
    ("We distil Llama 4 Scout into a small model.", ["llama"]),  # no family of its own
    ("We fine-tune text-davinci-003 through its API.", ["gpt"]),  # a GPT-3 model
    ("We extend the hybrid Zamba2 and Jamba models.", ["mamba"]),
    ("We prune LLaMA-v2 7B and LLaMAv3 models.", ["llama-2", "llama-3"]),
    ("We caption each 5-minute video clip in real time.", []),  # a recording, not CLIP
    ("We distil Falcon2-11B into Ministral.", ["falcon", "mistral"]),
    ("We evaluate GPT-4V, GPT4o, GPT-4.1 and GPT-5 on charts.", ["gpt"]),
    ("We prune OPT 13B, StableLM and MPT-7B.", ["open-research"]),
    ("Evaluations on the OPT families validate our approach.", ["open-research"]),
    # a space before the version, as Llama, Qwen and Gemma take it
    ("We train Phi 4 mini and Phi 3.5 mini with this reward.", ["phi"]),
    ("We have GPT 4o describe the photos.", ["gpt"]),
    ("We audit GPT 4 on the photos.", ["gpt"]),
])
def test_every_notation_of_a_generation_is_found(abstract, expected):
    assert families(abstract) == expected


@pytest.mark.parametrize(("abstract", "expected"), [
    ("We adapt CodeGemma-7B to OCaml.", ["gemma"]),
    ("We probe RecurrentGemma-9B and Mamba-2.", ["gemma", "mamba"]),
    ("We red-team the ShieldGemma-9B classifier.", ["gemma"]),
    ("We fine-tune MedGemma on discharge notes.", ["gemma"]),
    ("We fine-tune PaliGemma-3B on satellite images.", ["gemma"]),
    # an encoder-decoder adapted from Gemma 2: of both families
    ("We fine-tune T5Gemma on summarisation.", ["bert-t5", "gemma"]),
    ("We fine-tune mBART-50 for translation.", ["bert-t5"]),
    ("We instruction-tune UL2 and Flan-UL2 20B.", ["bert-t5"]),
])
def test_the_members_of_a_family_named_on_their_own_are_the_family(abstract, expected):
    """Gemma's models named with a prefix, and the encoder-decoders of the T5 kind."""
    assert families(abstract) == expected


@pytest.mark.parametrize("abstract", [
    "We deduplicate the corpus with learned Bloom filters.",
    "A Bloom filter answers membership queries.",
    "We generate exam questions for every level of Bloom's taxonomy.",
    "We serve the quantized models with llama.cpp on laptops.",
    "We fine-tune the models with LLaMA-Factory.",
    "We add noise to the 52K Alpaca instructions before fine-tuning.",
    "We fine-tune on the Alpaca instruction data.",
    "We pre-train a decoder with the UL2 objective.",
])
def test_a_word_in_another_sense_is_not_the_family(abstract):
    """A data structure, a teachers' scheme, the tools and the data named after a model,
    and a training objective are not the models."""
    assert families(abstract) == []


@pytest.mark.parametrize(("abstract", "expected"), [
    ("We fine-tune BLOOM and BLOOMZ on new languages.", ["open-research"]),
    ("We study BLOOM's multilingual ability.", ["open-research"]),
    ("We fine-tune LLaMA with LLaMA-Factory.", ["llama"]),
    ("We train Alpaca-style instruction models for Icelandic.", ["alpaca"]),
])
def test_the_family_is_found_beside_its_namesakes(abstract, expected):
    """The model itself is still found; "Alpaca-style LLaMA instruction models" are of the
    Alpaca family, which its definition names."""
    assert families(abstract) == expected


def test_a_size_is_not_read_as_a_generation():
    """"LLaMA-7B" is LLaMA at 7 billion parameters: one mention, not also a "Llama 7"."""
    assert TAXONOMY is not None
    text = "we fine-tune llama-7b and llama-4-maverick."
    found = [(m.family, text[m.start:m.end]) for m in _all_mentions(text, "abstract", TAXONOMY)]
    assert found == [("llama", "llama-7b"), ("llama", "llama-4")]


@pytest.mark.parametrize("size", ["llama-3b", "llama 2b", "llama3m"])
def test_a_size_of_2_or_3_billion_is_not_the_second_or_third_generation(size):
    assert families(f"We fine-tune {size} on the task.") == ["llama"]


def test_a_comparison_in_an_earlier_clause_makes_no_baseline_of_a_later_one():
    """"better" belongs to the clause before "but": Mistral is what the study found best."""
    assert families("Our study finds that larger models are not always better, but Mistral "
                    "models are the best at the task.") == ["mistral"]
    assert families("Our model is better than Mistral 7B at the task.") == []


def test_a_mention_without_any_cue_counts():
    assert families("Applied to a LLaMA-1B model, the method halves latency.") == ["llama"]


@pytest.mark.parametrize("cue", ["outperforms", "surpasses", "is better than",
                                 "is competitive with", "compared with", "is preferred to",
                                 "is equivalent to", "scores 3 points relative to",
                                 "gains 7x in win rate w.r.t.", "lags behind",
                                 "falls short of", "closes the gap with", "trails",
                                 "reaches 95% of the performance of", "is rivaling",
                                 "performs comparably to", "shows a 2.7% improvement over",
                                 "gains over", "shows superior performance to",
                                 "comes close to", "reaches an accuracy similar to",
                                 "is benchmarked against", "has a 60% win rate against",
                                 "matches", "matched", "while matching the accuracy of",
                                 "performs as well as", "does nearly as well as",
                                 "is as accurate as", "performs at the level of",
                                 "is on a par with", "is at par with", "is ahead of",
                                 "is second only to", "outpaces", "outscores", "outranks",
                                 "ranks just above", "performs similarly to",
                                 "is approaching"])
def test_a_comparison_baseline_does_not_count(cue):
    assert families(f"We fine-tune Llama 2 on the task; our model {cue} GPT-4 on it.") \
        == ["llama-2"]


@pytest.mark.parametrize(("abstract", "expected"), [
    ("Our method outperforms the best method by 4.2% on 3-bit LLaMA-7B.", ["llama"]),
    ("It outperforms CoT-tuned models by 40% for Llama2-7B and Llama2-13B.", ["llama-2"]),
    ("It outperforms the baselines across Qwen2.5 models.", ["qwen"]),
    ("We prune Llama 2; it outperforms agents built on GPT-4.", ["llama-2"]),
    ("We prune Llama 2. Unlike methods based on BERT, ours needs no labels.", ["llama-2"]),
    ("We fine-tune and compare three models: Llama 2, Mistral and Phi-2.",
     ["llama-2", "mistral", "phi"]),
    ("A comprehensive comparison of multiple LLMs (namely Llama 2 and Code Llama).",
     ["code-llama", "llama-2"])])
def test_the_models_a_comparison_is_made_on_count(abstract, expected):
    """"on", "for", "across": the model is the comparison's setting, not its other side
    (but baselines "built on" or "based on" a model are); models compared with one
    another are the paper's subject."""
    assert families(abstract) == expected


@pytest.mark.parametrize("joined", ["as well as", ", as well as"])
def test_as_well_as_joining_two_models_compares_neither(joined):
    """"performs as well as GPT-4" compares; "Llama 2 as well as Mistral" is a list."""
    assert families(f"We fine-tune Llama 2 {joined} Mistral 7B on our data.") \
        == ["llama-2", "mistral"]


@pytest.mark.parametrize("contrast", ["Unlike", "Instead of", "In contrast to"])
def test_a_model_the_paper_sets_itself_apart_from_does_not_count(contrast):
    assert families(f"We prune Llama 2. {contrast} methods built on SciBERT, ours needs "
                    "no labels.") == ["llama-2"]


def test_examples_of_what_a_model_outperforms_are_baselines():
    """Examples after a comparison, however far in its clause, are the baselines."""
    assert families("Fine-tuning Llama 2 70B on our data yields a model that outperforms "
                    "many existing systems on the AlpacaEval 2.0 leaderboard, including "
                    "Claude 2 and GPT-4.") == ["llama-2"]


def test_a_result_given_for_example_is_the_papers_own():
    """"For example" opens a result of the paper's own, not a passing list ("such as")."""
    assert families("We prune attention layers. For example, removing a third of them in "
                    "a 13B Llama2 model costs 1.8%.") == ["llama-2"]


def test_than_before_an_amount_makes_no_comparison_of_models():
    assert families("For less than $200, we undo the safety training of Llama 2-Chat.") \
        == ["llama-2"]


def test_a_model_attacked_is_no_baseline():
    assert families("We craft adversarial examples against SigLIP and transfer them to "
                    "LLaVA.", title="Attacking CLIP") == ["clip", "llava"]


@pytest.mark.parametrize(("title", "expected"), [
    ("A robust CLIP vision encoder", ["clip", "llava"]), ("Token pruning", ["llava"])])
def test_a_family_counted_only_as_the_subject_counts_only_in_the_title(title, expected):
    """CLIP (`title_only`): most papers that name it use it as a part of their model."""
    assert families("We pair CLIP with LLaVA.", title=title) == expected


def test_openclip_is_clip():
    assert families("We adapt the encoders to radiology.",
                    title="Adapting OpenCLIP to radiology") == ["clip"]


def test_examples_of_the_range_a_comparison_holds_across_count():
    assert families("Our method outperforms previous structural pruning techniques across "
                    "diverse model families, including Phi-2 and Qwen-2.5.") == ["phi", "qwen"]


def test_a_list_after_a_comparison_cue_is_all_baselines():
    assert families("Our 1B model outperforms Qwen2.5-0.5B, OLMo-1B and Llama-3.2-1B.") == []


@pytest.mark.parametrize("role", ["answers judged by GPT-4", "GPT-4 as a judge",
                                  "GPT-4 as the evaluator", "GPT-4-generated answers",
                                  "data annotated with GPT-4", "GPT-4-as-a-judge scores",
                                  "agreement with human and GPT-4 judgments",
                                  "answers that we ask GPT-4 to rate",
                                  "errors we instruct GPT-4 to label",
                                  "tweets we leverage GPT-4 to annotate"])
def test_a_model_used_as_a_tool_does_not_count(role):
    assert families(f"We fine-tune Llama 2 on medical questions, with {role}.") == ["llama-2"]


@pytest.mark.parametrize("role", ["GPT-4 evaluation shows gains", "GPT-4-based metrics",
                                  "a GPT-4o-assisted evaluation", "GPT-4-0613 ratings",
                                  "both human and GPT-4 evaluations",
                                  "human evaluation and GPT-4", "outputs assessed by GPT-4",
                                  "the GPT-3.5 judge's scores",
                                  "we use GPT-4 to judge the answers"])
def test_a_model_named_as_the_means_of_evaluation_is_a_tool(role):
    assert families(f"We fine-tune Llama 2 on medical questions; {role}.") == ["llama-2"]


@pytest.mark.parametrize("subject", ["an evaluation of GPT-4", "We evaluate GPT-4",
                                     "GPT-4. Evaluation shows", "a GPT-4-based assistant"])
def test_a_model_the_evaluation_is_about_counts(subject):
    assert families(f"We study law exams: {subject} on them.") == ["gpt"]


def test_a_model_the_paper_studies_counts_beside_a_tool():
    assert families("We evaluate GPT-4 on law exams, with answers graded by Claude.") == ["gpt"]


@pytest.mark.parametrize("baseline", ["LLaMA as a baseline", "LLaMA-7B as the baseline",
                                      "LLaMA as a strong baseline", "LLaMA as baselines"])
def test_a_model_named_right_before_as_a_baseline_is_one(baseline):
    assert families(f"We train linear attention models from scratch and include {baseline}.") \
        == []


@pytest.mark.parametrize("baseline", ["the OPT-1.3B baseline", "the LLaMA baselines"])
def test_a_model_named_right_before_the_word_baseline_is_one(baseline):
    assert families(f"Our sparse attention keeps the quality of {baseline}.") == []


@pytest.mark.parametrize(("name", "family"), [
    ("XLM-R", "bert-t5"), ("XLM-RoBERTa", "bert-t5"), ("CodeT5", "bert-t5"),
    ("ByT5", "bert-t5"), ("LongT5", "bert-t5"), ("ELECTRA", "bert-t5"),
    ("OpenLLaMA", "open-research"), ("Open-LLaMA", "open-research")])
def test_a_family_member_named_on_its_own_is_found(name, family):
    assert families(f"We fine-tune {name} on low-resource tasks.") == [family]


def test_a_model_the_paper_builds_a_baseline_on_still_counts():
    assert families("We fine-tune LLaMA as a chat model and report a baseline.") == ["llama"]


def test_a_passing_example_does_not_count():
    assert families("Large language models such as ChatGPT and LLaMA have shown "
                    "remarkable abilities. We study tokenisers.") == []


@pytest.mark.parametrize("times", ["In the era of", "In the age of", "Since the emergence of",
                                   "With the popularity of", "Upon the arrival of"])
def test_a_model_that_marks_the_times_is_named_in_passing(times):
    assert families(f"{times} ChatGPT, chatbots have become common.") == []


def test_a_passing_example_before_the_papers_own_clause_does_not_count():
    """The labelling policy's own example of a passing list, followed by what the paper
    does in a clause of its own: "and we" starts it."""
    assert families("Large language models such as ChatGPT and LLaMA have transformed NLP, "
                    "and we study how sentiment is represented inside them.") == []
    assert families("We adapt models such as LLaMA, and we study their sentiment.") == ["llama"]


def test_an_example_in_a_sentence_about_the_papers_work_counts():
    assert families("We fine-tune several models such as Llama 2 and Mistral.") \
        == ["llama-2", "mistral"]


def test_a_family_named_only_in_the_background_does_not_count():
    assert families("Since the advent of ChatGPT, language models have spread. In this paper "
                    "we study how tokenisers split numbers.") == []


def test_a_family_named_in_the_background_and_again_in_the_work_counts():
    assert families("Llama 2 opened the field. We fine-tune Llama 2 on court rulings.") \
        == ["llama-2"]


@pytest.mark.parametrize("itself", ["This evaluation tests", "This analysis compares",
                                    "This study tests", "This survey reviews"])
def test_the_work_begins_where_the_abstract_names_itself_in_any_of_its_kinds(itself):
    assert families(f"Doctors write notes by hand. {itself} open models on their notes: "
                    "Llama 3.1 8B did best. We share the data.") == ["llama-3"]


def test_an_abstract_that_never_speaks_of_itself_has_no_background():
    assert families("Llama 2 is fine-tuned on court rulings and evaluated.") == ["llama-2"]


def test_a_generation_stands_for_its_parent():
    assert families("We fine-tune Llama 2 on legal questions.", "Teaching Llama law") \
        == ["llama-2"]


@pytest.mark.parametrize("abstract", ["We prune LLaMA and LLaMA-2 models.",
                                      "Models trained from LLaMA-13B and LLaMA2-13B."])
def test_a_parent_named_on_its_own_is_kept_beside_its_generation(abstract):
    assert families(abstract) == ["llama", "llama-2"]


@pytest.mark.parametrize("text", ["GPT-4o-level performance in astronomy",
                                  "usable (e.g., GPT-4V) level performance",
                                  "a GPT-style decoder", "BERT-like encoders",
                                  "Tuning on the Alpaca dataset", "Scores on the Video-ChatGPT "
                                  "benchmark"])
def test_a_likeness_is_not_the_model(text):
    assert families("We train a small model.", text) == []


def test_a_name_inside_a_web_address_is_not_a_mention():
    assert families("Code is at https://github.com/example/llama-factory and "
                    "github.com/x/mistral-tools.") == []


def test_a_compound_name_is_not_the_family():
    assert families("LlamaFactory unifies fine-tuning of 100 language models.") == []


def test_each_family_has_its_evidence():
    assert TAXONOMY is not None
    labels = classify("A study", "We fine-tune Llama 2 7B on legal questions.", TAXONOMY)
    assert labels.evidence["llama-2"] == ('abstract: "we fine-tune llama 2 7b on legal questions." '
                                          '(cue: "fine-tun")')


def test_the_evidence_is_the_mention_that_shows_the_family_best():
    assert TAXONOMY is not None
    labels = classify("A study", "Llama 2 is popular. Its answers are long. In this paper we "
                      "prune Llama 2 for phones.", TAXONOMY)
    assert labels.evidence["llama-2"] == ('abstract: "are long. in this paper we prune llama 2 for '
                                          'phones." (cue: "prun")')
    assert classify("Teaching Llama 2 law", "We study courts.", TAXONOMY).evidence["llama-2"] \
        == 'title: "teaching llama 2 law"'
    none_says_so = classify("A study", "Llama 2 is popular. This paper is about answers: Llama 2 "
                            "gives long ones, and Llama 2 rarely stops.", TAXONOMY)
    assert none_says_so.evidence["llama-2"] == ('abstract: "popular. this paper is about answers: '
                                                'llama 2 gives long ones, and llama 2"')


@pytest.mark.parametrize("abbreviation", ["e.g.", "i.e.", "w.r.t.", "cf.", "vs.", "et al."])
def test_an_abbreviations_stops_end_no_sentence(abbreviation):
    text = f"chat models ({abbreviation} llama 2) answer. we fine-tune one."
    assert _without_abbreviation_stops(text) == text.replace(
        abbreviation, abbreviation.replace(".", ""))
    assert _without_abbreviation_stops("no abbreviation. here.") == "no abbreviation. here."


def test_compare_in_any_form_makes_a_baseline():
    assert families("We fine-tune Llama 2 and compare it with GPT-4.") == ["llama-2"]


# The fragments of a hostile abstract: those named in the issue at 1 MB, others at 256 KB.
FRAGMENTS = {"Llama-": 2**20, "-": 2**20, "/": 2**20, "LLaMA-1/2/": 2**18,
             "llama 2 and ": 2**18, "such as Llama, ": 2**18, "www.llama/": 2**18}


def test_a_megabyte_of_name_fragments_is_classified_in_linear_time():
    """Every rule reads a bounded window around each mention: a 1 MB abstract made of name
    fragments is classified in seconds (run apart, so a regression fails, not hangs)."""
    script = ("import sys; from pathlib import Path; from sitegen.ingest.classify import classify; "
              "from sitegen.catalogue.taxonomyload import load_taxonomy; "
              "t, _ = load_taxonomy(Path('content/taxonomy.yaml'), 'x'); "
              "args = sys.argv[1:]; "
              "[classify('T', (f * (int(n) // len(f) + 1))[:int(n)], t) "
              "for f, n in zip(args[::2], args[1::2])]; print('done')")
    arguments = [str(part) for pair in FRAGMENTS.items() for part in pair]
    done = subprocess.run([sys.executable, "-c", script, *arguments], cwd=ROOT,
                          capture_output=True, text=True, timeout=240, check=True)
    assert done.stdout == "done\n"
