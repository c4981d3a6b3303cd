"""Who decided each value of a paper, a person or the tool, and why the tool proposed a label.

A field is a person's decision when it is listed under `human`, and also as soon as
its value no longer matches the checksum of the tool's proposal (an edit that the next
`ingest` or `classify` records under `human`): the site, the export and `diff` show
such a field as reviewed from the moment it is edited. The tool's evidence for a label
counts only while the tool still proposes that label.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Mapping, Sequence

from sitegen.catalogue.paperfields import plain
from sitegen.catalogue.schemafiles import schema
from sitegen.core.jsonbytes import spaced_json_bytes
from sitegen.core.model import (
    IDENTITY_FIELDS,
    LABEL_FIELDS,
    MACHINE_FIELDS,
    Entry,
    Paper,
    Source,
    shorten,
)
from sitegen.core.perpaper import per_paper
from sitegen.core.text import CACHED, clean

# The longest evidence a label keeps (the schema's limit, declared there once).
EVIDENCE_LENGTH: int = \
    schema("paper")["properties"]["evidence"]["additionalProperties"]["maxLength"]


def checksum(paper: Paper, field: str) -> str:
    """A short fingerprint of a field's value as its file holds it, to notice when a person
    has changed it."""
    if field in LABEL_FIELDS:
        return _labels_checksum(field, tuple(getattr(paper, field)))
    return _value_checksum(plain(field, getattr(paper, field)))


@functools.lru_cache(maxsize=CACHED)
def _labels_checksum(field: str, labels: tuple[str, ...]) -> str:
    """(Remembered: the same few hundred lists of labels come again and again, and an
    ingest asks for the topics' checksum of every paper.)"""
    return _value_checksum(plain(field, list(labels)))


def _value_checksum(value: object) -> str:
    return hashlib.sha256(spaced_json_bytes(value)).hexdigest()[:12]


@functools.lru_cache(maxsize=CACHED)
def sighting_checksum(title: str, abstract: str) -> str:
    """A short fingerprint of a dump entry's title and abstract as the dump gave them: what
    tells one entry from another at a place in a dump, and finds it again when it moves.
    (Remembered: an ingest asks it of each entry three times, to find the entry's paper,
    where the dump holds its text and which sightings that text has.)"""
    return _value_checksum([title, abstract])


def placed_sightings(sources: list[Source], entry: Entry,
                     lines: Sequence[int]) -> list[Source] | None:
    """The paper's sightings, those of this entry's text in its dump placed at the lines
    the dump holds that text on now (`lines`, in order), as an ingest of the dump alone
    records them: the first sighting (as recorded, which is by line, and stays so as each
    is placed) at the first line, and so on, and those
    beyond the last line dropped once the entry on it is placed; None where the entry is an
    occurrence of the text beyond the sightings (one more to record). Unchanged where
    another sighting of the paper, of another text, holds the entry's line, or where no
    sighting has the text's checksum (one recorded before checksums were kept)."""
    found = sighting_checksum(entry.title, entry.abstract)
    same = [k for k, source in enumerate(sources)  # in the order they were recorded in
            if source.dump == entry.dump and source.checksum == found]
    rank = lines.index(entry.line)
    if not same:  # found by its place and title: recorded before checksums were
        return sources
    if rank >= len(same):
        return None
    if sources[same[rank]].line == entry.line and (rank + 1 < len(lines)
                                                  or len(same) == len(lines)):
        return sources  # where it was, and no sighting beyond the text's places
    if any(source.dump == entry.dump and source.line == entry.line
           and source.checksum != found for source in sources):
        return sources
    placed = list(sources)
    placed[same[rank]] = dataclasses.replace(sources[same[rank]], line=entry.line)
    if rank == len(lines) - 1:
        beyond = set(same[len(lines):])
        placed = [source for k, source in enumerate(placed) if k not in beyond]
    return placed


def seen_at(entry: Entry, match: str = "") -> Source:
    """The record of a paper's sighting at a dump entry (`match`: why it was taken for it)."""
    return Source(entry.dump, entry.line, entry.title, match,
                  sighting_checksum(entry.title, entry.abstract))


def decided_fields(paper: Paper, fields: Sequence[str] = MACHINE_FIELDS) -> list[str]:
    """Which of `fields` a person decided, in their order: those listed in `human`, those
    edited since the tool proposed them, every identity field filled in without the tool's
    checksum, and, in a paper the tool never labelled (no checksums at all), every field a
    person filled in."""
    return list(fields_decided(paper, tuple(fields)))


@per_paper
def fields_decided(paper: Paper, fields: tuple[str, ...]) -> tuple[str, ...]:
    """`decided_fields`, as a tuple (a build keeps it for each paper: `site.papercache`)."""
    # Labelled by the tool: a checksum of a field its rules propose (identity fields come
    # from a dump or a service, to hand-made papers too).
    tool_made = any(name not in IDENTITY_FIELDS for name in paper.machine)

    def edited(name: str) -> bool:
        stored = paper.machine.get(name)
        if stored:
            return checksum(paper, name) != stored
        return bool(getattr(paper, name)) and (not tool_made or name in IDENTITY_FIELDS)

    return tuple(name for name in fields if name in paper.human or edited(name))


def proposed_labels(paper: Paper, decided: Sequence[str] | None = None) -> list[str]:
    """The labels of the label fields that no person decided (`decided`, when known), topics
    first."""
    if decided is None:
        decided = decided_fields(paper, LABEL_FIELDS)
    labels = [label for name in LABEL_FIELDS if name not in decided
              for label in getattr(paper, name)]
    return list(dict.fromkeys(labels))


def label_evidence(paper: Paper, decided: Sequence[str] | None = None) -> dict[str, str]:
    """The stored evidence of each label the tool proposed, in label order."""
    return {label: paper.evidence[label] for label in proposed_labels(paper, decided)
            if label in paper.evidence}


def evidence_line(text: str) -> str:
    """Evidence as stored: one line of plain text, cut to EVIDENCE_LENGTH characters."""
    return shorten(clean(text), EVIDENCE_LENGTH)


def propose_identity(paper: Paper, values: Mapping[str, object]) -> list[str]:
    """Give the tool's values of identity fields (`arxiv`, `authors`, ...) to a paper: each
    field no person decided takes its value, with its checksum. An empty value changes
    nothing: a service's answer that lacks a value (or had an invalid one) never removes
    what an earlier answer gave. The dates stay in order: an `updated` that would be before
    the paper's `published` is left out (the tool's earlier one withdrawn), and a `published`
    after a person's `updated` is not taken. Returns the fields whose value changed."""
    decided = decided_fields(paper, IDENTITY_FIELDS)
    proposed = {name: values[name] for name in IDENTITY_FIELDS
                if name in values and name not in decided and values[name]}
    changed = [name for name, value in _in_date_order(paper, decided, proposed).items()
               if _take(paper, name, value)]
    paper.machine = {name: paper.machine[name] for name in MACHINE_FIELDS if name in paper.machine}
    return changed


def _in_date_order(paper: Paper, decided: Sequence[str],
                   proposed: dict[str, object]) -> dict[str, object]:
    """`proposed`, changed so that the paper's `updated` is not before its `published`
    (an empty `updated`: the tool's own is withdrawn)."""
    published = str(proposed.get("published", paper.published))
    updated = str(proposed.get("updated", paper.updated))
    if not (published and updated and updated < published):
        return proposed
    if "updated" not in decided:
        return {**proposed, "updated": ""}
    return {name: value for name, value in proposed.items() if name != "published"}


def _take(paper: Paper, name: str, value: object) -> bool:
    """Give one field the tool's value (empty: withdraw the tool's own); whether it changed."""
    if not value and name not in paper.machine:
        return False
    changed = getattr(paper, name) != value
    setattr(paper, name, value)
    if value:
        paper.machine[name] = checksum(paper, name)
    else:
        paper.machine.pop(name)
    return changed
