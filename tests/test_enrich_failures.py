"""`sitegen enrich` when the service fails: malformed headers are absent ones, a failure
the same request would meet again is not retried, a request has a time limit in all,
and a run that cannot get anywhere stops at once with one message saying what to do.
All against tests/arxiv_replay.py's local server."""

from __future__ import annotations

import email.utils
import gzip
import re
import time

import pytest
from arxiv_replay import Reply, feed
from conftest import run
from test_enrich import ADAPTER, adapter, enrich, stored, summary, the_paper

from sitegen.enrich.atom import parse_feed
from sitegen.enrich.cache import ResponseCache
from sitegen.enrich.http import Manners, PoliteClient
from sitegen.enrich.source import ServiceError

EVERY = lambda query: True  # noqa: E731  a route for every request


def asked(replay) -> int:
    return len([r for r in replay.requests if adapter(r.query)])


@pytest.mark.parametrize("header", ["Retry-After", "Content-Length"])
def test_a_header_with_a_digit_that_is_not_ascii_counts_as_absent(catalogue, replay, header):
    replay.when(adapter, Reply(503, headers={header: "\u00b2"}),  # sent as the byte 0xB2
                Reply(body=feed(the_paper(catalogue)), headers={header: "\u00b2"}))
    assert enrich(catalogue, replay) == 0
    assert stored(catalogue, ADAPTER)["arxiv"] == "2303.16199"


def test_a_compressed_body_is_refused_at_once_as_one(catalogue, replay, capsys):
    replay.when(adapter, Reply(body=gzip.compress(feed(the_paper(catalogue))),
                               headers={"Content-Encoding": "gzip"}))
    assert enrich(catalogue, replay) == 1
    assert asked(replay) == 1 and replay.requests[0].headers["Accept-Encoding"] == "identity"
    assert (f"failed: {ADAPTER}: the service sent a body compressed with 'gzip', which this "
            "tool does not read (it asks for none); not read\n") in capsys.readouterr().err


@pytest.mark.parametrize("body", [
    b"<feed><entry><title>LLaMA",
    b'<!DOCTYPE feed [<!ENTITY e "x">]><feed xmlns="http://www.w3.org/2005/Atom"/>'])
def test_a_body_that_is_no_feed_is_not_asked_for_again(catalogue, replay, body, capsys):
    replay.when(adapter, Reply(body=body))
    assert enrich(catalogue, replay) == 1
    assert asked(replay) == 1
    assert f"failed: {ADAPTER}: the answer is not a valid Atom feed (" in capsys.readouterr().err


def test_a_redirect_loop_is_told_on_one_line(catalogue, replay, capsys):
    loop = lambda query: query.get("search_query") == "loop"  # noqa: E731
    replay.when(adapter, Reply(301, headers={"Location": "/api/query?search_query=loop"}))
    replay.when(loop, Reply(301, headers={"Location": "/api/query?search_query=loop"}))
    assert enrich(catalogue, replay) == 1
    failed = [line for line in capsys.readouterr().err.splitlines() if ADAPTER in line]
    assert failed == [f"failed: {ADAPTER}: HTTP 301: redirected in a loop or more than 5 "
                      "times"]


def test_retries_wait_at_least_a_second_and_twice_as_long_each_time_even_without_delay(
        replay):
    replay.when(EVERY, Reply(429))
    waits: list[float] = []
    client = PoliteClient(Manners(delay=0), ResponseCache(None), sleep=waits.append)
    with pytest.raises(ServiceError, match=r"^HTTP 429 \(gave up after 5 tries\)$"):
        client.get(f"{replay.url}?search_query=x", parse_feed)
    assert waits == [1, 2, 4, 8]


def test_a_response_sent_a_byte_at_a_time_is_cut_off_at_the_time_limit(replay):
    replay.when(EVERY, Reply(body=feed(), trickle=0.2))
    client = PoliteClient(Manners(delay=0, retries=0, timeout=1), ResponseCache(None))
    began = time.monotonic()
    with pytest.raises(ServiceError) as failure:
        client.get(f"{replay.url}?search_query=x", parse_feed)
    assert str(failure.value) == ("no answer within 1 s (the response came too slowly) "
                                  "(gave up after 1 tries)")
    assert time.monotonic() - began < 2


@pytest.mark.parametrize("wait", ["99999", "an hour"])
def test_a_service_that_asks_to_wait_too_long_stops_the_run(catalogue, replay, wait, capsys):
    when = time.time() + 3600
    header = "99999" if wait == "99999" else email.utils.formatdate(when, usegmt=True)
    replay.when(EVERY, Reply(429, headers={"Retry-After": header}))
    assert enrich(catalogue, replay) == 1
    out, err = capsys.readouterr()
    assert len(replay.requests) == 1
    stopped = [line for line in err.splitlines() if "stopped" in line]
    assert len(stopped) == 1 and re.fullmatch(
        r"sitegen enrich: stopped: the service asks to wait [0-9,]+ s \(Retry-After\), longer "
        r"than the 600 s a run waits: run again after \d{4}-\d\d-\d\d \d\d:\d\d UTC; the "
        r"papers enriched so far are written", stopped[0])
    assert "papers asked about: 1\n" in out and summary(out)["failed"] == 1


def test_a_wrong_address_stops_the_run_after_five_papers_with_a_hint(catalogue, replay,
                                                                     capsys):
    replay.when(EVERY, Reply(404))
    assert enrich(catalogue, replay) == 1
    out, err = capsys.readouterr()
    assert len(replay.requests) == 5
    assert (f"sitegen enrich: stopped: 5 papers in a row failed the same way: HTTP 404 Not "
            f"Found (hint: check --api or SITEGEN_ARXIV_API, now {replay.url}); the papers "
            "enriched so far are written\n") in err
    assert "papers asked about: 5\n" in out
    assert summary(out) == {"found": 0, "uncertain": 0, "not found": 0, "failed": 5}


def test_papers_that_fail_apart_from_answers_do_not_stop_the_run(catalogue, replay, capsys):
    replay.when(adapter, Reply(404))
    assert enrich(catalogue, replay) == 1
    assert summary(capsys.readouterr().out) == {"found": 0, "uncertain": 0, "not found": 11,
                                                "failed": 1}


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--limit", "-1", "--limit -1: give how many papers to ask about, 0 or more"),
    ("--delay", "inf", "--delay inf: give the seconds between requests, from 0 to 600"),
    ("--delay", "1e10", "--delay 10000000000.0: give the seconds between requests, from 0 "
                        "to 600"),
    ("--delay", "nan", "--delay nan: give the seconds between requests, from 0 to 600"),
    ("--delay", "-1", "--delay -1.0: give the seconds between requests, from 0 to 600")])
def test_an_option_out_of_its_range_is_a_usage_error(catalogue, replay, option, value,
                                                     message, capsys):
    assert run("enrich", "--content", str(catalogue), "--api", replay.url, "--no-cache",
               option, value) == 2
    assert capsys.readouterr().err == f"sitegen: {message}\n"
    assert replay.requests == []


def test_a_count_with_a_digit_that_is_not_ascii_counts_as_absent():
    body = feed().replace(b">0</opensearch:totalResults>",
                          ">\u00b2</opensearch:totalResults>".encode())
    assert b">\xc2\xb2</opensearch:totalResults>" in body and parse_feed(body) == []
