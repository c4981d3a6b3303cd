"""Values made from one paper are kept only where a memo is open, only for that very
paper object, and only while it lives."""

from __future__ import annotations

import gc

from sitegen.core.model import Paper
from sitegen.core.perpaper import PaperMemo, keeping, per_paper

made: list[tuple[str, str]] = []


@per_paper
def shout(paper: Paper, suffix: str) -> str:
    made.append((paper.id, suffix))
    return paper.title.upper() + suffix


def paper(title: str = "Sparse attention") -> Paper:
    return Paper(id="sparse-attention", title=title, abstract="", topics=[], families=[],
                 added="2024-01-01")


def test_outside_a_memo_every_call_makes_its_value():
    made.clear()
    one = paper()
    assert shout(one, "!") == shout(one, "!") == "SPARSE ATTENTION!"
    assert len(made) == 2


def test_inside_a_memo_a_paper_and_its_arguments_make_their_value_once():
    made.clear()
    one, equal = paper(), paper()
    with keeping(PaperMemo()):
        assert [shout(one, "!"), shout(one, "!"), shout(one, "?")] == [
            "SPARSE ATTENTION!", "SPARSE ATTENTION!", "SPARSE ATTENTION?"]
        assert shout(equal, "!") == "SPARSE ATTENTION!"  # another object: made again
    assert made == [("sparse-attention", "!"), ("sparse-attention", "?"),
                    ("sparse-attention", "!")]


def test_the_memo_outlives_its_block_and_drops_a_paper_that_is_gone():
    memo, one = PaperMemo(), paper()
    with keeping(memo):
        shout(one, "!")
    made.clear()
    with keeping(memo):
        assert shout(one, "!") == "SPARSE ATTENTION!"
    assert made == [] and len(memo.kept) == 1
    del one
    gc.collect()
    assert memo.kept == {}
