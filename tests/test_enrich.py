"""`sitegen enrich`: the right arXiv id or none, asked politely of a local replay server.

Every test runs the command against tests/arxiv_replay.py's server on 127.0.0.1, which
answers in the arXiv API's documented Atom format; no test touches the network. The
catalogue is the fixture dumps, ingested: real titles with hyphens and colons, and
abstracts long enough to be evidence.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from arxiv_replay import Paper, Replay, Reply, error_feed, feed
from conftest import run

ADAPTER = "llama-adapter-efficient-fine-tuning-of-language-models-with"
ADAPTER_TITLE = "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention"


def stored(content: Path, paper_id: str) -> dict:
    return yaml.safe_load((content / "papers" / f"{paper_id}.yaml").read_text("utf-8"))


def the_paper(content: Path, paper_id: str = ADAPTER, arxiv_id: str = "2303.16199v3",
              **changes: object) -> Paper:
    """The arXiv entry of a catalogue paper: its title and abstract as arXiv gives them."""
    paper = stored(content, paper_id)
    fields = {"id": arxiv_id, "title": paper["title"], "abstract": paper["abstract"], **changes}
    return Paper(**fields)  # type: ignore[arg-type]


def adapter(query: dict[str, str]) -> bool:
    """A search for LLaMA-Adapter (not for LLaMA-Adapter V2)."""
    return "zero" in query.get("search_query", "")


def enrich(content: Path, replay: Replay, *options: str) -> int:
    return run("enrich", "--content", str(content), "--api", replay.url, "--delay", "0",
               "--cache", str(content.parent / "cache"), *options)


def summary(out: str) -> dict[str, int]:
    counts = dict(line.rsplit(": ", 1) for line in out.splitlines() if ": " in line)
    return {name: int(counts[name]) for name in ("found", "uncertain", "not found", "failed")}


def test_an_exact_match_fills_in_the_id_authors_and_dates(catalogue, replay, capsys):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, doi="10.1000/182",
                                                   journal_ref="ICLR 2024"))))
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, ADAPTER)
    assert (paper["arxiv"], paper["authors"]) == ("2303.16199", ["Ada Lovelace", "Alan Turing"])
    assert (paper["published"], paper["updated"]) == ("2023-03-28", "2023-06-14")
    assert (paper["venue"], paper["doi"]) == ("ICLR 2024", "10.1000/182")
    assert paper["arxiv_category"] == "cs.CL"  # the feed's arxiv:primary_category
    assert {"arxiv", "arxiv_category", "authors", "published", "updated", "venue",
            "doi"} <= set(paper["machine"])
    assert summary(capsys.readouterr().out) == {"found": 1, "uncertain": 0, "not found": 11,
                                                "failed": 0}
    assert run("check", "--content", str(catalogue)) == 0


def test_the_title_is_asked_as_words_without_the_hyphens_and_colons_of_the_query_syntax(
        catalogue, replay):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue))))
    enrich(catalogue, replay)
    asked = [r.query["search_query"] for r in replay.requests if adapter(r.query)]
    assert asked == ['ti:"llama adapter efficient fine tuning of language models with zero '
                     'init attention"']
    assert all(r.query["max_results"] == "5" for r in replay.requests)


def test_a_look_alike_title_with_another_abstract_is_uncertain_and_attaches_nothing(
        catalogue, replay, capsys):
    other = "We study the scaling of instruction tuning for code models. " * 8
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, abstract=other))))
    assert enrich(catalogue, replay) == 0
    assert "arxiv" not in stored(catalogue, ADAPTER)
    out, err = capsys.readouterr()
    assert summary(out)["uncertain"] == 1
    assert f"uncertain: {ADAPTER}: the same title as 2303.16199, but a different abstract" in err


def test_a_title_that_is_not_quite_the_same_is_uncertain(catalogue, replay, capsys):
    renamed = ADAPTER_TITLE.replace("Zero-init", "Zero-initialised")
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, title=renamed))))
    enrich(catalogue, replay)
    assert "arxiv" not in stored(catalogue, ADAPTER)
    assert "a title that is not quite the same" in capsys.readouterr().err


def test_of_two_candidates_the_one_whose_abstract_agrees_is_taken(catalogue, replay):
    look_alike = the_paper(catalogue, arxiv_id="2304.15010v1",
                           abstract="How to adapt LLaMA to images, in a different way. " * 8)
    replay.when(adapter, Reply(body=feed(look_alike, the_paper(catalogue))))
    enrich(catalogue, replay)
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"


def test_two_candidates_that_both_agree_are_uncertain(catalogue, replay, capsys):
    twice = feed(the_paper(catalogue), the_paper(catalogue, arxiv_id="2303.17777v1"))
    replay.when(adapter, Reply(body=twice))
    enrich(catalogue, replay)
    assert "arxiv" not in stored(catalogue, ADAPTER)
    assert ("2 papers with this title and abstract: 2303.16199, 2303.17777"
            in capsys.readouterr().err)


def test_an_error_entry_in_a_200_answer_is_a_failure_not_a_miss(catalogue, replay, capsys):
    replay.when(adapter, Reply(body=error_feed("incorrect id format for 1234.12345")))
    assert enrich(catalogue, replay) == 1
    out, err = capsys.readouterr()
    assert summary(out)["failed"] == 1 and "arxiv" not in stored(catalogue, ADAPTER)
    assert (f"failed: {ADAPTER}: the service says: incorrect id format for 1234.12345"
            in err)


def test_a_503_is_retried_after_the_time_it_asks_for(catalogue, replay):
    replay.when(adapter, Reply(503, headers={"Retry-After": "0"}),
                Reply(body=feed(the_paper(catalogue))))
    assert enrich(catalogue, replay) == 0
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"
    assert len([r for r in replay.requests if adapter(r.query)]) == 2


def test_a_429_waits_as_long_as_retry_after_says(catalogue, replay):
    replay.when(adapter, Reply(429, headers={"Retry-After": "1"}),
                Reply(body=feed(the_paper(catalogue))))
    assert enrich(catalogue, replay) == 0
    first, second = [r.at for r in replay.requests if adapter(r.query)]
    assert second - first >= 1.0
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"


def test_a_service_that_stays_busy_fails_the_paper_after_the_retries(catalogue, replay,
                                                                     capsys):
    replay.when(adapter, Reply(503, headers={"Retry-After": "0"}))
    assert enrich(catalogue, replay) == 1
    assert len([r for r in replay.requests if adapter(r.query)]) == 5
    assert "HTTP 503 (gave up after 5 tries)" in capsys.readouterr().err


def test_a_malformed_body_fails_the_paper_and_the_others_go_on(catalogue, replay, capsys):
    replay.when(adapter, Reply(body=b"<feed><entry><title>LLaMA"))
    assert enrich(catalogue, replay) == 1
    out, err = capsys.readouterr()
    assert summary(out) == {"found": 0, "uncertain": 0, "not found": 11, "failed": 1}
    assert "is not a valid Atom feed" in err


def test_a_connection_reset_is_retried(catalogue, replay):
    replay.when(adapter, Reply(reset=True), Reply(body=feed(the_paper(catalogue))))
    assert enrich(catalogue, replay) == 0
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"


def test_a_redirect_is_followed(catalogue, replay):
    replay.when(adapter, Reply(301, headers={"Location": "/moved"}))
    replay.when(lambda query: query.get("search_query") == "moved",
                Reply(body=feed(the_paper(catalogue))))
    assert enrich(catalogue, replay) == 0
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"


def test_an_empty_page_of_a_feed_that_has_results_is_asked_again(catalogue, replay):
    replay.when(adapter, Reply(body=feed(total=1)), Reply(body=feed(the_paper(catalogue))))
    assert enrich(catalogue, replay) == 0
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"


def test_a_huge_body_is_cut_off_without_being_read_whole(catalogue, replay, capsys):
    replay.when(adapter, Reply(endless=10 * 1024 * 1024))
    assert enrich(catalogue, replay) == 1
    assert "over the 1,048,576 bytes allowed; cut off" in capsys.readouterr().err
    assert replay.sent_of_endless < 10 * 1024 * 1024


def test_a_body_that_says_it_is_huge_is_not_read_at_all(catalogue, replay, capsys):
    replay.when(adapter, Reply(body=b" " * 2_000_000))
    assert enrich(catalogue, replay) == 1
    assert "2,000,000 bytes, over the 1,048,576 allowed; not read" in capsys.readouterr().err
