"""Parsing raw dumps: both layouts, page chrome, encodings, and bad files."""

from pathlib import Path

from conftest import DUMPS, FIXTURES

from sitegen.dumps import looks_like_abstract, read_dump

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


def test_empty_binary_and_non_utf8_dumps_are_reported_not_raised():
    messages = {name: [str(p) for p in read_dump(BAD / name)[1]]
                for name in ("empty.txt", "binary.txt", "latin1.txt")}
    assert messages["empty.txt"] == [f"{BAD / 'empty.txt'}:1: warning: dump is empty (hint: the "
                                     "dump holds no titles or abstracts; check it was saved "
                                     "from a listing page)"]
    assert messages["binary.txt"] == [f"{BAD / 'binary.txt'}:1: not a text file (it holds NUL "
                                      "bytes) (hint: dumps must be the plain text of a listing "
                                      "page)"]
    assert messages["latin1.txt"] == [f"{BAD / 'latin1.txt'}:1: not valid UTF-8 (byte 5) (hint: "
                                      "re-save the dump with UTF-8 encoding)"]


def test_missing_dump_is_reported(tmp_path: Path):
    entries, problems = read_dump(tmp_path / "nope.txt")
    assert entries == [] and "cannot read dump" in str(problems[0])


def test_titles_and_abstracts_are_told_apart():
    assert not looks_like_abstract("Balancing Speed and Stability: FP8 vs. BF16 Training in LLMs")
    assert looks_like_abstract("We study things. We find results that matter.")
    assert looks_like_abstract("x" * 260)
