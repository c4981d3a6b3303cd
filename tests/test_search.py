"""The search index builder: one text pipeline, lunr's scoring, a small packed file."""

import json

import pytest
from conftest import ROOT

from sitegen.catalogue import load_catalogue
from sitegen.search import (
    FIELDS,
    build_index,
    field_texts,
    model_name_pattern,
    ref,
    search_data,
    tokens,
)

FIXTURE = ROOT / "tests" / "fixtures" / "site"
CATALOGUE = load_catalogue(FIXTURE)
PAPERS = list(CATALOGUE.papers.values())
TAXONOMY = CATALOGUE.taxonomy
MODELS = model_name_pattern(TAXONOMY.settings.model_names)


@pytest.mark.parametrize("spelling", ["llama2", "Llama-2", "LLaMA 2", "llama 2", "Llama2-7B",
                                      "Llama-2-Chat", "LLAMA_2", "Llama\u20112"])
def test_every_spelling_of_a_model_generation_is_one_term(spelling):
    assert tokens(spelling, MODELS)[0] == "llama2"


def test_minor_versions_and_sizes_are_handled():
    assert tokens("Llama 3.1-8B", MODELS) == ["llama3", "8b"]
    assert tokens("Qwen2.5-7B-Instruct", MODELS) == ["qwen2", "7b", "instruct"]
    assert tokens("Mistral 7B", MODELS) == ["mistral", "7b"]  # a size, not a generation
    assert tokens("LLaMA-Adapter V2", MODELS) == ["llama", "adapt", "v2"]


def test_text_is_folded_stop_words_dropped_and_words_stemmed():
    assert tokens("The Café of Déjà-vu Models", MODELS) == ["cafe", "deja", "vu", "model"]
    assert tokens("Quantization quantized QUANTIZING", MODELS) == ["quantiz"] * 3
    assert tokens("中文 模型", MODELS) == ["中文", "模型"]


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
    ordered = [index["terms"][i] for i in index["order"]]
    assert ordered == sorted(index["terms"]) and sorted(index["order"]) == list(
        range(len(index["terms"])))
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


def test_short_refs():
    assert [ref(n) for n in (0, 9, 10, 35, 36, 1295, 1296)] == [
        "0", "9", "a", "z", "10", "zz", "100"]


def test_search_data_stores_only_what_a_result_shows():
    data = json.loads(search_data(PAPERS, TAXONOMY))
    assert set(data) == {"index", "documents", "topics", "families", "modelNames"}
    mistral = data["documents"][PAPERS.index(CATALOGUE.papers["mistral-7b"])]
    assert mistral[:2] == ["mistral-7b", "Mistral 7B"]
    assert [data["families"][i][0] for i in mistral[3]] == ["mistral"]
    assert all(len(document) == 4 for document in data["documents"])  # no abstracts shipped
    assert "llama" in data["modelNames"]
    families = [f[0] for f in data["families"]]
    assert data["families"][families.index("llama-2")][2] == families.index("llama")
    assert search_data(PAPERS, TAXONOMY) == search_data(PAPERS, TAXONOMY)
