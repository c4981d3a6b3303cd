"""Postings brought up to date from the last ones are the postings counted afresh: after
any sequence of edits to titles, abstracts, topics and families, the counts, positions,
lengths and terms, and so every file of the search data, are the same."""

from __future__ import annotations

import dataclasses

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue.load import load_catalogue, validated
from sitegen.core.model import Paper
from sitegen.search import termorder, update
from sitegen.search.files import search_plan
from sitegen.search.postings import Postings, count_postings, field_texts
from sitegen.search.termorder import TermOrder, js_key, positions_of
from sitegen.search.update import REDO, counted

SHIPPED = validated(load_catalogue(ROOT / "content"))
assert SHIPPED is not None
TAXONOMY = SHIPPED.taxonomy
PAPERS = [SHIPPED.papers[pid] for pid in sorted(SHIPPED.papers)[:40]]
WORDS = ["llama 2", "Llama-3.1", "model", "models", "the", "quantization", "zebra", "a", "",
         "token", "tokens", "mixtral", "of", "ÉCOLE", "x"]


def as_plain(postings: Postings) -> tuple:
    """Postings as comparable values; terms as a set (their order only numbers lunr's
    vectors, which only the tests make)."""
    return (set(postings.terms),
            [{t: (list(d), list(c)) for t, (d, c) in found.items()} for found in postings.fields],
            [{t: list(runs) for t, runs in places.items()} for places in postings.positions],
            [list(lengths) for lengths in postings.lengths])


def edit(draw: st.DrawFn, paper: Paper) -> Paper:
    words = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
    kind = draw(st.sampled_from(["title", "abstract", "topics", "families", "same"]))
    if kind in ("title", "abstract"):
        text = draw(words)
        kept = getattr(paper, kind)[:draw(st.integers(0, 80))]
        return dataclasses.replace(paper, **{kind: draw(st.sampled_from([text, kept + text]))})
    if kind == "topics":
        return dataclasses.replace(paper, topics=draw(st.lists(
            st.sampled_from(sorted(TAXONOMY.topics)), min_size=1, max_size=3, unique=True)))
    if kind == "families":
        return dataclasses.replace(paper, families=draw(st.lists(
            st.sampled_from(sorted(TAXONOMY.families)), max_size=3, unique=True)))
    return paper


@st.composite
def edit_rounds(draw: st.DrawFn) -> list[list[Paper]]:
    """Catalogues, each the last with up to len/REDO papers edited."""
    rounds, papers = [], list(PAPERS)
    for _ in range(draw(st.integers(1, 4))):
        for doc in draw(st.lists(st.integers(0, len(papers) - 1), max_size=len(papers) // REDO,
                                 unique=True)):
            papers[doc] = edit(draw, papers[doc])
        rounds.append(list(papers))
    return rounds


@settings(max_examples=40, deadline=None)
@given(edit_rounds())
def test_postings_brought_up_to_date_are_the_postings_counted_afresh(rounds):
    last = search_plan(PAPERS, TAXONOMY, 300).counted
    for papers in rounds:
        plan = search_plan(papers, TAXONOMY, 300, last)
        last = plan.counted
        assert as_plain(last.postings) == as_plain(count_postings(papers, TAXONOMY))
        afresh = search_plan(papers, TAXONOMY, 300)  # every shard's digest made anew
        assert [key for _, key, _ in plan.files()] == [key for _, key, _ in afresh.files()]
        assert plan.head() == afresh.head()  # the terms in the order the page sorts them


def test_the_postings_brought_up_to_date_leave_the_earlier_ones_as_they_were():
    earlier = counted(PAPERS, TAXONOMY)
    before = as_plain(earlier.postings)
    papers = [dataclasses.replace(PAPERS[0], title="Zebra tokens"), *PAPERS[1:]]
    assert as_plain(counted(papers, TAXONOMY, earlier).postings) != before
    assert as_plain(earlier.postings) == before


def test_the_search_files_made_from_postings_brought_up_to_date_are_those_made_afresh():
    papers = [*PAPERS[:3], dataclasses.replace(PAPERS[3], abstract="Mixtral zebra tokens."),
              *PAPERS[4:]]
    earlier = search_plan(PAPERS, TAXONOMY, 600).counted
    updated = search_plan(papers, TAXONOMY, 600, earlier)
    afresh = search_plan(papers, TAXONOMY, 600)
    assert updated.counted.postings is not afresh.counted.postings
    assert ([(path, key, make()) for path, key, make in updated.files()]
            == [(path, key, make()) for path, key, make in afresh.files()])


def test_a_paper_added_or_many_edited_counts_afresh(monkeypatch):
    """Adding a paper numbers the documents after it anew; past 1/REDO of them edited,
    counting is quicker than moving each."""
    earlier = counted(PAPERS, TAXONOMY)
    calls = []
    monkeypatch.setattr(update, "updated",
                        lambda *args: calls.append(args) or (args[0], frozenset()))
    counted(PAPERS[1:], TAXONOMY, earlier)
    many = [dataclasses.replace(p, title=p.title + " zebra") for p in PAPERS[:len(PAPERS) // 4]]
    counted(many + PAPERS[len(many):], TAXONOMY, earlier)
    assert calls == []
    counted([many[0], *PAPERS[1:]], TAXONOMY, earlier)
    assert len(calls) == 1


def test_the_texts_of_the_very_papers_counted_before_are_taken_from_that_count(monkeypatch):
    """Only an edited paper's texts are made again, with the same taxonomy; with another
    (which may name the labels otherwise), every paper's are."""
    earlier = counted(PAPERS, TAXONOMY)
    made: list[str] = []
    monkeypatch.setattr(update, "field_texts", lambda paper, *args: made.append(paper.id)
                        or field_texts(paper, *args))
    papers = [*PAPERS[:5], dataclasses.replace(PAPERS[5], title="Zebra"), *PAPERS[6:]]
    now = counted(papers, TAXONOMY, earlier)
    assert made == [PAPERS[5].id] and now.touched and "zebra" in now.touched
    assert now.texts == [tuple(field_texts(p, TAXONOMY).values()) for p in papers]
    made.clear()
    counted(papers, dataclasses.replace(TAXONOMY), now)
    assert made == [p.id for p in papers]


def test_field_texts_taken_from_papers_with_the_same_labels_are_the_papers_own():
    labels: dict = {}
    for paper in SHIPPED.papers.values():
        assert field_texts(paper, SHIPPED.taxonomy, labels) == field_texts(paper,
                                                                          SHIPPED.taxonomy)
    assert len(labels) < len(SHIPPED.papers)  # some papers share their set of labels


TERMS = st.sets(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\n"),
                        min_size=1, max_size=4), max_size=40)


@settings(max_examples=200, deadline=None)
@given(TERMS, TERMS, TERMS)
def test_terms_touched_are_put_in_or_taken_out_of_their_sorted_order(before, after, also):
    """Where few terms were touched, the order the page sorts them in is the last one with
    each touched term put in its place or taken out, its size measured again: what sorting
    and measuring them all gives (the names, their hashes, lines and sizes)."""
    names = sorted(before, key=js_key)
    last = TermOrder.of(list(before), names, map(len, names))
    touched = frozenset((before ^ after) | (also & before & after))
    size = {term: len(term) + 10 * (term in touched) for term in after}.__getitem__
    found = termorder._retouched(last, list(after), touched, after.__contains__, size)
    afresh = TermOrder.of(list(after), sorted(after, key=js_key), map(size, sorted(
        after, key=js_key)))
    assert found == afresh
    assert last == TermOrder.of(list(before), names, map(len, names))  # left as it was
    assert list(positions_of(names, touched)) == [names.index(t) for t in touched if t in before]


def test_a_plan_brought_up_to_date_puts_new_terms_in_the_last_order(monkeypatch):
    """The last plan's order of the terms is taken and changed where the edit touched (the
    check that the terms are in order is the afresh plan's head, which lists them)."""
    sorts = []
    monkeypatch.setattr(termorder, "RESORT", 1)  # a catalogue this small has few terms
    monkeypatch.setattr(termorder, "js_order", lambda terms: sorts.append(1) or sorted(
        range(len(terms)), key=lambda i: js_key(terms[i])))
    earlier = search_plan(PAPERS, TAXONOMY, 300).counted
    papers = [dataclasses.replace(PAPERS[0], title="Zebra Ünïcode tokens 😀"), *PAPERS[1:]]
    plan = search_plan(papers, TAXONOMY, 300, earlier)
    assert len(sorts) == 1  # the first plan's only
    assert plan.head() == search_plan(papers, TAXONOMY, 300).head()
