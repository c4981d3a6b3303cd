"""Markdown from content as safe HTML for the site's pages (markdown-it-py).

Raw HTML is off; links to elsewhere survive only as http(s) addresses `check` accepts
among a paper's links (a protocol-relative, javascript: or any other one stays text),
and a page's links to the site's own pages only as relative paths (`../`, `search/`: a
path from the root would skip the site's base URL); an image shows its text (so no page
loads anything from elsewhere); abstracts have no headings and no relative links. So
text from content can never become markup. (`mdsafe` is the other direction:
text made inert inside the Markdown of `sitegen diff`.)

An abstract is mostly plain text from a listing, often with LaTeX's habits in it, so it
is read as its author meant it (`abstract_source`): backticks and `&` are characters
(LaTeX opens quotes with ``, which Markdown took for code), accents such as `\\"u` are
letters, and a `*` between digits multiplies. Its links carry `rel="nofollow ugc"`, and
a link whose text holds an address other than its own is no link (its text stays).
"""

from __future__ import annotations

import bisect
import re
import string
import unicodedata
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from sitegen.catalogue.links import (
    Linkifier,
    Span,
    is_page_link,
    is_web_link,
    link_spans,
    may_hold_links,
)


def markdown_renderer(page: bool = True) -> Callable[[str], str]:
    """text -> safe HTML. Bare URLs become links; texts without one skip that slow pass,
    and a text markdown would make one paragraph of as it is skips markdown-it altogether
    (`tests/test_markdown_quick.py` compares the two on any such text).

    An abstract (not a `page`) has no headings (a line such as `# x` is a paragraph like
    any other) and no relative links: it comes from a listing, where they mean nothing.
    """
    plain, linking = markdown_parsers(page)
    rel = "" if page else ABSTRACT_REL

    def render(text: str) -> str:
        text = text if page else abstract_source(text)
        has_url = may_hold_links(text)
        if is_plain_paragraph(text, page=page):  # what markdown-it makes of it, quicker
            return f"<p>{_linked(linking, text, rel) if has_url else escapeHtml(text)}</p>\n"
        if not has_url and (unescaped := _plain_but_escapes(text, page)) is not None:
            return f"<p>{escapeHtml(unescaped)}</p>\n"
        return (linking if has_url else plain).render(text)

    return render


def markdown_parsers(page: bool) -> tuple[MarkdownIt, MarkdownIt]:
    """markdown-it as the site uses it: without and with links found in the text."""
    plain = MarkdownIt("commonmark", {"html": False})
    linking = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")
    linking.linkify = links = Linkifier()
    linking.inline.ruler.at("linkify", links.inline_rule)  # linear in the text
    for renderer in (plain, linking):
        renderer.validateLink = is_page_link if page else is_web_link  # type: ignore[method-assign]
        renderer.add_render_rule("image", _image_as_text)
        if not page:
            renderer.disable(["heading", "lheading", "backticks", "entity"])
            renderer.core.ruler.push("abstract_links", _abstract_links)
    return plain, linking


ABSTRACT_REL = "nofollow ugc"  # an abstract's links are the listing's, not the site's


def _abstract_links(state: StateCore) -> None:
    """Every link of an abstract marked as a stranger's (`rel`), and a link whose text
    names another address than the link's own unmade: "[https://a.example](https://b.example)"
    would show one address and open the other."""
    for block in state.tokens:
        children = block.children or []
        opened: list[int] = []
        for i, token in enumerate(children):
            if token.type == "link_open":
                token.attrs["rel"] = ABSTRACT_REL
                opened.append(i)
            elif token.type == "link_close" and opened:
                start = opened.pop()
                if _names_another_address(state.md, children[start], children[start + 1:i]):
                    children[start] = children[i] = Token("text", "", 0)


def _names_another_address(md: MarkdownIt, link: Token, inside: list[Token]) -> bool:
    """Whether a link written as `[text](address)` shows an address that is not its own
    (a link made from an address in the text, or `<address>`, shows its own)."""
    if link.markup in ("linkify", "autolink"):
        return False
    href = str(link.attrs.get("href", "")).rstrip("/")
    text = "".join(token.content for token in inside if token.type == "text")
    return any(md.normalizeLink(span.url).rstrip("/") != href for span in link_spans(text))


# LaTeX's accents on a letter ({\"u}, \"{u}, \"u; \v{s}), and an escaped backslash,
# which is left as it is (so is any other backslash)
_ACCENT = '["\'`^~=.]'
_LATEX_ACCENT = re.compile(
    r"\\\\"
    rf"|\{{\\({_ACCENT})([A-Za-z])\}}"
    rf"|\\({_ACCENT})\{{(\\i|[A-Za-z])\}}"
    rf"|\\({_ACCENT})(\\i(?![A-Za-z])|[A-Za-z])"
    r"|\\([vuHckr])\{(\\i|[A-Za-z])\}")
_MARKS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
          "=": "\u0304", ".": "\u0307", "v": "\u030c", "u": "\u0306", "H": "\u030b",
          "c": "\u0327", "k": "\u0328", "r": "\u030a"}
_STAR_BETWEEN_DIGITS = re.compile(r"(?<=[0-9])\*(?=[0-9])")


def latex_letters(text: str) -> str:
    """The text with LaTeX's accents on letters as the letters (`T\\"ulu` is Tülu): an
    abstract as a reader reads it, where no Markdown is read (the feed, JSON-LD)."""
    return _LATEX_ACCENT.sub(_accented, text) if "\\" in text else text


def abstract_source(text: str) -> str:
    """The Markdown an abstract is read as: its LaTeX accents as letters, and each `*`
    between digits (`256*256`) escaped, outside its links, so that it is no emphasis."""
    text = latex_letters(text)
    if "*" not in text:
        return text
    spans = link_spans(text)  # in order, apart: a star is in the last that starts before it
    starts = [span.index for span in spans]

    def escaped(star: re.Match[str]) -> str:
        at = bisect.bisect_right(starts, star.start()) - 1
        return star[0] if at >= 0 and star.start() < spans[at].last_index else "\\*"

    return _STAR_BETWEEN_DIGITS.sub(escaped, text)


def _accented(match: re.Match[str]) -> str:
    groups = [group for group in match.groups() if group is not None]
    if not groups:
        return match[0]
    accent, letter = groups
    return unicodedata.normalize("NFC", letter.removeprefix("\\") + _MARKS[accent])


def _linked(md: MarkdownIt, text: str, rel: str = "") -> str:
    """A plain paragraph's text with its links, as markdown-it with `Linkifier` makes them:
    each link with a scheme by the inline rule, then those left in the text between by
    linkify's core rule (addresses without a scheme, and any the inline rule let pass)."""
    parts, start = [], 0
    for span in link_spans(text):
        if span.schema and (link := _link(md, span, md.normalizeLinkText(span.text), rel)):
            parts += [_core_linked(md, text[start:span.index], rel), link]
            start = span.last_index
    return "".join([*parts, _core_linked(md, text[start:], rel)])


def _core_linked(md: MarkdownIt, text: str, rel: str) -> str:
    """A text token after linkify's core rule (markdown-it's `rules_core.linkify`)."""
    parts, start = [], 0
    for span in link_spans(text):
        shown = (md.normalizeLinkText(span.text) if span.schema else
                 md.normalizeLinkText("http://" + span.text).removeprefix("http://"))
        if link := _link(md, span, shown, rel):
            parts += [escapeHtml(text[start:span.index]), link]
            start = span.last_index
    return "".join([*parts, escapeHtml(text[start:])])


def _link(md: MarkdownIt, span: Span, shown: str, rel: str) -> str:
    """The link markdown-it renders for a span, or "" if its address is refused."""
    href = md.normalizeLink(span.url)
    if not md.validateLink(href):
        return ""
    marked = f' rel="{rel}"' if rel else ""
    return f'<a href="{escapeHtml(href)}"{marked}>{escapeHtml(shown)}</a>'


def _image_as_text(self, tokens, idx, options, env) -> str:
    """An image is shown as its description: a remote image would let its host follow
    every reader of the page."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


# A backslash and the character after it: CommonMark's escape of ASCII punctuation (the
# backslash is dropped), or a backslash as it is (before any other character).
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)


def _plain_but_escapes(text: str, page: bool) -> str | None:
    """The text of a one-line paragraph whose only markup is backslash escapes, each
    escape undone as markdown does it (`T\\"ulu` is `T"ulu`); None for any other text."""
    if "\\" not in text or text != text.strip() or not is_plain_paragraph(
            _ESCAPE.sub("", text), start=text[:1], page=page):
        return None
    return _ESCAPE.sub(lambda m: m[1] if m[1] in string.punctuation else m[0], text)


# Characters that may start markup anywhere in a line (in a page; an abstract has neither
# code spans nor entities: `markdown_parsers`), and those that may at its start. (A `>`
# is markup only at a line's start or closing a `<`; `!` only before a `[`; `~` never, as
# the CommonMark preset has no strikethrough.)
_INLINE_MARKUP = {True: re.compile(r"[\\`*_\[\]<&]"), False: re.compile(r"[\\*_\[\]<]")}
_BLOCK_START = frozenset("#>-+=*0123456789|:`~")  # (` and ~: a fenced code block)


def is_plain_paragraph(text: str, start: str | None = None, page: bool = True) -> bool:
    """True when markdown would make one paragraph of the text as it is: one printable
    line, no leading or trailing space, nothing that could start a block or inline markup
    (a block: at its `start`, when the text is what is left of a line without its escapes;
    inline markup: a `page`'s, or an abstract's)."""
    first = text[:1] if start is None else start
    return (bool(first) and text.isprintable() and first not in _BLOCK_START
            and text == text.strip() and not _INLINE_MARKUP[page].search(text))
