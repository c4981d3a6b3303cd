"""Untrusted text as inert GitHub Markdown, and Markdown lists cut to fit a size.

What `sitegen diff` writes lands in a job summary or a pull request comment,
which GitHub renders: a title must show as the text it is, and must not
notify anyone (@mentions), link anything (www., http://, domains, emails) or
reference issues or commits (#12, GH-12, a hex commit id). GitHub finds mentions
and references in the rendered text, where backslash escapes are gone, so those
get an invisible word joiner instead; autolinks are found in the source, where neither GitHub nor
markdown-it links across a backslash escape, so every `.`, `:` and `/` that
could join the parts of a link (one followed by more text) is escaped.
"""

from __future__ import annotations

import re

from sitegen.core.model import ELLIPSIS, one_line

WORD_JOINER = "\u2060"
_MARKUP = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@" + WORD_JOINER, "#": "\\#" + WORD_JOINER,
    **{ch: "\\" + ch for ch in "\\`*_[]|~$"},
})
# References GitHub links in the rendered text besides `#12`: `GH-12`, and a word of 7 or
# more hex digits (a commit, if one has that prefix); a word joiner after `GH-`, and after
# every sixth digit of such a word, breaks them. (A word with other letters, such as
# "Feedback", is no reference, and is left whole.)
_REFERENCE = re.compile(r"(?i)gh-(?=\d)|\b[0-9a-f]{7,}\b")
# A dot, colon or slash with text after it: `www.x`, `x.org`, `http://x`, `//x`.
_LINK_JOINT = re.compile(r"([.:/])(?=\S)")
# Where a backslash keeps a list item's text from starting a list: `- `, `+ `, `1. `, `1) `.
_LIST_MARKER = re.compile(r"^(?:\d{1,9}(?=[.)])|(?=[-+]))")
_PLAIN_CODE = re.compile(r"[\w.~^@{}/:+-]+")
# A job summary holds at most 1 MiB (1,048,576 bytes); this leaves a margin.
MAX_BYTES = 1_000_000


def md(text: str) -> str:
    """Untrusted text as inert Markdown on one line: no emphasis, links, mentions, HTML,
    table cells or control characters (those are shown as escapes such as \\x1b)."""
    text = one_line(" ".join(text.split())).translate(_MARKUP)
    text = _LINK_JOINT.sub(r"\\\1", _REFERENCE.sub(_joined, text))
    return _LIST_MARKER.sub(lambda found: found[0] + "\\", text, count=1)


def _joined(reference: re.Match[str]) -> str:
    """A reference with a word joiner after `GH-`, or after every sixth hex digit."""
    found = reference[0]
    if found.lower() == "gh-":
        return found + WORD_JOINER
    return WORD_JOINER.join(found[k:k + 6] for k in range(0, len(found), 6))


def code(text: str) -> str:
    """An identifier in a code span, or escaped text if it could break out of one."""
    return f"`{text}`" if _PLAIN_CODE.fullmatch(text) else md(text)


def size(text: str) -> int:
    """Bytes of a line of output, with its line break."""
    return len(text.encode("utf-8")) + 1


def fit(sections: dict[str, list[str]], nouns: dict[str, str],
        budget: int) -> dict[str, list[str]]:
    """Each section's first items, so that all fit in `budget` bytes with their headings.

    Sections that need little get all they need and the others share the rest
    equally; a cut section ends with a line saying how many of its items are left out.
    """
    overhead = {name: size(f"### {name}") + 3 + size(_left_out(10**9, nouns[name]))
                for name, items in sections.items() if items}
    needs = {name: sum(map(size, sections[name])) for name in overhead}
    allowances = _shares(needs, budget - sum(overhead.values()))
    shown = {}
    for name, items in sections.items():
        kept = _first(items, allowances.get(name, 0))
        if len(kept) < len(items):
            kept.append(_left_out(len(items) - len(kept), nouns[name]))
        shown[name] = kept
    return shown


def _left_out(count: int, noun: str) -> str:
    return f"- {ELLIPSIS} and {count:,} more {noun} not shown"


def _shares(needs: dict[str, int], budget: int) -> dict[str, int]:
    """Bytes for each section: what it needs when that is less than an equal share."""
    shares, left = {}, max(budget, 0)
    ordered = sorted(needs, key=lambda name: needs[name])
    for done, name in enumerate(ordered):
        shares[name] = min(needs[name], left // (len(ordered) - done))
        left -= shares[name]
    return shares


def _first(items: list[str], allowance: int) -> list[str]:
    """The items, in order, that fit in `allowance` bytes."""
    kept, used = [], 0
    for item in items:
        used += size(item)
        if used > allowance:
            break
        kept.append(item)
    return kept
