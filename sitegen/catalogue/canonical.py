"""The canonical form of a paper file: its bytes, and the quick reader of files in it.

Checking a catalogue reads every paper file; the YAML parser with line numbers and the
thorough validator are left for the few files that are not in canonical form.
"""

from __future__ import annotations

from typing import Any

from sitegen.catalogue import yamlio
from sitegen.catalogue.paperfields import from_dict, plain, to_dict
from sitegen.catalogue.schema import is_valid
from sitegen.core.model import Paper, Source

# The first line of every paper file: editors with a YAML language server (VS Code's
# YAML extension) validate and complete the file through the committed schema. The
# string is the same in every file, whatever the catalogue's directory, so that the
# canonical form depends on the paper alone; it resolves from content/papers/.
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../sitegen/schemas/paper.schema.json\n"
_COMMENT_BYTES = SCHEMA_COMMENT.encode("utf-8")


def serialise(paper: Paper) -> bytes:
    """The canonical bytes of a paper file: the schema comment, then the fields."""
    return _serialise(to_dict(paper))


def _serialise(data: dict[str, Any]) -> bytes:
    return (SCHEMA_COMMENT + yamlio.dump(data)).encode("utf-8")


def source_size(source: Source) -> int:
    """The bytes a source takes in its paper's file."""
    return len(yamlio.dump({"sources": plain("sources", [source])}).encode("utf-8")) - len(
        "sources:\n")


def read_canonical(text: bytes) -> Paper | None:
    """The paper of a valid file in canonical form, read without the YAML parser; else None.

    The quick reader's result counts only if it serialises back to the very bytes
    read: the YAML loader reads canonical text back to equal values, so it would
    have read the same paper from them.
    """
    if not text.startswith(_COMMENT_BYTES):
        return None
    try:
        paper = from_dict(yamlio.load_dumped(text[len(_COMMENT_BYTES):].decode("utf-8")))
        document = to_dict(paper)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if _serialise(document) != text or not is_valid(document, "paper"):
        return None
    return paper
