"""Every regular expression written into sitegen runs in linear time on hostile text.

Each one meets text a contributor or a dump could hold: long runs of one kind of
character, or of two, ending where the expression fails. A backtracking
expression (`\\d+\\.?\\d*` on 50,000 digits and a letter) takes minutes on
these; the run has a timeout, so a regression fails instead of hanging. No
timing is asserted beyond it.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

# Runs in a fresh interpreter: every module-level re.Pattern of every sitegen module (named
# by its last part), and the model-name expression search builds from the taxonomy, on every
# hostile text, the way the module calls it (a pattern only ever fullmatched need not be
# linear in search).
SCRIPT = r"""
import importlib, inspect, itertools, pkgutil, re, sys
import sitegen
from sitegen.search.analysis import model_name_pattern

SCANS = {"search": "search", "match": "match", "fullmatch": "fullmatch", "findall": "finditer",
         "finditer": "finditer", "sub": "finditer", "subn": "finditer", "split": "finditer"}
found = {}  # name -> (pattern, how the code calls it)
for module in pkgutil.walk_packages(sitegen.__path__, "sitegen."):
    if module.name.endswith("__main__"):
        continue
    loaded = importlib.import_module(module.name)
    leaf = module.name.rsplit(".", 1)[-1]
    source = inspect.getsource(loaded)
    for name, value in vars(loaded).items():
        if isinstance(value, re.Pattern):
            calls = set(re.findall(rf"\b{name}\.(\w+)\(", source)) & set(SCANS)
            found[f"{leaf}.{name}"] = value, {SCANS[c] for c in calls} or set(SCANS.values())
found["search.model_name_pattern"] = model_name_pattern(("llama", "gpt", "l")), {"finditer"}
pieces = ["a", "1", " ", ".", "-", ",", "/", "'", ":", "\\", "_", "e", "1.", "and ",
          "llama", "http://", "www.", "by ", "sep"]
texts = [one * (50_000 // len(one)) + end for one in pieces for end in ("", "!", "x", "1")]
texts += [one * 10_000 + two * 10_000 + "!" for one, two in itertools.permutations(pieces[:8], 2)]
for name, (pattern, methods) in sorted(found.items()):
    for text, method in itertools.product(texts, sorted(methods)):
        result = getattr(pattern, method)(text)
        if method == "finditer":
            sum(1 for _ in result)
    print(name, ",".join(sorted(methods)))
"""


def test_every_built_in_regex_is_linear_on_hostile_text():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                            text=True, timeout=20, env={"PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    checked = dict(line.split() for line in result.stdout.splitlines())
    assert checked["schemamessages.NUMBER_TYPED"] == checked["families._LIST_GAP"] == "fullmatch"
    assert checked["links._URL"] == "finditer,match"
    assert len(checked) >= 20
