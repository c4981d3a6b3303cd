"""The quick reader of canonical paper files agrees with the full YAML loader, or declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.catalogue import yamlio
from sitegen.catalogue.canonical import read_canonical
from sitegen.catalogue.schema import load_document
from sitegen.catalogue.store import SCHEMA_COMMENT, from_dict, read_paper, serialise

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "check"
PAPER_FILES = sorted([*(ROOT / "content" / "papers").glob("*.yaml"),
                      *FIXTURES.glob("**/papers/*.yaml")])
TRICKY = ["NO", "2401.10010", "123", "~", "null", "- item", "a: b", "ends:", "#tag", "'quoted'",
          '"double"', "back\\slash", "tab\there", "new\nline", "bell\x07", "café", "\u2028",
          "emoji \U0001f600", " leading", "trailing ", "[list]", "{map}", "&anchor", "*alias",
          "!tag", "%", "@", "`", "---", "...", "yes", "0x1F", "1e3", ".inf", "2024-01-01"]


def full_path(text: bytes):
    """What read_paper made of a file before the quick reader: the YAML loader, the schema."""
    loaded, _ = load_document(text, "paper", "x.yaml")
    if loaded is None:
        return None
    paper = from_dict(loaded.data)
    return paper if serialise(paper) == text else None


@pytest.mark.parametrize("path", PAPER_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_quick_reader_agrees_on_every_paper_file(path: Path):
    text = path.read_bytes()
    assert read_canonical(text) == full_path(text)


@pytest.mark.parametrize("value", TRICKY)
def test_dumped_scalars_read_back_as_the_loader_reads_them(value: str):
    text = yamlio.dump({"title": value, "items": [value, {"key": value}]})
    assert yamlio.load_dumped(text) == yamlio.load(text).data


def test_a_non_canonical_file_still_gets_the_full_checks(tmp_path: Path):
    path = ROOT / "content" / "papers" / "2-olmo-2-furious.yaml"
    text = path.read_text("utf-8").replace("\nadded:", "\ntitle: again\nadded:")
    broken = tmp_path / path.name
    broken.write_text(text, "utf-8")
    paper, _, problems = read_paper(broken, broken.name)
    assert paper is None
    assert [(p.line, p.field, p.message) for p in problems] == [
        (text.splitlines().index("title: again") + 1, "title", "duplicate key")]
    assert text.startswith(SCHEMA_COMMENT)


VALID_PAPER = FIXTURES / "valid" / "papers" / "mistral-7b-in-int8.yaml"


@pytest.mark.parametrize(("change", "line", "field"), [
    (lambda text: text.replace("\n- quantization\n", "\n  - quantization\n"), 6, "topics"),
    (lambda text: text.replace("topics:\n- quantization\n", "topics: [quantization]\n"),
     5, "topics"),
    (lambda text: text.replace("added: '2024-03-21'", "added: 2024-03-21"), 12, "added"),
    (lambda text: text.replace("\nfamilies:", "  \nfamilies:"), 6, "topics"),
    (lambda text: text.replace("\n", "\r\n"), 1, ""),
    (lambda text: text.split("\n", 1)[1], 1, ""),
    (lambda text: text.replace("families:\n- mistral\n", "") + "families:\n- mistral\n",
     7, "links"),
])
def test_a_paper_not_in_canonical_form_is_told_at_its_first_line_that_differs(
        tmp_path, change, line, field):
    """Where the file first departs from the form `sitegen fmt` writes, and the field
    there (the first line holds the schema comment), not always line 1."""
    path = tmp_path / VALID_PAPER.name
    path.write_text(change(VALID_PAPER.read_text("utf-8")), "utf-8", newline="")
    paper, _, problems = read_paper(path, path.name)
    assert paper is not None
    assert [(p.message, p.line, p.field) for p in problems] == [
        ("file is not in canonical form", line, field)]
