"""Links in abstracts: the Links section and the links in the abstract's text agree."""

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue import schema
from sitegen.catalogue.links import _URL, _url_matches, find_links
from sitegen.site.markdown import markdown_renderer

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


# A link the tool finds is one `sitegen check` accepts in a paper's links: `sitegen new`
# and `sitegen ingest` propose it, and refused nothing written or a file check refuses.
NOT_LINKS = ["https://github.com/" + "a" * 1982,  # 2001 characters: one more than allowed
             "https://./x", "https://a..b/x", "https://.a.org/x", "https://a.org../x",
             "https://$.org/x", "https://?.org/x"]


@pytest.mark.parametrize("url", NOT_LINKS, ids=lambda u: u[:24])
def test_an_address_check_would_refuse_is_not_a_link(url):
    text = f"Code: {url} here."
    assert find_links(text) == [] and hrefs(render(text)) == []


def test_the_longest_address_check_accepts_is_a_link():
    url = "https://github.com/" + "a" * 1981
    assert [link.url for link in find_links(f"Code: {url} here.")] == [url]
    assert [link.url for link in find_links("At https://a.org./x and www.b.org.")] == [
        "https://a.org./x", "https://www.b.org"]


URL_TEXT = st.lists(st.sampled_from(["https://", "http://", "HTTPS://", "Http://", "www.",
                                     "github.com/", "a", "b.", ".", "/", "$", "?", "#", "-",
                                     "é", " ", "(", ")", "x" * 70, "[", "%", "\n"]),
                    max_size=14).map("".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(URL_TEXT)
def test_every_link_found_is_one_check_accepts(text):
    for link in find_links(text):
        paper = {"id": "p", "title": "T", "abstract": "A", "topics": ["t"], "families": [],
                 "added": "2024-01-01", "links": [{"url": link.url, "kind": link.kind}]}
        assert schema.is_valid(paper, "paper"), link


def test_new_writes_a_paper_whose_abstract_holds_an_address_check_refuses(tmp_path, capsys):
    from conftest import run

    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "fixtures" / "check" / "valid", content)
    abstract = f"Code at https://./x and {NOT_LINKS[0]} and https://github.com/a/b."
    assert run("new", "--content", str(content), "--title", "A new paper",
               "--abstract", abstract) == 0
    assert run("check", "--content", str(content)) == 0
    written = (content / "papers" / "a-new-paper.yaml").read_text("utf-8")
    assert "- url: https://github.com/a/b\n" in written and "https://./x\n" not in written


URL_PIECES = ["http://", "https://", "HTTPS://", "hTtP", "://", "s://", "www.", "WWW.", "ww",
              "github.com/", "GitHub.com/", "huggingface.co/", "x", ".", "/", " ", "a", "s",
              "<", "'", "\u0131", "\u017f", "\u0130", "é", "_", "w"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(URL_PIECES) | st.text(max_size=2), max_size=14).map("".join))
def test_the_places_tried_for_an_address_give_every_match_a_scan_of_the_text_gives(text):
    """`_url_matches` tries the pattern only where an address can start; it finds what
    trying it everywhere (`finditer`) finds."""
    assert [m.span() for m in _url_matches(text)] == [m.span() for m in _URL.finditer(text)]
