"""`sitegen enrich` respects the service and the catalogue: paced requests with a
User-Agent, answers cached so a second run asks nothing, a resumable run, the address as
a setting, ids known from dumps fetched by id, a person's values kept, hostile text
cleaned. All against tests/arxiv_replay.py's local server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from arxiv_replay import Reply, feed
from conftest import run
from test_enrich import ADAPTER, adapter, enrich, stored, summary, the_paper

from sitegen.enrich import arxiv
from sitegen.enrich.atom import parse_feed
from sitegen.enrich.cache import ResponseCache
from sitegen.enrich.http import Manners, PoliteClient

HERD = "the-llama-3-herd-of-models"


def edit(content: Path, paper_id: str, old: str, new: str) -> None:
    path = content / "papers" / f"{paper_id}.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_requests_go_one_at_a_time_at_least_the_delay_apart(catalogue, replay):
    run("enrich", "--content", str(catalogue), "--api", replay.url, "--delay", "0.2",
        "--no-cache", "--limit", "4")
    starts = [request.at for request in replay.requests]
    assert len(starts) >= 4 and replay.most_at_once == 1
    # Noted when the server reads each request, a little late under load: the whole run
    # is the measure, not each gap.
    assert starts[-1] - starts[0] >= 0.2 * (len(starts) - 1) - 0.05


def test_the_client_waits_the_delay_between_two_requests(replay):
    client = PoliteClient(Manners(delay=0.3), ResponseCache(None))
    began = time.monotonic()
    for number in range(2):
        client.get(f"{replay.url}?search_query=x{number}", parse_feed)
    assert time.monotonic() - began >= 0.3 and client.requests == 2


def test_every_request_says_who_asks_and_why(catalogue, replay):
    enrich(catalogue, replay, "--limit", "1")
    agent = replay.requests[0].headers["User-Agent"]
    assert agent.startswith("sitegen/") and "arXiv ids" in agent
    assert "one request at a time" in agent


def test_a_second_run_asks_nothing_the_first_was_told(catalogue, replay, capsys):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue))))
    edit(catalogue, HERD, "sources:", "arxiv: '2407.21783'\nsources:")
    enrich(catalogue, replay)
    first = len(replay.requests)
    for path in (catalogue / "papers").glob("*.yaml"):  # as before the first run
        path.unlink()
    run("ingest", "--content", str(catalogue))
    edit(catalogue, HERD, "sources:", "arxiv: '2407.21783'\nsources:")
    capsys.readouterr()
    enrich(catalogue, replay)
    assert len(replay.requests) == first
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"
    assert summary(capsys.readouterr().out)["found"] == 1


def test_a_run_stopped_half_way_keeps_what_it_wrote_and_the_next_one_goes_on(
        catalogue, replay, monkeypatch, capsys):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue))))
    asked = []
    search = arxiv.ArxivSource.search_title

    def interrupted_after_the_adapter(self, title):
        if asked and "Zero-init" in asked[-1]:
            raise KeyboardInterrupt
        asked.append(title)
        return search(self, title)

    monkeypatch.setattr(arxiv.ArxivSource, "search_title", interrupted_after_the_adapter)
    assert enrich(catalogue, replay) == 130
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"
    out = capsys.readouterr().out
    assert summary(out)["found"] == 1
    assert f"papers asked about: {len(asked)}\n" in out and len(asked) < 12
    assert run("check", "--content", str(catalogue)) == 0
    monkeypatch.setattr(arxiv.ArxivSource, "search_title", search)
    assert enrich(catalogue, replay) == 0
    assert summary(capsys.readouterr().out) == {"found": 0, "uncertain": 0, "not found": 11,
                                                "failed": 0}


def test_the_address_may_come_from_the_environment(catalogue, replay, monkeypatch):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue))))
    monkeypatch.setenv("SITEGEN_ARXIV_API", replay.url)
    assert run("enrich", "--content", str(catalogue), "--delay", "0", "--no-cache") == 0
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"


@pytest.mark.parametrize("address", ["ftp://example.org/api", "export.arxiv.org/api/query",
                                     "https:///api/query"])
def test_an_address_that_is_no_http_url_is_refused(catalogue, address, capsys):
    assert run("enrich", "--content", str(catalogue), "--api", address) == 2
    assert "is not an http(s) address" in capsys.readouterr().err


def test_the_default_address_is_the_arxiv_api(monkeypatch):
    monkeypatch.delenv("SITEGEN_ARXIV_API", raising=False)
    assert arxiv.api_address() == "https://export.arxiv.org/api/query"


def test_an_id_from_a_dump_is_fetched_by_id_and_must_be_the_same_paper(catalogue, replay):
    herd = the_paper(catalogue, HERD, "2407.21783v3")
    replay.when(lambda query: query.get("id_list") == "2407.21783", Reply(body=feed(herd)))
    edit(catalogue, HERD, "sources:", "arxiv: '2407.21783'\nsources:")
    assert enrich(catalogue, replay) == 0
    assert stored(catalogue, HERD)["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert [r.query.get("id_list") for r in replay.requests if "id_list" in r.query] == [
        "2407.21783"]


def test_a_paper_with_its_identity_but_no_category_is_fetched_for_it(catalogue, replay):
    """Papers enriched before the category was kept get it on the next run, and only it
    where a person wrote the rest."""
    herd = the_paper(catalogue, HERD, "2407.21783v3", category="cs.AI", authors=("Someone",))
    replay.when(lambda query: query.get("id_list") == "2407.21783", Reply(body=feed(herd)))
    edit(catalogue, HERD, "sources:",
         "arxiv: '2407.21783'\nauthors:\n- Ada Lovelace\npublished: '2024-07-31'\nsources:")
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, HERD)
    assert (paper["arxiv_category"], paper["authors"]) == ("cs.AI", ["Ada Lovelace"])
    assert paper["published"] == "2024-07-31" and "arxiv_category" in paper["machine"]


def test_an_id_that_is_another_paper_s_is_uncertain(catalogue, replay, capsys):
    other = the_paper(catalogue, ADAPTER, "2407.21783v1")
    replay.when(lambda query: query.get("id_list") == "2407.21783", Reply(body=feed(other)))
    edit(catalogue, HERD, "sources:", "arxiv: '2407.21783'\nsources:")
    enrich(catalogue, replay)
    assert "authors" not in stored(catalogue, HERD)
    assert f"uncertain: {HERD}: its arxiv 2407.21783 is arXiv's 'LLaMA-Adapter" in (
        capsys.readouterr().err)


def test_a_person_s_values_are_never_replaced(catalogue, replay):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue))))
    edit(catalogue, ADAPTER, "sources:", "authors:\n- Renrui Zhang\nsources:")
    enrich(catalogue, replay)
    paper = stored(catalogue, ADAPTER)
    assert paper["authors"] == ["Renrui Zhang"] and paper["arxiv"] == "2303.16199"
    assert "authors" not in paper["machine"]


def test_hostile_text_from_the_service_is_cleaned_or_left_out(catalogue, replay):
    hostile = the_paper(catalogue, authors=("<script>alert(1)</script>\u202e", "\u200b", "Ada"),
                        doi="javascript:alert(1)", journal_ref="ACL\u200b 2024 &amp;amp; co",
                        published="not a date", category='cs.CL" onload="alert(1)')
    replay.when(adapter, Reply(body=feed(hostile)))
    enrich(catalogue, replay)
    paper = stored(catalogue, ADAPTER)
    assert paper["authors"] == ["<script>alert(1)</script>", "Ada"]
    assert paper["venue"] == "ACL 2024 & co"
    assert "doi" not in paper and "published" not in paper and "arxiv_category" not in paper
    assert run("check", "--content", str(catalogue)) == 0


def test_an_id_held_by_another_paper_is_not_given_twice(catalogue, replay, capsys):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue))))
    edit(catalogue, HERD, "sources:", "arxiv: '2303.16199'\nsources:")
    enrich(catalogue, replay)
    assert "arxiv" not in stored(catalogue, ADAPTER)
    assert "found 2303.16199, which is already the id of the-llama-3-herd-of-models" in (
        capsys.readouterr().err)



def test_a_hand_made_paper_keeps_its_labels_after_it_is_enriched(catalogue, replay):
    path = catalogue / "papers" / f"{ADAPTER}.yaml"
    text = path.read_text("utf-8")
    path.write_text(text[:text.index("machine:")], "utf-8")  # as a person writes a file
    before = stored(catalogue, ADAPTER)
    replay.when(adapter, Reply(body=feed(the_paper(catalogue))))
    enrich(catalogue, replay)
    assert run("ingest", "--content", str(catalogue)) == 0
    paper = stored(catalogue, ADAPTER)
    assert paper["arxiv"] == "2303.16199" and paper["topics"] == before["topics"]
    assert {"topics", "families"} <= set(paper["human"])
    assert set(paper["machine"]) == {"arxiv", "arxiv_category", "authors", "published",
                                     "updated"}
