"""Related papers: a paper's related list as it would be were it saved otherwise, made
from the catalogue as it is (the preview's first look), agrees with the catalogue."""

from __future__ import annotations

import copy
import dataclasses
import heapq
import random
import tempfile
from pathlib import Path
from unittest import mock

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue.load import load_catalogue, validated
from sitegen.core.model import Paper
from sitegen.core.perpaper import PaperMemo, keeping
from sitegen.site import related
from sitegen.site.related import RelatedIndex
from sitegen.site.relatedmemo import load
from sitegen.site.relatedpacked import dump
from sitegen.site.relatedterms import IndexState, TermWeights, label_mask, label_masks

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def index(content: Path = FIXTURE) -> RelatedIndex:
    catalogue = validated(load_catalogue(content))
    assert catalogue is not None
    return RelatedIndex(catalogue.papers, catalogue.taxonomy)


def test_a_paper_saved_as_it_is_has_the_related_papers_the_catalogue_gives_it():
    related = index()
    assert all(related.related_as_saved(paper) == related.related(paper.id)
               for paper in related.papers.values())
    assert any(related.related(paper_id) for paper_id in related.papers)


def test_a_paper_saved_with_another_papers_words_and_labels_is_related_to_it():
    related = index()
    paper, other = (related.papers[i] for i in related.ids[:2])
    saved = dataclasses.replace(paper, title=other.title, abstract=other.abstract,
                                topics=other.topics, families=other.families)
    found = related.related_as_saved(saved)
    assert found[0].id == other.id
    assert found[0].reasons[-1].startswith("shared terms: ")


def test_a_label_no_other_paper_has_is_shared_with_none():
    related = index()
    paper = related.papers[related.ids[0]]
    saved = dataclasses.replace(paper, topics=["a-topic-of-its-own"], families=[])
    bits = dict(related.bits)
    assert not any(reason.startswith("same ")
                   for found in related.related_as_saved(saved) for reason in found.reasons)
    assert related.bits == bits  # the catalogue's index is as it was


# What a preview rebuild keeps: the related papers the last one found, for every paper whose
# list cannot have changed. Those kept must be exactly what an index made afresh finds.
SHIPPED = validated(load_catalogue(ROOT / "content"))
assert SHIPPED is not None
SAMPLE = {pid: SHIPPED.papers[pid] for pid in sorted(SHIPPED.papers)[:60]}
TOPICS, FAMILIES = sorted(SHIPPED.taxonomy.topics), sorted(SHIPPED.taxonomy.families)


def edited(paper: Paper, field: str, rng: random.Random, others: list[Paper]) -> Paper:
    """The paper with one field changed as a contributor might: words taken from another
    paper's title or abstract, or other labels."""
    donor = rng.choice(others)
    if field == "title":
        words = paper.title.split() + rng.sample(donor.title.split(), 2)
        return dataclasses.replace(paper, title=" ".join(rng.sample(words, len(words))))
    if field == "abstract":
        parts = paper.abstract.split(". ")
        return dataclasses.replace(paper, abstract=". ".join(
            rng.sample(parts, max(1, len(parts) - 1)) + donor.abstract.split(". ")[:1]))
    if field == "topics":
        return dataclasses.replace(paper, topics=rng.sample(TOPICS, rng.randint(1, 3)))
    return dataclasses.replace(paper, families=rng.sample(FAMILIES, rng.randint(0, 2)))


def every_list(index: RelatedIndex) -> dict[str, list]:
    return {pid: index.related(pid) for pid in index.ids}


def as_plain(weights: TermWeights) -> tuple:
    """The weights as a cold build makes them: the terms each paper holds as strings (an
    index made from an earlier one numbers the terms it had not seen after the others),
    the weighted terms in their order (scores add them in that order)."""
    terms = list(weights.vocabulary)
    return (dict(weights.frequency), weights.idf, weights.texts,
            [list(found.items()) for found in weights.weighted],
            [sorted(terms[k] for k in held) for held in weights.held])


def through_a_file(state: IndexState, tmp: Path) -> IndexState:
    """The state as the next build reads it from the file this one kept."""
    (tmp / "memo").write_bytes(dump(state, "base"))
    found = load(tmp / "memo")
    assert found is not None
    return found


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1),
                          st.sampled_from(["title", "abstract", "topics", "families",
                                           "rename"]),
                          st.integers(0, 2**32)), min_size=1, max_size=4),
       st.sampled_from([2, 5, related.CANDIDATES_PER_KEY]), st.booleans())
def test_an_index_made_from_an_earlier_one_is_the_index_made_afresh(edits, short, kept):
    """Term weights taken from the earlier index, and lists carried over from it, are
    those of an index made afresh: from the earlier index in memory, whose unchanged papers
    are the very same objects and their terms kept (`keeping`), as in the preview's
    rebuilds, or from the state a build `kept` in a file. Short key lists (`short` holders
    at most make candidates) put the threshold where edits cross it: a list growing past
    it, or shrinking under it, changes candidates."""
    with (mock.patch.object(related, "CANDIDATES_PER_KEY", short), keeping(PaperMemo()),
          tempfile.TemporaryDirectory() as tmp):
        earlier = RelatedIndex(SAMPLE, SHIPPED.taxonomy)
        every_list(earlier)
        holders_before = copy.deepcopy(earlier.by_term)
        papers = dict(SAMPLE)
        for number, field, seed in edits:
            pid = sorted(papers)[number]
            if field == "rename":
                papers[pid + "-renamed"] = dataclasses.replace(papers.pop(pid),
                                                               id=pid + "-renamed")
                continue
            papers[pid] = edited(papers[pid], field, random.Random(seed), list(SAMPLE.values()))
        state = through_a_file(earlier.state(), Path(tmp)) if kept else earlier.state()
        later = RelatedIndex(papers, SHIPPED.taxonomy, state)
        later.carry_over(state)
        afresh = RelatedIndex(papers, SHIPPED.taxonomy)
        assert as_plain(later.weights) == as_plain(afresh.weights)
        assert later.label_index == afresh.label_index  # taken only for the same labels
        assert later.by_term == afresh.by_term  # each term's holders, changed where they moved
        assert earlier.by_term == holders_before  # and the earlier index's left as they were
        assert every_list(later) == every_list(afresh)


def test_weights_are_taken_from_an_earlier_index_only_where_they_cannot_differ():
    with keeping(PaperMemo()):
        earlier = RelatedIndex(SHIPPED.papers, SHIPPED.taxonomy)
        paper = SHIPPED.papers[earlier.ids[100]]
        papers = {**SHIPPED.papers,
                  paper.id: dataclasses.replace(paper, title=paper.title + " again")}
        later = RelatedIndex(papers, SHIPPED.taxonomy, earlier.state())
    kept = [pid for pid in later.ids
            if later.terms[later.number[pid]] is earlier.terms[earlier.number[pid]]]
    assert len(kept) > 0.9 * len(papers) and paper.id not in kept


def test_a_text_edit_keeps_the_label_index_and_a_label_edit_makes_it_again():
    earlier = RelatedIndex(SAMPLE, SHIPPED.taxonomy)
    pid = sorted(SAMPLE)[3]
    retitled = {**SAMPLE, pid: dataclasses.replace(SAMPLE[pid], title="Zebra tokens")}
    later = RelatedIndex(retitled, SHIPPED.taxonomy, earlier.state())
    assert later.label_index is earlier.label_index
    relabelled = {**SAMPLE, pid: dataclasses.replace(SAMPLE[pid], topics=["evaluation"])}
    assert SAMPLE[pid].topics != ["evaluation"]
    later = RelatedIndex(relabelled, SHIPPED.taxonomy, earlier.state())
    assert later.label_index == RelatedIndex(relabelled, SHIPPED.taxonomy).label_index
    assert later.label_index != earlier.label_index


def test_a_title_edit_keeps_most_lists_and_a_new_paper_none():
    earlier = RelatedIndex(SHIPPED.papers, SHIPPED.taxonomy)
    listed = {r.id for found in every_list(earlier).values() for r in found}
    paper = SHIPPED.papers[[pid for pid in earlier.ids if pid in listed][100]]  # one listed
    papers = {**SHIPPED.papers, paper.id: dataclasses.replace(paper, title=paper.title + " again")}
    assert RelatedIndex(papers, SHIPPED.taxonomy).carry_over(earlier.state()) > 0.9 * len(papers)
    added = dataclasses.replace(paper, id="a-new-paper")
    grown = {**SHIPPED.papers, added.id: added}
    assert RelatedIndex(grown, SHIPPED.taxonomy).carry_over(earlier.state()) == 0  # idf moves


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1),
                          st.sampled_from(["title", "abstract", "topics", "families"]),
                          st.integers(0, 2**32)), min_size=1, max_size=3),
       st.sampled_from([2, 5, related.CANDIDATES_PER_KEY]))
def test_the_papers_listing_an_edit_are_every_paper_whose_related_papers_show_it(edits, short):
    """The preview writes first the pages of the papers `listing` names: every page whose
    related papers, as an index made afresh finds them, hold an edited paper or differ
    from the earlier index's must be among them."""
    with mock.patch.object(related, "CANDIDATES_PER_KEY", short), keeping(PaperMemo()):
        earlier = RelatedIndex(SAMPLE, SHIPPED.taxonomy)
        before = every_list(earlier)
        papers = dict(SAMPLE)
        for number, field, seed in edits:
            pid = sorted(papers)[number]
            papers[pid] = edited(papers[pid], field, random.Random(seed), list(SAMPLE.values()))
        edited_ids = {sorted(papers)[number] for number, _, _ in edits}
        later = RelatedIndex(papers, SHIPPED.taxonomy, earlier.state())
        later.carry_over(earlier.state())
        not_carried = set(later.ids).difference(later._lists)
        listing = later.listing(edited_ids)
        holding = {pid for pid, found in every_list(later).items()
                   if any(r.id in edited_ids for r in found)}
        now = every_list(RelatedIndex(papers, SHIPPED.taxonomy))
    showing = {pid for pid, found in now.items()
               if found != before[pid] or any(r.id in edited_ids for r in found)}
    assert showing <= listing == not_carried | holding  # (only candidates were looked at)


def test_a_title_edit_is_listed_by_few_papers_and_by_those_that_list_it():
    earlier = RelatedIndex(SHIPPED.papers, SHIPPED.taxonomy)
    listed = {r.id for found in every_list(earlier).values() for r in found}
    paper = SHIPPED.papers[[pid for pid in earlier.ids if pid in listed][100]]  # one listed
    papers = {**SHIPPED.papers, paper.id: dataclasses.replace(paper, title=paper.title + " again")}
    later = RelatedIndex(papers, SHIPPED.taxonomy, earlier.state())
    later.carry_over(earlier.state())
    listing = later.listing({paper.id})
    holders = {pid for pid, found in every_list(later).items()
               if any(r.id == paper.id for r in found)}
    assert holders and holders <= listing and len(listing) < 0.1 * len(papers)


def test_papers_sharing_a_set_of_labels_get_the_mask_each_would_get_on_its_own():
    papers = list(SHIPPED.papers.values())
    bits: dict[tuple[str, str], int] = {}
    one_by_one = [label_mask(paper, bits) for paper in papers]
    assert label_masks(papers) == (bits, one_by_one)
    assert len(set(one_by_one)) < len(papers)  # the shipped papers do share sets


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([-4.5, -3.0, -1.25, -0.5, 0.0]),
                          st.integers(0, 40)), max_size=30, unique_by=lambda pair: pair[1]))
def test_the_best_candidates_are_the_lowest_scores_ties_to_the_smaller_number(scored):
    """`_best` pairs only the scores up to the fifth lowest: the same pairs, in the same
    order, as taking the lowest of every pair (ties are common: scores are sums of a few
    weights)."""
    scores, others = [s for s, _ in scored], [o for _, o in scored]
    assert related._best(scores, others) == heapq.nsmallest(related.RELATED, scored)


@given(st.dictionaries(st.integers(0, 60), st.floats(0, 2), max_size=40),
       st.sets(st.integers(0, 60), max_size=40))
def test_the_candidates_holding_a_term_are_found_from_either_side(holders, candidates):
    assert set(related._common(holders, candidates)) == holders.keys() & candidates
