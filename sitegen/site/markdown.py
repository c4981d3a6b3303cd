"""Markdown from content as safe HTML for the site's pages (markdown-it-py).

Raw HTML is off; links to elsewhere survive only as http(s) addresses `check` accepts
among a paper's links (a protocol-relative, javascript: or any other one stays text),
and a page's links to the site's own pages only as relative paths (`../`, `search/`: a
path from the root would skip the site's base URL); an image shows its text (so no page
loads anything from elsewhere); abstracts have no headings and no relative links. So
text from content can never become markup. (`mdsafe` is the other direction:
text made inert inside the Markdown of `sitegen diff`.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from sitegen.catalogue.links import Linkifier, is_web_link


def markdown_renderer(page: bool = True) -> Callable[[str], str]:
    """text -> safe HTML. Bare URLs become links; texts without one skip that slow pass.

    An abstract (not a `page`) has no headings (a line such as `# x` is a paragraph like
    any other) and no relative links: it comes from a listing, where they mean nothing.
    """
    plain = MarkdownIt("commonmark", {"html": False})
    linking = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")
    linking.linkify = links = Linkifier()
    linking.inline.ruler.at("linkify", links.inline_rule)  # linear in the text
    for renderer in (plain, linking):
        renderer.validateLink = _page_link if page else is_web_link  # type: ignore[method-assign]
        renderer.add_render_rule("image", _image_as_text)
        if not page:
            renderer.disable(["heading", "lheading"])

    def render(text: str) -> str:
        has_url = links.pretest(text)
        if not has_url and is_plain_paragraph(text):
            return f"<p>{escapeHtml(text)}</p>\n"  # what markdown-it makes of it, quicker
        return (linking if has_url else plain).render(text)

    return render


# A relative address: no scheme, not from the root (`/x`, `//host`, `/\\host`), no space,
# control character or backslash (a browser drops or reads those as slashes).
_RELATIVE = re.compile(r"[^:/\\\x00-\x20][^:\\\x00-\x20]*")


def _page_link(url: str) -> bool:
    return is_web_link(url) or _RELATIVE.fullmatch(url) is not None


def _image_as_text(self, tokens, idx, options, env) -> str:
    """An image is shown as its description: a remote image would let its host follow
    every reader of the page."""
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


# Characters that may start markup anywhere in a line, and those that may at its start.
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>&!~]")
_BLOCK_START = frozenset("#>-+=*0123456789|:")


def is_plain_paragraph(text: str) -> bool:
    """True when markdown would make one paragraph of the text as it is: one printable
    line, no leading or trailing space, nothing that could start a block or inline markup."""
    return (bool(text) and text.isprintable() and text[0] not in _BLOCK_START
            and text == text.strip() and not _INLINE_MARKUP.search(text))
