"""A text markdown makes one paragraph of, as it is, is rendered without markdown-it: with
its links, exactly as markdown-it with the site's link rules renders it, on any text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.site.markdown import (
    abstract_source,
    is_plain_paragraph,
    markdown_parsers,
    markdown_renderer,
)

# Pieces that make and unmake links: schemes (some refused), hosts without a scheme,
# international and malformed hosts, paths, sentence punctuation and brackets after them.
PIECES = [
    "https://", "http://", "HTTPS://", "ftp://", "javascript:", "://", "www.", "github.com/",
    "huggingface.co/", "example.org", "über.de", "xn--bcher-kva.example", "[::1]", "localhost",
    "a.b", "/path", "/ä", "?q=1", "#frag", "%20", "%zz", "%C3%A4", "(", ")", ".", ",", ";", ":",
    "?",
    "'", '"', "{", "|", "^", "-", " ", " ", "x", "word", "é", "中", "\u00a0", "1", "=",
    "\\", "\\\\", '\\"', "\\*", "\\a", "\\ü", "\\ ", "#", "*", "_", ">", "&", "&amp;",
    "`", "``", "''", "{", "}", "\\'", "\\v{s}", "7", "*", "~", "~~", "!", "![", "<", "<b>",
    "<https://a.example>", "&#35;", "&copy;", "&x", "`a`", "1 > 0",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=12).map("".join)


@pytest.mark.parametrize("page", [False, True])
@settings(max_examples=400, deadline=None)
@given(text=texts)
@example(text="see https://a.example/www.b.example and www.c.example, then xhttps://d.example.")
@example(text="https://localhost/ and https://ok.example/ü and www.über.de/ä")
@example(text="www.xn--bcher-kva.example/%C3%A4 and https://xn--bcher-kva.example/%C3%A4.")
@example(text='From T\\"ulu 3, \\*not emphasis\\*, a \\\\ and \\a, at the end \\')
@example(text="\\# not a heading, \\- nor a list")
def test_a_plain_paragraph_renders_as_markdown_it_renders_it(page: bool, text: str) -> None:
    _, linking = markdown_parsers(page)
    assert markdown_renderer(page)(text) == linking.render(text if page else abstract_source(text))


def test_the_quick_path_is_taken_by_a_paragraph_with_links() -> None:
    text = "Code at https://github.com/a/b, models at huggingface.co/c (see www.d.example)."
    assert is_plain_paragraph(text)
    assert markdown_renderer(page=False)(text) == (
        '<p>Code at <a href="https://github.com/a/b" rel="nofollow ugc">https://github.com/a/b</a>,'
        ' models at <a href="https://huggingface.co/c" rel="nofollow ugc">huggingface.co/c</a>'
        ' (see <a href="https://www.d.example" rel="nofollow ugc">www.d.example</a>).</p>\n')
