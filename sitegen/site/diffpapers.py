"""`diff`'s lines about papers: the fields an edit changed, labels gained and lost, and
for each added paper the existing papers closest to it, flagged when likely the same."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from sitegen.catalogue import match
from sitegen.catalogue.paperfields import FIELDS
from sitegen.catalogue.sameas import marked_distinct
from sitegen.core.model import LABEL_FIELDS, Paper
from sitegen.core.text import arxiv_paper, title_tokens
from sitegen.site.mdsafe import code, md

CLOSEST = 3  # existing papers shown for each added paper
DUPLICATE = "⚠️ **likely duplicate**"
MINUS = "\u2212"
ARROW = "\u2192"


def paper_name(paper: Paper) -> str:
    """A paper as 'Title (`id`)', the title as plain text."""
    return f"{md(paper.title)} ({code(paper.id)})"


def changed_fields(old: Paper, new: Paper) -> list[str]:
    """The fields whose values differ, in file order (formatting alone changes nothing)."""
    return [name for name in FIELDS if getattr(old, name) != getattr(new, name)]


def edited_line(old: Paper, new: Paper, fields: list[str]) -> str:
    """An edited paper's line; a new title shows the old one too."""
    if fields == ["sources"]:
        return f"- {paper_name(new)}: sources only"
    shown = [f"title (was {md(old.title)})" if name == "title" else name for name in fields]
    return f"- {paper_name(new)}: {', '.join(shown)}"


def moves(old: Paper, new: Paper) -> str:
    """Labels gained (+) and lost (minus sign) per kind, and a new primary topic (the first,
    which the policy ranks above the others), or '' when neither changed."""
    parts = []
    for name in LABEL_FIELDS:
        before, after = getattr(old, name), getattr(new, name)
        signs = ([f"+{md(label)}" for label in after if label not in before]
                 + [f"{MINUS}{md(label)}" for label in before if label not in after])
        if name == "topics" and before[:1] != after[:1] and before and after:
            signs.append(f"primary {md(before[0])} {ARROW} {md(after[0])}")
        if signs:
            parts.append(f"{name}: {' '.join(signs)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Known:
    """The existing papers in id order, and their titles as matched, folded once: a pull
    request may add thousands of papers, each compared with all of them."""

    papers: list[Paper]
    names: list[str]
    by_arxiv: dict[str, Paper]  # the first paper (by id) of each arXiv id, without version

    @classmethod
    def of(cls, papers: dict[str, Paper]) -> Known:
        known = cls([], [], {})
        for paper_id in sorted(papers):
            known.add(papers[paper_id])
        return known

    def add(self, paper: Paper) -> None:
        """One more paper to compare the next ones with (one the change adds, say)."""
        self.papers.append(paper)
        self.names.append(" ".join(title_tokens(paper.title)))
        if paper.arxiv:
            self.by_arxiv.setdefault(arxiv_paper(paper.arxiv), paper)


def closest(paper: Paper, known: Known) -> list[tuple[Paper, match.Verdict]]:
    """The existing papers with the most similar titles, and the matcher's verdict on each
    (of equal titles, the first ids: rapidfuzz ranks equal scores by position)."""
    best = process.extract(" ".join(title_tokens(paper.title)), known.names,
                           scorer=fuzz.ratio, limit=CLOSEST)
    known_papers = known.papers
    return [(known_papers[i], match.compare(paper.title, paper.abstract, known_papers[i].title,
                                            known_papers[i].abstract)) for _, _, i in best]


def _neighbour(paper: Paper, other: Paper, verdict: match.Verdict) -> tuple[str, bool]:
    """One closest-paper line, and whether it flags a likely duplicate."""
    score = match.abstract_similarity(paper.abstract, other.abstract)
    scores = f"title {verdict.title_score:.0f}, " + (
        "no abstract" if score is None else f"abstract {score:.0f}")
    line = f"  - {paper_name(other)}: {scores}"
    if verdict.decision == match.DIFFERENT:
        return line, False
    if marked_distinct(paper, other):
        return f"{line} (marked distinct)", False
    return f"{line} — {DUPLICATE} ({md(verdict.reason)})", True


def added_lines(paper: Paper, known: Known) -> tuple[list[str], bool]:
    """An added paper with its closest existing papers, and whether one is a likely duplicate."""
    if not known.papers:
        return [f"- {paper_name(paper)}: no existing papers to compare with"], False
    lines, duplicate = [f"- {paper_name(paper)}, closest existing papers:"], False
    holder = known.by_arxiv.get(arxiv_paper(paper.arxiv)) if paper.arxiv else None
    if holder is not None:
        lines.append(f"  - {paper_name(holder)}: the same arXiv id {code(holder.arxiv)} — "
                     f"{DUPLICATE}")
        duplicate = True
    for other, verdict in closest(paper, known):
        line, flagged = _neighbour(paper, other, verdict)
        lines.append(line)
        duplicate = duplicate or flagged
    return lines, duplicate
