"""The word -> term table that tests/js checks search-index.js against: tests/js/terms.json.

The browser turns query words into terms with search-index.js; the index's terms come from
sitegen.search.analysis. The table is what the Python side makes of: every word of the
fixture site's fields (titles, abstracts, family and topic names), lunr's stop words and
words that reach each rule of the stemmer (`terms`), and whole texts with the fixture
taxonomy's model names (`tokens`, terms joined by spaces). It is committed, so `node --test`
needs no Python, and test_search.py fails while it differs from what this module makes.
After an intended change to the analysis, regenerate it (and change search-index.js alike):

    PYTHONPATH=. .venv/bin/python tests/search_terms.py
"""

from __future__ import annotations

import json
from pathlib import Path

from sitegen.catalogue.load import load_catalogue
from sitegen.search.analysis import STOP_WORDS, Analyzer, term
from sitegen.search.postings import field_texts

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
TABLE = ROOT / "tests" / "js" / "terms.json"

# Words that reach each step of the Porter stemmer (the examples of Porter's paper, and
# lunr.js's own additions such as "logi"), the final y that lunr.js and lunr.py once
# disagreed on, very short words, numbers and other scripts.
STEMMER_WORDS = """
caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled
sized hopping tanned falling hissing fizzed failing filing happy sky key day by cry toy
relational conditional rational valenci hesitanci digitizer conformabli radicalli
differentli vileli analogousli vietnamization predication operator feudalism decisiveness
hopefulness callousness formaliti sensitiviti sensibiliti biology apology triplicate
formative formalize electriciti electrical hopeful goodness revival allowance inference
airliner gyroscopic adjustable defensible irritant replacement adjustment dependent adoption
homologou communism activate angulariti homologous effective bowdlerize probate rate cease
controll roll generalization oscillators a i y ab ox yo yy aay 2023 3b 7b x2 v2 llama2
straße données модели данные 中文 模型 σας
""".split()

# Texts whose folding, splitting and model-name joining are easy to get wrong.
TEXTS = [
    "Llama 2", "llama-2-chat", "LLaMA\u20112 7B", "Llama 3.1-8B-Instruct", "Qwen2.5",
    "GPT-4o vs. gpt4", "Caf\u00e9 d\u00e9j\u00e0 vu", "\u4e2d\u6587 \u6a21\u578b", "Mistral 7B",
    "the models are training", "T5 and BERT-large", "x_y-z", "LLaMA-Adapter V2",
    "Phi-3-mini and Yi-34B", "ChatGLM2-6B, GLM-130B", "na\u00efve \u00abquotes\u00bb",
    "\ufb01ne-tuning \u216b \u0130stanbul", "\u03a3\u0391\u03a3 STRASSE Stra\u00dfe",
    "llava v1.5 and llama_3", "a\u00a0b\tc\x1fd", "",
]


def table() -> dict:
    """The table, from the fixture catalogue and the lists above."""
    catalogue = load_catalogue(FIXTURE)
    analyzer = Analyzer(catalogue.taxonomy.settings.model_names)
    texts = [text for paper in catalogue.papers.values()
             for text in field_texts(paper, catalogue.taxonomy).values()]
    words = {w for text in texts for w in analyzer.words(text)}
    words |= set(STOP_WORDS) | set(STEMMER_WORDS)
    return {
        "modelNames": list(catalogue.taxonomy.settings.model_names),
        "terms": {word: term(word) for word in sorted(words)},
        "tokens": {text: " ".join(analyzer.tokens(text))
                   for text in TEXTS + [p.title for p in catalogue.papers.values()]},
    }


def dumps(data: dict) -> str:
    """One entry a line, so that a change to the analysis reads as a short diff."""
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    TABLE.write_text(dumps(table()), encoding="utf-8")
    print(f"wrote {TABLE.relative_to(ROOT)}")
