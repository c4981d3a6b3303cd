"""The relevance suite (tests/relevance/queries.yaml) typed into /search/ in Chromium, on a
site built from the shipped catalogue: hits@1, hits@5, hits@10 and the mean reciprocal rank
are printed, per kind of query and in all, and must stay above their floors."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from .conftest import serve_catalogue
from .helpers import ROOT

pytestmark = pytest.mark.e2e
SUITE = ROOT / "tests" / "relevance" / "queries.yaml"
KINDS = {"title", "name", "split", "joined", "model", "typo", "british", "prefix", "phrase",
         "nothing"}
# A little below what the suite measures (hits@1, hits@5 and hits@10 1.000, MRR 1.000, 8 of 8
# "nothing" queries empty; before phrases, joined names and spellings: hits@1 0.830, hits@5
# and hits@10 0.877, MRR 0.851, 6 of 8): a change that loses relevance fails here.
FLOORS = {"hits@1": 0.96, "hits@5": 0.98, "hits@10": 0.98, "mrr": 0.97, "nothing": 0.87}

# Every result of the query the page shows, best first (all of them, not only the first 50).
RESULTS = """async (query) => {
    const input = document.getElementById("search-query");
    const results = document.getElementById("search-results");
    const drawn = new Promise((resolve) => results.addEventListener("search-done", resolve,
                                                                    {once: true}));
    input.value = query;
    input.dispatchEvent(new Event("input"));
    await drawn;
    const more = document.getElementById("search-more");
    if (!more.hidden) more.click();
    return [...results.querySelectorAll("li > a")].map((a) => a.getAttribute("href"));
}"""


@dataclass(frozen=True)
class Query:
    kind: str
    text: str
    expect: tuple[str, ...]


def suite() -> list[Query]:
    entries = yaml.safe_load(SUITE.read_text(encoding="utf-8"))["queries"]
    return [Query(e["kind"], str(e["query"]), tuple(e["expect"])) for e in entries]


def rank(found: list[str], expect: tuple[str, ...]) -> int | None:
    """The 1-based position of the first expected paper among the results, if any."""
    return next((k for k, paper in enumerate(found, 1) if paper in expect), None)


def figures(ranks: list[int | None]) -> dict[str, float]:
    count = len(ranks) or 1
    return {**{f"hits@{k}": sum(r is not None and r <= k for r in ranks) / count
               for k in (1, 5, 10)},
            "mrr": sum(1 / r for r in ranks if r) / count}


def report(by_kind: dict[str, list[int | None]], empty: list[bool]) -> str:
    lines = [f"{'kind':<10}{'queries':>8}{'hits@1':>8}{'hits@5':>8}{'hits@10':>9}{'MRR':>7}"]
    every = [r for ranks in by_kind.values() for r in ranks]
    for kind, ranks in [*sorted(by_kind.items()), ("all", every)]:
        f = figures(ranks)
        lines.append(f"{kind:<10}{len(ranks):>8}{f['hits@1']:>8.3f}{f['hits@5']:>8.3f}"
                     f"{f['hits@10']:>9.3f}{f['mrr']:>7.3f}")
    lines.append(f"nothing: {sum(empty)} of {len(empty)} queries found no paper")
    return "\n".join(lines)


def test_the_suite_is_written_against_the_shipped_catalogue():
    queries = suite()
    papers = {p.stem for p in (ROOT / "content" / "papers").glob("*.yaml")}
    assert len(queries) >= 60
    assert {q.kind for q in queries} == KINDS
    assert len({q.text for q in queries}) == len(queries)
    assert [q.text for q in queries if (q.kind == "nothing") != (not q.expect)] == []
    assert {paper for q in queries for paper in q.expect} <= papers


def test_the_shipped_catalogue_answers_the_suite(page, tmp_path_factory, capsys):
    by_kind: dict[str, list[int | None]] = defaultdict(list)
    empty: list[bool] = []
    misses: list[str] = []
    with serve_catalogue(tmp_path_factory.mktemp("relevance"), ROOT / "content") as shipped:
        page.goto(shipped.page_url("search/"))
        page.wait_for_selector("html[data-search-ready]")
        for query in suite():
            found = [unquote(Path(href).name) for href in page.evaluate(RESULTS, query.text)]
            if query.kind == "nothing":
                empty.append(not found)
                continue
            by_kind[query.kind].append(rank(found, query.expect))
            if by_kind[query.kind][-1] is None or by_kind[query.kind][-1] > 10:
                misses.append(f"{query.text!r}: {found[:3]}")
    with capsys.disabled():
        print("\nrelevance suite (tests/relevance/queries.yaml)\n" + report(by_kind, empty))
        print("not in the top 10:", *misses, sep="\n  ")
    measured = figures([r for ranks in by_kind.values() for r in ranks])
    measured["nothing"] = sum(empty) / len(empty)
    assert {name: value for name, value in measured.items() if value < FLOORS[name]} == {}
