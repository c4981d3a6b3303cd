"""Parsing raw dumps: both layouts, page chrome, encodings, and bad files."""

import time
from pathlib import Path

import pytest
from conftest import DUMPS, FIXTURES, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue.schemafiles import schema
from sitegen.core.text import clean
from sitegen.ingest.dumps import looks_like_abstract, read_dump

BAD = FIXTURES / "bad-dumps"


def test_consecutive_layout_strips_chrome_and_glued_subscribe():
    entries, problems = read_dump(DUMPS / "001_first.txt")
    assert problems == []
    assert [e.title for e in entries][:2] == [
        "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention",
        "A Survey of Large Language Models",
    ]
    assert (entries[0].dump, entries[0].line) == ("001_first.txt", 3)
    assert entries[1].line == 5
    assert entries[0].abstract.startswith("We present LLaMA-Adapter")


def test_blank_separated_layout_with_bom_crlf_entities_and_dates():
    entries, problems = read_dump(DUMPS / "002_later.txt")
    assert problems == []
    titles = [e.title for e in entries]
    assert not any(t in ("new", "Subscribe", "Mar 13") for t in titles)
    assert titles[0] == ("llama-adapter: efficient fine-tuning of language models with "
                         "zero-init attention.")
    assert entries[0].line == 11
    assert "The Hedgehog & the Porcupine \u2013 Expressive" in titles[5]  # &amp; decoded
    survey = next(e for e in entries if "Survey" in e.title)
    assert survey.title == "A Survey of Large Language Models"  # whitespace collapsed
    assert not survey.abstract.startswith(" ")


# The chrome of both page layouts, as the shipped dumps hold it.
CHROME = ["new", "Get trending papers in your email inbox once a day!",
          "Get trending papers in your email inbox!", "Subscribe",
          "byAK and the research community", "Mar 13", "Jun 26"]


@pytest.mark.parametrize("title", ["Octopus 2", "Decoder 7", "New", "Mayfly 3", "Sepsis 1",
                                   "Marathon 2024"])
def test_a_title_like_a_chrome_line_is_a_title(tmp_path: Path, title):
    dump = tmp_path / "x.txt"
    dump.write_text("\n".join([*CHROME, title, ABSTRACT]), "utf-8")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [(e.line, e.title) for e in entries] == [(len(CHROME) + 1, title)]


@pytest.mark.parametrize("day", ["Mar 13", "Jun 26", "Sept. 5", "September 30, 2024", "may 1"])
def test_the_day_a_page_lists_is_chrome_in_any_month(tmp_path: Path, day):
    dump = tmp_path / "x.txt"
    dump.write_text(f"{day}\nA Paper\n{ABSTRACT}\n", "utf-8")
    assert [(e.line, e.title) for e in read_dump(dump)[0]] == [(2, "A Paper")]


SHIPPED = sorted((ROOT / "content" / "dumps").glob("*.txt"))


@pytest.mark.parametrize("first", range(len(SHIPPED) - 1))
def test_a_page_glued_to_the_page_before_it_reads_as_the_pages_apart(tmp_path: Path, first):
    """Shipped dumps end without a newline: the next page's "new" or invitation is glued
    to the last abstract (or title), and "Subscribe" to its first title; both layouts."""
    pages = SHIPPED[first:first + 2]
    dump = tmp_path / "both.txt"
    dump.write_bytes(b"".join(page.read_bytes() for page in pages))
    entries, problems = read_dump(dump)
    assert problems == []
    assert [(e.title, e.abstract) for e in entries] == [
        (e.title, e.abstract) for page in pages for e in read_dump(page)[0]]


def test_every_page_of_a_dump_loses_its_chrome_wherever_it_starts(tmp_path: Path):
    flattened = "\n".join([*CHROME[1:3], f"SubscribeA Paper\n{ABSTRACT}"])
    spaced = "\n\n".join([CHROME[0], *CHROME[2:6], f"Another Paper\n{ABSTRACT}"])
    dump = tmp_path / "x.txt"
    dump.write_text(flattened + flattened + spaced + "\n" + spaced + flattened, "utf-8")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [(e.line, e.title, e.abstract) for e in entries] == [
        (3, "A Paper", ABSTRACT), (6, "A Paper", ABSTRACT), (17, "Another Paper", ABSTRACT),
        (29, "Another Paper", ABSTRACT), (32, "A Paper", ABSTRACT)]


def test_text_is_stored_plain_and_nfc(tmp_path: Path):
    dump = tmp_path / "x.txt"
    dump.write_text("Cafe\u0301 <b>Models</b> &lt;script&gt;\n" + "An abstract. " * 30 + "\n",
                    encoding="utf-8")
    (entry,), _ = read_dump(dump)
    assert entry.title == "Caf\u00e9 <b>Models</b> <script>"  # kept as text, NFC


def test_title_without_abstract_is_reported_and_the_rest_is_read():
    entries, problems = read_dump(BAD / "orphan.txt")
    assert [e.title for e in entries] == ["Another Paper: With a Title"]
    assert [str(p) for p in problems] == [
        f"{BAD / 'orphan.txt'}:1: warning: title with no abstract, skipped: "
        "'A Title Without Abstract' (hint: each title needs its abstract on the next "
        "non-blank line)"
    ]


def test_a_list_of_titles_gives_no_paper_but_a_warning_for_each_title(tmp_path: Path):
    """A line after a title is its abstract only if it looks like one, or is at least a
    sentence longer than the title: a list of titles pairs no title with another."""
    titles = ["Attention Is All You Need", "Language Models are Few-Shot Learners",
              "LLaMA: Open and Efficient Foundation Language Models", "Mistral 7B"]
    dump = tmp_path / "titles.txt"
    dump.write_text("\n".join(titles) + "\n", "utf-8")
    entries, problems = read_dump(dump)
    assert entries == []
    assert [(p.line, p.message) for p in problems] == [
        (k + 1, f"title with no abstract, skipped: {title!r}") for k, title in enumerate(titles)]


@pytest.mark.parametrize("abstract", [
    "We release a small model that follows instructions.",
    "\u6211\u4eec\u53d1\u5e03\u4e86\u4e00\u4e2a\u5c0f\u578b\u8bed\u8a00\u6a21\u578b\u3002"])
def test_a_short_last_abstract_of_one_sentence_is_read(tmp_path: Path, abstract):
    dump = tmp_path / "short.txt"
    long = "A Long Paper\n" + "It has an abstract of many sentences. " * 8 + "\n"
    dump.write_text(f"{long}A Short Paper\n{abstract}\n", "utf-8")
    entries, problems = read_dump(dump)
    assert [(e.title, e.abstract) for e in entries][1:] == [("A Short Paper", abstract)]
    assert problems == []


def test_empty_binary_and_non_utf8_dumps_are_reported_not_raised():
    messages = {name: [str(p) for p in read_dump(BAD / name)[1]]
                for name in ("empty.txt", "binary.txt", "latin1.txt")}
    assert messages["empty.txt"] == [f"{BAD / 'empty.txt'}:1: warning: dump is empty (hint: the "
                                     "dump holds no titles or abstracts; check it was saved "
                                     "from a listing page)"]
    assert messages["binary.txt"] == [f"{BAD / 'binary.txt'}:1: not a text file (it holds NUL "
                                      "bytes) (hint: dumps must be the plain text of a listing "
                                      "page)"]
    assert messages["latin1.txt"] == [f"{BAD / 'latin1.txt'}:1: not valid UTF-8 at column 6 "
                                      "(byte 5) (hint: re-save the dump with UTF-8 encoding)"]


def test_a_page_s_markup_is_refused_not_read_as_papers():
    """A page saved as HTML, an API's JSON (or JSON Lines), notes in Markdown: their tags,
    keys and marks would be the papers' titles."""
    save = ("save the listing page's text (select it in the browser and paste it into a "
            ".txt file) rather than its source")
    markdown = ("is Markdown (its lines start with #, >, **, list marks, links or table "
                "rows), not a listing's text (hint: remove the marks, leaving each title on a "
                f"line and its abstract on the next, or {save})")
    messages = {name: [str(p) for p in read_dump(BAD / name)[1]]
                for name in ("saved-page.txt", "saved-page-comment.txt", "api.txt",
                             "lines.txt", "lines-cut.txt", "notes.txt", "reading-list.txt")}
    assert messages == {
        "saved-page.txt": [f"{BAD / 'saved-page.txt'}:2: is HTML (a saved web page), not a "
                           f"listing's text (hint: {save})"],
        "saved-page-comment.txt": [f"{BAD / 'saved-page-comment.txt'}:1: is HTML (a saved "
                                   f"web page), not a listing's text (hint: {save})"],
        "api.txt": [f"{BAD / 'api.txt'}:1: is JSON, not a listing's text (hint: write each "
                    f"paper's title and abstract as two lines of text, or {save})"],
        "lines.txt": [f"{BAD / 'lines.txt'}:1: is JSON, not a listing's text (hint: write "
                      f"each paper's title and abstract as two lines of text, or {save})"],
        "lines-cut.txt": [f"{BAD / 'lines-cut.txt'}:1: is JSON, not a listing's text (hint: "
                          "write each paper's title and abstract as two lines of text, or "
                          f"{save})"],
        "notes.txt": [f"{BAD / 'notes.txt'}:1: {markdown}"],
        "reading-list.txt": [f"{BAD / 'reading-list.txt'}:3: {markdown}"]}


@pytest.mark.parametrize("line", ["<think> tokens: reasoning in the open",
                                  "[Re] Reproducing a Paper", "{Braces} in a Title",
                                  "# of Parameters Matters", "> 100 Languages Pretrained"])
def test_a_title_starting_as_markup_does_is_still_a_title(tmp_path: Path, line):
    dump = tmp_path / "x.txt"
    dump.write_text(f"{line}\n{ABSTRACT}\n" + f"A Paper\n{ABSTRACT}\n" * 2, "utf-8")
    assert [e.title for e in read_dump(dump)[0]] == [line, "A Paper", "A Paper"]


def test_missing_dump_is_reported(tmp_path: Path):
    entries, problems = read_dump(tmp_path / "nope.txt")
    assert entries == [] and [str(p) for p in problems] == [
        f"{tmp_path / 'nope.txt'}: cannot read dump: there is no such file (hint: check the "
        "name; dumps are the .txt files of content/dumps/)"]


@pytest.mark.parametrize("name", [".", ""])
def test_a_folder_named_as_a_dump_is_reported_as_one(tmp_path: Path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    for folder in (Path(name), tmp_path):
        entries, problems = read_dump(folder)
        assert entries == [] and [str(p) for p in problems] == [
            f"{folder}: is a folder, not a dump (hint: name the dump files in it, or run "
            "`sitegen ingest` without names to read every dump in content/dumps/)"]


def test_titles_and_abstracts_are_told_apart():
    assert not looks_like_abstract("Balancing Speed and Stability: FP8 vs. BF16 Training in LLMs")
    assert looks_like_abstract("We study things. We find results that matter.")
    assert looks_like_abstract("x" * 260)


# Line splitting: only \n, \r\n and \r end a line, as editors and `grep -n` count them.
# str.splitlines() also breaks at these, which scraped abstracts hold as word separators.
INNER_BREAKS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
ABSTRACT = "We study one thing. We find another thing, and it matters."


def test_inner_breaks_are_every_other_character_python_splits_lines_at():
    breaking = {chr(c) for c in range(0x110000)
                if not 0xD800 <= c <= 0xDFFF and len(f"a{chr(c)}b".splitlines()) == 2}
    assert breaking == {"\n", "\r", *INNER_BREAKS}


@pytest.mark.parametrize("separator", INNER_BREAKS)
def test_a_line_separator_inside_an_abstract_is_a_space(tmp_path: Path, separator):
    dump = tmp_path / "x.txt"
    dump.write_text(f"First Paper\r\nWe study one thing.{separator}We find another.\r\n\r\n"
                    f"Second{separator}Paper\r{ABSTRACT}\rThird Paper\n{ABSTRACT}\n", "utf-8")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [(e.line, e.title, e.abstract) for e in entries] == [
        (1, "First Paper", "We study one thing. We find another."),
        (4, "Second Paper", ABSTRACT),
        (6, "Third Paper", ABSTRACT),
    ]


def test_a_bad_byte_is_reported_on_its_line_whatever_the_line_endings(tmp_path: Path):
    dump = tmp_path / "x.txt"
    dump.write_bytes("Title\r\nAbstract\rmore\u2028\n".encode() + b"\xff\n")
    assert [p.line for p in read_dump(dump)[1]] == [4]
    dump.write_bytes(b"Title\rAbstract\r\n\x00\n")
    assert [p.line for p in read_dump(dump)[1]] == [3]


WORDS = st.text(st.sampled_from("abcXYZ019\u00e9"), min_size=1, max_size=6)
SEPARATED = st.lists(st.tuples(WORDS, st.sampled_from([" ", *INNER_BREAKS])), min_size=1,
                     max_size=6).map(lambda pairs: "".join(w + s for w, s in pairs).strip(" "))


@settings(max_examples=60, deadline=None)
@given(papers=st.lists(st.tuples(SEPARATED, SEPARATED, SEPARATED), min_size=1, max_size=5),
       endings=st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=30, max_size=30),
       blanks=st.lists(st.booleans(), min_size=15, max_size=15))
def test_every_entry_is_read_on_its_line_whatever_separators_its_abstract_holds(
        tmp_path_factory, papers, endings, blanks):
    rows, expected = [], []
    for i, (name, first, second) in enumerate(papers):
        title, abstract = f"Paper {i} {name}", f"{first}. {second}. Done."
        expected.append((len(rows) + 1, clean(space(title)), clean(space(abstract))))
        # A blank line of one space: after "\r", an empty line and "\n" would make "\r\n".
        rows += [title, abstract] + ([" "] if blanks[i] else [])
    dump = tmp_path_factory.mktemp("dump") / "x.txt"
    dump.write_text("".join(row + end for row, end in zip(rows, endings, strict=False)),
                    "utf-8", newline="")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [(e.line, e.title, e.abstract) for e in entries] == expected


def space(text: str) -> str:
    return "".join(" " if ch in INNER_BREAKS else ch for ch in text)


# Entry limits: ingest skips what `sitegen check` would refuse, with a warning.
LIMIT = schema("paper")["properties"]["abstract"]["maxLength"]


def test_an_abstract_longer_than_the_schema_allows_is_skipped_with_a_warning(tmp_path: Path):
    longest = ("We study a thing. " * (LIMIT // 10))[:LIMIT - 1] + "x"
    dump = tmp_path / "x.txt"
    dump.write_text(f"Fits\n{longest}\nToo Long\n{longest}y\nLast\n{ABSTRACT}\n", "utf-8")
    entries, problems = read_dump(dump)
    assert [(e.title, len(e.abstract)) for e in entries] == [("Fits", LIMIT),
                                                              ("Last", len(ABSTRACT))]
    assert [str(p) for p in problems] == [
        f"{dump}:4: warning: abstract: has {LIMIT + 1:,} characters, more than the {LIMIT:,} "
        "a paper allows; entry skipped: 'Too Long' (hint: check the dump around this line: "
        "a listing's text may have run together)"]


def test_a_huge_single_line_dump_is_read_quickly_and_skipped(tmp_path: Path):
    dump = tmp_path / "x.txt"
    with dump.open("w", encoding="utf-8") as out:
        out.write("A Paper\n")
        for _ in range(1000):
            out.write("We study a thing &amp; more. " * 1000)
        out.write("\nLast\n" + ABSTRACT + "\n")
    start = time.perf_counter()
    entries, problems = read_dump(dump)
    assert time.perf_counter() - start < 5
    assert [e.title for e in entries] == ["Last"]
    assert [(p.line, p.field, p.message) for p in problems] == [
        (2, "abstract", "has 29,000,000 characters, more than the 20,000 a paper allows; "
                        "entry skipped: 'A Paper'")]


def test_a_nul_byte_anywhere_is_reported_on_its_line(tmp_path: Path):
    dump = tmp_path / "tail.txt"
    entry = "A Title\nAn abstract that says a thing. And another.\n"
    dump.write_bytes((entry * 400).encode("utf-8") + b"\x00\x01binary tail")
    assert [str(p) for p in read_dump(dump)[1]] == [
        f"{dump}:801: not a text file (it holds NUL bytes) (hint: dumps must be the plain "
        "text of a listing page)"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_dump_is_told_apart_from_a_binary_one(tmp_path: Path, encoding):
    """With its byte-order mark or without (a NUL every other byte, not a binary file)."""
    dump = tmp_path / "powershell.txt"
    dump.write_bytes("A Title\r\nAn abstract. Of two.\r\n".encode(encoding))
    assert [str(p) for p in read_dump(dump)[1]] == [
        f"{dump}:1: is UTF-16 text (hint: re-save the dump with UTF-8 encoding)"]


@pytest.mark.parametrize("title", ["xLSTM: Extended Long Short-Term Memory", "mPLUG-Owl",
                                   "s1: Simple test-time scaling", "\u201cSeeing\u201d Is Not All",
                                   "\u00dcber Tokens", "\u03b1-Blend", "$\\pi$-Tuning",
                                   "#InsTag: Instruction Tagging", "Subscriber Churn with LLMs",
                                   "Subscribed Users and LLMs"])
def test_the_button_glued_to_a_pages_first_title_goes_whatever_the_title_starts_with(
        tmp_path: Path, title):
    """Right below the invitation, a flattened page's "Subscribe" is its button, glued to
    the first title, whatever character that title starts with; where the button has a
    line of its own, a title that starts with the word is left whole."""
    flattened = "\n".join([*CHROME[1:3], f"Subscribe{title}", ABSTRACT])
    spaced = "\n\n".join([*CHROME[2:4], title, ABSTRACT])
    trimmed = "\n".join([f"Subscribe{title}", ABSTRACT])  # the invitation left out
    dump = tmp_path / "x.txt"
    for text in (flattened, spaced, trimmed):
        dump.write_text(text, "utf-8")
        assert [e.title for e in read_dump(dump)[0]] == [title]


@pytest.mark.parametrize("title", [
    "Yes, But... Can ChatGPT Identify Entities in Historical Documents?",
    "Stop! Think! A Study of Pausing in Language Models", "Why? Because. On Explanations"])
def test_a_title_with_sentence_ends_is_the_title_of_the_abstract_after_it(tmp_path: Path,
                                                                          title):
    """Sentences make a line look like an abstract; a short one followed by an abstract is
    that abstract's title, in both layouts. A line like it with no abstract after it is
    still an abstract with no title."""
    abstract = ABSTRACT + " " + ABSTRACT
    dump = tmp_path / "x.txt"
    for separator in ("\n", "\n\n"):
        dump.write_text(separator.join(["A Paper", ABSTRACT, title, abstract]), "utf-8")
        entries, problems = read_dump(dump)
        assert problems == []
        assert [(e.title, e.abstract) for e in entries] == [("A Paper", ABSTRACT),
                                                            (title, abstract)]
    dump.write_text("\n".join(["A Paper", ABSTRACT, title]), "utf-8")
    entries, problems = read_dump(dump)
    assert [e.title for e in entries] == ["A Paper"]
    assert [p.message.split(":")[0] for p in problems] == ["abstract with no title, skipped"]


CLEAN_MARKS = """
import sys, unicodedata
from sitegen.core.text import MOST_MARKS_IN_A_ROW, clean
text = "Caf" + "e\\u0301" + " a" + "\\u0301\\u0316" * 200_000 + " end"
cleaned = clean(text)
marks = "".join("m" if unicodedata.combining(c) else " "
                for c in unicodedata.normalize("NFD", cleaned))
print(cleaned.startswith("Caf\\u00e9 \\u00e1"), cleaned.endswith(" end"),
      max(map(len, marks.split())) == MOST_MARKS_IN_A_ROW)
"""


def test_a_line_of_combining_marks_is_cleaned_in_linear_time():
    """A hostile line of 400,000 combining marks: normalising it whole takes minutes (each
    run of marks is reordered in quadratic time); marks after the first 30 of a run are
    left out, as Unicode's stream-safe format bounds them. No timing: a deadline."""
    import subprocess
    import sys
    result = subprocess.run([sys.executable, "-c", CLEAN_MARKS], cwd=ROOT, capture_output=True,
                            text=True, timeout=30, env={"PYTHONPATH": str(ROOT)})
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_a_papers_counts_and_publication_date_on_lines_of_their_own_are_chrome(
        tmp_path: Path):
    """Listings print a paper's votes or comments ("42", "1.2k") and the day it was
    published on lines of their own: they are no title, and no abstract."""
    dump = tmp_path / "listing.txt"
    dump.write_text("AlphaWidget: Training Models with Widgets\n42\n"
                    "We introduce AlphaWidget. It trains models with widgets.\n"
                    "BetaChunk: Overlapping Chunks for Long Documents\n"
                    "Published on Mar 3, 2024\n1.2k\n"
                    "Models struggle with long documents. We propose BetaChunk.\n", "utf-8")
    entries, problems = read_dump(dump)
    assert [(e.line, e.title, e.abstract.split(".")[0]) for e in entries] == [
        (1, "AlphaWidget: Training Models with Widgets", "We introduce AlphaWidget"),
        (4, "BetaChunk: Overlapping Chunks for Long Documents",
         "Models struggle with long documents")]
    assert problems == []


def test_a_table_of_titles_and_abstracts_separated_by_tabs_is_read_row_by_row(tmp_path: Path):
    """A spreadsheet's export: each row a title, a tab and its abstract (a tab inside a
    listing's line is only a space)."""
    rows = [("A Paper", ABSTRACT), ("Another Paper: With a Colon", f"{ABSTRACT} {ABSTRACT}")]
    dump = tmp_path / "table.txt"
    dump.write_text("".join(f"{title}\t{abstract}\n" for title, abstract in rows), "utf-8")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [(e.line, e.title, e.abstract) for e in entries] == [
        (1, *rows[0]), (2, *rows[1])]
    dump.write_text(f"A\tPaper\n{ABSTRACT}\n", "utf-8")  # a title with a tab in it
    assert [(e.title, e.abstract) for e in read_dump(dump)[0]] == [("A Paper", ABSTRACT)]
    # a header row, and a trailing empty column, as a spreadsheet writes them
    dump.write_text("title\tabstract\t\n" + "".join(f"{title}\t{abstract}\t\n"
                                                   for title, abstract in rows), "utf-8")
    entries, problems = read_dump(dump)
    assert problems == []
    assert [(e.line, e.title, e.abstract) for e in entries] == [(2, *rows[0]), (3, *rows[1])]


@pytest.mark.parametrize("mark", ["1. [A Paper](https://arxiv.org/abs/2401.00001)",
                                  "1. **A Paper**", "- [A Paper](https://arxiv.org/abs/2401.00001)"])
def test_markdown_lists_of_papers_are_refused(tmp_path: Path, mark):
    dump = tmp_path / "list.txt"
    dump.write_text("".join(f"{mark}\n{ABSTRACT}\n\n" for _ in range(3)), "utf-8")
    entries, problems = read_dump(dump)
    assert entries == [] and [p.message[:14] for p in problems] == ["is Markdown (i"]


def test_a_spreadsheet_export_is_read_by_its_header_and_its_quoting(tmp_path: Path):
    """Comma- or tab-separated, with the columns its header names (in any order, among
    others), cells quoted as a spreadsheet quotes them; a row with no abstract is reported."""
    quoted = 'We study "quotes", commas and tabs.\tIt has two sentences.'
    dump = tmp_path / "table.csv.txt"
    dump.write_text('url,Abstract,Title\n'
                    f'https://example.org/1,"{quoted.replace(chr(34), chr(34) * 2)}",A Paper\n'
                    f'https://example.org/2,,Another Paper\n'
                    f'https://example.org/3,{ABSTRACT.replace(",", "")},"A Third, Paper"\n',
                    "utf-8")
    entries, problems = read_dump(dump)
    assert [(e.line, e.title, e.abstract) for e in entries] == [
        (2, "A Paper", quoted.replace("\t", " ")), (4, "A Third, Paper",
                                                   ABSTRACT.replace(",", ""))]
    assert [(p.line, p.message) for p in problems] == [
        (3, "title with no abstract, skipped: 'Another Paper'")]
