"""What `sitegen enrich` writes is always valid and never worse than what was there: the
dates stay in order whoever wrote them, a poorer later answer removes nothing, and a value
a paper cannot hold is left out with a message, never cut short. All against
tests/arxiv_replay.py's local server."""

from __future__ import annotations

from arxiv_replay import Reply, feed
from conftest import run
from test_enrich import ADAPTER, adapter, enrich, stored, summary, the_paper
from test_enrich_manners import HERD, edit

HERD_ID = "2407.21783"


def by_id(query: dict[str, str]) -> bool:
    return query.get("id_list") == HERD_ID


def test_arxiv_s_updated_before_a_person_s_published_is_left_out(catalogue, replay):
    herd = the_paper(catalogue, HERD, f"{HERD_ID}v2", published="2024-01-15T00:00:00Z",
                     updated="2024-02-20T00:00:00Z")
    replay.when(by_id, Reply(body=feed(herd)))
    edit(catalogue, HERD, "sources:", f"arxiv: '{HERD_ID}'\npublished: '2025-01-01'\nsources:")
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, HERD)
    assert paper["published"] == "2025-01-01" and "updated" not in paper
    assert paper["authors"] == ["Ada Lovelace", "Alan Turing"]
    assert run("check", "--content", str(catalogue)) == 0


def test_an_updated_the_service_gives_before_its_published_is_left_out(catalogue, replay):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, published="2024-02-20T00:00:00Z",
                                                   updated="2024-01-15T00:00:00Z"))))
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, ADAPTER)
    assert paper["published"] == "2024-02-20" and "updated" not in paper
    assert run("check", "--content", str(catalogue)) == 0


def test_a_tool_s_published_after_a_person_s_updated_is_not_taken(catalogue, replay):
    replay.when(by_id, Reply(body=feed(the_paper(catalogue, HERD, f"{HERD_ID}v1"))))
    edit(catalogue, HERD, "sources:", f"arxiv: '{HERD_ID}'\nupdated: '2020-01-01'\nsources:")
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, HERD)
    assert paper["updated"] == "2020-01-01" and "published" not in paper
    assert run("check", "--content", str(catalogue)) == 0


def test_a_later_answer_without_dates_or_authors_removes_none_of_those_written(
        catalogue, replay):
    """The paper is asked again for its category; the second answer's dates cannot be
    read and it names no author."""
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, category=""))))
    assert enrich(catalogue, replay) == 0
    first = stored(catalogue, ADAPTER)
    poorer = the_paper(catalogue, published="15/01/2024", updated="20/02/2024", authors=())
    replay.when(lambda query: query.get("id_list") == "2303.16199", Reply(body=feed(poorer)))
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, ADAPTER)
    assert paper["arxiv_category"] == "cs.CL"
    for name in ("authors", "published", "updated"):
        assert paper[name] == first[name] and name in paper["machine"]


def test_a_later_answer_with_other_valid_values_replaces_the_tool_s_own(catalogue, replay):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, category=""))))
    enrich(catalogue, replay)
    newer = the_paper(catalogue, authors=("Grace Hopper",), updated="2023-09-01T00:00:00Z")
    replay.when(lambda query: query.get("id_list") == "2303.16199", Reply(body=feed(newer)))
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, ADAPTER)
    assert (paper["authors"], paper["updated"]) == (["Grace Hopper"], "2023-09-01")


def test_an_author_name_longer_than_a_paper_allows_leaves_the_authors_out_and_says_so(
        catalogue, replay, capsys):
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, authors=("Ada", "A" * 301)))))
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, ADAPTER)
    assert paper["arxiv"] == "2303.16199" and "authors" not in paper
    out, err = capsys.readouterr()
    assert (f"left out: {ADAPTER}: the authors, as an author's name has 301 characters, more "
            "than the 300 a paper allows\n") in err
    assert summary(out)["found"] == 1
    assert run("check", "--content", str(catalogue)) == 0


def test_an_author_name_a_paper_refuses_leaves_the_authors_out_and_says_so(
        catalogue, replay, capsys):
    """Two names in one ("A | B", which the CSV export could not tell from two authors)."""
    replay.when(adapter, Reply(body=feed(the_paper(catalogue, authors=("Ada", "Ann | Bob")))))
    assert enrich(catalogue, replay) == 0
    paper = stored(catalogue, ADAPTER)
    assert paper["arxiv"] == "2303.16199" and "authors" not in paper
    assert (f"left out: {ADAPTER}: the authors, as an author's name, 'Ann | Bob', is not one a "
            "paper's file takes\n") in capsys.readouterr().err
    assert run("check", "--content", str(catalogue)) == 0
