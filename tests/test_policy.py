"""What `sitegen check` refuses in text, in dates and in site settings, with the exact line.

The fixtures live in tests/fixtures/policy/<name>/: each is a catalogue with one
defect (a paper file derived from tests/fixtures/check/valid/, or a taxonomy.yaml or
site.yaml), so each directory shows one error; those without a taxonomy.yaml of their
own share check/valid/'s, which the `fixture_tree` fixture copies in. Refused
characters are written as YAML escapes (``"\\u202E"``), as a contributor's editor
would save them invisibly.

The character policy itself is declared once, in sitegen/schemas/text.schema.json:
stored text holds no control characters (an abstract or a definition may hold tabs and
line feeds), no invisible or format characters (bidi controls, zero-width characters,
soft hyphens, emoji joiners and tags, variation selectors, fillers), no noncharacters,
no surrogates and no private-use characters.
"""

from __future__ import annotations

import calendar
import datetime
import html
import itertools
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen import cli
from sitegen.catalogue import schema, store
from sitegen.catalogue.schemamessages import HINTS
from sitegen.catalogue.yamlio import Loaded
from sitegen.core import text
from sitegen.core.model import SiteConfig
from sitegen.site.settings import edit_base, normalise_base_url

FIXTURES = Path(__file__).parent / "fixtures" / "policy"
VALID_PAPER = Path(__file__).parent / "fixtures" / "check" / "valid" / "papers" / \
    "mistral-7b-in-int8.yaml"
INVISIBLE = "(hint: remove invisible and control characters)"
BASE_URL_HINT = ("(hint: write an absolute http(s) URL such as https://owner.github.io/repo/, "
                 "without a user name, query (?), fragment (#), spaces or control characters)")
WEB_URL_HINT = ("(hint: a port is 1 to 65535, an [IPv6] host is an address, each % starts an "
                "escape such as %20, and no part of the path is empty, '.' or '..')")
MISTRAL = "mistral-7b-in-int8.yaml"
NOT_UTF8 = "(hint: save the file with UTF-8 encoding)"
NOT_ARXIV = ("is not a valid arXiv id (hint: write a new-style id such as 2401.12345 (a month "
             "01 to 12 from 0704; 4 digits after the dot up to 1412, 5 from 1501) or an "
             "old-style one such as hep-th/9901001, either with a version such as v2 or none)")

# One entry per directory under policy/: the exact lines `sitegen check` prints on stderr.
EXPECTED: dict[str, list[str]] = {
    "control-character": [
        "control-character/papers/mistral-7b-in-int8.yaml:3: title: contains U+000B "
        f"<control> at character 20 {INVISIBLE}",
    ],
    # Shows "Mistral 7B in INT8: outlier Post-Training ..." in a browser.
    "bidi-override": [
        "bidi-override/papers/mistral-7b-in-int8.yaml:3: title: contains U+202E "
        f"RIGHT-TO-LEFT OVERRIDE at character 21 {INVISIBLE}",
    ],
    # A title is one line: a tab (or a line break) gets its own hint.
    "tab-in-title": [
        "tab-in-title/papers/mistral-7b-in-int8.yaml:3: title: contains U+0009 <control> "
        "at character 20 (hint: write it on one line, without tabs)",
    ],
    "zero-width-space": [
        "zero-width-space/papers/mistral-7b-in-int8.yaml:4: abstract: contains U+200B ZERO "
        f"WIDTH SPACE at character 13 {INVISIBLE}",
    ],
    # Tag characters spell hidden text ("IGNORE") that readers never see.
    "hidden-tag-characters": [
        "hidden-tag-characters/papers/mistral-7b-in-int8.yaml:16: sources[0].title: contains "
        f"U+E0049 TAG LATIN CAPITAL LETTER I at character 19 {INVISIBLE}",
    ],
    "noncharacter": [
        "noncharacter/papers/mistral-7b-in-int8.yaml:10: links[0].url: contains U+FFFE "
        f"<noncharacter> at character 47 {INVISIBLE}",
    ],
    "impossible-date": [
        "impossible-date/papers/mistral-7b-in-int8.yaml:12: added: '2024-02-31' is not a real "
        "date: February 2024 has 29 days (hint: write a day from 01 to 29)",
    ],
    # Written as YYYY-MM-DD, but before the first year a date may have.
    "date-too-early": [
        "date-too-early/papers/mistral-7b-in-int8.yaml:12: added: '0001-01-01' is before the "
        "year 1000 (hint: write the real date: the year 1000 or later)",
    ],
    # An arXiv id is checked as arXiv gives them: a month 01 to 12, 4 digits after the dot
    # up to December 2014 and 5 from January 2015, no "arXiv:" before it.
    "arxiv-month": [f"arxiv-month/papers/{MISTRAL}:13: arxiv: '2413.00001' {NOT_ARXIV}"],
    "arxiv-digits": [f"arxiv-digits/papers/{MISTRAL}:13: arxiv: '1412.12345' {NOT_ARXIV}"],
    "arxiv-prefix": [f"arxiv-prefix/papers/{MISTRAL}:13: arxiv: 'arXiv:2401.12345' {NOT_ARXIV}"],
    # A primary category as arXiv writes it: lower-case archive, then a subject class in
    # capitals (cs.CL), not as some people type it.
    "arxiv-category": [
        f"arxiv-category/papers/{MISTRAL}:14: arxiv_category: 'cs.cl' is not an arXiv subject "
        "class (hint: write the primary category as arXiv gives it, such as cs.CL, hep-th or "
        "cond-mat.mes-hall)",
    ],
    "authors-empty-name": [
        f"authors-empty-name/papers/{MISTRAL}:15: authors[1]: '' is not a name (hint: write "
        "each author's name on its own '- ' line; remove an empty one)",
    ],
    "published-not-a-date": [
        f"published-not-a-date/papers/{MISTRAL}:13: published: '2024-13-01' is not a real "
        "date: there is no month 13 (hint: write the month from 01 to 12, as YYYY-MM-DD)",
    ],
    "updated-not-a-date": [
        f"updated-not-a-date/papers/{MISTRAL}:14: updated: '2024-02-30' is not a real date: "
        "February 2024 has 29 days (hint: write a day from 01 to 29)",
    ],
    # Not written as YYYY-MM-DD: the hint is the form.
    "updated-not-yyyy-mm-dd": [
        f"updated-not-yyyy-mm-dd/papers/{MISTRAL}:14: updated: '2024-2-3' is not a date "
        "(hint: write the date as YYYY-MM-DD)",
    ],
    "doi-address": [
        f"doi-address/papers/{MISTRAL}:13: doi: 'https://doi.org/10.18653/v1/2023.acl-long.1' "
        "is not a DOI (hint: write the DOI alone, such as 10.18653/v1/2023.acl-long.1, without "
        "https://doi.org/ before it)",
    ],
    "venue-blank": [
        f"venue-blank/papers/{MISTRAL}:13: venue: ' ' is not a venue (hint: write the journal "
        "or conference, such as ACL 2024, or remove the field)",
    ],
    "taxonomy-text": [
        "taxonomy-text/taxonomy.yaml:9: topics[0].name: contains U+200F RIGHT-TO-LEFT MARK "
        f"at character 13 {INVISIBLE}",
    ],
    # A topic's or family's description is what readers see of it: one line of plain text.
    "taxonomy-description-missing": [
        "taxonomy-description-missing/taxonomy.yaml:79: families[1].description: is missing "
        "(hint: required fields: id, name, description, definition)",
    ],
    "taxonomy-description-empty": [
        "taxonomy-description-empty/taxonomy.yaml:54: topics[3].description: is empty "
        "(hint: write the text, or leave the field out where it is optional)",
    ],
    "taxonomy-description-too-long": [
        "taxonomy-description-too-long/taxonomy.yaml:25: topics[1].description: is 440 "
        "characters long; at most 300 are allowed (hint: shorten it)",
    ],
    "taxonomy-description-line-break": [
        "taxonomy-description-line-break/taxonomy.yaml:25: topics[1].description: contains "
        "U+000A <control> at character 31 (hint: write it on one line, without tabs)",
    ],
    "taxonomy-description-invisible": [
        "taxonomy-description-invisible/taxonomy.yaml:88: families[2].description: contains "
        f"U+200B ZERO WIDTH SPACE at character 23 {INVISIBLE}",
    ],
    # The default topic is the id of one of the file's topics: the closest one to a typo.
    "taxonomy-default-topic-typo": [
        "taxonomy-default-topic-typo/taxonomy.yaml:5: settings.default_topic: unknown topic "
        "'evaluaton' (hint: did you mean 'evaluation'?)",
    ],
    "taxonomy-default-topic-unknown": [
        "taxonomy-default-topic-unknown/taxonomy.yaml:5: settings.default_topic: unknown topic "
        "'benchmarks' (hint: use the id of a topic in this file: quantization, peft, "
        "evaluation, survey)",
    ],
    # Search joins a model name with the version after it: the name is one lower-case word.
    "taxonomy-model-name": [
        "taxonomy-model-name/taxonomy.yaml:6: settings.model_names[1]: 'Llama 2' is not a "
        "model name (hint: write a name alone, in lower-case letters then digits, such as "
        "llama: no version, space or hyphen)",
    ],
    "site-text": [
        f"site-text/site.yaml:1: title: contains U+0085 <control> at character 8 {INVISIBLE}",
    ],
    # A page is shown on the site as written: the policy of every stored text applies.
    "page-bidi-override": [
        "page-bidi-override/pages/about.md:3: contains U+202E RIGHT-TO-LEFT OVERRIDE at "
        f"column 11 {INVISIBLE}",
    ],
    # A file saved in Latin-1 (0xEF for the "i" of "naively"): the first byte that is not
    # UTF-8 is reported on its own line, at its column, whatever kind of file holds it.
    "paper-not-utf8": [
        f"paper-not-utf8/papers/{MISTRAL}:4: not valid UTF-8 at column 13 (byte 180) "
        f"{NOT_UTF8}",
    ],
    "taxonomy-not-utf8": [
        f"taxonomy-not-utf8/taxonomy.yaml:9: not valid UTF-8 at column 26 (byte 238) {NOT_UTF8}",
    ],
    "site-not-utf8": [
        f"site-not-utf8/site.yaml:2: not valid UTF-8 at column 35 (byte 56) {NOT_UTF8}",
    ],
    "page-not-utf8": [
        f"page-not-utf8/pages/about.md:3: not valid UTF-8 at column 29 (byte 37) {NOT_UTF8}",
    ],
    # More digits than Python reads as a number (4,300): text, not a crash.
    "site-huge-number": [
        "site-huge-number/site.yaml:4: recent: has 5,000 digits, more than a number may have "
        "(hint: write a number of at most 4,300 digits)",
    ],
    # A whole number is shown with every digit as written, not as 1e+25.
    "site-recent-too-large": [
        "site-recent-too-large/site.yaml:4: recent: 9999999999999999999999999 is more than the "
        "maximum, 200 (hint: use a number from 1 to 200)",
    ],
    # An empty settings file: there is no other of its kind to start from, so its fields.
    "site-empty": [
        "site-empty/site.yaml:1: the file must be a mapping of fields (hint: write one `field: "
        "value` per line (its required fields: title, description), or start from an existing "
        "file of the same kind)",
    ],
    # A number typed as a fraction where a whole number goes: shown as typed, not as text.
    "site-recent-fraction": [
        "site-recent-fraction/site.yaml:4: recent: must be a whole number, not 2.5 (hint: "
        "write a whole number such as 1, without quotes)",
    ],
    # Beyond what a float holds: shown as typed, not as "inf".
    "taxonomy-huge-weight": [
        "taxonomy-huge-weight/taxonomy.yaml:7: settings.title_weight: 1e400 is too large a "
        "number (hint: use a number from 0 to 100)",
    ],
    "site-base-url": [
        "site-base-url/site.yaml:3: base_url: 'https://example.org/papers/?q#f' is not a valid "
        f"base URL {BASE_URL_HINT}",
    ],
    # A format check meets a value of the wrong type too: the type is the error, not a crash.
    "site-base-url-list": [
        "site-base-url-list/site.yaml:3: base_url: must be text, not a list (hint: write the "
        "text on the same line as its field; put it in quotes if it starts with [ or {)",
    ],
    # Its links would start with //evil.example/: addresses on another site.
    "site-base-url-elsewhere": [
        "site-base-url-elsewhere/site.yaml:3: base_url: 'https://example.org//evil.example/' is "
        f"not a valid base URL {WEB_URL_HINT}",
    ],
    "site-repository": [
        "site-repository/site.yaml:4: repository: 'https://github.com/example/catalogue/../../"
        "attacker/repo' is not a valid repository URL (hint: write the repository's https "
        "URL, such as https://github.com/owner/repo, with no '.' or '..' parts, '%', query or "
        "fragment)",
    ],
    "site-branch": [
        "site-branch/site.yaml:5: branch: '../../../attacker/repo/blob/main' is not a valid git "
        "branch name (hint: use a branch name git accepts, such as main: no spaces, control "
        "characters, ~^:?*[\\, '..', '//' or '@{', no '/' or '-' first, no part starting with "
        "'.', no '/', '.' or '.lock' at the end)",
    ],
}


@pytest.fixture
def check(monkeypatch, capsys, fixture_tree):
    def run(name: str) -> tuple[int, list[str]]:
        monkeypatch.chdir(fixture_tree / "policy")
        code = cli.main(["check", "--content", name])
        return code, capsys.readouterr().err.splitlines()
    return run


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_prints_exactly_its_error(check, name):
    assert check(name) == (1, EXPECTED[name])


def test_every_fixture_has_its_expected_error():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(EXPECTED)


def test_only_a_fixture_whose_defect_is_in_the_taxonomy_holds_one():
    assert sorted(path.parent.name for path in FIXTURES.glob("*/taxonomy.yaml")) == sorted(
        name for name in EXPECTED if name.startswith("taxonomy-"))


# The character policy, member by member.

# Members of every refused class: C0 and C1 controls, DEL, line separators, soft hyphen,
# bidi marks, embeddings, overrides and isolates, zero-width characters and joiners,
# fillers, variation selectors, the byte order mark, noncharacters, tags, private use.
REFUSED = ("\x00\x01\x0b\x0c\r\x1b\x1f\x7f\x80\x85\x9f\xad\u034f\u061c\u115f\u180e"
           "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
           "\u2060\u2066\u2067\u2068\u2069\u206f\u3164\ue000\uf8ff\ufdd0\ufdef\ufe0f"
           "\ufeff\uffa0\ufff9\ufffe\uffff\U0001d173\U0001fffe\U000e0001\U000e0041"
           "\U000e0100\U000efffe\U000f0000\U0010ffff")


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_refused_character_in_a_canonical_file_is_refused_by_both_readers(tmp_path, char):
    """Canonical files are read by the quick reader; it refuses the file, so the thorough
    loader reads it again and names the character."""
    paper, _, _ = store.read_paper(VALID_PAPER, "valid.yaml")
    paper.title = f"Mistral{char} 7B"
    path = tmp_path / "mistral-7b-in-int8.yaml"
    path.write_bytes(store.serialise(paper))
    assert store.read_paper(path, "x.yaml")[0] is None
    [problem] = store.read_paper(path, "x.yaml")[2]
    assert str(problem) == (f"x.yaml:3: title: contains U+{ord(char):04X} "
                            f"{text.character_name(char)} at character 8 {INVISIBLE}")


@pytest.mark.parametrize("char", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_refused_character_in_a_page_is_reported_on_its_line(tmp_path, char, capsys,
                                                                fixture_tree):
    """Windows line ends and a byte order mark before the text are what editors save."""
    shutil.copytree(fixture_tree / "policy" / "page-bidi-override", tmp_path / "c")
    page = f"\ufeff# About\r\n\r\nWe review{char} papers.\r\n"
    (tmp_path / "c" / "pages" / "about.md").write_text(page, "utf-8", "surrogatepass")
    assert cli.main(["check", "--content", str(tmp_path / "c")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path}/c/pages/about.md:3: contains U+{ord(char):04X} "
        f"{text.character_name(char)} at column 10 {INVISIBLE}"]


def test_a_byte_that_is_not_utf8_is_placed_as_the_editor_shows_it(tmp_path, capsys,
                                                                  fixture_tree):
    """After a byte order mark and Windows line ends: the byte is counted from the start of
    the file, the column in characters of its line (an editor shows no byte order mark)."""
    shutil.copytree(fixture_tree / "policy" / "page-not-utf8", tmp_path / "c")
    page = "\ufeffR\u00e9sum\u00e9: \r\n".encode() + b"\xe9t\xe9\r\n"
    (tmp_path / "c" / "pages" / "about.md").write_bytes(page)
    assert cli.main(["check", "--content", str(tmp_path / "c")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path}/c/pages/about.md:2: not valid UTF-8 at column 1 (byte 15) {NOT_UTF8}"]
    (tmp_path / "c" / "pages" / "about.md").write_bytes(page[:13] + b"\xe9")
    assert cli.main(["check", "--content", str(tmp_path / "c")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path}/c/pages/about.md:1: not valid UTF-8 at column 9 (byte 13) {NOT_UTF8}"]


def _with(document: dict, where: tuple, value: str) -> dict:
    target = document
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return document


def _paper() -> dict:
    return {"id": "x", "title": "T", "abstract": "A", "topics": ["t"], "families": [],
            "links": [{"url": "https://example.org/", "kind": "code"}], "added": "2024-01-01",
            "sources": [{"dump": "d.txt", "line": 1, "title": "T", "match": "m"}]}


def _taxonomy() -> dict:
    return {"topics": [{"id": "t", "name": "T", "description": "R", "definition": "D"}],
            "families": [{"id": "f", "name": "F", "description": "R", "definition": "D"}]}


def _site() -> dict:
    return {"title": "T", "description": "D", "branch": "main"}


TEXT_FIELDS = [
    ("paper", _paper, ("title",), "title"), ("paper", _paper, ("abstract",), "abstract"),
    ("paper", _paper, ("links", 0, "url"), "links[0].url"),
    ("paper", _paper, ("sources", 0, "dump"), "sources[0].dump"),
    ("paper", _paper, ("sources", 0, "title"), "sources[0].title"),
    ("paper", _paper, ("sources", 0, "match"), "sources[0].match"),
    ("taxonomy", _taxonomy, ("topics", 0, "name"), "topics[0].name"),
    ("taxonomy", _taxonomy, ("topics", 0, "definition"), "topics[0].definition"),
    ("taxonomy", _taxonomy, ("families", 0, "name"), "families[0].name"),
    ("taxonomy", _taxonomy, ("families", 0, "definition"), "families[0].definition"),
    ("taxonomy", _taxonomy, ("topics", 0, "description"), "topics[0].description"),
    ("taxonomy", _taxonomy, ("families", 0, "description"), "families[0].description"),
    ("site", _site, ("title",), "title"), ("site", _site, ("description",), "description"),
    ("site", _site, ("branch",), "branch"),
]


@pytest.mark.parametrize(("kind", "make", "where", "field"), TEXT_FIELDS,
                         ids=[f"{kind}-{field}" for kind, _, _, field in TEXT_FIELDS])
def test_every_text_field_of_every_file_follows_the_policy(kind, make, where, field):
    prefix = "https://example.org/" if field == "links[0].url" else "x"
    bad = _with(make(), where, f"{prefix}\u202e")
    assert not schema.is_valid(bad, kind)
    assert [str(p) for p in schema.validate(Loaded(bad), kind, "f.yaml")] == [
        f"f.yaml:1: {field}: contains U+202E RIGHT-TO-LEFT OVERRIDE at character "
        f"{len(prefix) + 1} {INVISIBLE}"]
    assert schema.is_valid(_with(make(), where, f"{prefix}é—ü✓😀"), kind)


@pytest.mark.parametrize("char", "\ud800\udbff\udc00\udfff", ids=lambda c: f"U+{ord(c):04X}")
def test_a_lone_surrogate_is_refused_by_both_validators(char):
    bad = _with(_paper(), ("abstract",), f"a{char}")
    assert not schema.is_valid(bad, "paper")
    assert [str(p) for p in schema.validate(Loaded(bad), "paper", "f.yaml")] == [
        f"f.yaml:1: abstract: contains U+{ord(char):04X} <surrogate> at character 2 {INVISIBLE}"]


def test_an_abstract_may_hold_tabs_and_line_breaks_a_title_may_not():
    assert schema.is_valid(_with(_paper(), ("abstract",), "One.\n\n\tTwo."), "paper")
    bad = _with(_paper(), ("title",), "One\nTwo")
    assert [str(p) for p in schema.validate(Loaded(bad), "paper", "f.yaml")] == [
        "f.yaml:1: title: contains U+000A <control> at character 4 "
        "(hint: write it on one line, without tabs)"]


def _refused_code_points() -> set[int]:
    everything = "".join(map(chr, range(0x110000)))
    return {ord(c) for c in text.REFUSED.findall(everything)}


def test_the_policy_refuses_every_control_format_surrogate_private_and_noncharacter():
    special = {code for code in range(0x110000)
               if unicodedata.category(chr(code)) in ("Cc", "Cf", "Cs", "Co")
               or (code & 0xFFFE) == 0xFFFE or 0xFDD0 <= code <= 0xFDEF}
    assert sorted(special - {0x09, 0x0A} - _refused_code_points()) == []


def test_of_letters_marks_numbers_punctuation_symbols_and_spaces_only_invisible_ones_are_refused():
    """Hangul and Khmer fillers and Mongolian, emoji and ideographic variation selectors
    show nothing, yet are letters or marks; every other visible character is accepted."""
    visible = {c for c in _refused_code_points()
               if unicodedata.category(chr(c))[0] in "LMNPSZ" and c not in (0x2028, 0x2029)}
    invisible = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F,
                 0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
    assert visible == invisible


def test_clean_removes_what_the_policy_refuses():
    assert text.clean("Lla\u00adma&#x202E; 2\u200b: &amp;amp;\u2028next\ufeff") == "Llama 2: & next"


@pytest.mark.parametrize("escaped", ["&" + "amp;" * 200_000 + "lt;",
                                     "&" + "#38;" * 200_000 + "lt;",
                                     "&#X26;" + "ampAMP;#0038;" * 60_000 + "gt;"])
def test_clean_decodes_an_ampersand_escaped_over_and_over_in_one_go(escaped):
    """Decoding one level a round took minutes on these; a run of escapes is one `&`."""
    completed = subprocess.run(
        [sys.executable, "-c", "import sys; from sitegen.core.text import clean; "
                               "print(clean(sys.stdin.read()), end='')"],
        input=escaped, capture_output=True, text=True, timeout=30, check=True)
    assert completed.stdout in ("<", ">")


ENTITIES = st.sampled_from(["&", "&amp;", "&#x202E;", "&#10;", "&#xFFFE;", "&#0;", "#x", ";",
                            "\u037e", "&amp", "\u0301", " "])


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.one_of(st.characters(codec=None), ENTITIES), max_size=30).map("".join))
@example("&am\u200bp;#x202E;")
def test_clean_output_passes_check_and_is_stable(raw):
    cleaned = text.clean(raw)
    assert not text.REFUSED.search(cleaned) and not text.BREAKS.search(cleaned)
    assert text.clean(cleaned) == cleaned


SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\u00a0", "\u2028", "\u3000", "\x1c", "e\u0301",
                          "\u00e9", "\u212b", "a", "&", "\u00ad"])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(st.one_of(SPACES, st.characters(codec=None), ENTITIES), max_size=30)
       .map("".join))
@example("\u212b")  # NFC makes it U+00C5
@example("a\u0085b")  # a whitespace character that \s and str.split both know
def test_a_text_clean_takes_as_it_is_is_one_its_steps_leave_unchanged(raw):
    """`clean` returns most texts at once, after a quick look: exactly those its steps would
    leave as they are."""
    assert text.clean(raw) == text._cleaned(raw)
    assert text.clean(raw.strip()) == text._cleaned(raw.strip())


# Dates.

YEARS = (1000, 1600, 1900, 2000, 2024, 2100, 9996)


def _is_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def test_added_accepts_exactly_the_real_dates_on_both_validators():
    for year, month, day in itertools.product(YEARS, range(14), range(33)):
        value = f"{year}-{month:02}-{day:02}"
        assert schema.valid_value("paper", "added", value) is _is_date(value), value
        if not _is_date(value):
            problems = schema.validate(Loaded(_with(_paper(), ("added",), value)), "paper", "f")
            wrong = (f"there is no month {month:02}" if not 1 <= month <= 12 else
                     f"{calendar.month_name[month]} {year} has "
                     f"{calendar.monthrange(year, month)[1]} days")
            assert [p.message for p in problems] == [f"{value!r} is not a real date: {wrong}"]


@pytest.mark.parametrize("value", ["2024-01-01\n", " 2024-01-01", "2024-1-01", "24-01-01",
                                   "0999-12-31", "2024-01-01T00:00",  # then fullwidth digits
                                   "\uff12\uff10\uff12\uff14-01-01", "2\uff1024-01-01"])
def test_added_refuses_other_shapes_on_both_validators(value):
    assert not schema.valid_value("paper", "added", value)
    problems = schema.validate(Loaded(_with(_paper(), ("added",), value)), "paper", "f")
    assert [p.field for p in problems] == ["added"]


GOOD_ARXIV_IDS = ["0704.0001", "1412.9999", "1501.00001", "2401.12345", "2401.12345v12",
                  "hep-th/9108001", "math.GT/0309136", "cs/0112017v2", "cond-mat/0703999"]
BAD_ARXIV_IDS = ["0703.0001", "1412.12345", "1501.1234", "2400.12345", "2413.12345",
                 "2401.00000", "2401.12345v0", "2401.123", "hep-th/9107001", "hep-th/0704001",
                 "hep-th/9913001", "arXiv:2401.12345", "2401.12345 ", "\uff12401.12345",
                 "https://arxiv.org/abs/2401.12345", "HEP-TH/9901001"]


@pytest.mark.parametrize("value", GOOD_ARXIV_IDS)
def test_an_arxiv_id_of_either_style_passes_both_validators(value):
    assert schema.valid_value("paper", "arxiv", value)
    assert schema.validate(Loaded(_with(_paper(), ("arxiv",), value)), "paper", "f") == []


@pytest.mark.parametrize("value", BAD_ARXIV_IDS)
def test_an_id_arxiv_never_gave_is_refused_by_both_validators(value):
    assert not schema.valid_value("paper", "arxiv", value)
    problems = schema.validate(Loaded(_with(_paper(), ("arxiv",), value)), "paper", "f")
    assert [p.message for p in problems] == [f"{value!r} is not a valid arXiv id"]


@pytest.mark.parametrize("field", ["published", "updated"])
def test_the_dates_of_a_paper_follow_the_rules_of_added(field):
    for value in ("2024-02-29", "2023-02-29", "2024-1-01", "2024-04-31"):
        assert schema.valid_value("paper", field, value) is _is_date(value), value


@pytest.mark.parametrize("value", ["10.1000/182", "10.18653/v1/2023.acl-long.1",
                                   "10.1145/3571730"])
def test_a_doi_is_10_a_registrant_a_slash_and_a_suffix(value):
    assert schema.valid_value("paper", "doi", value)
    for wrong in (f"doi:{value}", f"https://doi.org/{value}", value.replace("/", " "), "10.1/x"):
        assert not schema.valid_value("paper", "doi", wrong), wrong


# Site settings.

GOOD_BASE_URLS = ["https://example.org/", "http://localhost:8000/", "https://a.github.io/repo",
                  "http://docker_host:8000/",
                  "http://[::1]:8000/", "https://example.org/a/b%20c/"]
BAD_BASE_URLS = ["ftp://example.org/", "https://example.org/?q", "https://example.org/#f",
                 "https://user:pw@example.org/", "https://user@example.org/", "https://",
                 "https:///path", "https://example.org/a b/", "https://example.org/\nDisallow: /",
                 "https://example.org/\r", "https://example.org/\t", "https://exa mple.org/",
                 "https://example.org/\u202e/", "//example.org/", "example.org",
                 "javascript://example.org/%0aalert(1)", "https://example.org/<script>/",
                 'https://example.org/"/', "https://example.org\\@evil.org/"]


# URLs of the right shape that browsers read as another address, or as none: an empty path
# part makes the site's links `//host/...`; a dot part, plain or percent-encoded, climbs out
# of the path; then a port out of range, an IPv6 host that is no address, a broken escape.
ELSEWHERE_BASE_URLS = [
    "https://example.org//evil.example/", "https://example.org/a//b/", "https://example.org//",
    "https://example.org/a/../", "https://example.org/./", "https://example.org/a/..",
    "https://example.org/%2e%2e/", "https://example.org/a/.%2E/", "https://example.org/%2e/",
    "https://example.org:65536/", "https://example.org:99999/", "https://example.org:0/",
    "http://[::1]:70000/", "https://[1.2.3]/", "https://[::1::2]/", "https://[12345::]/",
    "https://[1.2.3.4]/", "https://example.org/%zz/", "https://example.org/a%2/",
]
GOOD_BASE_URLS += ["https://example.org:65535/", "http://[2001:db8::1]/", "http://[::ffff:1.2.3.4]/",
                   "https://example.org/a%2F..%2F/", "https://example.org/.well/..x/...", "http://1/"]


@pytest.mark.parametrize("url", ELSEWHERE_BASE_URLS)
def test_a_base_url_that_leads_elsewhere_is_refused_with_what_is_wrong(url):
    assert not schema.valid_value("site", "base_url", url)
    problems = schema.validate(Loaded({**_site(), "base_url": url}), "site", "s.yaml")
    assert [str(p) for p in problems] == [
        f"s.yaml:1: base_url: {url!r} is not a valid base URL {WEB_URL_HINT}"]
    with pytest.raises(ValueError, match=re.escape(f"not {url!r} {WEB_URL_HINT}")):
        normalise_base_url(url)


URL_PARTS = st.sampled_from(["https://", "http://", "example.org", "[::1]", ":8000", ":0", "/",
                             "//", "a", ".", "..", "%2e", "%2E", "%", "%20", "?", "#", "@"])


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(URL_PARTS, min_size=2, max_size=8).map("".join))
@example("https://example.org//evil.example/")
@example("https://example.org/a/../")
def test_every_link_of_a_site_stays_under_its_base_url(url):
    """A page links to `prefix + path` (the base URL's path, then the page's), and lists
    `base + path`: a browser must read both as addresses under the base URL."""
    if not schema.valid_value("site", "base_url", url):
        return
    base = normalise_base_url(url)
    prefix = urlsplit(base).path
    for link in (prefix + "papers/x/", base + "papers/x/"):
        assert urljoin(base, link) == base + "papers/x/"
    assert not re.search(r"/(?:\.|%2e){1,2}/", prefix, re.IGNORECASE)


@pytest.mark.parametrize("url", GOOD_BASE_URLS)
def test_a_base_url_with_a_host_and_a_path_is_accepted(url):
    assert schema.valid_value("site", "base_url", url)
    assert normalise_base_url(url) == url.removesuffix("/") + "/"


@pytest.mark.parametrize("url", BAD_BASE_URLS)
def test_any_other_base_url_is_refused_in_site_yaml_and_on_the_command_line(url):
    assert not schema.valid_value("site", "base_url", url)
    with pytest.raises(ValueError, match=re.escape(f"not {url!r} {BASE_URL_HINT}")):
        normalise_base_url(url)


REPOSITORIES = {
    "https://github.com/example/catalogue": True, "https://github.com/example/catalogue/": True,
    "https://gitlab.example.org/group/sub/repo.git": True, "https://github.com/o/.github": True,
    "https://github.com/example/catalogue/../../attacker/repo": False,
    "https://github.com/example/./catalogue": False, "https://github.com/example/..": False,
    "https://github.com/example/%2e%2e/attacker": False, "https://github.com/a/b?x=1": False,
    "https://github.com/a/b#x": False, "http://github.com/a/b": False, "https://github.com": False,
    "https://user@github.com/a/b": False, "https://github.com/a//b": False,
    "https://github.com/a/b\n": False, "https://github.com/a\\b": False,
    "https://github.com:65535/a/b": True, "https://github.com:65536/a/b": False,
    "https://github.com:0/a/b": False,
}


@pytest.mark.parametrize("url", sorted(REPOSITORIES))
def test_a_repository_is_an_https_url_of_plain_path_parts(url):
    assert schema.valid_value("site", "repository", url) is REPOSITORIES[url]


def _git_accepts(branch: str) -> bool:
    found = subprocess.run(["git", "check-ref-format", "--branch", branch],
                           capture_output=True, check=False)
    return found.returncode == 0


BRANCH_PARTS = st.sampled_from(["a", "main", "/", ".", "..", "-", "@", "{", "@{", ".lock",
                                "~", "^", ":", "?", "*", "[", "\\", " ", "\t", "#", "%", "é"])


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.lists(BRANCH_PARTS, min_size=1, max_size=6).map("".join))
@example("../../../attacker/repo/blob/main")
@example("feature/x.lock/y")
@example("HEAD")
def test_a_branch_is_valid_exactly_when_git_accepts_it(branch):
    """`git check-ref-format --branch` is the oracle, except that git reads a lone '@' as
    HEAD (refused here, as `git branch @` refuses it)."""
    assert schema.valid_value("site", "branch", branch) is (_git_accepts(branch)
                                                            and branch != "@")


REPOSITORY = "https://github.com/example/catalogue"


@settings(max_examples=100, derandomize=True, deadline=None)
@given(st.lists(BRANCH_PARTS, min_size=1, max_size=8).map("".join))
@example("feature/#1?x=%2e%2e")
def test_an_edit_link_never_leaves_the_repository_s_edit_folder(branch):
    if not schema.valid_value("site", "branch", branch):
        return
    site = SiteConfig("T", "D", repository=REPOSITORY, branch=branch)
    edit = edit_base(site) + "content/papers/x.yaml"
    resolved = urljoin(edit, ".")
    assert resolved.startswith(f"{REPOSITORY}/edit/")
    assert resolved.endswith("/content/papers/")
    assert unquote(resolved.removeprefix(f"{REPOSITORY}/edit/")) == f"{branch}/content/papers/"


def test_an_edit_link_ignores_a_github_repository_variable_that_is_no_repository(monkeypatch):
    site = SiteConfig("T", "D")
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/fork")
    assert edit_base(site) == "https://github.com/someone/fork/edit/main/"
    monkeypatch.setenv("GITHUB_REPOSITORY", "../../attacker/repo")
    assert edit_base(site) == ""


def test_a_value_that_breaks_several_rules_of_its_field_is_reported_once():
    """'a b..c' has a space (the pattern) and '..' (a `not`): one line, not two alike."""
    problems = schema.validate(Loaded({**_site(), "branch": "a b..c"}), "site", "s.yaml")
    assert [p.field for p in problems] == ["branch"]
    problems = schema.validate(Loaded({**_site(), "base_url": "ftp://example.org//x/"}), "site",
                               "s.yaml")
    assert [p.hint for p in problems] == [HINTS["base_url"]]


@pytest.mark.parametrize("raw, cleaned", [
    ("Numbers &#" + "9" * 4301 + "; here", "Numbers \ufffd here"),  # names no character
    ("x &#" + "0" * 5000 + "65; y", "x A y"),  # leading zeros count for nothing
    ("x &#" + "0" * 5000 + "38;lt; y", "x < y"),  # an ampersand, then what it escaped
    ("&#" + "1" * 20000, "\ufffd")])
def test_a_reference_of_thousands_of_digits_is_decoded_not_a_crash(raw, cleaned):
    """Python's int() refuses more than 4,300 digits, which html.unescape gave it: one such
    reference in a dump stopped the whole ingest with a traceback."""
    assert text.clean(raw) == cleaned


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.from_regex(r"(&#0{0,12}[0-9]{0,12};?[a-z;]?){1,3}", fullmatch=True))
def test_long_references_are_decoded_as_html_unescape_decodes_them(raw):
    assert text.decode_references(raw) == html.unescape(raw)


def test_a_page_link_the_site_shows_as_text_is_warned_about_on_its_line(tmp_path, capsys,
                                                                        fixture_tree):
    """A path from the root would skip the site's base URL, and other schemes are never
    links: the page shows them as text, which check says, naming each one's line."""
    shutil.copytree(fixture_tree / "policy" / "page-bidi-override", tmp_path / "c")
    page = ("# About\n\nSee [the search](/search/), [this](javascript:alert(1)) or\n"
            "[mail](mailto:a@b.example); [search](../search/) and [a site](https://a.example/)"
            " are links.\n")
    (tmp_path / "c" / "pages" / "about.md").write_text(page, "utf-8")
    assert cli.main(["check", "--content", str(tmp_path / "c")]) == 0
    hint = ("(hint: link the site's own pages by relative paths such as ../search/ (a path "
            "from the root would skip the site's base URL), and other sites by http(s) "
            "addresses)")
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path}/c/pages/about.md:{line}: warning: the link to {address!r} shows as text, "
        f"not as a link {hint}" for line, address in
        ((3, "/search/"), (3, "javascript:alert(1)"), (4, "mailto:a@b.example"))]
