"""The related-papers index a build keeps beside its output: read back as it was written,
ignored when it does not read back whole, and used by the next build, which then finds
only the lists an edit can change and still makes the site a cold build makes."""

from __future__ import annotations

import dataclasses
import random
import shutil
import tempfile
from array import array
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_related import SAMPLE, SHIPPED, as_plain, edited, every_list
from test_searchmemo import SPOILT

from sitegen.catalogue.store import read_paper, serialise
from sitegen.core.model import Paper
from sitegen.site import related
from sitegen.site.build import build
from sitegen.site.packed import pack, unpack
from sitegen.site.related import RelatedIndex
from sitegen.site.relatedmemo import (
    RELATED_INDEX,
    WHOLE_FROM,
    RelatedMemo,
    changes_path,
    load,
    load_stored,
)
from sitegen.site.relatedpacked import MAGIC, dump
from sitegen.site.relatedterms import IndexState
from sitegen.site.uptodate import record_folder

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def shipped_index() -> RelatedIndex:
    index = RelatedIndex(SHIPPED.papers, SHIPPED.taxonomy)
    index.find_all()
    return index


def test_a_kept_state_reads_back_as_it_was(tmp_path):
    state = shipped_index().state()
    (tmp_path / "memo").write_bytes(dump(state, "base"))
    found = load(tmp_path / "memo")
    assert found is not None
    assert (found.ids, found.names, found.labels) == (state.ids, state.names, state.labels)
    assert found.lists == state.lists and len(found.lists) == len(SHIPPED.papers)
    assert as_plain(found.weights) == as_plain(state.weights)
    assert found.weights.vocabulary == state.weights.vocabulary


@pytest.mark.parametrize("spoil", SPOILT)
def test_a_kept_state_that_does_not_read_back_whole_or_comes_from_other_code_is_ignored(
        tmp_path, spoil):
    (tmp_path / "memo").write_bytes(spoil(dump(shipped_index().state(), "base")))
    assert load(tmp_path / "memo") is None
    assert load(tmp_path / "none") is None


def test_a_kept_state_whose_parts_disagree_in_size_is_ignored(tmp_path):
    head, arrays = unpack(MAGIC, dump(shipped_index().state(), "base")) or ({}, [])
    for spoilt in ({**head, "ids": head["ids"][:-1]},
                   {**head, "vocabulary": head["vocabulary"][1:]}):
        (tmp_path / "memo").write_bytes(pack(MAGIC, spoilt, arrays))
        assert load(tmp_path / "memo") is None
    (tmp_path / "memo").write_bytes(pack(MAGIC, head, [*arrays[:3], arrays[3][:-1], *arrays[4:]]))
    assert load(tmp_path / "memo") is None
    sizes, numbers, chosen, counts, reasons = arrays[7:]
    for spoilt_lists in ([sizes[:-1], numbers, chosen, counts, reasons],  # a paper's count missing
                         [sizes, numbers[:-1], chosen[:-1], counts, reasons],  # a related paper too
                         [sizes, array("i", [-1, *numbers[1:]]), chosen, counts, reasons],
                         [sizes, numbers, array("i", [len(counts), *chosen[1:]]), counts,
                          reasons],  # a set of reasons that is not there
                         [sizes, numbers, chosen, counts, array("i", [len(head["reasons"]),
                                                                      *reasons[1:]])]):
        (tmp_path / "memo").write_bytes(pack(MAGIC, head, [*arrays[:7], *spoilt_lists]))
        assert load(tmp_path / "memo") is None


def test_the_lists_of_an_index_that_found_some_only_read_back_as_they_were(tmp_path):
    index = RelatedIndex(SHIPPED.papers, SHIPPED.taxonomy)
    for paper_id in sorted(SHIPPED.papers)[::7]:
        index.related(paper_id)
    state = index.state()
    (tmp_path / "memo").write_bytes(dump(state, "base"))
    found = load(tmp_path / "memo")
    assert found is not None and found.lists == state.lists
    assert 0 < len(found.lists) < len(SHIPPED.papers)


def test_packed_arrays_of_another_item_size_do_not_read_back():
    data = pack(b"magic\n", {"a": 1}, [array("i", [1, 2, 3])])
    assert unpack(b"magic\n", data) == ({"a": 1, "arrays": [["i", 4, 3]]},
                                       [array("i", [1, 2, 3])])
    assert unpack(b"magic\n", data.replace(b'["i",4,3]', b'["i",8,3]')) is None
    assert unpack(b"other\n", data) is None


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_a_build_after_one_edit_finds_few_lists_and_is_a_cold_build(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    assert build(content, out).problems == []
    kept = load(record_folder(out) / RELATED_INDEX)
    assert kept is not None and len(kept.lists) == len(kept.ids)
    paper, other = sorted((content / "papers").glob("*.yaml"))[2:4]
    edited, donor = read_paper(paper, paper.name)[0], read_paper(other, other.name)[0]
    assert edited is not None and donor is not None
    paper.write_bytes(serialise(dataclasses.replace(edited, title=donor.title)))
    found: list[str] = []
    find = related.RelatedIndex._find
    monkeypatch.setattr(related.RelatedIndex, "_find",
                        lambda self, pid: found.append(pid) or find(self, pid))
    assert build(content, out).problems == []
    monkeypatch.undo()
    assert 0 < len(found) < len(kept.ids)
    assert build(content, tmp_path / "cold").problems == []
    assert files(out) == files(tmp_path / "cold")


def test_a_build_whose_kept_state_is_spoilt_finds_every_list_afresh(tmp_path):
    out = tmp_path / "out"
    assert build(FIXTURE, out).problems == []
    (record_folder(out) / RELATED_INDEX).write_bytes(b"spoilt")
    assert build(FIXTURE, out, force=True).problems == []
    assert build(FIXTURE, tmp_path / "cold").problems == []
    assert files(out) == files(tmp_path / "cold")
    assert load(record_folder(out) / RELATED_INDEX) is not None  # written again, whole


def same_state(found: IndexState | None, state: IndexState) -> bool:
    return found is not None and (
        (found.ids, found.names, found.labels, found.lists) == (
            state.ids, state.names, state.labels, state.lists)
        and as_plain(found.weights) == as_plain(state.weights)
        and found.weights.vocabulary == state.weights.vocabulary)


def kept_after(memo_path: Path, papers: dict[str, Paper]) -> RelatedIndex:
    """The index a build makes from the state kept at `memo_path`, which it then keeps."""
    memo = RelatedMemo(memo_path)
    earlier = memo.earlier()
    index = RelatedIndex(papers, SHIPPED.taxonomy, earlier)
    if earlier is not None:
        index.carry_over(earlier)
    index.find_all()
    memo.keep(index)
    return index


@settings(max_examples=25, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1),
                                   st.sampled_from(["title", "abstract", "topics", "families"]),
                                   st.integers(0, 2**32)), min_size=1, max_size=3),
                min_size=1, max_size=4))
def test_builds_after_edits_keep_their_changes_beside_the_base_and_read_back_each_state(
        builds):
    """Each build after a few edits writes only the papers changed since the base (the base
    stays as it was), and what the next build reads back is the state the last one kept,
    from which it finds every list an index made afresh finds."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / RELATED_INDEX
        papers = dict(SAMPLE)
        kept_after(path, papers)
        base = path.read_bytes()
        for edits in builds:
            for number, field, seed in edits:
                pid = sorted(papers)[number]
                papers[pid] = edited(papers[pid], field, random.Random(seed),
                                     list(SAMPLE.values()))
            index = kept_after(path, papers)
            assert same_state(load(path), index.state())
            assert index.related(index.ids[0]) is not None
            assert every_list(index) == every_list(RelatedIndex(papers, SHIPPED.taxonomy))
            if path.read_bytes() == base:
                stored = load_stored(path)
                assert stored is not None and stored.changed  # the edits are in the changes
                assert len(stored.changed) * WHOLE_FROM <= len(papers)
            else:  # too many papers changed: the whole state written again, no changes beside
                assert not changes_path(path).exists()
                base = path.read_bytes()


def test_changes_to_another_base_are_ignored_and_its_own_state_read(tmp_path):
    path = tmp_path / RELATED_INDEX
    kept_after(path, SHIPPED.papers)
    pid = sorted(SHIPPED.papers)[5]
    papers = {**SHIPPED.papers, pid: dataclasses.replace(SHIPPED.papers[pid], title="Zebras")}
    index = kept_after(path, papers)
    assert changes_path(path).exists()
    assert same_state(load(path), index.state())
    only_base = shipped_index().state()
    path.write_bytes(dump(only_base, "another base"))
    assert same_state(load(path), only_base)


def test_a_build_with_no_state_or_one_of_other_papers_keeps_the_whole_state(tmp_path):
    path = tmp_path / RELATED_INDEX
    kept_after(path, SAMPLE)
    first = path.read_bytes()
    pid = sorted(SAMPLE)[0]
    fewer = {key: paper for key, paper in SAMPLE.items() if key != pid}
    index = kept_after(path, fewer)
    assert path.read_bytes() != first and not changes_path(path).exists()
    assert same_state(load(path), index.state())
