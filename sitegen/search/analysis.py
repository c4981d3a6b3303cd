"""Text analysis: how a text becomes index terms, step for step as search-index.js does it.

The browser analyses queries with the same steps, so both sides must agree on every word:
Unicode folding, model names joined with their version ("Llama 2", "llama-2" and "LLaMA2"
are all ``llama2``), word splitting, lunr's stop words and lunr's stemmer (lunr.py's port,
with lunr.js's step 1c). tests/js checks search-index.js against a word -> term table made
from this module (tests/search_terms.py), so a change on one side fails without a browser.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

import re2  # type: ignore[import-untyped]
from lunr.stemmer import PorterStemmer  # type: ignore[import-untyped]
from lunr.stop_word_filter import WORDS as STOP_WORDS  # type: ignore[import-untyped]

from sitegen.core.re2search import span_finder

_COMBINING = re.compile("[\u0300-\u036f]")
_WORD_SPLIT = re.compile(r"[\W_]+")
_ASCII_SEPARATORS = {c: " " for c in range(128) if not chr(c).isalnum()}


class ModelNames:
    """Model names joined to their version in a folded text ('llama 2' -> 'llama2'), as
    `model_name_pattern` rewrites it, found fast: Python's re tries its look-behind at
    every character of a text, and most texts hold no versioned name. RE2 scans a text
    first for a pattern that matches wherever that one does (it has no look-arounds, and
    any separator may come before the version), and re matches from there, if anywhere."""

    def __init__(self, names: tuple[str, ...]):
        self.pattern = _versioned(names)
        options = re2.Options()
        options.never_capture, options.log_errors = True, False
        self._first = span_finder(re2.compile(rf"(?:{_trie(names)})[^a-z0-9]*v?[0-9]",
                                              options))

    def join(self, text: str) -> str:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: no UTF-8 for RE2 to scan
            return self.pattern.sub(r"\1\2", text)
        found = self._first(data, 0)
        if found is None:
            return text
        start = len(data[:found[0]].decode("utf-8"))  # (a name starts at a character)
        parts, end = [], 0
        for match in self.pattern.finditer(text, start):  # (its look-behind sees before it)
            parts += [text[end:match.start()], match[1], match[2]]
            end = match.end()
        return "".join([*parts, text[end:]]) if parts else text


def model_name_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """A model name, optional separator and a version: 'llama-3.1' -> ('llama', '3')."""
    return _versioned(names) if names else None


def _versioned(names: tuple[str, ...]) -> re.Pattern:
    return re.compile(rf"(?<![^\W_])({_trie(names)})[\s_\u2010-\u2015-]*v?([0-9]+)(?:\.[0-9]+)*"
                      r"(?![^\W_])")


def _trie(names: tuple[str, ...]) -> str:
    """The names (lower-case letters and digits) as one regex that shares their prefixes,
    longer names first: the same matches as 'name1|name2|...' sorted longest first, but
    Python's re rejects most positions of a text after one character, not after every name.
    """
    branches: dict[str, list[str]] = {}
    for name in names:
        if name:
            branches.setdefault(name[0], []).append(name[1:])
    if not branches:
        return ""
    alternatives = "|".join(first + _trie(tuple(rest)) for first, rest in sorted(branches.items()))
    group = f"(?:{alternatives})" if len(branches) > 1 else alternatives
    return f"(?:{group})?" if "" in names else group


def search_fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks U+0300-U+036F removed), as
    JavaScript's normalize("NFKD") and toLowerCase() do it; not sitegen.core.text.fold,
    which also folds typography and case for matching titles, and which no browser repeats."""
    if text.isascii():  # NFKD leaves ASCII as it is
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


class _LunrJsStemmer(PorterStemmer):
    """lunr.py's Porter stemmer, with step 1c as lunr.js has it.

    lunr.js turns a final y into i only after a consonant that is not the word's
    first letter ("cry" -> "cri"; "key", "day" and "by" stay); lunr.py does it
    whenever the stem has a vowel ("key" -> "kei"). The browser runs lunr.js, so
    this side follows it; tests/js compares both on every word of the table.
    """

    def step1c(self):
        if self.ends("y") and self.k - 1 > self.k0 and self.b[self.k - 1] not in "aeiou":
            self.b = self.b[: self.k] + "i" + self.b[self.k + 1 :]


_STEMMER = _LunrJsStemmer()


def term(word: str) -> str:
    """One word as lunr.js's stop-word filter and stemmer leave it ("" if dropped)."""
    if not word or word in STOP_WORDS:
        return ""
    return _STEMMER.stem(word)


class Analyzer:
    """The pipeline for one catalogue's model names (`settings.model_names`).

    It remembers the term of each word it meets: stemming is the costly step, and words
    repeat from paper to paper (and from build to build of the preview: see
    `analyzer_for`). A word's term never changes, so what it remembers is always right.
    """

    def __init__(self, model_names: tuple[str, ...]) -> None:
        self.models = ModelNames(model_names) if model_names else None
        self._terms: dict[str, str] = {}
        self._phrases: dict[str, tuple[str, ...]] = {}

    def words(self, text: str) -> list[str]:
        """A text's words, folded, with model names joined to their version."""
        text = search_fold(text)
        if self.models is not None:
            text = self.models.join(text)
        if text.isascii():  # the same split, several times faster
            return text.translate(_ASCII_SEPARATORS).split()
        return [word for word in _WORD_SPLIT.split(text) if word]

    def term(self, word: str) -> str:
        """`term(word)`, each distinct word stemmed once."""
        found = self._terms.get(word)
        if found is None:
            found = self._terms[word] = term(word)
        return found

    def tokens(self, text: str) -> list[str]:
        """Index terms of a text, in order; the same steps as search-index.js's `tokens`
        (the words not met before are stemmed first, then all are looked up at once)."""
        words = self.words(text)
        for word in set(words).difference(self._terms):
            self.term(word)
        return [term for term in map(self._terms.__getitem__, words) if term]

    def phrase(self, text: str) -> tuple[str, ...]:
        """`tokens(text)` of a short text that comes back build after build (an acronym,
        its long form), each distinct text analysed once."""
        found = self._phrases.get(text)
        if found is None:
            found = self._phrases[text] = tuple(self.tokens(text))
        return found

    def term_counts(self, text: str) -> tuple[dict[str, int], int]:
        """Counter(tokens(text)) and len(tokens(text)), each distinct word looked up once:
        the terms come in the order they first appear, as lunr's builder meets them."""
        counts: dict[str, int] = {}
        length = 0
        known = self._terms
        for word, times in Counter(self.words(text)).items():
            found = known.get(word)
            if found is None:
                found = self.term(word)
            if found:
                counts[found] = counts.get(found, 0) + times
                length += times
        return counts, length


@functools.lru_cache(maxsize=4)
def analyzer_for(model_names: tuple[str, ...]) -> Analyzer:
    """The analyzer of these model names, one per process: each build of a preview's
    session then stems only the words no earlier build met."""
    return Analyzer(model_names)
