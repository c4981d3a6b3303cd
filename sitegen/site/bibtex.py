"""The catalogue in BibTeX: an entry per paper (its page's "Cite" and `papers.bib`), under a
citation key unique across the catalogue.

A value is braced and holds one line. BibTeX counts every brace, even after a backslash,
so a brace of the text is written as a macro that prints it (`\\textbraceleft{}`): a
value stays whole whatever the text, and LaTeX prints the text as written, its special
characters (`% & # $ _ ~ ^ \\ < > |`) included. Titles keep their capitals where a style
would lower them ("{QLoRA}"); an "and" inside an author's name is braced, so that BibTeX
reads each name whole, and a name is written in BibTeX's own order where it has a suffix.
Addresses and DOIs (read verbatim) have their braces, backslashes and percent signs
percent-encoded.
"""

from __future__ import annotations

import itertools
import operator
import re
from collections.abc import Iterable, Iterator
from string import ascii_lowercase
from urllib.parse import quote

from sitegen.core.model import Paper
from sitegen.core.perpaper import per_paper
from sitegen.core.text import drop_refused, fold
from sitegen.site.identity import abs_url, primary_class

# LaTeX's special characters, each as what prints it; every replacement's braces balance.
LATEX = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
}
_SPECIAL = re.compile("[" + re.escape("".join(LATEX)) + "]")
_SPACES = re.compile(r"\s+")
_VERBATIM_UNSAFE = re.compile(r"[{}\\%]")
# Words a citation key skips at the start of a title (Google Scholar's keys do the same).
_SKIPPED = frozenset("a an the on of in for to and with".split())


def latex(text: str) -> str:
    """Text as one line of LaTeX that prints it."""
    return _escaped(" ".join(latex_words(text)))


def _escaped(line: str) -> str:
    return _SPECIAL.sub(lambda found: LATEX[found.group()], line)


def title_value(title: str) -> str:
    """A title whose words with a capital after their first letter keep their case. (The
    words are escaped in one pass over the line: no escape holds a space.)"""
    words = latex_words(title)
    escaped = _escaped(" ".join(words)).split(" ") if words else []
    return " ".join(_kept_case(value) if _inner_capital(word) else value
                    for word, value in zip(words, escaped, strict=True))


def _kept_case(value: str) -> str:
    """A word braced so that no style changes its case. BibTeX takes a brace group that
    starts with a backslash for one accented letter, whose case it does change ("{\\#LLM}"
    became "#llm"): such a word is braced twice."""
    return f"{{{{{value}}}}}" if value.startswith("\\") else f"{{{value}}}"


def _inner_capital(word: str) -> bool:
    """Whether a capital follows the word's first letter ("QLoRA", "7B", "GPT-4"). (Most
    words have every cased letter in lower case, and so none.)"""
    if word.islower():
        return False
    first = 0 if word[:1].isalnum() else next(
        (i for i, c in enumerate(word) if c.isalnum()), len(word))
    rest = word[first + 1:]  # ("Large": no capital in a rest of lower-case letters)
    return not rest.islower() and any(c.isupper() for c in rest)


def name_value(name: str) -> str:
    """One author, read by BibTeX as one name however it is written: its own "Last, First"
    and "Last, Jr., First" as written, "First Last Jr." as "Last, Jr., First" (else BibTeX
    takes "Jr." for the surname), and any other comma braced."""
    name = bibtex_name(name)
    commas = name.count(",") > 2  # more than BibTeX's name parts: each one text
    words = [_escaped(word) for word in latex_words(name)]
    words = [word.replace(",", "{,}") for word in words] if commas else words
    if [w.lower() for w in words] == ["others"]:  # BibTeX's "et al."
        return "{others}"
    return " ".join(f"{{{word}}}" if word.lower() == "and" else word for word in words)


_NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def bibtex_name(name: str) -> str:
    """A name in BibTeX's order: "First Last Jr." as "Last, Jr., First"; others as written."""
    words = name.split()
    if "," in name or len(words) < 3 or words[-1].lower() not in _NAME_SUFFIXES:
        return name
    return f"{words[-2]}, {words[-1]}, {' '.join(words[:-2])}"


def latex_words(text: str) -> list[str]:
    """The words of a text: any run of spaces or line breaks parts two, and characters no
    text may hold (controls, invisible characters) are dropped."""
    return drop_refused(_SPACES.sub(" ", text)).split()


def verbatim(text: str) -> str:
    """An address or a DOI as a verbatim field holds it (braces balanced, no escapes)."""
    line = " ".join(latex_words(text))
    return _VERBATIM_UNSAFE.sub(lambda found: quote(found.group(), safe=""), line)


@per_paper
def entry(paper: Paper, key: str) -> str:
    """The paper's BibTeX entry: an @article in its venue's journal where it has one, else
    an @misc (an arXiv e-print where the id is known)."""
    fields = [("title", title_value(paper.title))]
    authors = [value for value in map(name_value, paper.authors) if value]
    if authors:
        fields.append(("author", " and ".join(authors)))
    if paper.venue:
        fields.append(("journal", latex(paper.venue)))
    if paper.published:
        fields.append(("year", paper.published[:4]))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv")]
        if primary_class(paper):
            fields.append(("primaryClass", primary_class(paper)))
        fields.append(("url", abs_url(paper.arxiv)))
    if paper.doi:
        fields.append(("doi", verbatim(paper.doi)))
    kind = "article" if paper.venue else "misc"
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


def bibliography(papers: list[Paper]) -> str:
    """Every paper's entry, in the catalogue's order, a blank line apart."""
    keys = citation_keys(papers)
    return "\n".join(entry(paper, keys[paper.id]) for paper in papers)


@per_paper
def key_base(paper: Paper) -> str:
    """First author's surname, year, first title word (not an article or preposition), in
    lower-case ASCII letters and digits: `dettmers2023qlora`."""
    first = bibtex_name(paper.authors[0]) if paper.authors else ""
    surname = first.split(",")[0] if "," in first else (first.split() or [""])[-1]
    words = [w for w in _ascii_words(paper.title) if w not in _SKIPPED]
    base = "".join(_ascii_words(surname)) + paper.published[:4] + (words[:1] or [""])[0]
    return base if base[:1].isalpha() else "paper" + base


def _ascii_words(text: str) -> list[str]:
    return re.findall("[a-z0-9]+", fold(text).encode("ascii", "ignore").decode())


_ADDED_ORDER = operator.attrgetter("added", "id")


def citation_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Each paper's key, by paper id. Papers that would share one are told apart by a letter
    (b, c, ..., z, aa, ...), given in the order the papers were added (then by id): a key,
    once given, stays while no earlier-added paper comes to share it."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    suffixes: dict[str, Iterator[str]] = {}  # each base's next suffixes: a suffix once
    for paper in sorted(papers, key=_ADDED_ORDER):  # passed is never free again
        base = key_base(paper)
        free = suffixes.get(base)
        if free is None:
            free = suffixes[base] = _suffixes()
        for suffix in free:
            if (key := base + suffix) not in taken:
                break
        keys[paper.id] = key
        taken.add(key)
    return keys


def _suffixes() -> Iterator[str]:
    yield ""
    for length in itertools.count(1):
        for letters in itertools.product(ascii_lowercase, repeat=length):
            if letters != ("a",):
                yield "".join(letters)
