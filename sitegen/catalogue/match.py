"""Decide whether a dump entry is a paper the catalogue already holds.

Titles are compared word by word after folding case, accents, punctuation and
spacing; words may differ by single-letter typos, never in their numbers
("Omni" vs "Omni2", "Llama 3" vs "Llama 4"). The abstract is the second
witness: a truncated or lightly edited abstract agrees, a different paper's
does not. Anything in between is reported for a person to decide.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from sitegen.catalogue.typos import title_typos
from sitegen.core.text import arxiv_paper, fold, title_tokens

SAME_ABSTRACT = 70.0  # abstracts at least this similar are the same text
RENAMED_TITLE = 60.0  # titles this close with the same abstract may be a renamed paper
RENAMED_ABSTRACT = 90.0  # ... when their abstracts are at least this similar
RETITLED_ABSTRACT = 97.0  # titles less alike are one paper's only with all but equal texts
# Titles a typo apart are one paper only with (nearly) the same abstract: one letter may
# make another name ("Mistral", "Mixtral"), whose paper may be worded much alike.
TYPO_ABSTRACT = 95.0

_ABSTRACT_WORD = re.compile(r"[^\W_]+")  # a word of an abstract, for `_words_chosen`

SAME = "same"
UNSURE = "unsure"
DIFFERENT = "different"
_RANKS = {SAME: 2, UNSURE: 1, DIFFERENT: 0}


@dataclass(frozen=True)
class Verdict:
    decision: str  # SAME, UNSURE or DIFFERENT
    title_score: float
    abstract_score: float | None
    reason: str

    def strength(self) -> tuple[int, float, float]:
        """How convincing the verdict is: same, then unsure, then different; then by the
        title's score and the abstract's."""
        return (_RANKS[self.decision], self.title_score, self.abstract_score or 0)

    def explain(self) -> str:
        score = self.abstract_score
        abstract = "no abstract" if score is None else f"abstract {score:.0f}"
        return f"{self.reason}; title {self.title_score:.0f}, {abstract}"


def abstract_similarity(first: str, second: str, cutoff: float = 0) -> float | None:
    """0-100; a truncated copy of an abstract scores as high as the full one.

    Scores below `cutoff` may be returned as 0 (rapidfuzz stops early).
    """
    if not first or not second:
        return None
    short, long = sorted((fold(first), fold(second)), key=lambda text: (len(text), text))
    cut = cut_short(short)
    short = _untruncated(short)
    if long.startswith(short):  # the same text, or a truncated copy: the opening is all
        return 100.0
    if not cut:  # a whole text, as its last sentence ends: not another's opening
        return fuzz.ratio(short, long, score_cutoff=cutoff)
    opening = fuzz.ratio(short, long[: len(short)], score_cutoff=cutoff)
    if len(long) == len(short):
        return opening
    # Only a higher score matters: rapidfuzz stops at once when lengths rule it out.
    return max(opening, fuzz.ratio(short, long, score_cutoff=max(cutoff, opening)))


def same_text(abstract: str, known: str) -> bool:
    """Whether two abstracts are the same text (`abstract_similarity`); a dump replaced
    under the same name may hold another paper of the same title at a place seen before."""
    if abstract == known:
        return True
    similarity = abstract_similarity(abstract, known)
    return similarity is not None and similarity >= SAME_ABSTRACT


def extends(longer: str, shorter: str) -> bool:
    """Whether `longer` is `shorter` with more text after it: `shorter` is its opening, or
    a truncated copy of it (case, accents and typography aside)."""
    return fold(longer).startswith(_untruncated(fold(shorter)))


def cut_short(text: str) -> bool:
    """Whether a folded abstract looks cut short: it ends in "..." or within a sentence."""
    return text.endswith("...") or not text.rstrip().endswith((".", "!", "?"))


def _untruncated(text: str) -> str:
    """A folded text as the opening of a longer one: without the "..." a truncation adds."""
    return text.removesuffix("...").rstrip()


# Verdicts remembered: the look-alike check of a large catalogue judges tens of thousands
# of pairs, again after every edit in the preview, and again after an ingest, whose
# matching judged most of them already (50,000 new papers: 48,796 of the check's 64,736).
VERDICTS = 2**18


def compare(title: str, abstract: str, known_title: str, known_abstract: str) -> Verdict:
    """Is an entry (title, abstract) the same paper as a known one? The verdict is the
    same whichever of the two is given first, and is remembered under one order: so
    that ingest's matching (an entry against a paper) and the look-alike check that
    follows (a paper against another) share what they judge."""
    if (known_title, known_abstract) < (title, abstract):
        return _judged(known_title, known_abstract, title, abstract)
    return _judged(title, abstract, known_title, known_abstract)


@functools.lru_cache(maxsize=VERDICTS)
def _judged(title: str, abstract: str, known_title: str, known_abstract: str) -> Verdict:
    title_score = fuzz.ratio(" ".join(title_tokens(title)), " ".join(title_tokens(known_title)))
    typos = title_typos(title, known_title)
    if typos is not None:
        abstract_score = abstract_similarity(abstract, known_abstract)
        reason = "same title" if typos == 0 else f"title differs by {typos} typo(s)"
        needed = SAME_ABSTRACT if typos == 0 else TYPO_ABSTRACT
        if typos and _words_chosen(title, abstract, known_title, known_abstract):
            return Verdict(UNSURE, title_score, abstract_score,
                           f"{reason}, but each abstract repeats its title's word")
        if (abstract_score is None and typos == 0) or (
                abstract_score is not None and abstract_score >= needed):
            return Verdict(SAME, title_score, abstract_score, reason)
        return Verdict(UNSURE, title_score, abstract_score, f"{reason} but abstracts differ")
    if title_score < RENAMED_TITLE:  # the same paper only if retitled whole, text kept
        abstract_score = abstract_similarity(abstract, known_abstract, cutoff=RETITLED_ABSTRACT)
        if abstract_score is not None and abstract_score >= RETITLED_ABSTRACT:
            return Verdict(UNSURE, title_score, abstract_score, "same abstract, new title")
        return Verdict(DIFFERENT, title_score, None, "different titles")
    abstract_score = abstract_similarity(abstract, known_abstract, cutoff=RENAMED_ABSTRACT)
    if abstract_score is not None and abstract_score >= RENAMED_ABSTRACT:
        return Verdict(UNSURE, title_score, abstract_score, "same abstract, different title")
    return Verdict(DIFFERENT, title_score, abstract_score, "different titles")


def _words_chosen(title: str, abstract: str, known_title: str, known_abstract: str) -> bool:
    """Whether the titles differ in a word that each abstract writes as its own title does,
    and the other abstract not at all: a word chosen, not a slip ("Inductive Reasoning",
    "Deductive Reasoning")."""
    ours = set(map(str.casefold, _ABSTRACT_WORD.findall(fold(abstract))))
    theirs = set(map(str.casefold, _ABSTRACT_WORD.findall(fold(known_abstract))))
    return any(a in ours and b in theirs and a not in theirs and b not in ours
               for a, b in zip(title_tokens(title), title_tokens(known_title), strict=False)
               if a != b)


def apart_by_arxiv(verdict: Verdict, arxiv: str, known_arxiv: str) -> Verdict:
    """The verdict on two texts, given their papers' arXiv ids: two ids are two papers,
    however alike the texts, so "same" becomes a pair for a person to decide."""
    if (verdict.decision != SAME or not arxiv or not known_arxiv
            or arxiv_paper(arxiv) == arxiv_paper(known_arxiv)):
        return verdict
    return Verdict(UNSURE, verdict.title_score, verdict.abstract_score,
                   f"{verdict.reason}, but arXiv ids {arxiv} and {known_arxiv} differ")
