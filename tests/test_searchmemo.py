"""The search postings a build keeps beside its output: read back as they were written,
ignored when they do not read back whole, and used by the next build, which then counts
only what changed and still makes the site a cold build makes."""

from __future__ import annotations

import dataclasses
import shutil
from array import array
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search_update import PAPERS, TAXONOMY, as_plain, edit_rounds

from sitegen.catalogue.store import read_paper, serialise
from sitegen.search import update
from sitegen.search.files import search_plan
from sitegen.search.postings import count_postings
from sitegen.search.update import counted
from sitegen.site.build import build
from sitegen.site.searchmemo import SEARCH_POSTINGS, SearchMemo, dump, load
from sitegen.site.storedparts import Block, Laid, StoredTexts, texts_laid_out
from sitegen.site.uptodate import record_folder

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def test_kept_postings_read_back_as_they_were(tmp_path):
    kept = counted(PAPERS, TAXONOMY)
    (tmp_path / "memo").write_bytes(dump(kept))
    found = load(tmp_path / "memo")
    assert found is not None
    assert as_plain(found.postings) == as_plain(kept.postings)
    assert found.postings.terms == kept.postings.terms
    assert (list(found.texts), found.model_names) == (kept.texts, kept.model_names)


@settings(max_examples=30, deadline=None)
@given(edit_rounds())
def test_postings_kept_in_a_file_and_brought_up_to_date_are_those_counted_afresh(
        tmp_path_factory, rounds):
    """Each build reads what the last one kept (lazily), brings it up to date and keeps it
    again (copying what did not change): the postings, the files and the file read back
    are those of counting afresh."""
    memo = tmp_path_factory.mktemp("memo") / "postings"
    memo.write_bytes(dump(search_plan(PAPERS, TAXONOMY, 300).counted))
    for papers in rounds:
        earlier = load(memo)
        assert earlier is not None
        plan = search_plan(papers, TAXONOMY, 300, earlier)
        memo.write_bytes(dump(plan.counted))
        afresh = search_plan(papers, TAXONOMY, 300)
        assert as_plain(plan.counted.postings) == as_plain(afresh.counted.postings)
        assert [(p, k, make()) for p, k, make in plan.files()] == [
            (p, k, make()) for p, k, make in afresh.files()]
        kept = load(memo)
        assert kept is not None and list(kept.texts) == afresh.counted.texts
        assert as_plain(kept.postings) == as_plain(count_postings(papers, TAXONOMY))
        assert kept.ordered == plan.counted.ordered


TEXTS = st.lists(st.tuples(*[st.text(max_size=6)] * 3), max_size=6)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_texts_kept_as_bytes_read_back_and_tell_which_documents_differ(texts, data):
    """Any text (other scripts, lone surrogates, empty ones) reads back as it was, and a
    document differs when any of its texts does, a boundary moved between two included."""
    stored = StoredTexts(*texts_laid_out(texts), width=3)
    assert list(stored) == texts and stored[-1:] == texts[-1:]
    now = [data.draw(st.sampled_from([doc, doc[::-1], (doc[0] + doc[1], "", doc[2])]))
           for doc in texts]
    assert stored.differing(now) == [doc for doc, (a, b) in enumerate(zip(texts, now, strict=True))
                                     if a != b]


# What a kept file may become: every memo beside the output ignores such a file.
SPOILT = [
    lambda data: data[:-3],  # cut short
    lambda data: data + b"\0\0\0\0",  # longer
    lambda data: data[:40] + b"x" + data[41:],  # its head no longer JSON
    lambda data: b"something else",
    lambda data: data.replace(b'"version":"', b'"version":"other code ', 1),
]
# and what only a file of postings may become
SPOILT_POSTINGS = [
    lambda data: data.replace(b'"terms":["', b'"terms":["x","', 1),  # a term too many
    lambda data: data.replace(b'"fields":[["', b'"fields":[["x","', 1),  # an entry too many
]


@pytest.mark.parametrize("spoil", SPOILT + SPOILT_POSTINGS)
def test_kept_postings_that_do_not_read_back_whole_or_come_from_other_code_are_ignored(
        tmp_path, spoil):
    (tmp_path / "memo").write_bytes(spoil(dump(counted(PAPERS, TAXONOMY))))
    assert load(tmp_path / "memo") is None
    assert load(tmp_path / "none") is None


def test_a_memo_writes_only_postings_it_has_not_kept_and_only_when_asked(tmp_path):
    memo = SearchMemo(tmp_path / "memo")
    kept = counted(PAPERS, TAXONOMY)
    memo.keep(kept)
    (tmp_path / "memo").unlink()
    memo.keep(kept)  # the same postings: nothing to write
    assert not (tmp_path / "memo").exists()
    quiet = SearchMemo(tmp_path / "quiet", write=False)
    quiet.keep(kept)
    assert quiet.earlier() is kept and not (tmp_path / "quiet").exists()


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def test_a_build_after_one_edit_counts_no_postings_afresh_and_is_a_cold_build(
        tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    assert build(content, out).problems == []
    assert load(record_folder(out) / SEARCH_POSTINGS) is not None
    paper = sorted((content / "papers").glob("*.yaml"))[2]
    edited = read_paper(paper, paper.name)[0]
    assert edited is not None
    paper.write_bytes(serialise(dataclasses.replace(edited, title="Zebra " + edited.title)))

    def not_afresh(*_args):
        raise AssertionError("counted afresh")

    monkeypatch.setattr(update, "count_postings", not_afresh)  # forked workers see it too
    assert build(content, out).problems == []
    monkeypatch.undo()
    assert build(content, tmp_path / "cold").problems == []
    assert files(out) == files(tmp_path / "cold")
    assert "zebra" in (out / "search" / "index.json").read_text("utf-8")


def test_a_build_whose_kept_postings_are_spoilt_counts_afresh(tmp_path):
    out = tmp_path / "out"
    assert build(FIXTURE, out).problems == []
    (record_folder(out) / SEARCH_POSTINGS).write_bytes(b"spoilt")
    assert build(FIXTURE, out, force=True).problems == []
    assert build(FIXTURE, tmp_path / "cold").problems == []
    assert files(out) == files(tmp_path / "cold")
    assert load(record_folder(out) / SEARCH_POSTINGS) is not None  # written again, whole


def test_arrays_laid_end_to_end_part_again_as_they_were_and_wrong_lengths_are_refused():
    parts = [array("i", [1, 2]), array("i"), array("i", [3])]
    laid = Laid("i")
    laid.add("x", parts)
    values = array("i", laid.items())
    block = Block(laid.lengths, values, "i")
    assert [block.part(k) for k in range(len(parts))] == parts
    for lengths, items in ((array("q", [2, 0, 2]), values), (array("q", [4, -1, 0]), values),
                           (laid.lengths, array("q", values)), (array("i", [2, 0, 1]), values)):
        with pytest.raises(ValueError):
            Block(lengths, items, "i")
