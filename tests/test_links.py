"""Links in abstracts: the Links section and the links in the abstract's text agree."""

import re

import pytest

from sitegen.links import find_links
from sitegen.render import markdown_renderer

render = markdown_renderer()


def hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


@pytest.mark.parametrize("text, expected", [
    ("Code: https://github.com/a/b.", ["https://github.com/a/b"]),
    ("See (https://example.org/x_(y)) and https://example.org/z).",
     ["https://example.org/x_(y)", "https://example.org/z"]),
    ("Data at www.example.org/data, models at huggingface.co/org/m!",
     ["https://www.example.org/data", "https://huggingface.co/org/m"]),
    ("Mixed case HTTPS://Example.org/A and github.com/x/y;",
     ["HTTPS://Example.org/A", "https://github.com/x/y"]),
    ("At https://github.com/a/b{\\color[RGB]{1,2,3}{name}}.", ["https://github.com/a/b"]),
    ("No host: https://localhost/x, and sentence.Joined words, wikipedia.org or a@b.org.", []),
])
def test_the_text_links_what_the_links_section_lists(text, expected):
    assert [link.url for link in find_links(text)] == expected
    assert hrefs(render(text)) == expected


def test_a_link_shows_the_address_as_written_and_keeps_the_punctuation_after_it():
    html = render("Code: https://github.com/a/b. Data: www.example.org/d, and more.")
    assert ('<a href="https://github.com/a/b">https://github.com/a/b</a>. Data: '
            '<a href="https://www.example.org/d">www.example.org/d</a>, and more.') in html


def test_markdown_links_escapes_and_unsafe_schemes_are_not_linked_again():
    html = render("[see https://a.org/x](https://b.org/y) and http\\://c.org/z and "
                  "javascript://d.org/%0aalert(1)")
    assert hrefs(html) == ["https://b.org/y"]
    assert "http://c.org/z" in html and "alert(1)" in html


def test_the_same_address_twice_is_linked_twice_but_listed_once():
    text = "https://github.com/a/b and again https://github.com/a/b"
    assert hrefs(render(text)) == ["https://github.com/a/b"] * 2
    assert [link.url for link in find_links(text)] == ["https://github.com/a/b"]
