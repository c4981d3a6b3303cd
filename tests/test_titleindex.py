"""Ingest finds an entry's look-alikes through an inverted index, not by scoring every
known title: the index must never miss a title that could be the same paper."""

from __future__ import annotations

import random
from pathlib import Path

from sitegen.catalogue import typos
from sitegen.catalogue.load import load_catalogue
from sitegen.core.model import Paper
from sitegen.ingest.titleindex import TitleIndex

SHIPPED = Path(__file__).resolve().parent.parent / "content"


def paper(paper_id: str, title: str, abstract: str = "") -> Paper:
    return Paper(id=paper_id, title=title, abstract=abstract, topics=[], families=[],
                 added="2024-01-01")


def with_typos(title: str, rng: random.Random) -> str:
    """The title with a letter dropped or doubled in up to MAX_TYPOS of its longer plain
    words (a name such as `LLaMA` or `GPT-4o` has no typo: one letter makes another one)."""
    words = title.split()
    long = [k for k, word in enumerate(words) if len(word) >= 4 and word.isalpha()
            and word.isascii() and word[1:] == word[1:].lower()]
    for k in rng.sample(long, min(len(long), rng.randint(1, typos.MAX_TYPOS))):
        at = rng.randrange(1, len(words[k]) - 1)
        words[k] = words[k][:at] + words[k][at + 1:] if rng.random() < 0.5 \
            else words[k][:at] + words[k][at] + words[k][at:]
    return " ".join(words)


def test_every_title_that_could_be_the_same_paper_is_a_candidate():
    papers = load_catalogue(SHIPPED).papers
    index = TitleIndex(papers)
    rng = random.Random(16)
    for known in list(papers.values())[::3]:
        query = with_typos(known.title, rng)
        close = {owner for owner in index.candidates(query, limit=None)
                 if typos.title_typos(query, owner[1]) is not None}
        assert (known.id, known.title) in close
        assert close <= set(index.candidates(query, limit=len(index.choices), abstract=""))


def test_short_titles_with_a_typo_in_every_word_are_found():
    index = TitleIndex({"mamba": paper("mamba", "Mamba"),
                        "sparse": paper("sparse", "Sparse Transformers")})
    assert index.candidates("Mambo") == [("mamba", "Mamba")]
    assert index.candidates("Sparce Transformer") == [("sparse", "Sparse Transformers")]


def test_only_titles_of_as_many_words_are_scored_for_typos():
    """Titles that share the entry's words but not its length cannot differ from it by
    typos: they stay out of its block, which keeps blocks short as the catalogue grows."""
    papers = {f"p{k}": paper(f"p{k}", f"Sparse attention for long inputs {'x ' * k}part {k}")
              for k in range(1, 30)}
    papers["same"] = paper("same", "Sparse attention for long inputs")
    index = TitleIndex(papers)
    block = [index.owners[k][0] for k in index._blocked("Sparse atention for long inputs", ())]
    assert block == ["same"]
    assert index.candidates("Sparse atention for long inputs") == [
        ("same", "Sparse attention for long inputs")]


def test_a_renamed_paper_whose_first_sentence_changed_too_is_a_candidate():
    """The titles have not as many words and the abstracts open differently ("Llama 3" made
    "Llama 3.1"); the abstracts' next words are the same, so ingest still asks a person."""
    abstract = ("We fine-tune Llama 3 8B on 12,000 legal question-answer pairs collected "
                "from public court rulings in Kenya, with LoRA adapters and a curriculum.")
    known = paper("fine-tuning-llama-3", "Fine-Tuning Llama 3 for Legal Question Answering",
                  abstract)
    index = TitleIndex({known.id: known})
    assert index.candidates("Fine-Tuning Llama 3.1 for Legal Question Answering",
                            abstract=abstract.replace("3 8B", "3.1 8B")) == [
        (known.id, known.title)]


def test_a_paper_retitled_whole_is_a_candidate_by_its_abstract():
    """Titles nothing alike: only the abstract, whose opening words are all the same, says
    it may be one paper; ingest then asks a person."""
    abstract = ("We study how language models can reward their own outputs during training, "
                "using the model itself as a judge, and show iterative gains on instructions.")
    known = paper("self-rewarding", "Self-Rewarding Language Models", abstract)
    index = TitleIndex({known.id: known})
    assert index.candidates("Language Models That Reward Themselves", abstract=abstract) == [
        (known.id, known.title)]
    assert index.candidates("Language Models That Reward Themselves", limit=None,
                            abstract=abstract) == [(known.id, known.title)]
    assert index.candidates("Language Models That Reward Themselves",
                            abstract="Another text entirely, of sixteen words or more, about "
                                     "something else that no paper here has ever said.") == []
