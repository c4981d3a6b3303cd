"""Two titles that differ only by slips of the keyboard: "Partical" for "Practical".

A typo is allowed in a plain word only. A word written as a name or a version (a capital
after its first letter, or a digit: `LLaVA`, `GPT-4o`) has none, since one letter makes
another model; nor has a word beyond ASCII letters (in a script without spaces a "word"
is a whole phrase). `match` asks for nearly the same abstract on top (`TYPO_ABSTRACT`).
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from sitegen.core.text import fold, title_key, title_tokens, title_words

MAX_TYPOS = 2


def title_typos(first: str, second: str) -> int | None:
    """How many words differ by a typo; None when the titles differ in substance. A title
    without words (only punctuation or symbols) is the same only as the very same text."""
    if title_key(first) == title_key(second):
        return 0 if title_key(first) or fold(first) == fold(second) else None
    left, right = title_tokens(first), title_tokens(second)
    if len(left) != len(right):
        return None
    typos = 0
    for a, b, as_written in zip(left, right, zip(title_words(first), title_words(second),
                                                  strict=True), strict=True):
        if a == b:
            continue
        if (any(map(_is_name, as_written)) or _digits(a) != _digits(b)
                or OSA.distance(a, b) > _allowed_edits(a, b)):
            return None
        typos += 1
    return typos if typos <= MAX_TYPOS else None


def _is_name(word: str) -> bool:
    """A word that must be written exactly: a name or a version (a capital after its first
    letter, a digit, or "++" or "#" after it: `C#`), or a word beyond ASCII letters."""
    return (not word.isascii() or not word.isalnum() or word[1:] != word[1:].lower()
            or any(ch.isdigit() for ch in word))


def _allowed_edits(first: str, second: str) -> int:
    """One slip of the keyboard in a word, two in a long word ("Partical" for "Practical")."""
    shorter = min(len(first), len(second))
    return 0 if shorter < 2 else 1 if shorter < 8 else 2


def _digits(word: str) -> str:
    return "".join(ch for ch in word if ch.isdigit())
