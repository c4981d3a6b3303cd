"""What a paper page and `sitegen diff` tell about a paper's labels: whether a person
reviewed them or the rules proposed them, and, for a proposed label, the words that
made the proposal, so that a reader sees why and a reviewer can accept or correct it."""

from __future__ import annotations

from sitegen.catalogue.provenance import decided_fields
from sitegen.core.model import LABEL_FIELDS, LABEL_NOUNS, Paper
from sitegen.site.contexts import LabelGroup, PaperItem, Reason
from sitegen.site.mdsafe import code, md


def label_review(paper: Paper, item: PaperItem) -> tuple[tuple[LabelGroup, ...],
                                                         tuple[Reason, ...]]:
    """Each label field as reviewed or proposed, and a reason for every label of a field
    the rules decided, topics first."""
    decided = decided_fields(paper, LABEL_FIELDS)
    groups = tuple(LabelGroup(name, getattr(item, name), name in decided)
                   for name in LABEL_FIELDS)
    reasons = tuple(Reason(label, LABEL_NOUNS[name], paper.evidence.get(label.id, ""))
                    for name in LABEL_FIELDS if name not in decided
                    for label in getattr(item, name))
    return groups, reasons


def labels_markdown(paper: Paper, heading: str) -> str:
    """A Markdown list item for a pull request: under `heading`, each label field, as
    reviewed by a person or proposed by the rules (each label with its evidence)."""
    decided = decided_fields(paper, LABEL_FIELDS)
    lines = [heading]
    for name in LABEL_FIELDS:
        labels = getattr(paper, name)
        if name in decided:
            shown = ", ".join(map(code, labels))
            lines.append(f"  - {name}, reviewed by a person: {shown or 'none'}")
        else:
            shown = ", ".join(f"{code(label)} ({_evidence(paper, label)})" for label in labels)
            lines.append(f"  - {name}, proposed by the rules: {shown or 'none'}")
    return "\n".join(lines)


def _evidence(paper: Paper, label: str) -> str:
    text = paper.evidence.get(label, "")
    return md(text) if text else "no evidence recorded"
