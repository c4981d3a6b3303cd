"""BibTeX that BibTeX parsers read back whole, and LaTeX prints as the text was written.

Two parsers from PyPI read every entry: pybtex, which follows BibTeX's own grammar (and
refuses, in strict mode, what BibTeX would stumble on), and bibtexparser, the most used
one. pylatexenc, a LaTeX parser, reads each value back to text, knowing the text macros
of LaTeX's kernel that the entries use for braces and other special characters.
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pybtex.errors
import pytest
from bibtexparser.middlewares import SeparateCoAuthors
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from pybtex.database import parse_string
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from sitegen.catalogue.load import load_catalogue
from sitegen.core.model import Paper
from sitegen.site.bibtex import (
    _escaped,
    bibliography,
    citation_keys,
    entry,
    key_base,
    latex_words,
    title_value,
)

pybtex.errors.set_strict_mode(True)  # what BibTeX would warn about is an error here

# What LaTeX's kernel prints for each text macro the entries use.
KERNEL_MACROS = {"textbraceleft": "{", "textbraceright": "}", "textbackslash": "\\",
                 "textasciitilde": "~", "textasciicircum": "^", "textless": "<",
                 "textgreater": ">", "textbar": "|"}


def _latex_reader() -> LatexNodes2Text:
    context = get_default_latex_context_db().filter_context(
        exclude_categories=["nonascii-specials"])  # the ligatures, and `~` (never left as is)
    context.add_context_category("kernel-text-macros", prepend=True, macros=[
        MacroTextSpec(name, text) for name, text in KERNEL_MACROS.items()])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim",
                           strict_latex_spaces=True)


READER = _latex_reader()


def printed(value: str) -> str:
    """What LaTeX prints for a value (braces that only protect case print nothing)."""
    return READER.latex_to_text(value)


def one_line(text: str) -> str:
    return " ".join(text.split())


# Text people could put in a title or a name, and text meant to break out of a value.
HOSTILE = [
    "Braces {in} a {{title}}", "Unbalanced } closing { opening", "}}}} {{{{", "{",
    "100% of #1 & $5 a_b ~x ^y", r"Back\slash \\ \end{document} \input{/etc/passwd}",
    r"\textbf{bold} \def\x{y} %comment", "Zoë Ångström, Dvořák, 東京, Ελληνικά 🙂",
    "@misc{evil, title = {x}}", "@comment{", "x} , title = {injected", '"quoted" title',
    "<script>alert(1)</script> | pipes |", "Line\nbreak\ttab\r\nand   spaces",
    "a \\% b", "}, author = {Eve", "QLoRA: GPT-4 and LLaMA-2",
]
NAMES = ["Ada Lovelace", "Bob and Alice", "Smith, Jr., John", "others", "von Neumann, J.",
         "Zoë {Brace} O'Hara & Sons, Jr.", "Ann \\ Backslash % 100# $x_1^2$ ~tilde",
         "Unbalanced } { Name", "@misc{evil, title={x}}", "AND", "Jean-Luc Picard",
         "Li, Wei", "Martin Luther King Jr.", "A, B, C, D"]


def paper(title: str = "A Title", authors: list[str] | None = None, **fields: str) -> Paper:
    return Paper(fields.pop("id", "p"), title, "", ["t"], [], fields.pop("added", "2024-01-01"),
                 authors=authors or [], **fields)


def parsed(text: str):
    """The entries of a BibTeX text as pybtex and bibtexparser read them (both must read
    every entry, and the same ones)."""
    database = parse_string(text, "bibtex")
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == list(database.entries)
    return database, library


@pytest.mark.parametrize("text", HOSTILE, ids=repr)
def test_a_hostile_title_venue_and_author_stay_whole_and_print_as_written(text):
    written = entry(paper(text, [text, "Second Author"], venue=text, arxiv="2401.00001",
                          published="2024-01-02", doi=f"10.1234/{one_line(text)[:9]}"), "k")
    database, library = parsed(written)
    [(key, read)] = database.entries.items()
    assert key == "k" and read.type == "article"
    assert printed(read.fields["title"]) == printed(read.fields["journal"]) == one_line(text)
    assert "~" not in written  # LaTeX's non-breaking space, were it left as itself
    assert read.fields["eprint"] == "2401.00001" and read.fields["year"] == "2024"
    assert [printed(" ".join(name_parts(p))) for p in read.persons["author"]] == [
        read_order(text), "Second Author"]
    assert len(library.entries[0]["author"]) == 2


def name_parts(person) -> list[str]:
    """A name's words as BibTeX split it, in the order they are read: first, last, suffix."""
    return (person.first_names + person.middle_names + person.prelast_names
            + person.last_names + person.lineage_names)


def read_order(name: str) -> str:
    """A name as it is read: BibTeX's own "Last, First" and "Last, Jr., First" put in that
    order ("Smith, Jr., John" is John Smith Jr.); any other as written."""
    parts = [part.strip() for part in one_line(name).split(",")]
    if len(parts) == 2:
        return one_line(f"{parts[1]} {parts[0]}")
    if len(parts) == 3:
        return one_line(f"{parts[2]} {parts[0]} {parts[1]}")
    return one_line(name)


@pytest.mark.parametrize("name", NAMES, ids=repr)
def test_every_author_is_one_name_however_it_is_written(name):
    database, library = parsed(entry(paper(authors=["Before Name", name, "After Name"]), "k"))
    persons = database.entries["k"].persons["author"]
    assert len(persons) == 3 and len(library.entries[0]["author"]) == 3
    assert printed(" ".join(name_parts(persons[1]))) == read_order(name)


@given(st.text(alphabet=st.sampled_from("{}\\%&#$_~^<>|@\"', =aZé東 \n"), max_size=30))
def test_any_title_prints_as_written(title):
    written = entry(paper(title), "k")
    database, _ = parsed(written)
    value = database.entries["k"].fields["title"]
    assert "~" not in value
    assert printed(value) == one_line(title)


@given(st.text(alphabet=st.sampled_from("{}\\%&#$_~^<>|aZéÉǅ東7-: \n\t\u00a0\u200b"),
               max_size=40))
def test_a_title_is_escaped_and_braced_word_by_word(title):
    """The title's value is each word escaped, braced where a capital follows its first
    letter or digit (twice where it starts with a backslash, which BibTeX would take for
    an accented letter, whose case it changes): what `title_value` makes in one pass."""
    def braced(word: str) -> bool:
        first = next((i for i, c in enumerate(word) if c.isalnum()), len(word))
        return any(c.isupper() for c in word[first + 1:])

    def kept(value: str) -> str:
        return "{{" + value + "}}" if value.startswith("\\") else "{" + value + "}"

    assert title_value(title) == " ".join(
        kept(_escaped(word)) if braced(word) else _escaped(word) for word in latex_words(title))


def test_an_arxiv_e_print_is_a_misc_with_its_class_where_the_id_names_one():
    database, _ = parsed(entry(paper(arxiv="hep-th/9901001v2", published="1999-01-04"), "k") +
                         entry(paper(arxiv="2401.12345"), "n"))
    old, new = database.entries["k"], database.entries["n"]
    assert (old.type, old.fields["eprint"], old.fields["archivePrefix"],
            old.fields["primaryClass"], old.fields["url"]) == (
        "misc", "hep-th/9901001v2", "arXiv", "hep-th", "https://arxiv.org/abs/hep-th/9901001v2")
    assert "primaryClass" not in new.fields and new.fields["url"].endswith("/abs/2401.12345")


def test_the_primary_category_is_the_class_of_a_new_style_id_and_wins_over_an_old_one_s():
    database, _ = parsed(entry(paper(arxiv="2401.12345", arxiv_category="cs.CL"), "n") +
                         entry(paper(arxiv="hep-th/9901001", arxiv_category="gr-qc"), "k"))
    assert database.entries["n"].fields["primaryClass"] == "cs.CL"
    assert database.entries["k"].fields["primaryClass"] == "gr-qc"


def test_a_doi_is_kept_verbatim_with_only_braces_backslashes_and_percent_encoded():
    database, _ = parsed(entry(paper(doi="10.1002/(SICI)1097<693::AID>{x}\\%"), "k"))
    assert database.entries["k"].fields["doi"] == "10.1002/(SICI)1097<693::AID>%7Bx%7D%5C%25"


# Citation keys.

def test_a_key_is_surname_year_and_first_title_word_in_ascii():
    assert key_base(paper("QLoRA: Efficient Finetuning", ["Tim Dettmers", "Artidoro Pagnoni"],
                          published="2023-05-23")) == "dettmers2023qlora"
    assert key_base(paper("The Élan of Models", ["José Núñez-Ávila"],
                          published="2024-02-01")) == "nunezavila2024elan"
    assert key_base(paper("A Survey", ["Smith, John"])) == "smithsurvey"
    assert key_base(paper("A Survey", ["John Smith Jr."])) == "smithsurvey"  # not "jr"
    assert key_base(paper("东京 2024", [])) == "paper2024"


def test_keys_are_unique_letters_telling_apart_papers_added_later():
    first = paper("Llama", ["Hugo Touvron"], id="b", added="2023-01-01", published="2023-02-27")
    second = paper("Llama 2", ["Hugo Touvron"], id="a", added="2023-08-01",
                   published="2023-07-18")
    lookalike = paper("Llamab", ["Hugo Touvron"], id="c", added="2023-09-01",
                      published="2023-01-01")
    keys = citation_keys([second, lookalike, first])
    assert keys == {"b": "touvron2023llama", "a": "touvron2023llamab",
                    "c": "touvron2023llamabb"}
    assert citation_keys([first, second, lookalike]) == keys  # whatever the order given
    later = paper("Llama 3", ["Hugo Touvron"], id="d", added="2024-04-01",
                  published="2023-12-01")
    assert {k: v for k, v in citation_keys([first, second, lookalike, later]).items()
            if k != "d"} == keys  # a paper added later changes no earlier key


def test_many_papers_sharing_a_key_get_one_letter_then_two():
    papers = [paper("Large Models", id=f"p{i:02}") for i in range(28)]
    keys = [citation_keys(papers)[p.id] for p in papers]
    assert keys == ["large", *(f"large{c}" for c in "bcdefghijklmnopqrstuvwxyz"),
                    "largeaa", "largeab"]


# The whole catalogue.

@pytest.mark.parametrize("content", [ROOT / "tests" / "fixtures" / "site", ROOT / "content"],
                         ids=["fixture site", "shipped catalogue"])
def test_papers_bib_holds_every_paper_once_under_its_own_key(content: Path):
    papers = list(load_catalogue(content).papers.values())
    text = bibliography(papers)
    database, _ = parsed(text)
    keys = citation_keys(papers)
    assert list(database.entries) == [keys[p.id] for p in papers]
    assert len(set(keys.values())) == len(papers)
    assert all(re.fullmatch("[a-z][a-z0-9]*", key) for key in keys.values())
    for p in papers:
        read = database.entries[keys[p.id]]
        assert printed(read.fields["title"]) == one_line(p.title)
        assert [printed(" ".join(name_parts(n))) for n in read.persons.get("author", [])] == [
            read_order(a) for a in p.authors]
