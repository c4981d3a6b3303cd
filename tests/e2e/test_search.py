"""/search/ in a real browser: relevant results as you type, facets, links, safety, and
agreement between the Python-built index and the real lunr.js."""

from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from sitegen.catalogue.load import load_catalogue
from sitegen.search.analysis import Analyzer, search_fold
from sitegen.search.analysis import term as index_term
from sitegen.search.postings import FIELDS, build_index, field_tokens

from .conftest import serve_catalogue
from .helpers import AXE, FIXTURE, HOSTILE, PHONE, ROOT

pytestmark = pytest.mark.e2e
LLAMA_2 = "Llama 2: Open Foundation and Fine-Tuned Chat Models"


def open_search(page, site, query: str = "") -> None:
    page.goto(site.page_url("search/") + query)
    page.wait_for_selector("html[data-search-ready]")


def type_query(page, text: str) -> list[str]:
    page.fill("#search-query", text)
    return titles(page)


def titles(page) -> list[str]:
    """The result titles, once the latest query's results are drawn (shards may be loading)."""
    page.wait_for_selector("#search-results:not([aria-busy])", state="attached")
    return page.locator("#search-results > li > a").all_inner_texts()


@pytest.mark.parametrize(("query", "first"), [
    ("qlora", "QLoRA: Efficient Finetuning of Quantized LLMs"),
    ("quantizaton", "QLoRA: Efficient Finetuning of Quantized LLMs"),  # one typo forgiven
    ("llama2 chat", LLAMA_2),
    ("mistral", "Mistral 7B"),  # the title match before papers that only mention it
    ("visual instruction", "Visual Instruction Tuning"),
    ("jailbreak safety", "Jailbroken: How Does LLM Safety Training Fail?"),
])
def test_queries_find_the_expected_paper_first(page, site, query, first):
    open_search(page, site)
    assert type_query(page, query)[0] == first


@pytest.mark.parametrize("spelling", ["llama2", "Llama-2", "LLaMA 2", "llama 2", "LLAMA2"])
def test_every_spelling_of_a_model_name_finds_its_papers_first(page, site, spelling):
    open_search(page, site)
    assert type_query(page, spelling)[0] == LLAMA_2


def test_results_appear_as_you_type_and_link_to_papers(page, site):
    open_search(page, site)
    page.locator("#search-query").press_sequentially("quantiz", delay=20)
    link = page.locator("#search-results > li > a").first
    assert link.inner_text().startswith("QLoRA")
    assert link.get_attribute("href") == "/papers/qlora-efficient-finetuning-of-quantized-llms/"
    link.click()
    assert page.locator("h1").inner_text().startswith("QLoRA")


def test_every_word_must_match(page, site):
    open_search(page, site)
    assert type_query(page, "mistral grouped-query") == ["Mistral 7B"]
    status = page.locator("#search-status")
    type_query(page, "mistral zebra")
    assert "no paper has every word" in status.inner_text()


def test_matched_words_are_highlighted(page, site):
    open_search(page, site)
    type_query(page, "quantized")
    marks = page.locator("#search-results > li").first.locator("mark").all_inner_texts()
    assert marks == ["Quantized"]
    type_query(page, "llama 2")
    assert "Llama 2" in page.locator("#search-results > li").first.locator("mark").all_inner_texts()


def test_the_count_is_announced(page, site):
    open_search(page, site)
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"
    type_query(page, "qlora")
    assert status.inner_text() == "1 paper for “qlora”"


def facet_counts(page, name: str) -> dict[str, str]:
    labels = page.locator(f"#search-facets input[name={name}]").evaluate_all(
        "boxes => boxes.map(b => [b.value, b.parentElement.textContent.trim()])")
    return dict(labels)


def test_facets_filter_with_or_inside_a_group_and_and_across_groups(page, site):
    open_search(page, site)
    everything = type_query(page, "model")
    topics = facet_counts(page, "topic")
    assert topics["model-release"].endswith(")") and "Model releases" in topics["model-release"]
    page.check("#search-facets input[value=model-release]")
    releases = titles(page)
    assert 0 < len(releases) < len(everything)
    assert "model-release" in parse_qs(urlsplit(page.url).query)["topic"]
    page.check("#search-facets input[value=alignment]")  # OR within topics
    either = titles(page)
    assert set(releases) <= set(either)
    page.check("#search-facets input[name=family][value=llama-2]")  # AND across groups
    assert titles(page) == [LLAMA_2]
    families = facet_counts(page, "family")
    assert families["llama-2"].endswith("(1)")


def test_a_family_facet_includes_its_generations(page, site):
    open_search(page, site)
    type_query(page, "llama")
    assert facet_counts(page, "family")["llama"].endswith("(2)")  # LLaMA and Llama 2
    page.check("#search-facets input[name=family][value=llama]")
    assert set(titles(page)) == {LLAMA_2, "LLaMA: Open and Efficient Foundation Language Models"}


def test_a_shared_link_opens_the_same_results(page, site, browser):
    open_search(page, site)
    type_query(page, "llama")
    page.check("#search-facets input[name=family][value=llama-2]")
    expected, url = titles(page), page.url
    assert parse_qs(urlsplit(url).query) == {"q": ["llama"], "family": ["llama-2"]}
    other = page.context.new_page()
    other.goto(url)
    other.wait_for_selector("html[data-search-ready]")
    assert titles(other) == expected
    assert other.locator("#search-query").input_value() == "llama"
    assert other.locator("#search-facets input[value=llama-2]").is_checked()


UNKNOWN = "<img src=x onerror=alert(1)>"


def test_unknown_filters_in_the_url_are_dropped_and_said_so(page, site):
    open_search(page, site, f"?q=llama&topic=nope&family=llama-2&family={UNKNOWN}")
    assert titles(page) == [LLAMA_2]
    assert parse_qs(urlsplit(page.url).query) == {"q": ["llama"], "family": ["llama-2"]}
    assert page.locator("#search-facets input:checked").evaluate_all(
        "boxes => boxes.map(b => b.value)") == ["llama-2"]
    assert page.locator("#search-status").inner_text() == (
        f"1 paper for “llama” with the chosen filters. Unknown filters ignored: "
        f"topic “nope”, family “{UNKNOWN}”")


@pytest.mark.parametrize(("query", "status"), [
    ("?q=mistral&topic=nope", "1 paper for “mistral”. Unknown filters ignored: topic “nope”"),
    ("?family=nope&family=nope", "Unknown filters ignored: family “nope”, family “nope”"),
], ids=["with-a-query", "alone"])
def test_unknown_filters_alone_apply_no_filter(page, site, query, status):
    open_search(page, site, query)
    assert titles(page) == (["Mistral 7B"] if "mistral" in query else [])
    assert "chosen filters" not in page.locator("#search-status").inner_text()
    assert page.locator("#search-status").inner_text() == status
    assert urlsplit(page.url).query == ("q=mistral" if "mistral" in query else "")
    assert page.locator("#search-facets input:checked").count() == 0


def test_the_header_box_leads_to_results(page, site):
    page.goto(site.page_url(""))
    page.fill("#site-search", "qlora")
    page.press("#site-search", "Enter")
    page.wait_for_selector("html[data-search-ready]")
    assert titles(page)[0].startswith("QLoRA")


def test_hostile_queries_and_content_are_shown_as_text(page, site):
    query = "<img src=x onerror=alert(1)>"
    open_search(page, site, "?q=" + query.replace(" ", "+").replace("<", "%3C").replace(">", "%3E"))
    assert page.locator("#search-query").input_value() == query
    expect(page.locator("#search-status")).to_contain_text(query)  # once the shard came
    first = page.locator("#search-results > li > a").first
    assert first.get_attribute("href") == f"/papers/{HOSTILE}/"
    assert '<script>alert("title")</script>' in first.inner_text()
    assert page.locator("#search-results img, #search-results script").count() == 0
    for text in ("<script>alert(1)</script>", "javascript:alert(1)", '"><b onmouseover=alert(1)>'):
        type_query(page, text)
    assert page.locator("#search-results b, #search-results img").count() == 0


def test_no_serious_accessibility_violation_with_results(page, site):
    open_search(page, site, "?q=llama&topic=model-release")
    assert titles(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["nodes"][0]["target"]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == []


QUERIES = ["llama2", "model", "quantiz", "safeti~1", "instruct*", "mistral llama2", "vision"]


def test_the_python_index_is_the_index_lunr_js_builds(page, site):
    """lunr.js's own Builder, given the same terms, makes the same vectors and results."""
    open_search(page, site)
    catalogue = load_catalogue(FIXTURE)
    papers = list(catalogue.papers.values())
    packed = build_index(papers, catalogue.taxonomy)
    documents = field_tokens(papers, catalogue.taxonomy)
    outcome = page.evaluate("""([packed, documents, fields, queries]) => {
        const builder = new lunr.Builder();
        builder.pipeline.reset(); builder.searchPipeline.reset();
        builder.ref("ref");
        for (const [name, boost] of fields) builder.field(name, {boost});
        documents.forEach((doc, i) => builder.add({ref: i.toString(36), ...doc}));
        const js = builder.build();
        const vectors = {};
        for (const [field, doc, elements] of packed.vectors) {
            vectors[field + "/" + doc.toString(36)] = elements;
        }
        const mismatched = Object.entries(js.fieldVectors).filter(
            ([key, vector]) => JSON.stringify(vector.elements) !== JSON.stringify(vectors[key]));
        const termOrder = Object.entries(js.invertedIndex).every(
            ([t, p]) => packed.terms[p._index] === t);
        const loaded = lunr.Index.load(JSON.parse(JSON.stringify(js.toJSON())));
        const run = (index) => queries.map(
            q => index.search(q).map(r => [r.ref, r.score.toFixed(6)]));
        return {mismatched: mismatched.length, vectors: Object.keys(js.fieldVectors).length,
                termOrder, js: run(loaded), termCount: Object.keys(js.invertedIndex).length};
    }""", [packed, documents, [list(f) for f in FIELDS], QUERIES])
    assert outcome["vectors"] == len(packed["vectors"])
    assert outcome["mismatched"] == 0
    assert outcome["termOrder"] and outcome["termCount"] == len(packed["terms"])
    shipped = page.evaluate("""async (queries) => {
        const index = await window.paperSearch.lunrIndex();  // from every shard
        return queries.map(q => index.search(q).map(r => [r.ref, r.score.toFixed(6)]));
    }""", QUERIES)
    assert shipped == outcome["js"]
    assert any(shipped)  # the queries do find papers


SAME_AS_LUNR = """async (queries) => {
    const engine = window.paperSearch.engine;
    const whole = await engine.lunrIndex();  // every shard, in a real lunr.Index
    const differences = [];
    for (const query of queries) {
        const words = engine.tokens(query);
        const numbers = [...new Set(words.flatMap(w => [...engine.expansions(w, false)]))];
        const boosts = new Map(numbers.map((i, k) => [i, k % 3 + 1]));
        const ours = engine.rank(boosts).map(h => [h.doc.toString(36), h.score]);
        const lunrs = whole.query(q => boosts.forEach((boost, i) => q.term(
            engine.vocabulary[i], {usePipeline: false, boost}))).map(r => [r.ref, r.score]);
        const score = new Map(lunrs);
        const same = ours.length === lunrs.length && ours.every(([ref, s], k) =>
            Math.abs(score.get(ref) - s) < 1e-9 &&
            (k === 0 || ours[k - 1][1] >= s));  // best first
        if (!same || !ours.length) differences.push([query, ours.length, lunrs.length]);
    }
    return differences;
}"""
RANKED_QUERIES = ["llama2 chat", "quantized model", "instruction tuning", "mixtral of experts",
                  "language", "safety alignment", "vision", "code generation benchmark"]


def test_queries_are_scored_as_lunr_js_scores_them(page, site):
    """The scores summed from postings are lunr.Index.query's, over the whole index."""
    open_search(page, site)
    assert page.evaluate(SAME_AS_LUNR, RANKED_QUERIES[:5]) == []


def test_queries_over_the_shipped_catalogue_are_scored_as_lunr_js_scores_them(
        page, tmp_path_factory):
    with serve_catalogue(tmp_path_factory.mktemp("shipped"), ROOT / "content") as shipped:
        open_search(page, shipped)
        assert page.evaluate(SAME_AS_LUNR, RANKED_QUERIES) == []


def test_typos_are_the_words_lunr_js_finds_one_edit_away(page, site):
    """The vocabulary scan for one-typo forms finds what lunr's fuzzy TokenSet finds."""
    open_search(page, site)
    differing = page.evaluate("""() => {
        const engine = window.paperSearch.engine, vocabulary = engine.vocabulary;
        const all = lunr.TokenSet.fromArray(vocabulary);
        const words = vocabulary.flatMap(t => [t, t.slice(1), t + "e", t.slice(0, -1) + "x",
            t.length > 2 ? t[1] + t[0] + t.slice(2) : t, "q" + t]).filter(w => w.length >= 5);
        return words.filter(w => {
            const ours = engine.typos(w).map(i => vocabulary[i]).sort().join(" ");
            const theirs = all.intersect(lunr.TokenSet.fromFuzzyString(w, 1)).toArray()
                .sort().join(" ");
            return ours !== theirs;
        }).slice(0, 5);
    }""")
    assert differing == []


def test_words_match_as_prefixes_from_three_letters(page, site):
    open_search(page, site)
    forms = page.evaluate("""(words) => words.map(w => [...window.paperSearch.engine.expansions(
        w, false)].map(i => window.paperSearch.engine.vocabulary[i]))""", ["ll", "lla", "qlo"])
    assert forms[0] in ([], ["ll"])
    assert {"llama", "llama2"} <= set(forms[1]) and forms[2] == ["qlora"]


def test_only_the_latest_query_is_drawn(page, site):
    """A query overtaken while its shards load is dropped, not drawn over the newer one."""
    open_search(page, site)
    drawn = page.evaluate("""async () => {
        const input = document.getElementById("search-query");
        const results = document.getElementById("search-results");
        const queries = [];
        results.addEventListener("search-done", (event) => queries.push(event.detail.query));
        const done = new Promise((resolve) => results.addEventListener("search-done", resolve));
        for (const query of ["qlora", "mistral"]) {
            input.value = query;
            input.dispatchEvent(new Event("input"));
        }
        await done;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return queries;
    }""")
    assert drawn == ["mistral"]
    assert titles(page)[0] == "Mistral 7B"


def test_a_shard_that_cannot_be_fetched_is_reported_and_retried(page, site):
    open_search(page, site)
    page.route("**/search/shards/**", lambda route: route.fulfill(status=503))
    type_query(page, "qlora")
    status = page.locator("#search-status").inner_text()
    assert status.startswith("Search is unavailable right now (HTTP 503 for /search/shards/")
    page.unroute("**/search/shards/**")
    assert type_query(page, "qlora ")[0].startswith("QLoRA")


def test_the_stemmer_and_stop_words_agree_with_lunr_js(page, site):
    """Each word of the fixture's titles and abstracts becomes the same term on both sides."""
    open_search(page, site)
    catalogue = load_catalogue(FIXTURE)
    text = " ".join(f"{p.title} {p.abstract}" for p in catalogue.papers.values())
    words = sorted({w for w in re.split(r"[\W_]+", search_fold(text)) if w})
    assert len(words) > 200
    actual = page.evaluate("""(words) => words.map(w => {
        const kept = lunr.stopWordFilter(new lunr.Token(w));
        return kept ? lunr.stemmer(kept).toString() : "";
    })""", words)
    assert actual == [index_term(w) for w in words]


def test_the_query_pipeline_is_the_index_pipeline(page, site):
    """search.js's tokens() and sitegen.search.analysis's agree on awkward text."""
    open_search(page, site)
    catalogue = load_catalogue(FIXTURE)
    analyzer = Analyzer(catalogue.taxonomy.settings.model_names)
    samples = ["Llama 2", "llama-2-chat", "LLaMA\u20112 7B", "Llama 3.1-8B-Instruct", "Qwen2.5",
               "GPT-4o vs. gpt4", "Caf\u00e9 d\u00e9j\u00e0 vu", "\u4e2d\u6587 \u6a21\u578b",
               "Mistral 7B", "the models are training", "T5 and BERT-large", "x_y-z"]
    samples += [p.title for p in catalogue.papers.values()]
    actual = page.evaluate("(samples) => samples.map(s => window.paperSearch.tokens(s))", samples)
    assert actual == [analyzer.tokens(s) for s in samples]


def test_long_result_lists_show_fifty_then_all_on_request(page, tmp_path_factory):
    """On the shipped catalogue, a broad query lists 50 papers and a button shows the rest."""
    with serve_catalogue(tmp_path_factory.mktemp("shipped"), ROOT / "content") as shipped:
        open_search(page, shipped)
        type_query(page, "llama")
        assert len(titles(page)) == 50
        button = page.locator("#search-more")
        total = int(button.inner_text().split()[2])
        assert total > 50
        button.click()
        assert len(titles(page)) == total and button.is_hidden()


# When the page first painted, and when it asked for the search index.
PAINT_AND_INDEX = """() => [
  performance.getEntriesByName("first-contentful-paint")[0].startTime,
  performance.getEntriesByType("resource").find((r) => r.name.includes("search/index.json"))
    .startTime]"""


def held_index(page, site, query: str = "") -> list:
    """/search/ opened with the index's download held back (the routes held, to continue)."""
    held: list = []
    page.route(re.compile(r"/search/index\.json"), lambda route: held.append(route))
    with page.expect_request(re.compile(r"/search/index\.json")):
        page.goto(site.page_url("search/") + query)
    assert page.locator("html[data-search-ready]").count() == 0
    return held


def test_a_query_typed_while_the_index_downloads_is_kept_and_searched(page, site):
    """On a slow network the reader types before the index is there: its arrival neither
    empties the box (the page was opened with no query) nor searches something else."""
    held = held_index(page, site)
    page.locator("#search-query").click()
    page.keyboard.type("llama 2")
    held[0].continue_()
    page.wait_for_selector("html[data-search-ready]")
    assert page.locator("#search-query").input_value() == "llama 2"
    assert titles(page)[0] == LLAMA_2
    assert parse_qs(urlsplit(page.url).query) == {"q": ["llama 2"]}


def test_an_order_chosen_while_the_index_downloads_is_kept(page, site):
    held = held_index(page, site, "?q=llama&sort=oldest")
    page.select_option("#search-sort", "newest")
    held[0].continue_()
    page.wait_for_selector("html[data-search-ready]")
    titles(page)
    assert page.locator("#search-sort").input_value() == "newest"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["llama"], "sort": ["newest"]}


def test_the_query_a_page_is_opened_with_shows_while_the_index_downloads(page, site):
    held = held_index(page, site, "?q=mistral")
    assert page.locator("#search-query").input_value() == "mistral"
    held[0].continue_()
    page.wait_for_selector("html[data-search-ready]")
    assert titles(page)[0] == "Mistral 7B"


def test_the_index_is_asked_for_only_once_the_page_has_painted(page, site):
    """On a slow network the index's download would hold back the page's own first paint."""
    open_search(page, site, "?q=llama")
    painted, asked = page.evaluate(PAINT_AND_INDEX)
    assert asked >= painted
    assert page.locator("link[rel=preload]").count() == 0


def test_the_first_querys_own_work_is_done_while_idle_fetching_nothing(page, site):
    """Once ready and idle, the page has done what a first query would pay for alone (the
    vocabulary by length for typos, among others), without fetching a shard; the first
    query then finds what it always found."""
    open_search(page, site)
    page.wait_for_function("performance.getEntriesByName('search-warm').length === 1")
    assert page.evaluate("window.paperSearch.engine.lengths instanceof Map")
    fetched = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert not [name for name in fetched if "/search/shards/" in name]
    assert type_query(page, "quantizaton")[0] == "QLoRA: Efficient Finetuning of Quantized LLMs"


def test_a_query_typed_before_the_page_is_idle_is_not_held_up_by_that_work(page, site):
    """The idle work is left out once the reader has begun a query: it does that work
    itself. (The page's idle callback is held back until the query has begun.)"""
    page.add_init_script("""window.requestIdleCallback = (then) => { window.idle = then; };""")
    open_search(page, site)
    assert type_query(page, "qlora")[0] == "QLoRA: Efficient Finetuning of Quantized LLMs"
    page.evaluate("window.idle()")
    assert page.evaluate("performance.getEntriesByName('search-warm').length") == 0


def test_each_step_of_the_idle_work_takes_an_idle_moment_of_its_own(page, site):
    """No idle moment does all of it, so that a tap meanwhile waits for one step at most:
    the query planner's run on a title first, then the vocabulary by length (which the
    planner makes already where the title has a word long enough to be a typo)."""
    page.add_init_script("""window.idle = [];
        window.requestIdleCallback = (then) => { window.idle.push(then); };""")
    open_search(page, site)
    titles(page)
    waiting = "window.idle.length"
    page.wait_for_function(f"{waiting} === 1")
    page.evaluate("window.idle.shift()()")
    assert page.evaluate("performance.getEntriesByName('search-warm').length") == 0
    assert page.evaluate(waiting) == 1
    page.evaluate("window.idle.shift()()")
    assert page.evaluate("window.paperSearch.engine.lengths instanceof Map")
    assert page.evaluate("performance.getEntriesByName('search-warm').length") == 1
    assert page.evaluate(waiting) == 0


def test_the_grapheme_segmenter_is_made_only_for_a_query_too_long_to_show_whole(page, site):
    """Making the first one loads its data (15 ms at full speed, in the task that draws the
    first results): a query of at most 80 UTF-16 units is shown whole without it."""
    page.add_init_script("""window.segmenters = 0;
        const Made = Intl.Segmenter;
        Intl.Segmenter = class extends Made {
            constructor(...given) { super(...given); window.segmenters += 1; } };""")
    open_search(page, site, "?q=" + "b" * 80)
    titles(page)
    page.wait_for_function("performance.getEntriesByName('search-warm').length === 1")
    type_query(page, "a" * 80)
    assert page.evaluate("window.segmenters") == 0
    type_query(page, "a" * 81)
    assert page.evaluate("window.segmenters") == 1
    assert page.title().startswith("a" * 80 + "…")


LONG_TITLE = "Long " + "A" * 400 + " word"
LONG_WORD_PAPER = f"""\
# yaml-language-server: $schema=../../sitegen/schemas/paper.schema.json
id: long-word
title: {LONG_TITLE}
abstract: We present QLoRA, an efficient finetuning approach that reduces memory usage enough \
to finetune a 65B parameter model on a single 48GB GPU, with quantized low rank adapters.
topics:
- quantization
families:
- gpt
links: []
added: '2024-01-01'
sources: []
"""


@pytest.fixture(scope="module")
def long_word(tmp_path_factory):
    """The fixture catalogue and a paper whose title is one word of 400 letters."""
    content = tmp_path_factory.mktemp("long-word") / "content"
    shutil.copytree(FIXTURE, content)
    (content / "papers" / "long-word.yaml").write_text(LONG_WORD_PAPER, encoding="utf-8")
    with serve_catalogue(tmp_path_factory.mktemp("served"), content) as served:
        yield served


@pytest.mark.parametrize("path", [
    "", "topics/quantization/gpt/", "papers/qlora-efficient-finetuning-of-quantized-llms/",
    "search/?q=long"], ids=["home recently added", "cell", "related papers", "search results"])
def test_a_title_of_one_long_word_wraps_in_every_list_on_a_phone(open_context, long_word, path):
    page = open_context(viewport=PHONE).new_page()
    page.goto(long_word.page_url(path))
    if "search/" in path:
        page.wait_for_selector("html[data-search-ready]")
        titles(page)
    assert page.locator("li").get_by_text(LONG_TITLE).count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_the_results_are_two_keys_and_enter_from_the_query_box(page, site):
    """The filters' checkboxes come before the results in the page's order; a link skips them."""
    open_search(page, site, "?q=llama")
    first = titles(page)[0]
    page.focus("#search-query")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.locator("#skip-to-results")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["height"] >= 24  # shown on focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.textContent") == first
    assert page.evaluate("document.activeElement.closest('#search-results') !== null")


def test_back_returns_to_each_query_submitted_with_its_results(page, site):
    """Enter makes a history entry of its own; typing writes the entry being typed."""
    open_search(page, site, "?q=qlora")
    assert titles(page)[0].startswith("QLoRA")
    assert page.title() == "qlora · Search · Fixture Papers"
    page.fill("#search-query", "mistral 7b")
    page.press("#search-query", "Enter")
    assert titles(page)[0] == "Mistral 7B"
    assert parse_qs(urlsplit(page.url).query) == {"q": ["mistral 7b"]}
    assert page.title() == "mistral 7b · Search · Fixture Papers"
    page.locator("#search-results > li > a").first.click()
    assert page.locator("h1").inner_text() == "Mistral 7B"
    page.go_back()
    assert page.locator("#search-query").input_value() == "mistral 7b"
    page.wait_for_selector("html[data-search-ready]")
    assert titles(page)[0] == "Mistral 7B"
    page.go_back()
    assert parse_qs(urlsplit(page.url).query) == {"q": ["qlora"]}
    page.wait_for_function("document.getElementById('search-query').value === 'qlora'")
    assert titles(page)[0].startswith("QLoRA")
    assert page.title() == "qlora · Search · Fixture Papers"
    page.go_forward()
    page.wait_for_function("document.getElementById('search-query').value === 'mistral 7b'")
    assert titles(page)[0] == "Mistral 7B"


def test_back_restores_the_filters_and_the_order_of_each_entry(page, site):
    """Filters and order changed after a submitted query make one entry, as typing does."""
    open_search(page, site, "?q=llama&family=llama-2&sort=oldest")
    page.fill("#search-query", "mistral")
    page.press("#search-query", "Enter")
    assert titles(page) == [] and parse_qs(urlsplit(page.url).query) == {
        "q": ["mistral"], "family": ["llama-2"], "sort": ["oldest"]}
    page.click("#search-facets input[value=llama-2]")  # its box then goes: no paper has it
    page.wait_for_function("!location.search.includes('family')")
    page.select_option("#search-sort", "relevance")
    assert titles(page) == ["Mistral 7B"] and urlsplit(page.url).query == "q=mistral"
    page.go_back()
    page.wait_for_function("location.search.includes('family')")
    assert titles(page) == []
    assert page.locator("#search-facets input[value=llama-2]").is_checked()
    assert page.locator("#search-sort").input_value() == "oldest"
    page.go_back()
    page.wait_for_function("document.getElementById('search-query').value === 'llama'")
    assert titles(page) == [LLAMA_2]
    assert page.locator("#search-facets input[value=llama-2]").is_checked()
    page.go_back()
    assert page.url == "about:blank"


FAMILY = "\U0001F469\u200d\U0001F469\u200d\U0001F467"  # one character on screen, 8 UTF-16 units


CUT = "a" * 79  # the status repeats 80 characters of a query


@pytest.mark.parametrize(("query", "shown", "status"), [
    (CUT + "\U0001F600\U0001F600", CUT + "\U0001F600…", "0 papers for “{}”"),
    (CUT + FAMILY + FAMILY, CUT + FAMILY + "…", "0 papers for “{}”"),
    (CUT + "\U0001F600", CUT + "\U0001F600", "0 papers for “{}”"),
    (CUT + "a", CUT + "a", "0 papers for “{}”"),
    ("\U0001F600\U0001F600", "\U0001F600\U0001F600",
     "No searchable words in “{}”: only letters and digits are searched"),
    ('"" “”', '"" “”', "No searchable words in “{}”: only letters and digits are searched"),
    ("the of", "the of",
     "No words to search for in “{}”: common words such as “the” are left out"),
], ids=["emoji at the cut", "family emoji at the cut", "80 characters in 81 units",
         "80 characters", "emoji only", "quotes only", "stop words"])
def test_the_status_and_title_repeat_the_query_in_whole_characters(
        page, site, query, shown, status):
    open_search(page, site)
    type_query(page, query)
    assert page.locator("#search-status").inner_text() == status.format(shown)
    assert page.title() == f"{shown} · Search · Fixture Papers"
