"""Taxonomy patterns: what `sitegen check` refuses, and how accepted patterns match.

The fixtures live in tests/fixtures/taxonomy/: valid/ is a small taxonomy using
every kind of rule (and trailing (?!...)); every other directory is the same
taxonomy with one kind of refused pattern. hostile/ (in tests/fixtures/) holds
patterns that would make a backtracking engine run for ever; they are valid,
and must stay fast.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import re2  # type: ignore[import-untyped]
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st

from sitegen import cli
from sitegen.core.patterns import WINDOW, PatternError, compile_pattern
from sitegen.core.re2search import library_finder, span_finder

FIXTURES = Path(__file__).parent / "fixtures" / "taxonomy"
HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
LOOKAROUND = "(hint: write it as an `exclude:` pattern or a trailing (?!...))"
FLAG = "(hint: patterns always ignore case and take no flags: remove it, or write (?:...))"
NAMED = "(hint: write (?:...) instead: names are never read, and clash between patterns)"
BACKREFERENCE = "(hint: matching stays linear only without them: write the repeated text out)"
SYNTAX = "(hint: patterns use RE2 syntax: https://github.com/google/re2/wiki/Syntax)"
EMPTY = ("(hint: remove the empty alternative (a | at either end, or ||), or make some part of "
         "the pattern required)")

# One entry per invalid directory: the exact lines `sitegen check` prints on stderr.
EXPECTED: dict[str, list[str]] = {
    "inline-flag": [
        "inline-flag/taxonomy.yaml:13: topics[0].strong[0]: inline flag (?i) is not allowed "
        f"{FLAG}",
    ],
    "scoped-flag": [
        "scoped-flag/taxonomy.yaml:16: topics[0].weak[0]: inline flag (?i:...) is not allowed "
        f"{FLAG}",
    ],
    # A topic's patterns are also matched as one: the same name twice would clash there.
    "duplicate-group-name": [
        "duplicate-group-name/taxonomy.yaml:13: topics[0].strong[0]: named group (?P<kind>...) "
        f"is not allowed {NAMED}",
        "duplicate-group-name/taxonomy.yaml:14: topics[0].strong[1]: named group (?P<kind>...) "
        f"is not allowed {NAMED}",
    ],
    "backreference": [
        "backreference/taxonomy.yaml:23: families[0].patterns[0]: backreference \\1 is not "
        f"supported {BACKREFERENCE}",
        "backreference/taxonomy.yaml:24: families[0].patterns[1]: backreference (?P=model) is "
        f"not supported {BACKREFERENCE}",
        "backreference/taxonomy.yaml:25: families[0].patterns[2]: backreference \\g<1> is not "
        f"supported {BACKREFERENCE}",
        "backreference/taxonomy.yaml:26: families[0].patterns[3]: backreference \\k<model> is "
        f"not supported {BACKREFERENCE}",
    ],
    "lookbehind": [
        "lookbehind/taxonomy.yaml:26: families[0].exclude[0]: lookbehind (?<=...) is not "
        f"supported {LOOKAROUND}",
        "lookbehind/taxonomy.yaml:27: families[0].exclude[1]: lookbehind (?<!...) is not "
        f"supported {LOOKAROUND}",
    ],
    "lookahead-in-the-middle": [
        "lookahead-in-the-middle/taxonomy.yaml:4: settings.passing_cues[0]: (?!...) is only "
        f"supported at the very end of a pattern {LOOKAROUND}",
    ],
    "positive-lookahead": [
        "positive-lookahead/taxonomy.yaml:6: settings.building_cues[0]: lookahead (?=...) is "
        f"not supported {LOOKAROUND}",
    ],
    # `a|b(?!c)` would refuse only after b: the alternatives must be grouped.
    "lookahead-after-alternative": [
        "lookahead-after-alternative/taxonomy.yaml:23: families[0].patterns[0]: (?!...) after "
        "a top-level | applies to the last alternative only (hint: group the alternatives "
        "first: (?:a|b)(?!...))",
    ],
    # Resuming after each rejected match stays linear only if matches have a bounded length.
    "unbounded-before-lookahead": [
        "unbounded-before-lookahead/taxonomy.yaml:23: families[0].patterns[0]: the part before "
        "(?!...) must have a bounded length (hint: use ?, {n} or {n,m} there instead of *, + "
        "or {n,})",
    ],
    "too-large": [
        "too-large/taxonomy.yaml:13: topics[0].strong[0]: pattern is too large to match "
        "quickly (hint: split it into several shorter patterns)",
        "too-large/taxonomy.yaml:14: topics[0].strong[1]: invalid regular expression: invalid "
        "repetition size: {2000} (hint: a count is at most 1000, and nested counts multiply: "
        "use + or * instead)",
    ],
    # `llama|` or an optional whole would label every paper, and find a mention everywhere.
    "empty-match": [
        "empty-match/taxonomy.yaml:17: topics[0].weak[0]: matches empty text, so it matches "
        f"almost everywhere {EMPTY}",
        "empty-match/taxonomy.yaml:24: families[0].patterns[0]: a (?!...) that matches empty "
        f"text refuses every match {EMPTY}",
        "empty-match/taxonomy.yaml:25: families[0].patterns[1]: matches empty text, so it "
        f"matches almost everywhere {EMPTY}",
    ],
    # `\Z` is Python's spelling; RE2 writes `\z`.
    "invalid-syntax": [
        "invalid-syntax/taxonomy.yaml:16: topics[0].weak[0]: invalid regular expression: "
        f"missing ): \\breview( {SYNTAX}",
        "invalid-syntax/taxonomy.yaml:17: topics[0].weak[1]: invalid regular expression: "
        f"invalid escape sequence: \\Z {SYNTAX}",
    ],
}


def check(name: str, cwd: Path, monkeypatch, capsys) -> tuple[int, list[str], list[str]]:
    monkeypatch.chdir(cwd)
    code = cli.main(["check", "--content", name])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_every_invalid_fixture_has_its_expected_errors():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted([*EXPECTED, "valid"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_refused_pattern_is_an_error_with_file_line_and_field(name, monkeypatch, capsys):
    code, out, err = check(name, FIXTURES, monkeypatch, capsys)
    assert (code, err) == (1, EXPECTED[name])
    assert out == [f"0 papers checked: {len(EXPECTED[name])} error(s), 0 warning(s)"]


@pytest.mark.parametrize("name", ["valid", "hostile"])
def test_valid_and_hostile_taxonomies_pass(name, monkeypatch, capsys):
    root = FIXTURES if name == "valid" else HOSTILE.parent
    assert check(name, root, monkeypatch, capsys) == (
        0, ["0 papers checked: 0 error(s), 0 warning(s)"], [])


# Every member of each refused class, wherever it sits in the pattern.
REFUSED = {
    "inline flag": [f"(?{flag})x" for flag in "imsxUauL"] + [
        "sur(?i)vey", "(?-i)x", "(?i-s)x", "x|(?s)y", "(?i:x)", "(?-i:x)", "(?s-i:x)",
        "a(?x:b)c"],
    "named group": ["(?P<n>x)", "(?<n>x)", "(?'n'x)", "(?:a(?P<n>x))", "x(?P<n>"],
    "backreference": [r"(a)\1", r"(a)(b)\2", r"(a)\12", r"\8", r"(a)\g<1>", r"\g<n>", r"\g{1}",
                      r"\g1", r"\g-1", r"\k<n>", r"\k'n'", r"\k{n}", "(a)(?P=n)"],
    "lookbehind": ["(?<=a)b", "(?<!a)b", "b(?<=a)", "b(?<!a)"],
    "lookahead (?=": ["a(?=b)", "(?=a)b", "a(?=b)(?!c)", "a(?!c)(?=b)"],
    "(?!...) is only supported at the very end": [
        "a(?!b)c", "(?!a)b", "(a(?!b))", "a(?!b)|c", "a(?!b(?!c))", "a(?!b)(?:c)", "(?:a(?!b))"],
    "after a top-level |": ["a|b(?!c)", "a|(?:b)(?!c)(?!d)"],
    "matches empty text": ["x|", "|x", "a||b", "(?:)", "x*", "(?:x)?", "x{0}", "x{0,3}",
                           "(a|)", "(a|a)*", "[^a]*", r"\s*", r"\b", r"\B", r"\b(?:x)?",
                           "(?!x)", "x?(?!y)", r"(?:\bx|)\b"],
    "(?!...) that matches empty text": ["a(?!b|)", "a(?!)", "a(?!x*)", "a(?!(?:b)?)",
                                        "a(?!b)(?!|c)", r"a(?!\s*)"],
    "must have a bounded length": ["a*(?!b)", "a+(?!b)", "a{2,}(?!b)", "(?:ab)+(?!c)",
                                   ".*?(?!b)", "[a-z]+(?!b)"],
}


@pytest.mark.parametrize(("kind", "source"),
                         [(kind, source) for kind, sources in REFUSED.items()
                          for source in sources])
def test_every_member_of_a_refused_class_is_refused(kind, source):
    with pytest.raises(PatternError) as error:
        compile_pattern(source)
    assert kind in error.value.message


@pytest.mark.parametrize("source", [
    r"[(?i)]x", r"\(?i\)", r"\Q(?i)(?P<n>x)\1\E", r"[(?<=]", r"\123", r"\0", r"[]()]x",
    r"(?:a|b)(?!c)", r"a.{0,5}(?!b)", r"x\Q(?!\E", r"[[:alpha:](]",
    r"\bthan\b(?!\s*\d)", r"\bllama(?![- ]?\d)(?!-?nemotron)", r"llama[- ]?2(?![\d.])",
    r"llama[- ]?3(\.\d)?(?!\d)", r"\balpaca\b(?![- ]?eval)", r"\bfalcon\b(?![- ]?mamba)",
    # Empty only where a text starts or ends, or never: not everywhere.
    r"^(\w+\s?)*$", r"^", r"\z", r"(?:^|\W)x?", r"\bx*\b\B", r"(a*)*c",
    r"a(?!\b)", r"a(?!\B)", r"a(?!$)", r"a(?!\s*$)"])
def test_look_alikes_inside_classes_escapes_and_quotes_are_accepted(source):
    assert compile_pattern(source).source == source


def spans(source: str, text: str) -> list[tuple[int, int]]:
    return compile_pattern(source).spans(text)


def test_patterns_always_ignore_case():
    assert spans("LLaMA", "llama LLAMA") == [(0, 5), (6, 11)]


def test_a_trailing_lookahead_keeps_only_matches_it_does_not_refuse():
    pattern = r"\bllama(?![- ]?\d)(?!-?nemotron)"
    assert spans(pattern, "llama 2, llama-nemotron, llama") == [(25, 30)]
    assert compile_pattern(pattern).count("llama 2 llama llama-3 llama") == 2
    assert not compile_pattern(pattern).search("llama-2 and llama3")


def test_after_a_rejected_match_the_search_goes_on_from_the_next_position():
    # "abc" is refused (a z follows); "bcz", starting inside it, is kept, as in Python.
    assert spans("[a-z]{3}(?!z)", "abcz") == [(1, 4)] == [
        m.span() for m in re.finditer("[a-z]{3}(?!z)", "abcz")]


def test_the_part_before_a_lookahead_is_not_shortened_to_escape_it():
    # Python would backtrack to "llama 3" here; the documented extension does not.
    assert spans(r"llama[- ]?3(\.\d)?(?!\d)", "llama 3.12, llama 3.1") == [(12, 21)]


def test_a_lookahead_sees_the_next_window_characters_only():
    pattern = r"a(?! *b)"
    assert spans(pattern, "a" + " " * (WINDOW - 1) + "b") == []  # "b" is in the window
    assert spans(pattern, "a" + " " * WINDOW + "b") == [(0, 1)]  # just beyond it
    # The window counts characters, not bytes.
    assert spans("a(?!é*b)", "a" + "é" * (WINDOW - 1) + "b") == []
    assert spans("a(?!é*b)", "a" + "é" * WINDOW + "b") == [(0, 1)]


def test_spans_are_in_characters_whatever_the_text():
    text = "Über LLaMA-2 und Llama, ça va: llama 🦙 llama"
    assert spans(r"\bllama(?![- ]?\d)", text) == [
        m.span() for m in re.finditer(r"\bllama(?![- ]?\d)", text, re.IGNORECASE)]
    assert spans("llama", "🦙🦙 llama") == [(3, 8)]


# Trailing-lookahead patterns whose main part can end only one way where it starts:
# on these, the extension must give exactly what Python's re gives.
SINGLE_ENDED = [r"\bthan\b(?!\s*\d)", r"\bllama(?![- ]?\d)(?!-?nemotron)",
                r"llama[- ]?2(?![\d.])", r"\balpaca\b(?![- ]?eval)",
                r"\bfalcon\b(?![- ]?mamba)", r"[a-z]{3}(?!z)", r"\d(?!\d)", r"\d\.(?!\d)"]
WORDS = ["llama", "than", "alpaca", "falcon", "nemotron", "eval", "mamba", "2", "3", "1",
         ".", "-", " ", "  ", "z", "a"]


@given(st.lists(st.sampled_from(WORDS), max_size=12).map("".join),
       st.sampled_from(SINGLE_ENDED))
def test_trailing_lookaheads_match_as_python_does(text, source):
    assert spans(source, text) == [m.span() for m in re.finditer(source, text, re.IGNORECASE)]


FINDER_PATTERNS = [r"\bthan\b", r"llama[- ]?2", r"[a-z]{3}", r"\d\.", r"", r"\b", r"a*",
                   r"llama[- ]?\d+(?:\.\d+)?b?", r"é+|ß", r"(?:^|\s)mamba\b", r"\w+$"]


@given(st.lists(st.sampled_from([*WORDS, "é", "ß", "日本", "\n"]), max_size=12).map("".join),
       st.sampled_from(FINDER_PATTERNS), st.integers(0, 40))
def test_re2s_own_search_finds_what_the_librarys_search_finds(text, source, position):
    """The fast path of every pattern's search (`span_finder`) against the library's."""
    data = text.encode("utf-8")
    regexp = re2.compile(source)  # empty matches too, which taxonomy patterns may not make
    position = min(position, len(data))
    assert span_finder(regexp)(data, position) == library_finder(regexp)(data, position)


def run(*args: str) -> subprocess.CompletedProcess:
    """A run that hangs fails the test instead of the suite (no timing is asserted)."""
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=20, env={"PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": "0"})


HOSTILE_TEXTS = ["a" * 49_999 + "!", "a " * 25_000, "b" * 49_981 + "a" * 19,
                 ("than " + "a" * 30) * 1_450]


def test_classifying_hostile_texts_with_hostile_patterns_finishes(tmp_path):
    for i, text in enumerate(HOSTILE_TEXTS):
        (tmp_path / f"{i}.txt").write_text(text)
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from sitegen.ingest.classify import classify\n"
        "from sitegen.catalogue.taxonomyload import load_taxonomy\n"
        "taxonomy, problems = load_taxonomy(Path(sys.argv[1]), 'taxonomy.yaml')\n"
        "for path in sys.argv[2:]:\n"
        "    text = Path(path).read_text()\n"
        "    print(classify(text[:500], text, taxonomy).topics)\n")
    texts = [str(tmp_path / f"{i}.txt") for i in range(len(HOSTILE_TEXTS))]
    result = run("-c", script, str(HOSTILE / "taxonomy.yaml"), *texts)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['catastrophic']"] * len(HOSTILE_TEXTS)


def test_new_and_classify_on_a_hostile_paper_finish(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(HOSTILE, content)
    paper = tmp_path / "paper.txt"
    paper.write_text("a" * 499 + "!\n" + "a" * 19_999 + "!\n")  # the longest title and abstract
    written = run("-m", "sitegen", "new", "--content", str(content), "--from", str(paper))
    assert written.returncode == 0, written.stderr
    assert "topics: catastrophic" in written.stdout
    relabelled = run("-m", "sitegen", "classify", "--content", str(content))
    assert (relabelled.returncode, relabelled.stdout) == (0, "papers: 1\nrelabelled: 0\n")


def test_the_documented_window_is_the_one_used():
    schema = json.loads((ROOT / "sitegen" / "schemas" / "taxonomy.schema.json").read_text())
    documented = f"within the next {WINDOW} characters"
    assert documented in schema["$defs"]["patterns"]["description"]
    assert documented in " ".join((ROOT / "CONTRIBUTING.md").read_text().split())
