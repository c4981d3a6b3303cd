"""`sitegen new --arxiv ID`: one paper from the arXiv API (tests/arxiv_replay.py's local
server), labelled as ingest would label it; a paper the catalogue holds is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from arxiv_replay import Paper, Replay, Reply, error_feed, feed
from conftest import run

ABSTRACT = ("We quantize the weights of Llama 2 to four bits with low-rank adapters, so that a "
            "70B model fine-tunes on one GPU. Our adapters keep the accuracy of sixteen-bit "
            "fine-tuning on every benchmark we tried, and the code is released.")
NEW = Paper("2402.01234v2", "Four-Bit Llama 2: Adapters on One GPU", ABSTRACT,
            authors=("Grace Hopper", "Edsger Dijkstra"), published="2024-02-02T10:00:00Z",
            updated="2024-03-01T10:00:00Z")
FILE = "four-bit-llama-2-adapters-on-one-gpu.yaml"


@pytest.fixture
def replay():
    with Replay() as server:
        server.when(lambda query: query.get("id_list") == "2402.01234", Reply(body=feed(NEW)))
        yield server


def new(content: Path, replay: Replay, arxiv: str, *options: str) -> int:
    return run("new", "--content", str(content), "--arxiv", arxiv, "--api", replay.url,
               "--delay", "0", "--no-cache", *options)


def test_a_paper_is_added_from_its_id_with_authors_dates_and_labels(catalogue, replay, capsys):
    assert new(catalogue, replay, "https://arxiv.org/abs/2402.01234v1") == 0
    paper = yaml.safe_load((catalogue / "papers" / FILE).read_text("utf-8"))
    assert (paper["title"], paper["abstract"]) == (NEW.title, ABSTRACT)
    assert paper["arxiv"] == "2402.01234"
    assert paper["authors"] == ["Grace Hopper", "Edsger Dijkstra"]
    assert (paper["published"], paper["updated"]) == ("2024-02-02", "2024-03-01")
    assert "llama-2" in paper["families"] and paper["topics"]
    assert list(paper["machine"])[:4] == ["abstract", "links", "topics", "families"]
    assert {"arxiv", "authors", "published"} <= set(paper["machine"])
    assert "arxiv: 2402.01234, by Grace Hopper, Edsger Dijkstra" in capsys.readouterr().out
    assert run("check", "--content", str(catalogue)) == 0


def test_an_id_the_catalogue_holds_is_refused_before_asking(catalogue, replay, capsys):
    assert new(catalogue, replay, "2402.01234") == 0
    assert new(catalogue, replay, "arXiv:2402.01234v2") == 1
    assert f"{FILE} already has arxiv 2402.01234; nothing written" in capsys.readouterr().err
    assert len(replay.requests) == 1


def test_the_same_paper_by_title_and_abstract_is_refused(catalogue, replay, capsys):
    adapter = yaml.safe_load(next((catalogue / "papers").glob("llama-adapter-eff*")).read_text())
    replay.when(lambda query: query.get("id_list") == "2303.16199",
                Reply(body=feed(Paper("2303.16199v3", adapter["title"], adapter["abstract"]))))
    assert new(catalogue, replay, "2303.16199") == 1
    assert "looks like the same paper as" in capsys.readouterr().err


@pytest.mark.parametrize("arxiv", ["2413.01234", "arxiv.org/abs/2413.01234", "2402.1234"])
def test_an_id_arxiv_never_gave_is_unusable_input(catalogue, replay, arxiv, capsys):
    assert new(catalogue, replay, arxiv) == 2
    assert "is not an arXiv id" in capsys.readouterr().err
    assert replay.requests == []


def test_an_id_arxiv_does_not_know_writes_nothing(catalogue, replay, capsys):
    assert new(catalogue, replay, "2402.09999") == 1
    assert "arXiv has no paper 2402.09999; nothing written" in capsys.readouterr().err


def test_an_error_of_the_service_writes_nothing(catalogue, replay, capsys):
    replay.when(lambda query: query.get("id_list") == "2402.05555",
                Reply(body=error_feed("incorrect id format for 2402.05555")))
    assert new(catalogue, replay, "2402.05555") == 1
    assert "the service says: incorrect id format" in capsys.readouterr().err


def test_an_id_and_a_title_together_are_unusable_input(catalogue, replay, capsys):
    assert new(catalogue, replay, "2402.01234", "--title", "T", "--abstract", "A") == 2
    assert "either --arxiv ID or a title and abstract" in capsys.readouterr().err


def test_an_updated_before_the_published_date_is_left_out(catalogue, replay):
    backwards = Paper("2402.04444v2", NEW.title, ABSTRACT, published="2024-02-20T10:00:00Z",
                      updated="2024-01-15T10:00:00Z")
    replay.when(lambda query: query.get("id_list") == "2402.04444", Reply(body=feed(backwards)))
    assert new(catalogue, replay, "2402.04444") == 0
    paper = yaml.safe_load((catalogue / "papers" / FILE).read_text("utf-8"))
    assert paper["published"] == "2024-02-20" and "updated" not in paper
    assert run("check", "--content", str(catalogue)) == 0


@pytest.mark.parametrize(("field", "text", "message"), [
    ("title", "Long " * 150, "the title has 749 characters, more than the 500 a paper allows"),
    ("abstract", "Word " * 5000,
     "the abstract has 24,999 characters, more than the 20,000 a paper allows")])
def test_an_overlong_title_or_abstract_is_refused_as_with_title_and_abstract(
        catalogue, replay, field, text, message, capsys):
    long = Paper("2402.06666v1", **{"title": NEW.title, "abstract": ABSTRACT, field: text})
    replay.when(lambda query: query.get("id_list") == "2402.06666", Reply(body=feed(long)))
    assert new(catalogue, replay, "2402.06666") == 1
    assert f"sitegen new: arXiv 2402.06666: {message}" in capsys.readouterr().err
    assert not list((catalogue / "papers").glob("long-*")) and not (
        catalogue / "papers" / FILE).exists()


def test_an_overlong_author_name_is_refused(catalogue, replay, capsys):
    long = Paper("2402.07777v1", NEW.title, ABSTRACT, authors=("Ada", "A" * 301))
    replay.when(lambda query: query.get("id_list") == "2402.07777", Reply(body=feed(long)))
    assert new(catalogue, replay, "2402.07777") == 1
    assert ("sitegen new: arXiv 2402.07777: an author's name has 301 characters, more than "
            "the 300 a paper allows (hint: give --title and --abstract instead, and write the "
            "authors in by hand); nothing written"
            ) in capsys.readouterr().err
