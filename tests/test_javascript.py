"""The JavaScript checks that ./dev.sh test runs, and what they stand on.

`node --test tests/js/` runs search-index.js's text pipeline against the word -> term table
that the Python analysis makes (tests/js/terms.json), and ESLint lints our scripts. Each
case below breaks one thing on purpose and expects its check to fail, naming what broke.
"""

import json
import os
import subprocess

from conftest import ROOT
from search_terms import TABLE, dumps, table

NODE_TEST = ["node", "--test", "tests/js/analysis.test.mjs"]
ESLINT = str(ROOT / "node_modules" / ".bin" / "eslint")


def test_the_word_table_is_what_the_python_analysis_makes():
    assert TABLE.read_text("utf-8") == dumps(table()), (
        "tests/js/terms.json is stale: run `PYTHONPATH=. .venv/bin/python tests/search_terms.py` "
        "and make search-index.js agree (node --test tests/js/)")


def test_the_javascript_pipeline_passes_on_the_table():
    result = subprocess.run(NODE_TEST, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout


def test_a_word_the_javascript_analyses_differently_fails_node_test(tmp_path):
    """A changed stemmer or stop word list on one side: here the table says Python stems
    "training" to "training", which search-index.js does not."""
    wrong = json.loads(TABLE.read_text("utf-8"))
    wrong["terms"]["training"] = "training"
    changed = tmp_path / "terms.json"
    changed.write_text(json.dumps(wrong), encoding="utf-8")
    result = subprocess.run(NODE_TEST, cwd=ROOT, capture_output=True, text=True, check=False,
                            env={**os.environ, "SEARCH_TERMS_TABLE": str(changed)})
    assert result.returncode != 0
    assert 'training: "train" here, "training" in Python' in result.stdout


def test_eslint_refuses_a_name_the_page_never_defines():
    broken = "(function () {\n  \"use strict\";\n  window.ready = isReady();\n})();\n"
    result = subprocess.run(
        [ESLINT, "--stdin", "--stdin-filename", "sitegen/site/static/broken.js"],
        cwd=ROOT, input=broken, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "'isReady' is not defined  no-undef" in result.stdout
