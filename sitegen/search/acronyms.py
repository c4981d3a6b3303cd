"""The acronyms a catalogue defines, with their long forms, for queries that type them.

Papers define acronyms as they go: "Chain-of-Thought (CoT)", "Reinforcement Learning from
Human Feedback (RLHF)". A reader who types "cot" wants the papers about chain-of-thought,
most of which never write "CoT" in their title. The search data ships each acronym defined
in the catalogue with its long forms as index terms (stop words left out, as the index
leaves them out); the page matches the acronym also where a paper holds a long form's
terms in sequence, as it matches a name typed joined ("search-words.js").

A definition is an acronym in brackets (letters, at least two of them capitals, and a
plural "s") right after words whose initials spell it, in order: each letter is a word's
first letter, and only short joining words ("from", "of", "for") may be passed over. What
the letters do not spell ("LoRA", after "Low-Rank Adaptation") is no definition here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sitegen.core.model import Paper
from sitegen.core.perpaper import per_paper, tally_of
from sitegen.search.analysis import Analyzer

_BRACKETED = re.compile(r"\(([A-Za-z]{2,10})\)")  # an acronym in brackets (linear)
_JOINING = frozenset("a an and by for from in of on the to via with".split())
_PART = re.compile(r"[^\W_]+")  # a word's part between hyphens and other marks
FORMS = 3  # long forms kept per acronym, those the most papers define first

# acronym term -> its long forms, each as the index terms of its words
LongForms = dict[str, list[list[str]]]


def long_forms(papers: Sequence[Paper], analyzer: Analyzer) -> LongForms:
    """Each acronym the papers' titles and abstracts define, by its index term, with its
    long forms (FORMS at most, those the most papers define first, then in order)."""
    written = tally_of(paper_definitions, papers)  # the papers defining each
    counts: Counter[tuple[str, tuple[str, ...]]] = Counter()
    for (acronym, spelled), papers_defining in written.items():
        term, terms = analyzer.phrase(acronym), analyzer.phrase(spelled)
        if len(term) == 1 and len(terms) > 1 and term[0] not in terms:
            counts[term[0], terms] += papers_defining
    forms: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for (acronym, terms), papers_defining in counts.items():
        forms.setdefault(acronym, []).append((-papers_defining, terms))
    return {acronym: [list(terms) for _, terms in sorted(found)[:FORMS]]
            for acronym, found in sorted(forms.items())}


@per_paper  # (and kept in the cache of parsed papers: see `site.papercache`)
def paper_definitions(paper: Paper) -> tuple[tuple[str, str], ...]:
    """(acronym, its long form), as the paper writes them, of each definition in its title
    and abstract."""
    return tuple(definitions(f"{paper.title}\n{paper.abstract}"))


def definitions(text: str) -> list[tuple[str, str]]:
    """(acronym, its long form), as written, of each definition in a text."""
    found = []
    for match in _BRACKETED.finditer(text):
        letters = _letters(match[1])
        if not letters:
            continue
        spelled = _spelled(letters, text[max(0, match.start() - 40 * len(letters)):
                                         match.start()].split())
        if spelled is not None:
            found.append((match[1], spelled))
    return found


def _letters(acronym: str) -> str:
    """The letters an acronym's words begin with, lower case ("" if it is no acronym: fewer
    than two capitals): "CoT" -> "cot", "LLMs" -> "llm"."""
    if sum(char.isupper() for char in acronym) < 2:
        return ""
    return acronym.removesuffix("s").lower()


def _spelled(letters: str, words: list[str]) -> str | None:
    """The words at the end of `words` whose initials spell `letters`, joined; None if they
    do not, or if a sentence or a clause ends among them. A hyphenated word's parts may
    give letters too ("Chain-of-Thought": CoT), or not ("multi-head latent attention":
    MLA); its first part is taken first ("multi-modal models": MM, not modal models)."""
    if not words or not words[-1][-1].isalnum():
        return None  # "(...)" after a comma or a stop is not what came before it
    parts = [(part, k > 0, w) for w, word in enumerate(words)
             for k, part in enumerate(_PART.findall(word))]
    for word_first in (True, False):
        start = _start(parts, letters, word_first)
        if start is not None:
            if not all(word[-1].isalnum() for word in words[parts[start][2]:-1]):
                return None
            return " ".join(part for part, _, _ in parts[start:])
    return None


def _start(parts: list[tuple[str, bool, int]], letters: str, word_first: bool) -> int | None:
    """Where the parts that spell `letters` begin (see `_spelled`), matching each letter from
    the last on to the nearest part it begins (to its word's first part instead, where
    that begins with it too, if `word_first`), passing over only inner parts and joining
    words; None if they do not spell them."""
    at = len(parts)
    for n, letter in enumerate(reversed(letters)):
        while at and not parts[at - 1][0].lower().startswith(letter):
            part, inner, _ = parts[at - 1]
            if not inner and part.lower() not in _JOINING:
                return None
            at -= 1
        if not at:
            return None
        at -= 1
        if word_first or n == len(letters) - 1:  # the first letter begins a word
            while parts[at][1] and parts[at - 1][0].lower().startswith(letter):
                at -= 1
    return None if parts[at][1] else at
