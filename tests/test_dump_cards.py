"""What a paper's card prints around its title and abstract, as a browser copies a listing:
votes, comments, counts of authors, who submitted it, when it was published, the names of
its authors, the site's navigation. None of it becomes a paper, nor takes a title's place;
a title a narrow copy cut into two lines is joined back."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from sitegen.ingest.chrome import looks_like_names
from sitegen.ingest.dumps import read_dump

CARDS = FIXTURES / "cards"


def test_a_browser_copy_of_a_listing_gives_its_papers_and_nothing_else():
    entries, problems = read_dump(CARDS / "browser-copy.txt")
    assert problems == []
    assert [(e.title, e.abstract.split(".")[0], e.arxiv) for e in entries] == [
        ("NEFTune: Noisy Embeddings Improve Instruction Finetuning",
         "We show that language model finetuning can be improved, sometimes dramatically, "
         "with a simple augmentation", ""),
        ("LLM Compression with Neural Architecture Search",
         "Large language models exhibit remarkable reasoning abilities", ""),
        ("An Image is Worth 1/2 Tokens After Layer 2: Plug-and-Play Inference Acceleration",
         "In this study, we identify the inefficient attention phenomena in large "
         "vision-language models", ""),
        ("Pipeline Analysis for Developing Instruct LLMs in Low-Resource Languages",
         "Large language models are typically optimized for resource-rich languages",
         "2307.09288"),  # the collection card's id
        ("ALLaM: Large Language Models for Arabic and English",
         "We present ALLaM, a series of large language models to support Arabic", "")]
    assert [e.line for e in entries] == [15, 24, 30, 36, 39]


def test_a_title_cut_into_two_lines_is_joined_back():
    entries, problems = read_dump(CARDS / "title-cut.txt")
    assert [e.title for e in entries] == [
        "Read-ME: Refactorizing LLMs as Router-Decoupled Mixture of Experts with System Co-Design",
        "Building pre-train LLM Dataset for the INDIC Languages: a case study on Hindi",
        "Middleware for LLMs: Tools Are Instrumental for Language Agents"]
    # a title with no abstract, before a title that starts as titles do, stays one of its own
    assert [(p.line, p.message) for p in problems] == [
        (10, "title with no abstract, skipped: 'A Paper Whose Abstract the Listing Lost'")]


def test_a_line_of_names_is_a_title_where_it_has_its_own_abstract(tmp_path: Path):
    dump = tmp_path / "names.txt"
    dump.write_text("A Survey of Large Language Models\nWe survey large language models. "
                    "It is long enough.\nLlama Guard, Code Llama\nWe study two models "
                    "named so. Both are tools.\n", "utf-8")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [e.title for e in entries] == ["A Survey of Large Language Models",
                                          "Llama Guard, Code Llama"]


@pytest.mark.parametrize(("line", "names"), [
    ("Hugo Touvron, Louis Martin, Kevin Stone", True),
    ("H. Touvron, L. Martin, K. Stone, P. Albert", True),
    ("Ludwig van Beethoven, Émilie du Châtelet and Ada Lovelace", True),
    ("Ludwig van Beethoven and Émilie du Châtelet", False),  # no comma: a title's "and"
    ("LLaMA: Open and Efficient Foundation Language Models", False),
    ("APOLLO: SGD-like Memory, AdamW-level Performance", False),
    ("Compact Language Models via Pruning and Knowledge Distillation", False),
    ("Łukasz Kaiser et al.", True),
    ("Llama 2, Mistral 7B", False),  # digits: model names
    ("Scaling, Pruning, Distilling", False),  # one word each: no names
    ("Towards a Unified View of Parameter-Efficient Transfer Learning", False),
])
def test_names_are_told_from_titles(line, names):
    assert looks_like_names(line) is names


@pytest.mark.parametrize("end", ["\u0964", "\u0965", "\u061f", "\u06d4"])
def test_sentences_end_with_the_full_stops_of_other_scripts(tmp_path: Path, end):
    dump = tmp_path / "scripts.txt"
    sentence = f"यह एक वाक्य है{end} "
    dump.write_text(f"नमस्ते: हिंदी भाषा मॉडल\n{sentence * 3}\n", "utf-8")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [e.title for e in entries] == ["नमस्ते: हिंदी भाषा मॉडल"]


def test_an_abstracts_last_paragraph_linking_its_code_is_joined_to_it_and_no_other_line_is():
    entries, problems = read_dump(CARDS / "last-paragraph.txt")
    assert [(e.title, e.abstract.split(". ")[-1]) for e in entries] == [
        ("SLCA: Slow Learner with Classifier Alignment for Continual Learning",
         "Code and models are available at https://github.com/example/slca."),
        ("Tokenization Counts: the Impact of Tokenization on Arithmetic",
         "We study its effect on arithmetic."),
        ("A Paper Whose Title the Listing Lost",
         "It runs on and on over many clauses, describing a method, its experiments on many "
         "benchmarks, and its results, so that it is longer than any last paragraph.")]
    assert [(p.line, p.message[:31]) for p in problems] == [  # without a link: not joined
        (9, "abstract with no title, skipped"), (13, "abstract with no title, skipped")]


def test_titles_like_names_or_navigation_stay_titles_and_cut_titles_are_joined():
    """A title with "and" or a comma is no list of names; a title with sentences' stops
    and a byline under it is no last paragraph of the abstract before it; a navigation
    word after a title cut short is the rest of the title."""
    entries, problems = read_dump(CARDS / "look-alikes.txt")
    assert [(e.line, e.title, e.abstract.split(" ")[:2]) for e in entries] == [
        (2, "LLaMA: Open and Efficient Foundation Language Models", ["We", "introduce"]),
        (4, "LLMs vs. Humans: Who Writes Better Code?", ["We", "compare"]),
        (7, "Nemotron-H: A Family of Accurate and Efficient Hybrid Mamba-Transformer Models",
         ["We", "introduce"]),
        (10, "Self-Rewarding Language Models", ["We", "posit"]),
        (13, "Code Llama: Open Foundation Models for Code", ["We", "release"])]
    assert entries[0].abstract.endswith("trillions of tokens.")
    assert [(p.line, p.message) for p in problems] == [
        (1, "title with no abstract, skipped: 'Attention Is All You Need'")]


def test_a_copy_of_paper_pages_gives_each_paper_its_title_abstract_and_id():
    """What a paper's own page prints around its title: the breadcrumb, the submitter and
    the day, its rank, counts with their words, a byline with footnote marks, the links
    under it; and a title cut in two before a byline or a count."""
    entries, problems = read_dump(CARDS / "paper-pages.txt")
    assert problems == []
    assert [(e.title, e.abstract.split(",")[0], e.arxiv) for e in entries] == [
        ("Llama 2: Open Foundation and Fine-Tuned Chat Models", "In this work", "2307.09288"),
        ("A Comprehensive Evaluation of Quantization Strategies for Large Language Models",
         "We evaluate quantization strategies for large language models. We measure knowledge",
         "2401.02385")]


def test_a_list_of_titles_has_no_abstracts(tmp_path: Path):
    """A question after a title is another title, not its abstract."""
    dump = tmp_path / "titles.txt"
    dump.write_text("2 OLMo 2 Furious\nAre Large Language Models In-Context Graph Learners?\n"
                    "Mistral 7B\n", "utf-8")
    entries, problems = read_dump(dump)
    assert entries == [] and len(problems) == 3


def test_a_paper_page_s_summary_sidebar_comments_and_footer_are_no_papers():
    entries, problems = read_dump(CARDS / "paper-page-full.txt")
    assert problems == []
    assert [(e.line, e.title, e.abstract[:21], e.arxiv) for e in entries] == [
        (4, "A Law of Next-Token Prediction in Large Language Models",
         "Large language models", "2402.01201")]


def test_a_numbered_list_s_numbers_and_a_heading_above_a_blank_line_are_no_titles():
    entries, problems = read_dump(CARDS / "numbered-notes.txt")
    assert [e.title for e in entries] == [
        "QLoRA: Efficient Finetuning of Quantized LLMs", "Self-Rewarding Language Models",
        "Treat Visual Tokens as Text? But Your MLLM Only Needs Fewer Efforts to See",
        "Mistral 7B"]
    assert [(p.line, p.message[:23]) for p in problems] == [
        (1, "title with no abstract,"), (12, "title with no abstract,")]


def test_a_few_stray_lines_do_not_make_a_dump_that_was_not_wrapped_read_as_wrapped(
        tmp_path: Path):
    """Three lines no listing has, among entries: reported, the entries read as they are
    (joining the dump's runs of lines would glue the strays into titles)."""
    entries = "\n\n".join(f"A Paper Number {k}\nWe study thing {k}. It matters a lot."
                          for k in range(5))
    dump = tmp_path / "notes.txt"
    dump.write_text(f"My notes\nhttps://example.org/list\nSaved on a Tuesday\n\n{entries}\n",
                    "utf-8")
    found, problems = read_dump(dump)
    assert [e.title for e in found] == [f"A Paper Number {k}" for k in range(5)]
    assert len(problems) == 3 and all("wrapped" not in p.message for p in problems)


def test_an_abstract_pasted_wrapped_into_a_listing_is_joined_back():
    """One abstract copied from a PDF, its lines cut at a width, among abstracts on a line
    each: its lines are one abstract, not titles and fragments."""
    entries, problems = read_dump(CARDS / "pasted-wrapped.txt")
    assert problems == []
    assert [e.title for e in entries] == [
        "A Paper Before It",
        "Exploring Multimodal Large Language Models for Radiology Report Error-checking",
        "A Paper After It"]
    assert entries[1].abstract.startswith("This paper proposes one of the first clinical")
    assert entries[1].abstract.endswith("surpassed the experts in the MIMIC-CXR dataset.")
    assert "\n" not in entries[1].abstract and "  " not in entries[1].abstract
