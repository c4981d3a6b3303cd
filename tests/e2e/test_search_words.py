"""/search/ in a real browser, beyond single words: the positions the search data holds are
those lunr.js's Builder records, scores are lunr's plus the bonus for words found together
(worked out again here in Python, from the index's own terms), quoted phrases match only
papers holding their words in order, and awkward queries return promptly with a status."""

from __future__ import annotations

import math
import re
import time

import pytest

from sitegen.catalogue.load import load_catalogue
from sitegen.search.postings import FIELDS, POSITIONED, field_tokens

from .helpers import FIXTURE
from .test_search import open_search, type_query

pytestmark = pytest.mark.e2e
CATALOGUE = load_catalogue(FIXTURE)
PAPERS = list(CATALOGUE.papers.values())
TOKENS = field_tokens(PAPERS, CATALOGUE.taxonomy)


def test_positions_are_those_lunr_js_records(page, site):
    """lunr's Builder, given each field's terms as text, records every token's index: the
    shards hold the same positions for every term of every title and abstract."""
    open_search(page, site)
    differing = page.evaluate("""async ([documents, fields, positioned]) => {
        const builder = new lunr.Builder();
        builder.pipeline.reset(); builder.searchPipeline.reset();
        builder.ref("ref");
        builder.metadataWhitelist = ["index"];
        for (const [name, boost] of fields) builder.field(name, {boost});
        documents.forEach((doc, i) => builder.add({ref: i.toString(36), ...Object.fromEntries(
            Object.entries(doc).map(([field, terms]) => [field, terms.join(" ")]))}));
        const lunrs = builder.build().invertedIndex;
        const engine = window.paperSearch.engine;
        await engine.lunrIndex();  // every shard
        const differing = [];
        engine.vocabulary.forEach((term, i) => positioned.forEach((field, j) => {
            const documents = engine.postings(i)[engine.fields.indexOf(field)][0];
            const {offsets, flat} = engine.places(i, j);
            const ours = Object.fromEntries(documents.map((doc, k) => [doc.toString(36),
                [...flat.subarray(offsets[k], offsets[k + 1])]]));
            const theirs = Object.fromEntries(Object.entries(lunrs[term][field]).map(
                ([ref, data]) => [ref, data.index]));
            if (JSON.stringify(ours) !== JSON.stringify(theirs)) differing.push([term, field]);
        }));
        return [differing.slice(0, 5), engine.vocabulary.length];
    }""", [TOKENS, [list(f) for f in FIELDS], list(POSITIONED)])
    assert differing[0] == [] and differing[1] > 200


PLAN = """async (query) => {
    const engine = window.paperSearch.engine, named = (s) => [...s].map(i => engine.vocabulary[i]);
    const {hits} = await engine.search(query);  // loads the shards the plan needs
    const plan = PaperWords.plan(engine, query);
    PaperWords.splitRare(engine, plan);
    const units = plan.units.map(u => ({term: u.term, quoted: u.quoted, all: named(u.all),
        exact: named(u.exact), splits: u.splits.map(named)}));
    const joins = plan.joins.map(j => ({units: j.units, terms: named(j.terms),
        exact: j.exact >= 0 ? engine.vocabulary[j.exact] : null}));
    const boosts = new Map();
    const raise = (i, b) => { if (!(boosts.get(i) >= b)) boosts.set(i, b); };
    plan.units.forEach(u => u.all.forEach(i => raise(i, u.exact.has(i) ? 10 : 1)));
    plan.joins.forEach(j => j.terms.forEach(i => raise(i, i === j.exact ? 10 : 1)));
    const whole = await engine.lunrIndex();
    const lunrs = whole.query(q => boosts.forEach((boost, i) => q.term(
        engine.vocabulary[i], {usePipeline: false, boost})));
    return {units, joins, hits: hits.map(h => [h.doc, h.score]),
            lunr: Object.fromEntries(lunrs.map(r => [parseInt(r.ref, 36), r.score])),
            length: Math.sqrt([...boosts.values()].reduce((s, b) => s + b * b, 0)) || 10};
}"""
TOGETHER = {"title": 10, "abstract": 5}


def times_in_sequence(tokens: list[str], groups: list[set[str]]) -> int:
    n = len(groups)
    return sum(all(tokens[p + k] in groups[k] for k in range(n))
               for p in range(len(tokens) - n + 1))


def found_together(groups: list[set[str]]) -> dict[str, dict[int, int]]:
    """Per positioned field: document -> times the groups' terms stand in sequence."""
    return {field: {doc: n for doc, fields in enumerate(TOKENS)
                    if (n := times_in_sequence(fields[field], groups))} for field in POSITIONED}


def merged(maps: dict, other: dict) -> dict:
    return {f: {**maps[f], **{d: max(t, maps[f].get(d, 0)) for d, t in other[f].items()}}
            for f in POSITIONED}


def core(unit: dict) -> set[str]:
    """The forms of a word that count for standing together: typed exactly, or else all."""
    return set(unit["exact"] or unit["all"])


def pair_maps(plan: dict, u: int) -> dict:
    """Two neighbouring words together: in sequence (either split), or joined."""
    def shapes(unit: dict) -> list[list[set[str]]]:
        found = [s for s in unit["splits"] if any(found_together([{t} for t in s]).values())]
        return [[core(unit)], *[[{t} for t in s] for s in found]]
    maps = found_together([core(plan["units"][u]), core(plan["units"][u + 1])])
    for a in shapes(plan["units"][u]):
        for b in shapes(plan["units"][u + 1]):
            if len(a) + len(b) > 2:
                maps = merged(maps, found_together(a + b))
    for join in plan["joins"]:
        if u in join["units"] and u + 1 in join["units"]:
            for field in POSITIONED:
                for doc, fields in enumerate(TOKENS):
                    if n := sum(fields[field].count(t) for t in join["terms"]):
                        maps[field][doc] = maps[field].get(doc, 0) + n
    return maps


def bonuses(plan: dict) -> dict[int, float]:
    """Each paper's bonus for words found together, as search-rank.js describes it."""
    def key(unit: dict) -> tuple:
        return unit["term"], unit["quoted"]
    distinct = {key(unit): unit for unit in reversed(plan["units"])}  # a word typed twice: once
    links = []
    for unit in distinct.values():
        if unit["splits"]:
            maps = {f: {} for f in POSITIONED}
            for split in unit["splits"]:
                maps = merged(maps, found_together([{t} for t in split]))
            links.append(maps)
    pairs = {(key(a), key(b)): u for u, (a, b) in reversed(list(enumerate(
        zip(plan["units"], plan["units"][1:], strict=False))))}
    links += [pair_maps(plan, u) for u in pairs.values()]
    bonus: dict[int, float] = {}
    for maps in links:
        best: dict[int, float] = {}
        for field, found in maps.items():
            idf = math.log(1 + abs((len(PAPERS) - len(found) + 0.5) / (len(found) + 0.5)))
            for doc, n in found.items():
                best[doc] = max(best.get(doc, 0), TOGETHER[field] * idf * 2.2 * n / (1.2 + n))
        for doc, value in best.items():
            bonus[doc] = bonus.get(doc, 0) + value
    return bonus


@pytest.mark.parametrize("query", ["instruction tuning", "fine tuned chat models",
                                   "q lora finetuning", "visualinstruction", "grouped query",
                                   '"large language" models', "efficient foundation llama",
                                   "instructon tun", "tuning models tuning models tuning"])
def test_scores_are_lunrs_plus_the_bonus_for_words_found_together(page, site, query):
    open_search(page, site)
    plan = page.evaluate(PLAN, query)
    bonus = bonuses(plan)
    assert plan["hits"]
    for doc, score in plan["hits"]:
        expected = plan["lunr"].get(str(doc), 0) + bonus.get(doc, 0) * 10 / plan["length"]
        assert score == pytest.approx(expected, abs=1e-9), PAPERS[doc].id


@pytest.mark.parametrize(("phrase", "words", "joined"), [
    ('"instruction tuning"', ["instruct", "tune"], "instructiontun"),
    ('"tuning instruction"', ["tune", "instruct"], "tuninginstruct"),
    ('"foundation language models"', ["foundat", "languag", "model"], None),
    ('"fine-tuned"', ["fine", "tune"], "finetun")])
def test_a_quoted_phrase_finds_exactly_the_papers_holding_it(page, site, phrase, words, joined):
    """Its words in order in the title or the abstract, or written as one word anywhere."""
    open_search(page, site)
    holding = {PAPERS[doc].title for doc, fields in enumerate(TOKENS)
               if any(times_in_sequence(fields[f], [{w} for w in words]) for f in POSITIONED)
               or any(joined in terms for terms in fields.values())}
    assert set(type_query(page, phrase)) == holding
    assert holding or "tuning instruction" in phrase


HUGE = "x" * 10_000
BAD_INPUT = [
    (HUGE, "^0 papers for “" + "x" * 80 + "…”$"),
    ("(.*)+[^$]{,}\\ |? ^$", "^No searchable words in “.*”: only letters and digits are "
                               "searched$"),
    ('"instruction tuning', "^1 paper for “\"instruction tuning”$"),
    ('tuning" instruction "', "^[1-9][0-9]* papers? for “tuning\" instruction \"”$"),
    (" ".join(f"w{k}" for k in range(500)), r" \(only the first 20 words were searched\)$"),
    (" ".join(["the"] * 500), "^No words to search for in “(the ){20}"),
]


@pytest.mark.parametrize(("query", "said"), BAD_INPUT,
                         ids=["10000-characters", "regex", "open-quote", "odd-quotes",
                              "500-words", "500-stop-words"])
def test_awkward_queries_return_promptly_with_a_clear_status(page, site, query, said):
    open_search(page, site)
    started = time.perf_counter()
    type_query(page, query)
    assert time.perf_counter() - started < 2
    status = page.locator("#search-status").inner_text()
    assert re.search(said, status) and len(status) < 200, status
    assert type_query(page, "mistral") == ["Mistral 7B"]  # the page still answers
