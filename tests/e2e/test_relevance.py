"""Five relevance sets typed into /search/ in Chromium, on a site built from the shipped
catalogue: hits@1, hits@5, hits@10 and the mean reciprocal rank are printed for each, per
kind of query and in all, and must stay above their floors.

- tests/relevance/queries.yaml is the suite the engine was developed against: its figures
  guard against regressions and say little about how well the search finds what people type.
- tests/relevance/heldout.yaml is the honest measure: written after the engine from the
  catalogue's titles and abstracts alone, without running the search, committed (496c138)
  before its first run, then run unedited on this engine and on the one before issue 14's
  search work (71312ba, in a temporary worktree with this file). Held-out, after (before):
  hits@1 0.989 (0.815), hits@5 0.989 (0.891), hits@10 0.989 (0.891), MRR 0.989 (0.849),
  5 of 6 "nothing" queries empty (6 of 6).
- tests/relevance/heldout2.yaml is a second honest measure, by another reader, written
  from the catalogue before its first run, less the queries the suite also holds: hits@1
  0.906, hits@5 and hits@10 0.953, MRR 0.929 (171 queries). Its misses prompted two
  changes: papers holding a word only by a typo rank after those holding it as typed, and
  papers with some words are shown when a word finds nothing (which moved none of its
  figures); and a number typed joined to a word is split ("4bit"), after which it measures
  0.912, 0.959, 0.959, 0.935 (no longer a held-out figure). Its "CoT" miss prompted
  acronyms' long forms (`search.acronyms`): 0.918, 0.971, 0.971, 0.944.
- tests/relevance/heldout3.yaml is a third, by a third reader, written from the catalogue
  before its first run, less the queries the other sets hold, and committed (8756660)
  before it was run: on this engine, and on the one before acronyms' long forms (d02bc64),
  alike: hits@1 0.898, hits@5 and hits@10 0.966, MRR 0.929 (59 queries), 3 of 4 "nothing"
  queries empty.
- The "nothing" query each held-out set missed ("knitting origami", "knitting crochet":
  papers with a slip of one word) prompted partial results from words held as typed only:
  6 of 6 and 4 of 4 are empty since, no longer held-out figures; nothing else moved.
- tests/relevance/heldout4.yaml is a fourth, by a fourth reader, written the same way and
  committed (07def33) before it was first run: hits@1 0.929, hits@5 and hits@10 0.971, MRR
  0.944 (70 queries), 4 of 5 "nothing" queries empty. Its miss ("wildfire satellite
  imagery": "imagery" taken for "image", a word it may be on its way to) prompted partial
  results without such words: 5 of 5 since (no longer held-out); nothing else moved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from .conftest import Site, serve_catalogue
from .helpers import ROOT

pytestmark = pytest.mark.e2e
RELEVANCE = ROOT / "tests" / "relevance"
KINDS = frozenset({"title", "name", "split", "joined", "model", "typo", "british", "prefix",
                   "phrase", "nothing"})


@dataclass(frozen=True)
class QuerySet:
    """A file of queries, what its figures mean, its kinds of query and its floors."""

    name: str
    label: str
    kinds: frozenset[str]
    floors: dict[str, float] = field(hash=False)

    @property
    def path(self) -> Path:
        return RELEVANCE / f"{self.name}.yaml"


# A little below what the suite measures (hits@1, hits@5 and hits@10 1.000, MRR 1.000, 8 of 8
# "nothing" queries empty; before phrases, joined names and spellings: hits@1 0.830, hits@5
# and hits@10 0.877, MRR 0.851, 6 of 8): a change that loses relevance fails here.
SUITE = QuerySet("queries", "the suite the engine was developed against (a regression guard, "
                 "not a result)", KINDS,
                 {"hits@1": 0.96, "hits@5": 0.98, "hits@10": 0.98, "mrr": 0.97, "nothing": 0.87})
# What the held-out set measured when first run (above), rounded down by about 0.05.
HELD_OUT = QuerySet("heldout", "held-out: written after the engine, never used to change it",
                    KINDS | {"abstract"},
                    {"hits@1": 0.94, "hits@5": 0.94, "hits@10": 0.94, "mrr": 0.94, "nothing": 0.78})
# Measured when first run (in the module's docstring), rounded down by about 0.05: so
# is the third's.
SECOND_HELD_OUT = QuerySet(
    "heldout2", "held-out: written by another reader before it was first run",
    frozenset({"accents", "acronym", "acronym-expansion", "american", "british", "concept",
               "domain", "hyphen", "joined", "language", "long", "lunr-syntax", "model-name",
               "non-english", "numbered", "order", "partial", "quoted", "title", "typo",
               "word-form"}),
    {"hits@1": 0.85, "hits@5": 0.9, "hits@10": 0.9, "mrr": 0.88})
THIRD_HELD_OUT = QuerySet(
    "heldout3", "held-out: written by a third reader before it was first run",
    frozenset({"acronym", "acronym-expansion", "british", "concept", "domain", "hyphen",
               "language", "model-name", "nothing", "partial", "question", "typo"}),
    {"hits@1": 0.85, "hits@5": 0.91, "hits@10": 0.91, "mrr": 0.88, "nothing": 0.7})
FOURTH_HELD_OUT = QuerySet(
    "heldout4", "held-out: written by a fourth reader before it was first run",
    frozenset({"acronym", "acronym-expansion", "british", "concept", "domain", "hyphen",
               "model-name", "nothing", "partial", "question", "title", "typo"}),
    {"hits@1": 0.88, "hits@5": 0.92, "hits@10": 0.92, "mrr": 0.89, "nothing": 0.75})
SETS = [pytest.param(SUITE, id="suite"), pytest.param(HELD_OUT, id="held-out"),
        pytest.param(SECOND_HELD_OUT, id="held-out-2"),
        pytest.param(THIRD_HELD_OUT, id="held-out-3"),
        pytest.param(FOURTH_HELD_OUT, id="held-out-4")]

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


def queries(of: QuerySet) -> list[Query]:
    entries = yaml.safe_load(of.path.read_text(encoding="utf-8"))["queries"]
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
    if empty:
        lines.append(f"nothing: {sum(empty)} of {len(empty)} queries found no paper")
    return "\n".join(lines)


@pytest.mark.parametrize("query_set", SETS)
def test_each_set_is_written_against_the_shipped_catalogue(query_set):
    written = queries(query_set)
    papers = {p.stem for p in (ROOT / "content" / "papers").glob("*.yaml")}
    assert len(written) >= 60
    assert {q.kind for q in written} == query_set.kinds
    assert len({q.text for q in written}) == len(written)
    assert [q.text for q in written if (q.kind == "nothing") != (not q.expect)] == []
    assert {paper for q in written for paper in q.expect} <= papers


@pytest.mark.parametrize("held_out", [HELD_OUT, SECOND_HELD_OUT, THIRD_HELD_OUT,
                                      FOURTH_HELD_OUT], ids=["1", "2", "3", "4"])
def test_a_held_out_set_repeats_no_query_of_the_suite(held_out):
    suite = {q.text.lower() for q in queries(SUITE)}
    assert [q.text for q in queries(held_out) if q.text.lower() in suite] == []


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Iterator[Site]:
    """The shipped catalogue, built and served once for both sets."""
    with serve_catalogue(tmp_path_factory.mktemp("relevance"), ROOT / "content") as site:
        yield site


@pytest.mark.parametrize("query_set", SETS)
def test_the_shipped_catalogue_answers_each_set(query_set, shipped, page, capsys):
    by_kind: dict[str, list[int | None]] = defaultdict(list)
    empty: list[bool] = []
    misses: list[str] = []
    page.goto(shipped.page_url("search/"))
    page.wait_for_selector("html[data-search-ready]")
    for query in queries(query_set):
        found = [unquote(Path(href).name) for href in page.evaluate(RESULTS, query.text)]
        if query.kind == "nothing":
            empty.append(not found)
            misses += [f"{query.text!r} (should find nothing): {found[:3]}"] if found else []
            continue
        by_kind[query.kind].append(rank(found, query.expect))
        if by_kind[query.kind][-1] is None or by_kind[query.kind][-1] > 10:
            misses.append(f"{query.text!r}: {found[:3]}")
    with capsys.disabled():
        print(f"\n{query_set.path.relative_to(ROOT)}: {query_set.label}\n"
              + report(by_kind, empty))
        print("not in the top 10, or found where nothing should be:", *misses, sep="\n  ")
    measured = figures([r for ranks in by_kind.values() for r in ranks])
    if empty:
        measured["nothing"] = sum(empty) / len(empty)
    assert {name: value for name, value in measured.items()
            if value < query_set.floors[name]} == {}
