"""The arXiv ids a dump gives beside its entries: a line that is only an id, or the
address of a paper's page, next to a title and abstract gives that entry its id, where
the dump's layout tells which entry it sits next to."""

from __future__ import annotations

import dataclasses
import itertools
import re
from bisect import bisect_left, bisect_right

from sitegen.catalogue.schema import valid_value
from sitegen.core.model import Entry, Problem
from sitegen.ingest.unwrap import Lines

# A line that is only an arXiv id, the address of a paper's page on arXiv (its abstract,
# PDF or HTML) or on Hugging Face (which names papers by their arXiv ids; with or without
# https://, and with what an address may carry after a ? or #), or the DOI arXiv gives a
# paper (bare, or as doi: or an address), with or without the id's version, and the
# category and date arXiv's own listings and PDFs print after it ("arXiv:2403.01234
# [cs.CL] 3 Mar 2024"); or a paper's card in a Hugging Face collection, its id between
# bullets ("Paper • 2403.01234 • Published Mar 3, 2024 • 35").
_ID_LINE = re.compile(
    r"(?:paper ?[•·] ?)?"
    r"(?:arxiv(?: id)?:? ?|(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/"
    r"|(?:https?://)?(?:www\.)?(?:huggingface|hf)\.co/papers/"
    r"|(?:doi:? ?|https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.)?"
    r"(?P<id>[0-9]{4}\.[0-9]{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[a-z]{2})?/[0-9]{7})"
    r"(?:v[1-9][0-9]*)?(?:\.pdf)?/?(?:[?#]\S*)?"
    r"(?: \[[a-z]+(?:-[a-z]+)*(?:\.[a-z]+(?:-[a-z]+)*)?\](?: [0-9]{1,2} [a-z]{3} [0-9]{4})?)?"
    r"(?: ?[•·] ?published [^•·]*(?: ?[•·] ?[0-9.,]+k?)?)?",
    re.IGNORECASE)


def arxiv_id_of(line: str) -> str:
    """The arXiv id (without version) a line consists of, if it is one arXiv could give."""
    found = _ID_LINE.fullmatch(line)
    return found["id"] if found and valid_value("paper", "arxiv", found["id"]) else ""


def id_of_line(line: str) -> str:
    """The arXiv id a dump's line consists of, if it is an id line (none is as long as
    ID_LENGTH: a longer line is not looked at)."""
    return arxiv_id_of(line) if len(line) < ID_LENGTH else ""


ID_LENGTH = 100  # characters


def take_ids(lines: Lines) -> tuple[Lines, Lines]:
    """The lines without those that are an arXiv id or address, and those ids by line."""
    kept: Lines = []
    ids: Lines = []
    for number, line in lines:
        found = id_of_line(line)
        (ids if found else kept).append((number, found or line))
    return kept, ids


def with_ids(entries: list[Entry], lines: Lines, ids: Lines
             ) -> tuple[list[Entry], list[tuple[int, bool]]]:
    """Each entry with the id of the id line next to it: between its title and abstract,
    else right before its title in a dump whose first line is an id, or right after its
    abstract in one whose last line is; and the lines of the ids given to no entry, each
    with whether it stands beside a line that was skipped (an entry with no title or no
    abstract, whose id it is), else it is between two entries in a dump with no id at
    either end, which could be either's (a wrong id is worse than none)."""
    if not ids or not entries:
        return entries, []
    following = {number: after for (number, _), (after, _) in itertools.pairwise(lines)}
    side = "before" if ids[0][0] < lines[0][0] else "after" if ids[-1][0] > lines[-1][0] else ""
    titles = [entry.line for entry in entries]
    abstracts = [following.get(entry.line, entry.line) for entry in entries]
    numbers = [number for number, _ in lines]
    found: dict[int, str] = {}
    unplaced = []
    for number, arxiv in ids:
        chosen = _entry_of_id(number, titles, abstracts, side)
        if chosen is not None and not _beside(number, numbers, titles[chosen],
                                              abstracts[chosen], side):
            unplaced.append((number, True))  # beside a skipped entry: not this one's
        elif chosen is not None:
            found.setdefault(chosen, arxiv)
        elif not side and titles[0] < number < abstracts[-1]:
            unplaced.append((number, False))
    return [dataclasses.replace(entry, arxiv=found[k]) if k in found else entry
            for k, entry in enumerate(entries)], unplaced


def _entry_of_id(number: int, titles: list[int], abstracts: list[int], side: str
                 ) -> int | None:
    """The entry an id line belongs to: the one whose title and abstract lines it is
    between, else the next one (ids `before` titles) or the one before (`after`).
    The entries come in the order of their lines, so each is found by bisection: a dump
    of 50,000 entries with an id each would take minutes entry by entry."""
    last_titled = bisect_left(titles, number) - 1  # the last entry whose title is above
    if last_titled >= 0 and number < abstracts[last_titled]:
        return last_titled
    if side == "before":
        following_entry = bisect_right(titles, number)
        return following_entry if following_entry < len(titles) else None
    previous = bisect_left(abstracts, number) - 1
    return previous if previous >= 0 and side == "after" else None


def _beside(number: int, numbers: list[int], title: int, abstract: int, side: str) -> bool:
    """Whether the id line `number` stands right beside the entry (blank lines and chrome
    aside): between its title and abstract, or right before its title (`before`), or right
    after its abstract (`after`), with no other line of the dump's between them."""
    if title < number < abstract:
        return True
    if side == "before":
        return numbers[bisect_right(numbers, number)] == title
    return numbers[bisect_left(numbers, number) - 1] == abstract


def unplaced_id(where: str, line: int, beside_skipped: bool) -> Problem:
    if beside_skipped:
        return Problem(where, line, "", "arXiv id beside an entry that was skipped (see its "
                       "warning), given to no paper", "give that entry its title or abstract, "
                       "and its paper takes the id", warning=True)
    return Problem(where, line, "", "arXiv id between two papers, given to neither: the "
                   "dump has no id line before its first title or after its last abstract "
                   "to tell whose ids come where", "give the first or the last paper its "
                   "id too, or put each id between its paper's title and abstract",
                   warning=True)
