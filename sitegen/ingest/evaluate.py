"""`sitegen evaluate`: how far the proposed labels agree with labels people decided.

The protocol, declared here once: the reference set (tests/gold/reference.yaml)
holds papers labelled by people under the labelling policy. A figure counts
only when measured on papers that no rule was written or tuned against. The
rules were written and tuned against the 80 older reference papers (source
`gold80`) and the newer ones (`dev200`) outside one fixed part: the **held-out
split**, the newer papers whose id hashes to fold 0 of 5, and any paper of a labels file
from elsewhere (`--gold FILE`). Every figure of the held-out papers is a result; those
of the rest are printed apart, marked as the set the rules were written against.

Which papers the rules were tuned on is a fact about the rules: their list (`TUNED`,
sitegen/ingest/tuned.yaml) travels with the package, so that the figures are the same from
any working directory (tests/test_evaluate.py checks the list against the protocol).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from sitegen.catalogue import yamlio
from sitegen.core.model import LABEL_NOUNS, Paper, Problem, field_path
from sitegen.core.text import title_key
from sitegen.ingest.classify import Labels
from sitegen.ingest.goldfile import GoldPaper
from sitegen.ingest.goldfind import Found

REFERENCE = Path("tests/gold/reference.yaml")  # the reference set: the default labels file
TUNED = "ingest/tuned.yaml"  # in the package: each paper the rules were tuned on, {id, title}
FOLDS = 5
HELD_OUT_FOLD = 0
RESAMPLES = 1000  # bootstrap resamples of the held-out papers, for each figure's interval
TUNED_SOURCES = ("gold80",)  # reference papers the topic rules were tuned on


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Tuning:
    """Papers by id and by title key. `Tuning.of` the reference set: those the rules were tuned
    on (`TUNED_SOURCES`, the newer ones outside the held-out fold), which `tuned()` lists;
    any other is held out."""

    ids: frozenset[str]
    titles: frozenset[str]

    @classmethod
    def of(cls, reference: Iterable[GoldPaper]) -> Tuning:
        return cls.named(paper for paper in reference if _in_tuning_split(paper))

    @classmethod
    def named(cls, papers: Iterable[GoldPaper | Paper]) -> Tuning:
        listed = list(papers)
        return cls(frozenset(p.id for p in listed if p.id),
                   frozenset(title_key(p.title) for p in listed))

    def holds(self, paper: GoldPaper | Paper) -> bool:
        return paper.id in self.ids or title_key(paper.title) in self.titles

    def covers(self, found: Found | Outcome) -> bool:
        """Whether a labelled paper, or the catalogue paper it was found as, is one of these."""
        return self.holds(found.paper) or (found.known is not None and self.holds(found.known))


@cache
def tuned() -> Tuning:
    """The papers the rules were tuned on, as the package lists them (`TUNED`)."""
    listed = resources.files("sitegen").joinpath(TUNED)
    try:
        papers = yamlio.load(listed.read_text("utf-8")).data
    except (OSError, yamlio.YamlError) as error:  # an installation without its data
        reason = error.strerror if isinstance(error, OSError) else error.message
        raise OSError(f"{listed}: cannot be read: {reason} (hint: reinstall sitegen, whose "
                      "package holds the list)") from None
    return Tuning(frozenset(paper["id"] for paper in papers),
                  frozenset(title_key(paper["title"]) for paper in papers))


def _in_tuning_split(paper: GoldPaper) -> bool:
    digest = int(hashlib.sha256(paper.id.encode("utf-8")).hexdigest(), 16)
    return paper.source in TUNED_SOURCES or digest % FOLDS != HELD_OUT_FOLD


@dataclass(frozen=True)
class Outcome:
    """One reference paper: what people decided, and what the tool proposed."""

    paper: GoldPaper
    proposed: Labels
    known: Paper | None = None  # the catalogue paper it was found as


def propose_all(found: Iterable[Found], propose: Callable[[str, str, str], Labels],
                ) -> list[Outcome]:
    """The tool's labels for each labelled paper that has a text (see `Found.text`)."""
    return [Outcome(entry.paper, propose(*text), entry.known)
            for entry in found if (text := entry.text()) is not None]


def teachers(papers: Iterable[Paper], found: Iterable[Found], tuning: Tuning) -> list[Paper]:
    """The papers whose people's labels may teach the proposer during an evaluation: all
    but the held-out papers of the labels file, whose labels the proposer is measured on,
    named there or found as catalogue papers under another title."""
    held = [entry for entry in found if not tuning.covers(entry)]
    named = Tuning.named(entry.paper for entry in held)
    known = {entry.known.id for entry in held if entry.known is not None}
    return [paper for paper in papers if paper.id not in known and not named.holds(paper)]


def unknown_labels(gold: Iterable[GoldPaper], known: dict[str, Collection[str]],
                   shown: str) -> list[Problem]:
    """A warning for each label the taxonomy (`known`: its ids by kind) lacks: it counts missed."""
    warnings = []
    for paper in gold:
        for kind, ids in known.items():
            for label in sorted(getattr(paper, kind) - set(ids)):
                warnings.append(Problem(
                    shown, paper.line_of(kind), field_path((*paper.place, kind)),
                    f"{label!r} is not a {LABEL_NOUNS[kind]} of the taxonomy: counted as missed",
                    "use the taxonomy's ids, or add the label to content/taxonomy.yaml",
                    warning=True))
    return warnings


def micro_score(pairs: Iterable[tuple[frozenset[str], frozenset[str]]]) -> Score:
    """Micro-averaged precision, recall and F1 over (gold, predicted) label sets."""
    true_pos = predicted = actual = 0
    for gold, found in pairs:
        true_pos, predicted, actual = (true_pos + len(gold & found), predicted + len(found),
                                       actual + len(gold))
    return _score(true_pos, predicted, actual)


def _counted(outcomes: list[Outcome], kind: str) -> tuple[list[int], list[int], list[int]]:
    """Each paper's labels found, proposed and given: what `micro_score` sums."""
    counts: tuple[list[int], list[int], list[int]] = ([], [], [])
    for gold, found in pairs(outcomes, kind):
        for column, count in zip(counts, (len(gold & found), len(found), len(gold)),
                                 strict=True):
            column.append(count)
    return counts


def _score(true_pos: int, predicted: int, actual: int) -> Score:
    precision = true_pos / predicted if predicted else 1.0
    recall = true_pos / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1, actual)


def pairs(outcomes: list[Outcome], kind: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    return [(getattr(o.paper, kind), frozenset(getattr(o.proposed, kind))) for o in outcomes]


KINDS = ("families", "topics")  # the label fields, in the order the report shows them


def scores(outcomes: list[Outcome]) -> dict[str, Score]:
    return {kind: micro_score(pairs(outcomes, kind)) for kind in KINDS}


def per_label(outcomes: list[Outcome], kind: str) -> dict[str, Score]:
    """Each label's own precision, recall and F1."""
    found_pairs = pairs(outcomes, kind)
    labels = sorted({label for gold, found in found_pairs for label in gold | found})
    return {label: micro_score((gold & {label}, found & {label})
                               for gold, found in found_pairs) for label in labels}


def primary_found(outcomes: list[Outcome]) -> int:
    """How many papers have their primary topic among the proposed topics."""
    return sum(o.paper.primary in o.proposed.topics for o in outcomes)


def primary_first(outcomes: list[Outcome]) -> int:
    """How many papers have their primary topic proposed first: the topic the site and
    `sitegen diff` show as the paper's primary."""
    return sum(o.proposed.topics[:1] == [o.paper.primary] for o in outcomes)


def confusions(outcomes: list[Outcome], kind: str, most: int = 8) -> list[str]:
    """The commonest disagreements: a label missed for another, or missed or added alone,
    each with one paper and the evidence of what was proposed."""
    counted: Counter[tuple[str, str]] = Counter()
    example: dict[tuple[str, str], Outcome] = {}
    for outcome in outcomes:
        gold, found = getattr(outcome.paper, kind), set(getattr(outcome.proposed, kind))
        missing, added = sorted(gold - found) or ["-"], sorted(found - gold) or ["-"]
        for pair in ((m, e) for m in missing for e in added if (m, e) != ("-", "-")):
            counted[pair] += 1
            example.setdefault(pair, outcome)
    lines = []
    for (missed, extra), count in sorted(counted.items(), key=lambda i: (-i[1], i[0]))[:most]:
        outcome = example[(missed, extra)]
        evidence = outcome.proposed.evidence.get(extra, "")
        lines.append(f"  {count} x wanted {missed}, proposed {extra}: e.g. {_name(outcome)}"
                     + (f" ({evidence})" if evidence else ""))
    return lines


def _name(outcome: Outcome) -> str:
    """A labelled paper as a reader finds it: its id here or in the catalogue, else its title."""
    known = outcome.known.id if outcome.known is not None else ""
    return outcome.paper.id or known or repr(outcome.paper.title)


def report(outcomes: list[Outcome], tuning: Tuning) -> str:
    """The whole report: held-out figures first, then the tuning set's, marked as such."""
    held = [o for o in outcomes if not tuning.covers(o)]
    rest = [o for o in outcomes if tuning.covers(o)]
    lines = [f"Held-out: {_papers(len(held))} that no rule was written or tuned against "
             f"(all but the {len(tuning.ids)} reference papers the rules were tuned on: the "
             f"older ones and the newer ones whose id hashes to a fold other than "
             f"{HELD_OUT_FOLD} of {FOLDS}):",
             *_summary(held), _intervals(held), ""]
    for kind in KINDS:
        lines += [f"Per {LABEL_NOUNS[kind]} (held-out):", *_table(per_label(held, kind)),
                  f"Commonest disagreements over {kind} (held-out):",
                  *(confusions(held, kind) or ["  none"]), ""]
    lines += [f"Not a result: {_papers(len(rest))} the rules were written or tuned against:",
              *_summary(rest)]
    return "\n".join(lines)


def _summary(outcomes: list[Outcome]) -> list[str]:
    """The micro-averaged figures of a set of papers and its primary-topic lines: the primary
    among the proposed topics, and proposed first (none for no papers: figures of nothing
    would read as perfect)."""
    if not outcomes:
        return ["  none"]
    count, found, first = len(outcomes), primary_found(outcomes), primary_first(outcomes)
    return [*_table(scores(outcomes)),
            f"primary topic among the proposed: {found}/{count} ({_share(found, count)})",
            f"primary topic proposed first: {first}/{count} ({_share(first, count)})"]


def _intervals(outcomes: list[Outcome]) -> str:
    """How far each F1 could move with other papers like these: the middle 95% of the F1s
    of papers drawn again, with replacement, from the held-out split (a fixed seed, so the
    report is the same on every run)."""
    if not outcomes:
        return "95% intervals: -"
    draw = random.Random(0)
    found: dict[str, list[float]] = {kind: [] for kind in KINDS}
    counts = {kind: _counted(outcomes, kind) for kind in KINDS}  # summed in C, not re-scored
    for _ in range(RESAMPLES):
        sample = draw.choices(range(len(outcomes)), k=len(outcomes))
        for kind, columns in counts.items():
            found[kind].append(_score(*(sum(map(column.__getitem__, sample))
                                        for column in columns)).f1)
    low, high = int(RESAMPLES * 0.025), int(RESAMPLES * 0.975) - 1
    shown = [f"{kind} F1 {sorted(f1s)[low]:.2f}-{sorted(f1s)[high]:.2f}"
             for kind, f1s in found.items()]
    return (f"95% intervals, from {RESAMPLES:,} resamples of these papers: "
            + ", ".join(shown))


def _table(rows: dict[str, Score]) -> list[str]:
    lines = [f"  {'':22} precision  recall  F1     labels"]
    for name, score in rows.items():
        lines.append(f"  {name:22} {score.precision:9.3f}  {score.recall:6.3f}  {score.f1:.3f}"
                     f"  {score.support:6d}")
    return lines


def _papers(count: int) -> str:
    return f"{count:,} labelled paper{'' if count == 1 else 's'}"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"
