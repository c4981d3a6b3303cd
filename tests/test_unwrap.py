"""Dumps saved with their lines wrapped (`sitegen.ingest.unwrap`): joined back where blank
lines set titles and abstracts apart, whatever tool wrapped them, and refused where they
do not; dumps that were not wrapped read as they always did."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.ingest.dumps import read_dump
from sitegen.ingest.unwrap import joined_runs

WRAPPED = FIXTURES / "wrapped"
BAD = FIXTURES / "bad-dumps"
LISTING = (WRAPPED / "listing.txt").read_text("utf-8")  # blank lines between its lines


def entry_texts(path: Path) -> list[tuple[str, str]]:
    return [(entry.title, entry.abstract) for entry in read_dump(path)[0]]


def fold(line: str, width: int, at_spaces: bool) -> list[str]:
    """A line as coreutils' `fold -w WIDTH` cuts it (`-s`: after its last space that fits,
    the space kept; a word longer than the width is cut at the width all the same)."""
    lines = []
    while len(line) > width:
        cut = line.rfind(" ", 0, width) + 1 if at_spaces else 0
        cut = cut or width
        lines.append(line[:cut])
        line = line[cut:]
    return [*lines, line]


def balanced(line: str, width: int) -> list[str]:
    """A line's lines of about one length each, short of the width, as `fmt` balances them."""
    count = -(-len(line) // width) or 1
    return textwrap.wrap(line, max(20, len(line) // count + 12)) or [""]


TOOLS: dict[str, Callable[[str, int], list[str]]] = {
    "fold -s": lambda line, width: fold(line, width, at_spaces=True),
    "fold": lambda line, width: fold(line, width, at_spaces=False),
    "textwrap": lambda line, width: textwrap.wrap(line, width) or [""],
    "textwrap, long words whole": lambda line, width: textwrap.wrap(
        line, width, break_long_words=False, break_on_hyphens=False) or [""],
    "balanced": lambda line, width: balanced(line, width),
}


def wrapped(text: str, width: int, tool: str) -> str:
    return "\n".join(part for line in text.split("\n") for part in TOOLS[tool](line, width))


def test_a_dump_folded_with_blank_lines_reads_as_it_was_before_wrapping():
    """`fold -s -w 80`: each run of lines between blank lines is one title or abstract."""
    entries, problems = read_dump(WRAPPED / "folded-80.txt")
    assert [(e.title, e.abstract) for e in entries] == entry_texts(WRAPPED / "listing.txt")
    assert [e.line for e in entries] == [11, 36, 64, 90, 119, 147]  # where each title starts
    assert [str(p) for p in problems] == [
        f"{WRAPPED / 'folded-80.txt'}:13: warning: lines are wrapped: joined back into one line "
        "per title and per abstract, at the blank lines between them (hint: check the papers "
        "it gave; save the listing again without wrapping its lines to be sure of them)"]


@settings(max_examples=60, deadline=None)
@given(width=st.integers(min_value=30, max_value=240), tool=st.sampled_from(sorted(TOOLS)))
def test_whatever_tool_wrapped_it_at_whatever_width_its_entries_come_back_whole(
        tmp_path_factory, width, tool):
    """Words cut at the width are joined whole, compounds broken at their hyphens too."""
    if tool.startswith("textwrap"):
        width = max(width, 50)  # (below, textwrap cuts a long address without a trace)
    dump = tmp_path_factory.mktemp("wrapped") / "dump.txt"
    dump.write_text(wrapped(LISTING, width, tool), "utf-8")
    assert entry_texts(dump) == entry_texts(WRAPPED / "listing.txt")


def test_pages_run_together_and_a_one_paper_dump_are_joined_back_too(tmp_path: Path):
    """A page saved without a final newline runs into the next one's first line, longer
    than the width; a dump of one paper has few lines to tell by."""
    pages = tmp_path / "pages.txt"
    page = LISTING.rstrip("\n").replace("new", "Get trending papers in your email inbox once a "
                                         "day!", 1)
    pages.write_text(2 * wrapped(page, 80, "fold -s"), "utf-8")
    assert entry_texts(pages) == 2 * entry_texts(WRAPPED / "listing.txt")
    blocks = LISTING.split("\n\n")
    one = tmp_path / "one.txt"
    one.write_text(wrapped(f"{blocks[5]}\n\n{blocks[6]}\n", 240, "fold -s"), "utf-8")
    assert entry_texts(one) == entry_texts(WRAPPED / "listing.txt")[:1]


def test_a_hard_wrapped_dump_without_blank_lines_is_refused_not_guessed_at():
    """A paragraph's last line may be full too: where a title or an abstract ends cannot be
    told, and no entry is made of a guess."""
    entries, problems = read_dump(BAD / "wrapped-run-together.txt")
    assert entries == [] and [str(p) for p in problems] == [
        f"{BAD / 'wrapped-run-together.txt'}:1: lines are wrapped, and no blank line follows "
        "each title and each abstract: where each ends cannot be told (hint: save the listing "
        "again without wrapping its lines, or with a blank line after each title and each "
        "abstract)"]


def test_listings_of_titles_short_or_cut_abstracts_are_not_taken_for_wrapped_text(
        tmp_path: Path):
    cases = {  # each abstract cut short by the listing, cut at one length, or lower case
        "cut.txt": "".join(f"A Paper Titled With Some Words Number {n}\nIt has an abstract "
                           f"cut short by the listing at this {n}...\n" for n in range(20)),
        "even.txt": "".join(f"A Paper Titled With Some Words Number {n:02}\nIt has an "
                            f"abstract the listing cut at one length, number {n:02}.\n"
                            for n in range(20)),
        "lower.txt": "".join(f"paper {n}: a lower-case title\n\nmodels, written in lower "
                             "case. they say so.\n\n" for n in range(20))}
    for name, text in cases.items():
        (tmp_path / name).write_text(text, "utf-8")
        entries, problems = read_dump(tmp_path / name)
        assert len(entries) == 20 and problems == [], name
    titles = tmp_path / "titles.txt"
    titles.write_text("".join(f"A Paper Titled {n}\n" for n in range(20)), "utf-8")
    assert all("title with no abstract" in p.message for p in read_dump(titles)[1])


def test_a_hyphen_left_hanging_before_and_or_keeps_its_space():
    """"small- and medium-scale": the hyphen ends no cut word; "memory-" "efficient" does."""
    run = [(1, "We study small-"), (2, "and medium-scale models that are memory-"),
           (3, "efficient, and pre-"), (4, "or post-trained ones.")]
    assert joined_runs(run) == ([(1, "We study small- and medium-scale models that are "
                                     "memory-efficient, and pre- or post-trained ones.")], 1)
