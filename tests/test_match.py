"""The matcher: slight variants of a title merge, look-alike papers never do."""

from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from sitegen.catalogue import blocking, match, typos
from sitegen.catalogue import lookalikes as lookalikes_module
from sitegen.catalogue.lookalikes import lookalikes
from sitegen.catalogue.match import DIFFERENT, SAME, UNSURE, abstract_similarity, compare
from sitegen.core.model import Paper

ABSTRACT = ("We present a lightweight adaption method to efficiently fine-tune a model into an "
            "instruction-following model using self-instruct demonstrations and zero-init "
            "attention, with few learnable parameters and under an hour of training.")
OTHER = ("Small language models are increasingly popular for their efficiency. This survey "
         "reviews architectures, training techniques and compression methods for them.")


@pytest.mark.parametrize("variant", [
    "llama-adapter: efficient fine-tuning of language models with zero-init attention",
    "LLaMA-Adapter : Efficient Fine-tuning of Language Models with Zero-init Attention.",
    "LLaMA\u2013Adapter: Efficient Fine\u2011tuning of Language Models with Zero-init Attention",
    "LLaMA-Adapter: Efficient Fine-tuning of Language Modles with Zero-init Attention",
    "LLaMA-Adapter:  Efficient   Finetuning of Language Models with Zero-init Attention",
])
def test_variants_of_a_title_are_the_same_paper(variant):
    title = "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention"
    assert compare(variant, ABSTRACT, title, ABSTRACT).decision == SAME


def test_truncated_abstract_is_the_same_text():
    assert abstract_similarity(ABSTRACT[:120] + "...", ABSTRACT) == 100
    assert abstract_similarity(ABSTRACT, OTHER) < 60


@pytest.mark.parametrize(("first", "second"), [
    ("A Survey of Large Language Models", "A Survey of Small Language Models"),
    ("LLaMA-Adapter", "LLaMA-Adapter V2"),
    ("LLaMA-Omni: Seamless Speech Interaction", "LLaMA-Omni2: Seamless Speech Interaction"),
    ("The Llama 3 Herd of Models", "The Llama 4 Herd of Models"),
    ("Falconet-1.3B: A Small Model", "Falconet-13B: A Small Model"),  # one number, another
    ("Scaling 2-7B Models", "Scaling 27B Models"),
    ("CodeProbe: Evaluating LLMs on C", "CodeProbe: Evaluating LLMs on C++"),  # languages
    ("Evaluating LLMs on C#", "Evaluating LLMs on F#"),
])
def test_look_alikes_never_merge_even_with_the_same_abstract(first, second):
    assert compare(first, OTHER, second, ABSTRACT).decision == DIFFERENT
    assert compare(first, ABSTRACT, second, ABSTRACT).decision != SAME


# An abstract reworded for another model: the same shape, other words (about 84 alike).
PARALLEL = ABSTRACT.replace("lightweight adaption", "light adaptation").replace(
    "self-instruct demonstrations", "image-text pairs").replace("under an hour", "a day")


@pytest.mark.parametrize(("first", "second"), [
    ("Jailbreaking LLaMA with Adversarial Suffixes",
     "Jailbreaking LLaVA with Adversarial Suffixes"),
    ("Probing BERT for Syntax", "Probing BART for Syntax"),
    ("Evaluating GPT-4o on Charts", "Evaluating GPT-4v on Charts"),
    ("GPT-4 在医学问答中的评测", "GPT-4 在法律问答中的评测"),
    ("Обзор больших моделей", "Обзор малых моделей"),
])
def test_a_name_or_a_word_beyond_ascii_letters_has_no_typo(first, second):
    """One letter makes another model (`LLaVA`), and in a script without spaces a word is a
    whole phrase: neither is taken for a typo, even with the same abstract."""
    assert typos.title_typos(first, second) is None
    assert compare(first, PARALLEL, second, ABSTRACT).decision != SAME


def test_titles_without_words_are_the_same_only_as_the_very_same_text():
    for first, second in [("!!!???", "\U0001f999\U0001f999"), ("Ω", "Ψ"), ("?!", "!?")]:
        assert typos.title_typos(first, second) is None
        assert compare(first, ABSTRACT, second, ABSTRACT).decision != SAME
    assert compare("\U0001f999!", ABSTRACT, "\U0001f999!", ABSTRACT).decision == SAME


def test_a_typo_merges_only_with_nearly_the_same_abstract():
    """`Mistral` and `Mixtral` are a typo apart: with a reworded abstract they are left to
    a person, with the same abstract they are one paper."""
    assert abstract_similarity(PARALLEL, ABSTRACT) >= match.SAME_ABSTRACT
    assert compare("Mixtral of Experts", PARALLEL, "Mistral of Experts", ABSTRACT
                   ).decision == UNSURE
    assert compare("Mixtral of Experts", ABSTRACT, "Mistral of Experts", ABSTRACT
                   ).decision == SAME


def test_a_word_each_abstract_repeats_as_its_title_writes_it_is_no_typo():
    """"Inductive" and "Deductive" are two letters apart, as a slip may be; but each paper's
    abstract says its own word, and not the other's: two papers, for a person to decide."""
    inductive = ABSTRACT + " We release 2,400 inductive reasoning problems."
    deductive = ABSTRACT + " We release 2,400 deductive reasoning problems."
    verdict = compare("Inductive Reasoning in Large Models", inductive,
                      "Deductive Reasoning in Large Models", deductive)
    assert verdict.decision == UNSURE and "each abstract repeats its title's word" in verdict.reason
    assert compare("Inductive Reasoning in Large Models", inductive,  # a slip, in one title
                   "Indutcive Reasoning in Large Models", inductive).decision == SAME


def test_a_whole_short_abstract_is_not_compared_with_the_opening_of_a_longer_one():
    """Two papers of one title whose abstracts share their first sentence: the shorter
    ends as a text ends, so it is no cut copy of the longer's opening, and the pair is left
    to a person; cut within a sentence, it is a truncated copy and the same paper."""
    opening = "Large language models are now used widely, in many fields and languages. "
    method = opening + ("We measure the calibration of twelve open models on question "
                        "answering and code, and show that instruction tuning makes it worse.")
    survey = opening + "We survey thirty clinicians on how they read it."
    verdict = compare("On Calibration", method, "On Calibration", survey)
    assert verdict.decision == UNSURE and verdict.abstract_score < match.SAME_ABSTRACT
    cut = method[:len(opening) + 30]  # ends within the second sentence
    assert compare("On Calibration", method, "On Calibration", cut).decision == SAME


def test_two_arxiv_ids_are_two_papers_however_alike_their_texts():
    same = compare("Scaling Laws", ABSTRACT, "Scaling Laws", ABSTRACT)
    assert match.apart_by_arxiv(same, "2401.00001v2", "2401.00001").decision == SAME
    assert match.apart_by_arxiv(same, "", "2401.00001").decision == SAME
    apart = match.apart_by_arxiv(same, "2401.00001", "2409.09999v1")
    assert apart.decision == UNSURE
    assert apart.reason == "same title, but arXiv ids 2401.00001 and 2409.09999v1 differ"


def test_same_title_with_a_different_abstract_is_left_to_a_person():
    verdict = compare("Scaling Laws", ABSTRACT, "Scaling Laws", OTHER)
    assert verdict.decision == UNSURE
    assert verdict.explain().startswith("same title but abstracts differ; title 100, abstract ")


def test_a_renamed_paper_with_the_same_abstract_is_left_to_a_person():
    verdict = compare("Zero-init Attention for Adapters", ABSTRACT,
                      "Zero-init Attention Adapters for LLaMA", ABSTRACT)
    assert verdict.decision == UNSURE and "same abstract, different title" in verdict.explain()


def test_a_typo_in_a_short_word_still_merges_but_a_single_letter_word_must_match():
    assert compare("A Survey od Large Models", ABSTRACT, "A Survey of Large Models",
                   ABSTRACT).decision == SAME
    assert compare("I Survey of Large Models", ABSTRACT, "A Survey of Large Models",
                   ABSTRACT).decision != SAME


def test_a_renamed_paper_is_found_when_its_abstracts_first_words_changed_too():
    """Llama 3 made Llama 3.1 in the title and the first sentence: the titles have not as
    many words, and the abstracts' openings differ; their next words are the same."""
    from sitegen.catalogue.blocking import candidate_pairs

    abstract = ("We fine-tune Llama 3 8B on 12,000 legal question-answer pairs collected "
                "from public court rulings in Kenya, with LoRA adapters and a curriculum.")
    titles = ["Fine-Tuning Llama 3 for Low-Resource Legal Question Answering",
              "Fine-Tuning Llama 3.1 for Low-Resource Legal Question Answering"]
    assert candidate_pairs(titles, [abstract, abstract.replace("3 8B", "3.1 8B")]) == [(0, 1)]
    assert compare(titles[0], abstract, titles[1], abstract.replace("3 8B", "3.1 8B")
                   ).decision == UNSURE


def test_candidate_pairs_find_look_alikes_without_comparing_every_pair():
    from sitegen.catalogue.blocking import candidate_pairs

    titles = ["LLaMA-Adapter: Efficient Fine-tuning of Language Models",
              "A Survey of Small Language Models",
              "LLaMA-Adaptr: Efficient Fine-tuning of Language Modls",  # two typos
              "Zero-init Attention for Adapters",
              "Zero-init Attention Adapters for LLaMA",  # renamed, same abstract
              "Mamba: Linear-Time Sequence Modeling"]
    abstracts = [ABSTRACT, OTHER, ABSTRACT, ABSTRACT + " v1", ABSTRACT + " v2", OTHER]
    pairs = candidate_pairs(titles, abstracts)
    assert (0, 2) in pairs and (3, 4) in pairs
    assert (1, 5) in pairs  # one text under two titles nothing alike: a paper retitled whole
    assert (0, 5) not in pairs and (1, 3) not in pairs and (1, 4) not in pairs


def test_a_paper_retitled_whole_with_its_abstract_is_left_to_a_person():
    """Titles nothing alike, abstracts all but equal: unsure (the same paper, renamed, or a
    copy), not different; a different text under another title stays different."""
    verdict = compare("Language Models That Reward Themselves", ABSTRACT,
                      "Self-Rewarding Language Models", ABSTRACT + " Code is released.")
    assert verdict.decision == UNSURE and verdict.title_score < match.RENAMED_TITLE
    assert "same abstract, new title" in verdict.explain()
    assert compare("Language Models That Reward Themselves", OTHER,
                   "Self-Rewarding Language Models", ABSTRACT).decision == DIFFERENT


# Words whose folding changes their length or drops marks, some long enough that a
# few fill an abstract's head, between spaces of several kinds.
FOLDED_WORD = st.lists(st.sampled_from(["a", "É", "e\u0301", "\u0301", "\u0327\u0301", "ß",
                                        "ﬁ", "\u2014", "İ", "\uff58", "Ωmega"]),
                       min_size=1, max_size=80).map("".join)
FOLDABLE = st.lists(st.tuples(FOLDED_WORD, st.sampled_from([" ", "  ", "\t", "\u00a0"])),
                    max_size=20).map(lambda words: "".join(w + gap for w, gap in words))


@settings(max_examples=400, deadline=None)
@given(FOLDABLE, st.integers(0, 80))
def test_an_abstracts_opening_is_the_first_words_of_the_whole_text_folded(text, head):
    """The opening is found by folding only the abstract's head (shortened here, so that
    small texts have one): the same words as folding all of it, whatever characters lie
    on either side of where the head ends."""
    whole = tuple(match.fold(text).split(None, 16)[:16])
    runs = tuple(f"#{place} " + " ".join(whole[start:start + 8])
                 for place, start in enumerate((0, 8)) if start + 8 <= len(whole))
    runs += ("#text " + " ".join(whole),) if len(whole) == 16 else ()
    with mock.patch.object(blocking, "OPENING_HEAD", head):
        assert blocking.abstract_keys.__wrapped__(text) == runs


def test_candidate_pairs_are_those_of_every_pair_the_blocking_can_find():
    """Blocking on each title's rarest words (or the abstract's opening) finds exactly the
    pairs that share such a key and whose titles are close, and those whose abstracts open
    with the same sixteen words whatever their titles, checked here against every pair of
    a small catalogue with shared, rare and repeated words."""

    words = ["llama", "adapter", "sparse", "attention", "vision", "tokens", "mamba", "data"]
    titles = [" ".join(words[(k * j) % len(words)] for j in range(1, 3 + k % 4))
              for k in range(40)]
    abstracts = [(ABSTRACT if k % 5 == 0 else OTHER) + f" {k % 3}" for k in range(40)]
    found = set(blocking.candidate_pairs(titles, abstracts))
    sized = [blocking.sized_words(match.title_tokens(t)) for t in titles]
    frequency: dict = {}
    for keys in sized:
        for key in keys:
            frequency[key] = frequency.get(key, 0) + 1
    rarest = [set(sorted(keys, key=lambda t: (frequency[t], t))[:blocking.BLOCKING_TOKENS])
              for keys in sized]
    openings = [tuple(a.casefold().split()[:8]) for a in abstracts]
    texts = [tuple(a.casefold().split()[:16]) for a in abstracts]
    expected = {(i, j) for i in range(40) for j in range(i + 1, 40)
                if ((rarest[i] & rarest[j] or openings[i] == openings[j])
                and fuzz.ratio(" ".join(match.title_tokens(titles[i])),
                               " ".join(match.title_tokens(titles[j]))) >= match.RENAMED_TITLE)
                or (texts[i] == texts[j] and len(texts[i]) == 16)}
    assert found == expected and found


def test_a_pair_compared_again_is_remembered_in_either_order():
    """Ingest's matching judges an entry against a paper, the look-alike check after it a
    paper against another: each pair is judged once."""
    match._judged.cache_clear()
    first = compare("Sparse Attention", ABSTRACT, "Sparse Atention", ABSTRACT)
    assert compare("Sparse Attention", ABSTRACT, "Sparse Atention", ABSTRACT) is first
    assert compare("Sparse Atention", ABSTRACT, "Sparse Attention", ABSTRACT) is first
    assert match._judged.cache_info().hits == 2
    assert match._judged.__wrapped__("Sparse Atention", ABSTRACT, "Sparse Attention",
                                     ABSTRACT) == first


LOOKALIKE_TITLES = ["LLaMA-Adapter: Efficient Fine-tuning", "LLaMA-Adaptr: Efficient Fine-tuning",
                    "Zero-init Attention for Adapters", "Zero-init Attention Adapters for LLaMA",
                    "A Survey of Small Language Models"]
LOOKALIKE_ABSTRACTS = [ABSTRACT, ABSTRACT, ABSTRACT + " v1", ABSTRACT + " v2", OTHER]


def lookalike_papers() -> list[Paper]:
    return [Paper(id=f"paper-{k}", title=title, abstract=abstract, topics=[], families=[],
                  added="2024-01-01", distinct_from=["paper-9"] if k == 2 else [])
            for k, (title, abstract) in enumerate(zip(LOOKALIKE_TITLES, LOOKALIKE_ABSTRACTS,
                                                      strict=True))]


class Fresh(dict):
    """Verdicts judged afresh: a check given them works out its answer anew."""

    def put(self, key: str, verdict: match.Verdict) -> None:
        self[key] = verdict


def forget_lookalikes() -> None:
    lookalikes_module._last = None
    match._judged.cache_clear()
    blocking._LAST.forget()


def test_checking_ahead_leaves_the_check_that_loads_the_papers_done():
    """An ingest works out the look-alike check of the papers it is about to write (while
    its second process labels them): the check that loads them, papers equal to those
    (not the same objects), finds the answer a fresh check gives, worked out."""
    forget_lookalikes()
    fresh = lookalikes(lookalike_papers())
    forget_lookalikes()
    lookalikes_module.check_ahead(lookalike_papers())
    assert match._judged.cache_info().misses == 6  # the four papers of one text: each pair
    with mock.patch.object(blocking, "candidate_pairs", side_effect=AssertionError):
        assert lookalikes(lookalike_papers()) == fresh
    assert [verdict.decision for _, _, verdict in fresh] == [SAME, *[UNSURE] * 5]


def _renamed(papers: list[Paper]) -> None:
    papers[3].id = "paper-9"  # which paper-2 is marked distinct from


@pytest.mark.parametrize("change", [
    lambda papers: setattr(papers[1], "title", "A Survey of Small Language Models"),
    lambda papers: setattr(papers[3], "abstract", OTHER),
    lambda papers: [setattr(papers[k], "arxiv", f"2401.0000{k}") for k in (0, 1)],
    lambda papers: setattr(papers[0], "distinct_from", ["paper-1"]),
    _renamed,
], ids=["title", "abstract", "arxiv", "distinct_from", "id"])
def test_a_check_of_papers_changed_in_what_its_answer_depends_on_is_worked_out_again(change):
    forget_lookalikes()
    before = lookalikes(lookalike_papers())
    papers = lookalike_papers()
    change(papers)
    after = lookalikes(papers)
    assert after == lookalikes(papers, judged=Fresh()) != before


TEXTS = st.text(alphabet=st.sampled_from("ab c1.-"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS, TEXTS, TEXTS)
def test_a_verdict_does_not_depend_on_which_paper_comes_first(title, abstract, other_title,
                                                              other_abstract):
    """Which is the entry and which the known paper changes nothing: not the decision,
    nor the scores, nor the reason (`abstract_similarity` breaks ties of length by text)."""
    assert (match._judged.__wrapped__(title, abstract, other_title, other_abstract)
            == match._judged.__wrapped__(other_title, other_abstract, title, abstract))
    assert (abstract_similarity(abstract + "...", other_abstract)
            == abstract_similarity(other_abstract, abstract + "..."))


WORDS = ["llama", "lama", "adapter", "sparse", "attention", "vision", "tokens", "mamba",
         "2", "data", "model", "long"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["retitle", "abstract", "add", "remove"]),
                          st.integers(0, 30), st.lists(st.sampled_from(WORDS), min_size=1,
                                                       max_size=7)),
                max_size=12))
def test_candidate_pairs_after_any_edits_are_those_found_afresh(edits):
    """The pairs found from what the last call worked out (the preview's case: a few
    titles and abstracts changed, added or removed since) are those a new start finds,
    and so are each title's rarest keys and each key's titles."""
    # titles of up to 7 words: more than BLOCKING_TOKENS, so which are rarest matters
    titles = [" ".join(WORDS[(k * j + j // 2) % len(WORDS)] for j in range(1, 2 + k % 7))
              for k in range(24)]
    abstracts = [(ABSTRACT if k % 5 == 0 else OTHER) + f" {k % 3}" for k in range(24)]
    kept = blocking.Blocking()

    def same_as_afresh() -> bool:
        fresh = blocking.Blocking()
        pairs = fresh.pairs(titles, abstracts, False)
        return kept.pairs(titles, abstracts, False) == pairs and (
            kept.rarest, kept.holders) == (fresh.rarest, fresh.holders)

    assert same_as_afresh()
    for kind, at, words in edits:
        at %= len(titles) or 1
        if kind == "retitle" and titles:
            titles[at] = " ".join(words)
        elif kind == "abstract" and abstracts:
            abstracts[at] = " ".join(words * 3) if len(words) > 2 else ABSTRACT
        elif kind == "add":
            titles.insert(at, " ".join(words))
            abstracts.insert(at, OTHER)
        elif kind == "remove" and titles:
            del titles[at], abstracts[at]
        assert same_as_afresh()


def test_titles_alike_by_the_thousand_make_pairs_in_proportion_not_in_square():
    """A dump of one title again and again, each with its own abstract: each title is paired
    with the CLOSEST_LATER most alike later ones, not with all (the 400 below would make
    79,800 pairs to judge, 2,000 of them two million)."""
    titles = ["A Survey of Large Language Models"] * 400
    abstracts = [f"{OTHER} Version {k}." for k in range(400)]
    pairs = blocking.candidate_pairs(titles, abstracts)
    later: dict[int, int] = {}
    for i, _ in pairs:
        later[i] = later.get(i, 0) + 1
    assert max(later.values()) == blocking.CLOSEST_LATER
    assert len(pairs) < 400 * blocking.CLOSEST_LATER
