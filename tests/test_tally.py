"""A positioned field's postings counted for every document at once (`search.tally`) are
those counted document by document, term by term: the same documents, counts, runs of
places and first places, with the terms in the order they first appear."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.search.postings import grouped, run_of
from sitegen.search.tally import Tally, tally

TERMS = st.sampled_from(["llama2", "model", "token", "quantiz", "zebra", "x", "éco"])


def counted_one_by_one(tokens: list[list[str]]) -> Tally:
    """The plain way: each document's terms grouped by where they stand, then appended."""
    counted = Tally({}, {}, {})
    for doc, terms in enumerate(tokens):
        at, _ = grouped(terms)
        for term, where in at.items():
            if term not in counted.found:
                counted.found[term] = ([], [])  # type: ignore[assignment]
                counted.places[term] = []  # type: ignore[assignment]
                counted.first[term] = (doc, where[0])
            counted.found[term][0].append(doc)
            counted.found[term][1].append(len(where))
            counted.places[term].extend(run_of(where))
    return counted


def as_lists(counted: Tally) -> tuple:
    """Every part as lists, in the order of the dictionaries."""
    return ([(term, list(docs), list(counts)) for term, (docs, counts) in counted.found.items()],
            [(term, list(runs)) for term, runs in counted.places.items()],
            list(counted.first.items()))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(TERMS, max_size=12), max_size=8))
def test_counting_all_documents_at_once_counts_what_counting_one_by_one_does(tokens):
    assert as_lists(tally(tokens)) == as_lists(counted_one_by_one(tokens))


def test_a_term_standing_several_times_has_its_count_first_place_and_gaps_as_its_run():
    counted = tally([["a", "b", "a", "c", "a"], [], ["c", "c"]])
    assert list(counted.found) == ["a", "b", "c"]
    assert [list(part) for part in counted.found["a"]] == [[0], [3]]
    assert list(counted.places["a"]) == [3, 0, 2, 2]
    assert [list(part) for part in counted.found["c"]] == [[0, 2], [1, 2]]
    assert list(counted.places["c"]) == [1, 3, 2, 0, 1]
    assert counted.first == {"a": (0, 0), "b": (0, 1), "c": (0, 3)}


def test_no_documents_or_only_empty_ones_have_no_postings():
    for tokens in ([], [[], []]):
        assert as_lists(tally(tokens)) == ([], [], [])
