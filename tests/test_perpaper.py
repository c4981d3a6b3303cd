"""Values made from one paper are kept only where a memo is open, only for that very
paper object, and only while it lives."""

from __future__ import annotations

import dataclasses
import gc

from conftest import FIXTURES

from sitegen.catalogue.load import load_catalogue, validated
from sitegen.core.model import Paper
from sitegen.core.perpaper import (
    PaperMemo,
    columns_of,
    for_each,
    keeping,
    learning,
    per_paper,
    tally_of,
)
from sitegen.site.pages import build_pages

BASE = "https://example.org/papers/"

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


@per_paper
def title_length(paper: Paper) -> int:
    made.append((paper.id, paper.title))
    return len(paper.title)


def test_each_papers_value_is_made_once_and_taken_by_place_while_the_paper_is_there():
    """A list of papers again, one replaced: only the new one's value is made; papers in
    another order, or another number of them, are looked up one by one (still made once)."""
    one, two, three = paper("a"), paper("bb"), paper("ccc")
    made.clear()
    assert for_each(title_length, [one, two]) == [1, 2]  # no memo: made every time
    assert for_each(title_length, [one, two]) == [1, 2] and len(made) == 4
    made.clear()
    memo = PaperMemo()
    with keeping(memo):
        assert for_each(title_length, [one, two]) == [1, 2]
        assert for_each(title_length, [one, three]) == [1, 3]
        assert for_each(title_length, [three, two, one]) == [3, 2, 1]
        assert for_each(title_length, [three, two, one]) == [3, 2, 1]
    assert made == [("sparse-attention", "a"), ("sparse-attention", "bb"),
                    ("sparse-attention", "ccc")]
    assert memo.lists[title_length.__wrapped__][0] == [three, two, one]


@per_paper
def title_and_mark(paper: Paper, mark: str) -> tuple[str, str]:
    made.append((paper.id, paper.title))
    return paper.title, paper.title + mark


def test_columns_are_the_rows_values_each_made_once_and_taken_by_place():
    """Rows as columns; a list with one paper replaced makes only its row again, and
    changes no column an earlier call returned; other arguments make another table."""
    one, two, three = paper("a"), paper("bb"), paper("ccc")
    assert columns_of(title_and_mark, [], 2, "!") == [[], []]
    assert columns_of(title_and_mark, [one, two], 2, "!") == [["a", "bb"], ["a!", "bb!"]]
    made.clear()
    with keeping(PaperMemo()):
        assert columns_of(title_and_mark, [], 2, "!") == [[], []]
        assert columns_of(title_and_mark, [], 2, "!") == [[], []]  # (the last call's, none)
        first = columns_of(title_and_mark, [one, two], 2, "!")
        assert columns_of(title_and_mark, [one, three], 2, "!") == [["a", "ccc"],
                                                                      ["a!", "ccc!"]]
        assert first == [["a", "bb"], ["a!", "bb!"]]
        assert columns_of(title_and_mark, [one, three], 2, "?") == [["a", "ccc"],
                                                                      ["a?", "ccc?"]]
        assert columns_of(title_and_mark, [three, one], 2, "?") == [["ccc", "a"],
                                                                      ["ccc?", "a?"]]
    assert [title for _, title in made] == ["a", "bb", "ccc", "a", "ccc"]


@per_paper
def letters(paper: Paper) -> str:
    made.append((paper.id, paper.title))
    return paper.title


def test_a_tally_counts_each_paper_once_per_value_and_follows_the_papers_replaced():
    """A replaced paper changes the counts by its values alone: one whose values are the
    same leaves the very same counts; a value no paper holds any more is left out; the
    counts an earlier call returned stay as they were."""
    aa, ab, ba = paper("aa"), paper("ab"), paper("ba")
    assert tally_of(letters, [aa, ab]) == {"a": 2, "b": 1}
    made.clear()
    with keeping(PaperMemo()):
        first = tally_of(letters, [aa, ab])
        assert tally_of(letters, [aa, ba]) is first  # "ba" holds what "ab" held
        second = tally_of(letters, [aa, paper("ac")])
        assert second == {"a": 2, "c": 1} and "b" not in second
        assert first == {"a": 2, "b": 1}
        assert tally_of(letters, [paper("c"), paper("c")]) == {"c": 2}
    assert len(made) == 6


def test_a_build_that_only_learns_values_keeps_no_list_of_papers():
    with learning():
        assert for_each(title_length, [paper("a")]) == [1]
        assert for_each(title_length, [paper("bb")]) == [2]
    made.clear()
    memo = PaperMemo(learnt_only=True)
    with keeping(memo):
        for_each(title_length, [paper("a")])
    assert memo.lists == {} and len(made) == 1


def test_the_memo_outlives_its_block_and_drops_a_paper_that_is_gone():
    memo, one = PaperMemo(), paper()
    with keeping(memo):
        shout(one, "!")
    made.clear()
    with keeping(memo):
        assert shout(one, "!") == "SPARSE ATTENTION!"
    assert made == [] and len(memo) == 1
    del one
    gc.collect()
    assert len(memo) == 0 and memo.kept == {}


def test_a_papers_list_item_is_kept_while_the_paper_and_the_label_names_are():
    """The preview's rebuilds share an unchanged paper's item (and so its digest): a label
    renamed in the taxonomy makes the items again, and those that show it show its new
    name."""
    valid = validated(load_catalogue(FIXTURES / "site"))
    topic = next(iter(valid.taxonomy.topics.values()))
    renamed = dataclasses.replace(valid, taxonomy=dataclasses.replace(
        valid.taxonomy, topics={**valid.taxonomy.topics,
                                topic.id: dataclasses.replace(topic, name="Renamed")}))
    with keeping(PaperMemo()):
        first, again, after = (build_pages(catalogue, BASE, "", lazy=True).papers._items
                               for catalogue in (valid, valid, renamed))
    assert all(again[pid] is first[pid] for pid in first)
    showing = [pid for pid, item in first.items() if any(t.id == topic.id for t in item.topics)]
    assert showing and all(after[pid] is not first[pid] and "Renamed" in
                           [t.name for t in after[pid].topics] for pid in showing)
