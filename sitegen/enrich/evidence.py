"""Whether a service's record is a catalogue paper: only on evidence, never a guess.

A record is the paper when their titles are the same words (case, punctuation, accents
and spacing aside: `core.text.title_key`) and their abstracts agree: the abstract score
of `catalogue.match` (rapidfuzz's ratio, a cut copy compared with the same length of
the other) is at least ABSTRACTS_AGREE over at least EVIDENCE_LENGTH characters. One
such record is found; two different papers that both pass, a title that agrees with a
different abstract, or a title a few letters off are uncertain and left for a person.

ABSTRACTS_AGREE was measured (tests/measure_abstracts.py, tests/test_enrich_evidence.py):
among the 237,705 pairs of different papers of content/papers/ (690 papers, look-alikes
such as "Llama Guard" and "Llama Guard 3 Vision" among them) the highest score is 60.0;
the same papers' abstracts as other public copies give them (another arXiv version, the
LaTeX source, text from the PDF with ligatures and lost hyphens, another dash) score
87.3 to 100. 80 sits between the two with room on each side.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from sitegen.catalogue.match import abstract_similarity
from sitegen.core.text import title_key, title_tokens
from sitegen.enrich.source import Record

ABSTRACTS_AGREE = 80.0
EVIDENCE_LENGTH = 200  # characters of the shorter abstract, at least, to count as evidence
CLOSE_TITLE = 90.0  # a title this close but not the same is worth a person's look

FOUND, UNCERTAIN, NOT_FOUND = "found", "uncertain", "not found"


@dataclass(frozen=True)
class Decision:
    outcome: str  # FOUND, UNCERTAIN or NOT_FOUND
    record: Record | None  # the paper found
    why: str = ""


def _words(title: str) -> str:
    return " ".join(title_tokens(title))


def abstracts_agree(first: str, second: str) -> tuple[bool, float]:
    """Whether two abstracts are the same text, and their score (0 with no evidence)."""
    if min(len(first), len(second)) < EVIDENCE_LENGTH:
        return False, 0.0
    score = abstract_similarity(first, second) or 0.0
    return score >= ABSTRACTS_AGREE, score


def decide(title: str, abstract: str, candidates: list[Record]) -> Decision:
    """The one candidate that is this paper, or why none is."""
    same_title = [r for r in candidates if title_key(r.title) == title_key(title)]
    if not same_title:
        return _no_title(title, candidates)
    scored = [(record, *abstracts_agree(abstract, record.abstract)) for record in same_title]
    agreeing = sorted({record.arxiv: record for record, agrees, _ in scored if agrees}.values(),
                      key=lambda record: record.arxiv)
    if len(agreeing) == 1:
        return Decision(FOUND, agreeing[0])
    if agreeing:
        ids = ", ".join(record.arxiv for record in agreeing)
        return Decision(UNCERTAIN, None, f"{len(agreeing)} papers with this title and "
                                         f"abstract: {ids}")
    best, _, score = max(scored, key=lambda item: item[2])
    compared = "a different abstract" if score else "no abstract long enough to compare"
    return Decision(UNCERTAIN, None, f"the same title as {best.arxiv}, but {compared} "
                                     f"(abstract {score:.0f}, {ABSTRACTS_AGREE:.0f} needed)")


def _no_title(title: str, candidates: list[Record]) -> Decision:
    """Not found, unless a candidate's title is nearly this one (a typo, a renamed paper)."""
    scored = [(fuzz.ratio(_words(title), _words(r.title)), r) for r in candidates]
    close = [(score, r) for score, r in scored if score >= CLOSE_TITLE]
    if not close:
        return Decision(NOT_FOUND, None)
    score, record = max(close, key=lambda item: item[0])
    return Decision(UNCERTAIN, None, f"a title that is not quite the same: {record.title!r} "
                                     f"({record.arxiv}, title {score:.0f})")
