"""The search index builder: one text pipeline, lunr's scoring, a small packed file."""

import dataclasses
import json
import random
import re
from collections import Counter
from itertools import accumulate

import jsonschema
import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue.load import load_catalogue
from sitegen.core.text import fold
from sitegen.search.analysis import Analyzer, ModelNames, model_name_pattern, search_fold
from sitegen.search.files import (
    FORMAT,
    search_files,
    search_plan,
)
from sitegen.search.fingerprint import search_fingerprint
from sitegen.search.postings import FIELDS, bm25, build_index, field_texts, field_tokens
from sitegen.search.termorder import js_order

FIXTURE = ROOT / "tests" / "fixtures" / "site"
CATALOGUE = load_catalogue(FIXTURE)
PAPERS = list(CATALOGUE.papers.values())
TAXONOMY = CATALOGUE.taxonomy
ANALYZER = Analyzer(TAXONOMY.settings.model_names)
tokens = ANALYZER.tokens


@pytest.mark.parametrize("spelling", ["llama2", "Llama-2", "LLaMA 2", "llama 2", "Llama2-7B",
                                      "Llama-2-Chat", "LLAMA_2", "Llama\u20112"])
def test_every_spelling_of_a_model_generation_is_one_term(spelling):
    assert tokens(spelling)[0] == "llama2"


def test_the_model_name_pattern_matches_as_the_plain_alternation_does():
    """Shared prefixes, a name that is another's prefix, names of one letter: the prefix-sharing
    pattern rewrites every text as 'longest name first' alternation (search.js's) does."""
    names = ("llama", "llava", "ll", "gpt", "qwen", "t5", "t", "mistral", "mixtral", "m")
    plain = re.compile(r"(?<![^\W_])(" + "|".join(sorted(names, key=lambda n: (-len(n), n))) +
                       r")[\s_\u2010-\u2015-]*v?([0-9]+)(?:\.[0-9]+)*(?![^\W_])")
    shared = model_name_pattern(names)
    draw = random.Random(7)
    letters = "llamavgptqwenmixtr5 0123-._v"
    texts = ["".join(draw.choice(letters) for _ in range(draw.randint(1, 16)))
             for _ in range(20_000)]
    assert [shared.sub(r"\1\2", t) for t in texts] == [plain.sub(r"\1\2", t) for t in texts]
    assert (shared.sub(r"\1\2", "ll 2, llama-3.1, llava v1.5, t5 and m2")
            == "ll2, llama3, llava1, t5 and m2")


NAMES = st.lists(st.text("lamvgptq5", min_size=1, max_size=5), min_size=1, max_size=6)
PIECES = [*"lamvgptq5 0123-._v,é中", "\u2010", "\u00a0", "\u3000", "\ud800", "\u0301", "  "]


@settings(max_examples=500, deadline=None)
@given(NAMES, st.data())
def test_model_names_found_through_the_first_scan_are_those_the_pattern_finds(names, data):
    """RE2's scan only says where the pattern may first match: any text (other scripts,
    other separators, lone surrogates) is rewritten as the pattern alone rewrites it."""
    text = "".join(data.draw(st.lists(st.sampled_from([*names, *PIECES]), max_size=16)))
    names = tuple(names)
    pattern = model_name_pattern(names)
    assert pattern is not None
    assert ModelNames(names).join(text) == pattern.sub(r"\1\2", text)


@pytest.mark.parametrize("text", ["llama  2", "llama\u00a0-\u2010 v2", "llamav2", "gpt-4o",
                                  "xllama 2 and llama 3", "llama\ud800 2", "café llama-2"])
def test_model_names_are_joined_however_far_apart_the_separators_put_them(text):
    names = ("llama", "gpt")
    assert ModelNames(names).join(text) == model_name_pattern(names).sub(r"\1\2", text)


def test_minor_versions_and_sizes_are_handled():
    assert tokens("Llama 3.1-8B") == ["llama3", "8b"]
    assert tokens("Qwen2.5-7B-Instruct") == ["qwen2", "7b", "instruct"]
    assert tokens("Mistral 7B") == ["mistral", "7b"]  # a size, not a generation
    assert tokens("LLaMA-Adapter V2") == ["llama", "adapt", "v2"]


def test_text_is_folded_stop_words_dropped_and_words_stemmed():
    assert tokens("The Café of Déjà-vu Models") == ["cafe", "deja", "vu", "model"]
    assert tokens("Quantization quantized QUANTIZING") == ["quantiz"] * 3
    assert tokens("中文 模型") == ["中文", "模型"]


def test_search_folds_as_the_browser_does_which_is_less_than_papers_are_compared():
    """Index and query terms must agree, so search folds only as JavaScript's NFKD,
    U+0300-U+036F and toLowerCase do; comparing papers also drops typography and every
    combining mark, and case-folds."""
    text = "Straße \u201cÇa\u201d e\u20d7"
    assert search_fold(text) == "straße \u201cca\u201d e\u20d7"
    assert fold(text) == 'strasse "ca" e'


@pytest.mark.parametrize("text", [p.abstract for p in PAPERS] + [p.title for p in PAPERS] + [
    "Déjà vu: the_snake-case LLaMA-2 and naïve «quotes» 中文 模型", "a\u00a0b\tc\x1fd", ""])
def test_counting_terms_is_counting_tokens(text):
    counts, length = ANALYZER.term_counts(text)
    expected = Counter(tokens(text))
    assert list(counts.items()) == list(expected.items()) and length == sum(expected.values())
    folded = search_fold(text)
    joined = ANALYZER.models.pattern.sub(r"\1\2", folded)
    assert ANALYZER.words(text) == [w for w in re.split(r"[\W_]+", joined) if w]


def test_fields_hold_family_names_with_their_parents_and_topic_names():
    paper = CATALOGUE.papers["llama-2-open-foundation-and-fine-tuned-chat-models"]
    texts = field_texts(paper, TAXONOMY)
    assert texts["title"] == paper.title and texts["abstract"] == paper.abstract
    assert texts["families"] == "LLaMA (all generations) llama Llama 2 llama-2"
    assert "Alignment & preference learning" in texts["topics"]


def test_index_is_lunr_shaped_with_boosted_fields_and_rounded_scores():
    index = build_index(PAPERS, TAXONOMY)
    assert index["version"] == "2.3.9"
    assert index["fields"] == ["title", "families", "topics", "abstract"]
    assert dict(FIELDS) == {"title": 10, "families": 5, "topics": 3, "abstract": 1}
    assert len(index["terms"]) == len(set(index["terms"]))
    assert len(index["vectors"]) == len(PAPERS) * 4
    for _, _, elements in index["vectors"]:
        positions = elements[0::2]
        assert positions == sorted(positions) and len(set(positions)) == len(positions)
        assert all(round(score, 3) == score and score > 0 for score in elements[1::2])
    term = index["terms"].index("mistral")
    mistral = PAPERS.index(CATALOGUE.papers["mistral-7b"])
    scores = {field: dict(zip(e[0::2], e[1::2], strict=True)).get(term)
              for field, doc, e in index["vectors"] if doc == mistral}
    assert scores["title"] > scores["families"] > scores["abstract"] > 0


def test_terms_are_sorted_as_javascript_sorts_strings():
    terms = ["b", "\U0001f600", "a", "\uff41", "Z"]  # an astral character sorts before U+FF41
    assert [terms[i] for i in js_order(terms)] == ["Z", "a", "b", "\U0001f600", "\uff41"]


def head_and_shards(files: dict[str, bytes]) -> tuple[dict, list[list]]:
    head = json.loads(files["search/index.json"])
    shards = [json.loads(files[f"search/shards/{name}.json"]) for name in head["shards"]["file"]]
    assert len(files) == 1 + len(shards)
    return head, shards


def test_the_page_loads_only_what_a_result_shows_and_the_vocabulary():
    head, _ = head_and_shards(search_files(PAPERS, TAXONOMY))
    documents, families = head["documents"], head["families"]
    assert set(documents) == {"id", "title", "topics", "families", "published"}  # no abstracts
    mistral = documents["id"].index("mistral-7b")
    assert mistral == PAPERS.index(CATALOGUE.papers["mistral-7b"])
    assert documents["title"][mistral] == "Mistral 7B"
    assert [families["id"][i] for i in documents["families"][mistral]] == ["mistral"]
    assert [head["topics"]["id"][i] for i in documents["topics"][mistral]] == (
        CATALOGUE.papers["mistral-7b"].topics)
    assert families["parent"][families["id"].index("llama-2")] == families["id"].index("llama")
    assert families["parent"][families["id"].index("llama")] == -1
    assert "llama" in head["modelNames"]
    vocabulary = head["terms"].split("\n")
    assert vocabulary == sorted(build_index(PAPERS, TAXONOMY)["terms"])


def test_each_document_carries_its_publication_date_as_a_number_and_0_without_one():
    """The year facet and the sort by date read `published`: YYYYMMDD orders as the dates
    do, and its year is the number divided by 10000."""
    published = head_and_shards(search_files(PAPERS, TAXONOMY))[0]["documents"]["published"]
    for paper, number in zip(PAPERS, published, strict=True):
        assert number == (int(paper.published.replace("-", "")) if paper.published else 0)
    assert published[PAPERS.index(CATALOGUE.papers["mistral-7b"])] == 20231010
    assert 0 in published and {n // 10000 for n in published if n} >= {2023}


SCHEMAS = ROOT / "sitegen" / "schemas"


@pytest.mark.parametrize("shard_bytes", [2_000, 10**9])
def test_the_search_data_has_the_documented_layout(shard_bytes):
    """sitegen/schemas/search-*.schema.json document what the page reads: every key, and
    the format number that search-index.js checks."""
    head, shards = head_and_shards(search_files(PAPERS, TAXONOMY, shard_bytes))
    validator = jsonschema.Draft202012Validator
    validator(json.loads((SCHEMAS / "search-index.schema.json").read_text())).validate(head)
    shard_schema = json.loads((SCHEMAS / "search-shard.schema.json").read_text())
    for shard in shards:
        validator(shard_schema).validate(shard)
    assert head["format"] == FORMAT == 6
    assert head["positions"] == ["title", "abstract"]
    assert head["boosts"] == [boost for _, boost in FIELDS]
    assert [len(lengths) for lengths in head["lengths"]] == [len(PAPERS)] * len(FIELDS)
    for table, rows in (("documents", len(PAPERS)), ("topics", len(TAXONOMY.topics)),
                        ("families", len(TAXONOMY.families))):
        assert {len(column) for column in head[table].values()} == {rows}, table


def test_a_catalogue_without_papers_has_search_data_of_the_documented_layout():
    """No papers: no terms, and no shard (a shard of no terms used to be planned, and the
    build of a new, empty catalogue failed)."""
    head, shards = head_and_shards(search_files([], TAXONOMY))
    jsonschema.Draft202012Validator(
        json.loads((SCHEMAS / "search-index.schema.json").read_text())).validate(head)
    assert (head["documents"]["id"], head["lengths"], head["terms"], head["shards"], shards) == (
        [], [[]] * len(FIELDS), "", {"start": [], "file": []}, [])


@pytest.mark.parametrize("shard_bytes", [1, 2_000, 10**9])
def test_shards_hold_each_documents_counts_from_which_lunrs_field_vectors_follow(shard_bytes):
    """Decoding every shard gives back how often each document holds each term in each
    field; with the lengths of index.json, BM25 gives exactly the vectors lunr's Builder
    makes (the page computes them the same way: tests/e2e/test_search.py)."""
    head, shards = head_and_shards(search_files(PAPERS, TAXONOMY, shard_bytes))
    vocabulary = head["terms"].split("\n")
    starts = head["shards"]["start"]
    assert starts[0] == 0 and starts == sorted(set(starts))
    assert sum(map(len, shards)) == len(vocabulary)
    entries = [entry for shard in shards for entry in shard]
    counts: dict[tuple[int, int], dict[str, int]] = {}
    holders: Counter = Counter()
    for term, entry in zip(vocabulary, entries, strict=True):
        for slot, flat in enumerate(entry[:len(head["fields"])]):
            for doc, times in zip(accumulate(flat[0::2]), flat[1::2], strict=True):
                counts.setdefault((slot, doc), {})[term] = times
            holders[term] += len(flat) // 2
    tokens_of = field_tokens(PAPERS, TAXONOMY)
    assert counts == {(slot, doc): dict(Counter(fields[name]))
                      for doc, fields in enumerate(tokens_of)
                      for slot, (name, _) in enumerate(FIELDS) if fields[name]}
    averages = [sum(lengths) / len(PAPERS) for lengths in head["lengths"]]
    decoded = {(FIELDS[slot][0], doc): {term: bm25(holders[term], len(PAPERS), times,
                                                    head["lengths"][slot][doc], averages[slot],
                                                    FIELDS[slot][1])
                                         for term, times in held.items()}
               for (slot, doc), held in counts.items()}
    index = build_index(PAPERS, TAXONOMY)
    expected = {(field, doc): {index["terms"][i]: score for i, score in
                               zip(elements[0::2], elements[1::2], strict=True)}
                for field, doc, elements in index["vectors"] if elements}
    assert decoded == expected


def test_shards_average_about_the_size_asked_for_and_none_grows_far_past_it():
    files = search_files(PAPERS, TAXONOMY, 500)
    head, shards = head_and_shards(files)
    sizes = [len(files[f"search/shards/{name}.json"]) for name in head["shards"]["file"]]
    assert len(shards) > 5 and 500 / 4 <= sum(sizes) / len(sizes) <= 500 * 4
    for shard, size in zip(shards, sizes, strict=True):
        assert len(shard) == 1 or size <= 4 * 500 + 2 + max(
            len(json.dumps(entry, separators=(",", ":"))) for entry in shard)


def shard_terms(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Each shard's file, and its terms."""
    head = json.loads(files["search/index.json"])
    vocabulary, shards = head["terms"].split("\n"), head["shards"]
    ends = [*shards["start"][1:], len(vocabulary)]
    return {f"search/shards/{name}.json": vocabulary[start:end]
            for name, start, end in zip(shards["file"], shards["start"], ends, strict=True)}


def test_an_edited_paper_changes_index_json_and_only_the_shards_near_its_own_terms():
    """A shard's file is named by what it is made from; an edit makes new shards only
    where its own terms are, or were: between a new shard's first term and the last of
    the shard after it (a boundary at a term that came or went moves one shard's end)."""
    catalogue = load_catalogue(ROOT / "content")
    papers = list(catalogue.papers.values())
    edited = dataclasses.replace(papers[100], title=papers[100].title + " zebrafish rebuttal",
                                 abstract=papers[100].abstract[:200])
    plans = [search_plan(list_, catalogue.taxonomy, 2_000)
             for list_ in (papers, [*papers[:100], edited, *papers[101:]])]
    before, after = ({path: make() for path, _, make in plan.files()} for plan in plans)
    assert [key for _, key, _ in plans[1].files()][1:] == [
        path.removeprefix("search/shards/").removesuffix(".json") for path in after][1:]
    touched = {term for paper in (papers[100], edited)
               for terms in field_tokens([paper], catalogue.taxonomy)[0].values()
               for term in terms}
    new = [path for path in after if before.get(path) != after[path]]
    assert new[0] == "search/index.json" and 1 < len(new) < len(after) / 4
    terms = shard_terms(after)
    order = list(terms)
    for path in new[1:]:
        k = order.index(path)
        last = terms[order[min(k + 1, len(order) - 1)]][-1]
        assert any(terms[path][0] <= term <= last for term in touched), path


def test_search_files_are_deterministic():
    assert search_files(PAPERS, TAXONOMY) == search_files(PAPERS, TAXONOMY)
    assert search_files(PAPERS[::-1], TAXONOMY) != search_files(PAPERS, TAXONOMY)


def test_the_search_version_changes_with_anything_the_search_data_is_made_from():
    first, second = PAPERS[0], PAPERS[1]
    version = search_fingerprint(PAPERS, TAXONOMY)
    assert search_fingerprint(list(PAPERS), TAXONOMY) == version
    family = next(iter(TAXONOMY.families.values()))
    changed = [
        [dataclasses.replace(first, title=first.title + " v2"), *PAPERS[1:]],
        [dataclasses.replace(first, abstract=first.abstract + "."), *PAPERS[1:]],
        [dataclasses.replace(first, topics=[]), *PAPERS[1:]],
        [dataclasses.replace(first, families=[*first.families, "llama"]), *PAPERS[1:]],
        [dataclasses.replace(first, published="1999-12-31"), *PAPERS[1:]],
        # a text moved from the end of one field to the start of the next reads differently
        [dataclasses.replace(first, title=first.title[:-1],
                             abstract=first.title[-1] + first.abstract), *PAPERS[1:]],
        [second, first, *PAPERS[2:]],
        PAPERS[1:],
    ]
    assert len({version, *(search_fingerprint(papers, TAXONOMY) for papers in changed)}) == 9
    renamed = dataclasses.replace(TAXONOMY, families={
        **TAXONOMY.families, family.id: dataclasses.replace(family, name=family.name + "!")})
    assert search_fingerprint(PAPERS, renamed) != version


def positions_by_document(head: dict, shards: list[list]) -> dict[tuple[str, int], list[str]]:
    """The shards' positions turned back into each document's terms, in order, per field."""
    vocabulary, fields = head["terms"].split("\n"), head["fields"]
    entries = [entry for shard in shards for entry in shard]
    found: dict[tuple[str, int], dict[int, str]] = {}
    for term, entry in zip(vocabulary, entries, strict=True):
        for field, runs in zip(head["positions"], entry[len(fields):], strict=True):
            documents = list(accumulate(entry[fields.index(field)][0::2]))
            r = 0
            for doc in documents:
                count, r = runs[r], r + 1
                for place in accumulate(runs[r:r + count]):
                    found.setdefault((field, doc), {})[place] = term
                r += count
            assert r == len(runs)
    return {key: [terms[p] for p in sorted(terms)] for key, terms in found.items()}


@pytest.mark.parametrize("shard_bytes", [1, 10**9])
def test_shards_hold_where_each_term_stands_in_titles_and_abstracts(shard_bytes):
    """Positions count the field's terms from 0, stop words left out, as lunr's Builder
    numbers the tokens it is given: every title and abstract reads back term by term."""
    head, shards = head_and_shards(search_files(PAPERS, TAXONOMY, shard_bytes))
    texts = positions_by_document(head, shards)
    for doc, fields in enumerate(field_tokens(PAPERS, TAXONOMY)):
        for field in ("title", "abstract"):
            assert texts.get((field, doc), []) == fields[field], (field, PAPERS[doc].id)
    mistral = PAPERS.index(CATALOGUE.papers["mistral-7b"])
    assert texts["title", mistral] == ["mistral", "7b"]
