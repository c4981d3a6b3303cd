"""Markdown from content as safe HTML for the site's pages (markdown-it-py).

Raw HTML is off, only http(s) or relative links survive, an image shows its text
(so no page loads anything from elsewhere) and abstracts have no headings, so
text from content can never become markup. (`mdsafe` is the other direction:
text made inert inside the Markdown of `sitegen diff`.)
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from sitegen.catalogue.links import Linkifier

_SAFE_SCHEME = re.compile(r"^(https?:|[^:]*$)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def safe_link(url: str) -> bool:
    """Only http(s) and relative links survive; javascript:, data: and the like do not."""
    return bool(_SAFE_SCHEME.match(_CONTROL.sub("", url)))


def markdown_renderer(headings: bool = True) -> Callable[[str], str]:
    """text -> safe HTML. Bare URLs become links; texts without one skip that slow pass.

    Without `headings` (abstracts), a line such as `# x` is a paragraph like any other.
    """
    plain = MarkdownIt("commonmark", {"html": False})
    linking = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable("linkify")
    linking.linkify = links = Linkifier()
    linking.inline.ruler.at("linkify", links.inline_rule)  # linear in the text
    for renderer in (plain, linking):
        renderer.validateLink = safe_link  # type: ignore[method-assign]
        renderer.add_render_rule("image", _image_as_text)
        if not headings:
            renderer.disable(["heading", "lheading"])

    def render(text: str) -> str:
        has_url = links.pretest(text)
        if not has_url and is_plain_paragraph(text):
            return f"<p>{escapeHtml(text)}</p>\n"  # what markdown-it makes of it, quicker
        return (linking if has_url else plain).render(text)

    return render


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
