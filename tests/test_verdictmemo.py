"""The look-alike check's verdicts a build keeps beside its output: the check finds the
same pairs and verdicts with them as without, judges only the pairs it does not hold,
and a file of them that does not read back whole, or comes from other code, is ignored."""

from __future__ import annotations

import dataclasses
import os
import shutil

import pytest
from conftest import ROOT
from test_related import SHIPPED
from test_searchmemo import SPOILT

from sitegen.catalogue import lookalikes as lookalikes_module
from sitegen.catalogue import match
from sitegen.catalogue.lookalikes import lookalikes, pair_key
from sitegen.catalogue.store import read_paper, serialise
from sitegen.site.build import build
from sitegen.site.uptodate import record_folder
from sitegen.site.verdictmemo import VERDICTS, VerdictMemo

PAPERS = list(SHIPPED.papers.values())
FIXTURE = ROOT / "tests" / "fixtures" / "site"


def judging(monkeypatch) -> list[tuple[str, ...]]:
    """The texts judged from here on (not taken from a memo, nor remembered in memory)."""
    judged: list[tuple[str, ...]] = []

    def compare(*texts: str) -> match.Verdict:
        judged.append(texts)
        return match._judged.__wrapped__(*texts)

    monkeypatch.setattr(lookalikes_module.match, "compare", compare)
    return judged


def test_the_key_of_two_papers_texts_is_the_same_in_either_order_and_differs_by_a_letter():
    first, second = ("A title", "An abstract"), ("Another title", "Its abstract")
    assert pair_key((*first, *second)) == pair_key((*second, *first))
    assert pair_key((*first, *second)) != pair_key(("A title", "An abstracts", *second))


def test_kept_verdicts_give_the_pairs_and_verdicts_of_a_check_without_them(
        tmp_path, monkeypatch):
    cold = lookalikes(PAPERS)
    assert len(cold) > 10  # the shipped catalogue has look-alikes
    first = VerdictMemo(tmp_path / VERDICTS)
    assert lookalikes(PAPERS, judged=first) == cold
    first.save()
    judged = judging(monkeypatch)
    later = VerdictMemo(tmp_path / VERDICTS)
    assert lookalikes(PAPERS, judged=later) == cold
    assert judged == []


def test_a_verdict_without_an_abstract_score_reads_back_without_one(tmp_path):
    memo = VerdictMemo(tmp_path / VERDICTS)
    assert memo.get("k") is None
    verdicts = {"k": match.Verdict(match.SAME, 100.0, None, "same title"),
                "m": match.Verdict(match.UNSURE, 91.5, 42.25, "title differs by 1 typo(s)")}
    for key, verdict in verdicts.items():
        memo.put(key, verdict)
    memo.save()
    later = VerdictMemo(tmp_path / VERDICTS)
    assert {key: later.get(key) for key in verdicts} == verdicts


def test_only_the_pairs_of_an_edited_paper_are_judged_again(tmp_path, monkeypatch):
    first = VerdictMemo(tmp_path / VERDICTS)
    pairs = lookalikes(PAPERS, judged=first)
    first.save()
    j = pairs[0][1]
    papers = list(PAPERS)
    papers[j] = dataclasses.replace(papers[j], abstract=papers[j].abstract + " Revised.")
    cold = lookalikes(papers)
    judged = judging(monkeypatch)
    assert lookalikes(papers, judged=VerdictMemo(tmp_path / VERDICTS)) == cold
    assert judged and all(papers[j].abstract in texts for texts in judged)


def test_the_file_is_written_only_when_its_verdicts_change(tmp_path):
    memo = VerdictMemo(tmp_path / VERDICTS)
    lookalikes(PAPERS, judged=memo)
    memo.save()
    written = os.stat(tmp_path / VERDICTS).st_mtime_ns
    again = VerdictMemo(tmp_path / VERDICTS)
    lookalikes(PAPERS, judged=again)
    again.save()
    assert os.stat(tmp_path / VERDICTS).st_mtime_ns == written
    fewer = VerdictMemo(tmp_path / VERDICTS)
    kept = lookalikes(PAPERS[: len(PAPERS) // 2], judged=fewer)
    fewer.save()
    assert len(VerdictMemo(tmp_path / VERDICTS)._kept()) == len(kept) < len(again.used)


@pytest.mark.parametrize("spoil", SPOILT)
def test_a_file_of_verdicts_that_does_not_read_back_whole_is_ignored(
        tmp_path, monkeypatch, spoil):
    first = VerdictMemo(tmp_path / VERDICTS)
    cold = lookalikes(PAPERS, judged=first)
    first.save()
    (tmp_path / VERDICTS).write_bytes(spoil((tmp_path / VERDICTS).read_bytes()))
    judged = judging(monkeypatch)
    assert lookalikes(PAPERS, judged=VerdictMemo(tmp_path / VERDICTS)) == cold
    assert len(judged) == len(cold)


def test_a_build_keeps_its_verdicts_and_reports_the_look_alikes_a_cold_build_does(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    paper = sorted((content / "papers").glob("*.yaml"))[1]
    other = read_paper(paper, paper.name)[0]
    assert other is not None
    twin = dataclasses.replace(other, id=other.id + "-copy")
    (content / "papers" / f"{twin.id}.yaml").write_bytes(serialise(twin))
    out = tmp_path / "out"
    first = build(content, out).problems
    assert any("looks like the same paper" in problem.message for problem in first)
    assert (record_folder(out) / VERDICTS).is_file()
    assert build(content, out, force=True).problems == first
