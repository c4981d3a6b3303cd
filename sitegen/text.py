"""Text normalisation shared by every stage: clean text, title keys and slugs."""

from __future__ import annotations

import functools
import html
import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Typographic punctuation that scraped titles use interchangeably with ASCII.
_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ",
})
_NON_WORD = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Untrusted text to plain text: entities decoded, Unicode NFC, whitespace collapsed.

    Decoding runs until the text is stable, so a double-escaped ``&amp;amp;``
    becomes ``&`` and the result does not change when cleaned again.
    """
    previous = None
    while previous != text:
        previous = text
        text = html.unescape(text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return _SPACE.sub(" ", text).strip()


# Texts whose folded forms are remembered: every title and abstract of a large catalogue,
# which the look-alike check compares again and again.
CACHED = 2**16


@functools.lru_cache(maxsize=CACHED)
def fold(text: str) -> str:
    """Lower-case ASCII-ish form used for comparisons (accents and typography dropped).

    Expects text that has been through `clean` (every stored value has).
    """
    text = text.translate(_TYPOGRAPHIC)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


@functools.lru_cache(maxsize=CACHED)
def title_tokens(title: str) -> tuple[str, ...]:
    """The words of a title, ignoring case, punctuation, spacing and accents."""
    return tuple(token for token in _NON_WORD.split(fold(title).replace("'", "")) if token)


def title_key(title: str) -> str:
    """Two titles with the same key differ only in case, spacing or punctuation."""
    return "".join(title_tokens(title))


def slugify(title: str, max_length: int = 60) -> str:
    """A readable URL slug: lower-case ASCII words joined by hyphens, cut at a word."""
    words = title_tokens(title)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length and slug:
            break
        slug = candidate[:max_length]
    return slug or "paper"
