"""Text normalisation shared by every stage: the characters text may hold, clean text,
title keys and slugs."""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from anyascii import anyascii

# The character policy is declared once, in schemas/text.schema.json, which every content
# schema references: `check` refuses these characters and `clean` removes them.
_DEFINITIONS = json.loads(resources.files("sitegen").joinpath("schemas/text.schema.json")
                          .read_text("utf-8"))["$defs"]
# Controls, invisible and format characters, noncharacters, surrogates, private use.
REFUSED = re.compile(_DEFINITIONS["text"]["not"]["pattern"])
# Tabs and line breaks: allowed in text (an abstract), refused in a line (a title).
BREAKS = re.compile(_DEFINITIONS["line"]["allOf"][1]["not"]["pattern"])


def holds_any(one_character: re.Pattern[str], text: str) -> bool:
    """Whether the text holds a character the pattern matches, for a pattern whose every
    match is one character (such as REFUSED). It is tried on the text's distinct
    characters only: a few dozen in an abstract, where a long class tried at each of its
    characters took most of the time of checking or cleaning one. A text of printable
    ASCII alone (nearly every title and abstract) is answered without trying it, for a
    pattern that matches none of those characters (REFUSED: controls and invisible ones)."""
    if text.isascii() and text.isprintable() and _spares_printable_ascii(one_character):
        return False
    return one_character.search("".join(set(text))) is not None


_PRINTABLE_ASCII = "".join(map(chr, range(0x20, 0x7F)))


@functools.cache
def _spares_printable_ascii(one_character: re.Pattern[str]) -> bool:
    """Whether the pattern matches no printable ASCII character (learnt from the pattern
    itself, once)."""
    return one_character.search(_PRINTABLE_ASCII) is None


def drop_refused(text: str) -> str:
    """The text without the characters REFUSED matches."""
    return REFUSED.sub("", text) if holds_any(REFUSED, text) else text


_SPACE = re.compile(r"\s+")
# Typographic punctuation that scraped titles use interchangeably with ASCII.
_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\u2026": "...", "\u00a0": " ",
})
# A title's word: letters and digits of any script, with the "++" or "#" that makes some
# of them another name ("C" and "C++", "C#" and "F#" are three languages, "C" one more).
_TITLE_WORD = re.compile(r"[^\W_]+(?:\+\+|#)?")
_NON_ASCII_WORD = re.compile(r"[^0-9a-z]+")  # between ASCII words


def clean(text: str) -> str:
    """Untrusted text to one line of plain text that `check` accepts: entities decoded,
    whitespace collapsed, refused characters removed, Unicode NFC.

    The steps repeat until the text is stable (a double-escaped ``&amp;amp;`` becomes
    ``&``; ``&#x202E;`` or a character that NFC turns into ``;`` cannot survive), so the
    result does not change when cleaned again, for any text but one built to need more
    than `_DECODING_ROUNDS` rounds (which keeps what is left of its escapes).
    """
    return text if _is_clean(text) else _cleaned(text)


def _cleaned(text: str) -> str:
    """`clean`'s steps, repeated until the text is stable."""
    previous = None
    for _ in range(_DECODING_ROUNDS):
        if previous == text:
            break
        previous = text
        text = _SPACE.sub(" ", decode_references(_AMPERSANDS.sub("&", text)))
        text = unicodedata.normalize("NFC", stream_safe(drop_refused(text)))
    return _SPACE.sub(" ", text).strip()


# Unicode's Stream-Safe Text Format (UAX #15) allows at most 30 combining marks in a row:
# normalising reorders each run of them in time that grows with its length squared.
MOST_MARKS_IN_A_ROW = 30


def stream_safe(text: str) -> str:
    """The text with the combining marks after the first `MOST_MARKS_IN_A_ROW` of a run
    left out: no real writing has more, and NFC of a line of 100,000 took seconds."""
    if unicodedata.is_normalized("NFC", text):  # (in linear time: a long run never is)
        return text
    kept, run = [], 0
    for char in text:
        run = run + 1 if unicodedata.combining(char) else 0
        if run <= MOST_MARKS_IN_A_ROW:
            kept.append(char)
    return "".join(kept)


def _is_clean(text: str) -> bool:
    """Whether every step of `clean` leaves the text as it is: no escape, no whitespace but
    single spaces between words, no refused character, in NFC. Most texts are, and this
    look costs a third of the steps, which took most of the time of reading a dump.
    (`str.split` and the regular expression's `\\s` know the same whitespace.)"""
    return ("&" not in text and text == " ".join(text.split())
            and not holds_any(REFUSED, text) and unicodedata.is_normalized("NFC", text))


# An ampersand escaped again and again (`&amp;amp;amp;`, `&#38;#38;`, in any mix) is one
# ampersand: collapsing the run first keeps `clean` linear, where decoding it one level a
# round took time quadratic in its length. A few rounds then settle what real text holds.
_AMPERSANDS = re.compile(r"&(?:(?:amp|AMP|#0*38|#[xX]0*26);?)+")
_DECODING_ROUNDS = 8
# A decimal character reference of 8 digits or more: one of more than 7 digits, leading
# zeros aside, names no character (the last is 1114111), and html.unescape then gives the
# replacement character; but it first reads the digits with int(), which refuses more than
# 4,300 of them. So long references are shortened first, to what html.unescape makes of them.
_LONG_DECIMAL = re.compile(r"&#([0-9]{8,});?")


def _shortened(reference: re.Match[str]) -> str:
    digits = reference[1].lstrip("0")
    return "\ufffd" if len(digits) > 7 else f"&#{digits or '0'};"


def decode_references(text: str) -> str:
    """html.unescape, for any text (a reference of thousands of digits included)."""
    return html.unescape(_LONG_DECIMAL.sub(_shortened, text))


@dataclass(frozen=True)
class Refused:
    """The first character of a value that a policy refuses, and where it is (from 1)."""

    char: str
    position: int

    def __str__(self) -> str:
        return f"U+{ord(self.char):04X} {character_name(self.char)}"


def first_refused(policy: re.Pattern, value: str) -> Refused | None:
    found = policy.search(value)
    return Refused(found.group(), found.start() + 1) if found else None


# Only these end a line, as editors and `grep -n` count lines.
LINE_END = re.compile(r"\r\n|\r|\n")


def byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """The line and column (both from 1, as editors count them) of the byte at `offset` of a
    file: CR LF, CR or LF ends a line; a column is a character (a byte order mark, which
    editors do not show, is none)."""
    before = raw[:offset].decode("utf-8", "replace")
    ends = [found.end() for found in LINE_END.finditer(before)]
    start = ends[-1] if ends else 0
    return len(ends) + 1, len(before[start:] if start else before.removeprefix("\ufeff")) + 1


def not_utf8(raw: bytes, error: UnicodeDecodeError) -> tuple[int, str]:
    """The line of a file's first byte that is not UTF-8, and the words saying where it is
    on that line. `error` is what decoding `raw` raised (as utf-8-sig too, which decodes
    the bytes after a byte order mark: its offsets count from there)."""
    offset = error.start + len(raw) - len(error.object)
    line, column = byte_position(raw, offset)
    return line, f"not valid UTF-8 at column {column} (byte {offset})"


# Unicode's labels for code points without a name, by general category.
_LABELS = {"Cc": "<control>", "Cs": "<surrogate>", "Co": "<private-use>"}


def character_name(char: str) -> str:
    """A character's Unicode name, or the label Unicode gives nameless code points."""
    if (ord(char) & 0xFFFE) == 0xFFFE or 0xFDD0 <= ord(char) <= 0xFDEF:
        return "<noncharacter>"
    return unicodedata.name(char, "") or _LABELS.get(unicodedata.category(char), "<reserved>")


# What XML 1.0 forbids (controls but tab, line feed and carriage return; surrogates; U+FFFE
# and U+FFFF) or discourages (the other controls and every noncharacter).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}"
                                for plane in range(17)) + "]")


def xml_text(value: object) -> object:
    """A value to interpolate into XML: text loses the characters XML cannot hold."""
    if isinstance(value, str) and _NOT_XML.search(value):
        return type(value)(_NOT_XML.sub("", value))
    return value


# Texts whose forms are remembered: the titles and abstracts compared pair by pair, again
CACHED = 2**16


@functools.lru_cache(maxsize=CACHED)
def fold(text: str) -> str:
    """Lower-case ASCII-ish form used for comparisons (accents and typography dropped).

    Expects text that has been through `clean` (every stored value has). Search folds
    less (`sitegen.search.analysis.search_fold`): it must match what the browser does.
    """
    return _unaccented(text).casefold()


def first_folded_words(text: str, count: int, head: int) -> tuple[str, ...]:
    """The first `count` words of `fold(text)`, folding only the text's first `head`
    characters or so where they hold them (an abstract runs to thousands).

    Folding maps each character on its own (it drops the marks that normalising might
    reorder), so folding the text up to a space gives the start of the folded whole. When
    that start holds more than `count` words, its first `count` are whole, and the text's."""
    cut = text.find(" ", head)
    if cut > 0 and len(start := fold(text[:cut]).split(None, count)) > count:
        return tuple(start[:count])
    return tuple(fold(text).split(None, count)[:count])


def _unaccented(text: str) -> str:
    """The text with typography made plain and accents dropped; its case as it is."""
    text = text.translate(_TYPOGRAPHIC)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text


@functools.lru_cache(maxsize=CACHED)
def title_words(title: str) -> tuple[str, ...]:
    """The words of a title (letters and digits of any script) as written, ignoring
    punctuation, spacing and accents: `title_tokens` without folding the case."""
    return tuple(_TITLE_WORD.findall(_unaccented(title).replace("'", "")))


@functools.lru_cache(maxsize=CACHED)
def title_tokens(title: str) -> tuple[str, ...]:
    """The words of a title, ignoring case, punctuation, spacing and accents. A title in
    any script has words: one with none (only punctuation or symbols) has no tokens."""
    return tuple(word.casefold() for word in title_words(title))


def ascii_words(title: str) -> tuple[str, ...]:
    """The title's lower-case ASCII letters and digits, as words (accents dropped, other
    letters left out): what an id or an ASCII search service can hold."""
    return tuple(word for word in _NON_ASCII_WORD.split(fold(title).replace("'", "")) if word)


@functools.lru_cache(maxsize=CACHED)
def title_key(title: str) -> str:
    """Two titles with the same key differ only in case, spacing or punctuation; but for
    the numbers' punctuation: "1.3B" and "13B" are two models ("Falconet-1.3B"), so two
    words meeting in digits keep a mark between them."""
    tokens = title_tokens(title)
    return "".join(token if not k or not (token[:1].isdigit() and tokens[k - 1][-1:].isdigit())
                   else "." + token for k, token in enumerate(tokens))


def arxiv_paper(arxiv: str) -> str:
    """An arXiv id without its version: 2401.12345v2 and 2401.12345 are one paper."""
    head, _, version = arxiv.rpartition("v")
    return head if head[-1:].isdigit() and version.isdigit() else arxiv


def slugify(title: str, max_length: int = 60) -> str:
    """A readable URL slug: lower-case ASCII words joined by hyphens, cut at a word; a word
    of another script spelled in ASCII (anyascii: "Эффективная" is "effektivnaya", each of
    "大型" a word of its own: "da-xing"), rather than dropped."""
    words = ascii_words(title if title.isascii() else _spelled_in_ascii(title))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length and slug:
            break
        slug = candidate[:max_length]
    return slug or "paper"


def _spelled_in_ascii(text: str) -> str:
    """The text with each Latin letter that folding to ASCII would drop ("Œ", "ø") and each
    word of letters it would drop whole spelled in ASCII letters (a word that keeps some,
    "LLaVA-φ", keeps only those); a wide character (an ideograph, kana, hangul) stands for
    a word or syllable of its own."""
    latin = "".join(anyascii(c) if c.isalpha() and not c.isascii() and not ascii_words(c)
                    and unicodedata.name(c, "").startswith("LATIN") else c for c in text)
    return " ".join(
        anyascii("".join(f" {c} " if unicodedata.east_asian_width(c) in "WF" else c for c in word))
        if not ascii_words(word) and any(c.isalpha() for c in word) else word
        for word in latin.split())
