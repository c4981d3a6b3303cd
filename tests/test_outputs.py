"""Every output format is valid whatever the text: XML, CSV, JSON, JSON-LD, robots.txt,
and markdown that shows nothing from elsewhere.

`sitegen check` keeps refused characters out of the catalogue; these tests bypass it,
building the catalogue in memory and rendering it with `sitegen.site.build.render`, so that
each format is shown to hold any text by itself.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.dom import minidom

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.catalogue.load import Catalogue
from sitegen.catalogue.taxonomy import Family, Taxonomy, Topic
from sitegen.core.model import Paper, SiteConfig
from sitegen.core.text import xml_text
from sitegen.site.bibtex import bibliography
from sitegen.site.build import render
from sitegen.site.export import CSV_FIELDS, export_files, spreadsheet_safe, to_csv, to_json
from sitegen.site.jinja import Environments, environment
from sitegen.site.markdown import latex_letters, markdown_renderer
from sitegen.site.paperpages import json_ld
from sitegen.site.paths import TEMPLATES
from sitegen.site.render import SITEMAP_URLS, sitemaps
from sitegen.site.settings import Site

BASE = "https://example.org/papers/"
ATOM = "{http://www.w3.org/2005/Atom}"

# Characters XML 1.0 forbids or discourages: every C0 and C1 control, DEL, the
# noncharacters of every plane, and lone surrogates.
NONCHARACTERS = [chr(c) for c in range(0xFDD0, 0xFDF0)] + \
    [chr(plane << 16 | low) for plane in range(17) for low in (0xFFFE, 0xFFFF)]
CONTROLS = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
MARKUP = ["<", ">", "&", '"', "'", "]]>", "<!--", "</script>", "&amp;", "\u2028", "\u2029"]


def texts(*extra: list[str]) -> st.SearchStrategy[str]:
    """Random text, with the characters of `extra` drawn often."""
    chosen = [c for group in extra for c in group]
    char = st.one_of(st.sampled_from(chosen), st.characters(codec=None, exclude_categories=["Cs"]))
    return st.lists(char, max_size=12).map("".join)


# Paper and taxonomy text is also indexed for search and quoted into search links,
# which need text UTF-8 can hold; the site's title and description go only into
# pages, so they also get lone surrogates, which the check refuses everywhere.
PAPER_TEXT = texts(CONTROLS, NONCHARACTERS, MARKUP)
SITE_TEXT = texts(CONTROLS, NONCHARACTERS, MARKUP, SURROGATES)
EVERYTHING = "".join(CONTROLS + NONCHARACTERS + MARKUP)


def catalogue(titles: list[str], abstracts: list[str], names: list[str],
              site: tuple[str, str]) -> Catalogue:
    taxonomy = Taxonomy(topics={"t": Topic("t", names[0], names[1])},
                        families={"f": Family("f", names[2], names[3])})
    papers = {f"p{i}": Paper(f"p{i}", title, abstract, ["t"], ["f"], f"2024-01-0{i + 1}")
              for i, (title, abstract) in enumerate(zip(titles, abstracts, strict=True))}
    return Catalogue(Path("."), taxonomy, papers, site=SiteConfig(*site, recent=5))


def _xml(text: str) -> str:
    """What an XML parser reads back from text written into an element."""
    return str(xml_text(text)).replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=50, derandomize=True, deadline=None)
@given(titles=st.lists(PAPER_TEXT, min_size=2, max_size=2),
       abstracts=st.lists(PAPER_TEXT, min_size=2, max_size=2),
       names=st.lists(PAPER_TEXT, min_size=4, max_size=4),
       site=st.tuples(SITE_TEXT, SITE_TEXT))
@example(titles=[EVERYTHING, "=1+1\r-2"], abstracts=[EVERYTHING, "\u2028"],
         names=[EVERYTHING] * 4, site=(EVERYTHING + "".join(SURROGATES),) * 2)
def test_every_output_format_is_valid_for_any_text(titles, abstracts, names, site):
    files = render(catalogue(titles, abstracts, names, site), BASE)
    for name in ("feed.xml", "sitemap.xml"):
        minidom.parseString(files[name])
    feed = ET.fromstring(files["feed.xml"])
    assert (feed.find(f"{ATOM}title").text or "") == _xml(f"{site[0]}: recently added papers")
    entries = sorted(feed.iter(f"{ATOM}entry"), key=lambda e: e.find(f"{ATOM}id").text)
    assert [(e.find(f"{ATOM}title").text or "", e.find(f"{ATOM}summary").text or "")
            for e in entries] == [(_xml(t), _xml(a)) for t, a in zip(titles, abstracts,
                                                                      strict=True)]
    assert files["robots.txt"] == f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n".encode()
    assert [p["title"] for p in json.loads(files["papers.json"])] == titles
    rows = list(csv.reader(io.StringIO(files["papers.csv"].decode("utf-8"), newline="")))
    assert [row[1] for row in rows] == ["title", *map(spreadsheet_safe, titles)]
    for i, title in enumerate(titles):
        page = files[f"papers/p{i}/index.html"].decode("utf-8")
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
        assert json.loads(script.group(1))["name"] == title


# CSV: one row per paper, and no cell a spreadsheet would run.

FORMULAS = ["=HYPERLINK(\"https://evil/\",\"x\")", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
            " =1", "\n=1", "\uff1d1", "\uff0b1", "\uff0d1", "\uff201",
            # Every other character that folds (NFKC) to = + - or @, after any spaces.
            "\ufe661", "\ufe621", "\ufe631", "\ufe6bSUM(A1)", "\u207a1", "\u207c1", "\u208a1",
            "\u208c1", "\ufb291", "\u2a751", "\u2a761", "\u3000=1", "\xa0@x", "\u2003\ufe661"]


@pytest.mark.parametrize("title", FORMULAS, ids=repr)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(title):
    [_, row] = list(csv.reader(io.StringIO(to_csv([_paper(title)]), newline="")))
    assert row[CSV_FIELDS.index("title")] == "'" + title


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(texts(["=", "+", "-", "@", "\t", "\r", "\n", " ", '"', ",", "\uff1d", "\ufe66",
                       "\u207a", "\u3000"]), max_size=4))
def test_csv_round_trips_with_one_row_per_paper(titles):
    text = to_csv([_paper(title, abstract=title) for title in titles])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 1 + len(titles)
    for row, title in zip(rows[1:], titles, strict=True):
        assert row[1] == row[2] == spreadsheet_safe(title)
        assert row[1] == title or (row[1] == "'" + title and re.match(r"\s*\S|\s", title))
        assert row[1][:1] not in ("\t", "\r") and unicodedata.normalize(
            "NFKC", row[1].lstrip()[:1])[:1] not in ("=", "+", "-", "@")


def test_export_writes_the_same_safe_csv(tmp_path, capsys):
    from sitegen import cli
    from sitegen.catalogue import store

    content = tmp_path / "content"
    fixture = Path(__file__).parent / "fixtures" / "check" / "valid"
    (content / "papers").mkdir(parents=True)
    (content / "taxonomy.yaml").write_bytes((fixture / "taxonomy.yaml").read_bytes())
    paper, _, _ = store.read_paper(fixture / "papers" / "mistral-7b-in-int8.yaml", "x")
    paper.title = "=cmd|' /C calc'!A0"
    (content / "papers" / f"{paper.id}.yaml").write_bytes(store.serialise(paper))
    assert cli.main(["export", "--content", str(content), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out, newline="")))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert cli.main(["export", "--content", str(content), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["title"] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_the_exports_hold_each_paper_once_in_order(count):
    papers = [Paper(f"p{i}", f"Title {i}", "A", ["t"], [], "2024-01-01") for i in range(count)]
    files = dict(export_files(papers))
    assert files == {"papers.json": to_json(papers).encode(), "papers.csv": to_csv(papers).encode(),
                     "papers.bib": bibliography(papers).encode()}
    assert [p["id"] for p in json.loads(files["papers.json"])] == [p.id for p in papers]
    assert len(files["papers.json"].splitlines()) == (count + 2 if count else 1)  # one a paper
    rows = list(csv.reader(io.StringIO(files["papers.csv"].decode(), newline="")))
    assert rows[0] == list(CSV_FIELDS) and [row[0] for row in rows[1:]] == [p.id for p in papers]


def _paper(title: str, abstract: str = "A") -> Paper:
    return Paper("p", title, abstract, ["t"], [], "2024-01-01")


# JSON-LD: valid JSON that reads back as written, and safe inside <script>.

@settings(max_examples=100, derandomize=True, deadline=None)
@given(texts(MARKUP, SURROGATES, CONTROLS), texts(MARKUP, SURROGATES))
def test_json_ld_is_script_safe_json_that_reads_back_to_the_text(title, abstract):
    taxonomy = Taxonomy(topics={"t": Topic("t", title, "")}, families={})
    text = json_ld(Paper("p", title, abstract, ["t"], [], "2024-01-01"), BASE, taxonomy)
    assert not re.search("[<>&\u2028\u2029\ud800-\udfff]", text)
    data = json.loads(text)
    assert (data["name"], data["abstract"], data["about"]) == (
        _utf16(title), _utf16(latex_letters(abstract)), [_utf16(title)])


def test_json_ld_and_the_feed_give_an_abstract_s_latex_accents_as_letters():
    """As its page shows it: `T\\"ulu` is Tülu (no Markdown is read there)."""
    taxonomy = Taxonomy(topics={"t": Topic("t", "T", "")}, families={})
    abstract = "From T\\\"ulu 3 and Pok\\'eChamp, at 256*256."
    data = json.loads(json_ld(Paper("p", "x", abstract, ["t"], [], "2024-01-01"), BASE, taxonomy))
    assert data["abstract"] == "From Tülu 3 and PokéChamp, at 256*256."
    feed = render(catalogue(["T"], [abstract], ["N"] * 4, ("S", "D")), BASE)["feed.xml"]
    assert "<summary>From Tülu 3 and PokéChamp, at 256*256.</summary>" in feed.decode("utf-8")


@pytest.mark.parametrize(("title", "shown"), [
    ("Short title", "Short title"),
    ("W" * 110, "W" * 110),
    ("W" * 108 + " tail words", "W" * 108 + "\u2026"),
    ("W" * 108 + "e\u0302\u0323 tail", "W" * 108 + "\u2026"),  # not "e" without its marks
])
def test_a_headline_is_cut_at_110_characters_never_inside_a_letter(title, shown):
    from sitegen.site.paperpages import headline
    assert headline(title) == shown and len(shown) <= 110


def _utf16(text: str) -> str:
    """Text as JSON's \\u escapes read it: UTF-16 code units, so that a high surrogate
    followed by a low one is the character they encode together."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


# The sitemap: within the protocol's limits at any size.

def test_a_sitemap_too_large_for_one_file_is_split_under_an_index():
    """50,000 addresses at most per file: a catalogue of 50,000 papers has more pages."""
    site = Site("T", "D", BASE, "/papers/", "2024-01-01", TEMPLATES, "v")
    envs = Environments(environment(site, {}))
    paths = sorted(f"papers/p{i}/" for i in range(SITEMAP_URLS + 1))
    written = {job.path: ET.fromstring(envs.render(job)) for job in sitemaps(paths, BASE)}
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = written.pop("sitemap.xml")
    assert index.tag == f"{sitemap}sitemapindex"
    assert [loc.text for loc in index.iter(f"{sitemap}loc")] == [
        f"{BASE}sitemap/1.xml", f"{BASE}sitemap/2.xml"]
    assert [len(part) for part in written.values()] == [SITEMAP_URLS, 1]
    assert [loc.text for part in written.values() for loc in part.iter(f"{sitemap}loc")] == [
        BASE + path for path in paths]
    [job] = sitemaps(paths[:SITEMAP_URLS], BASE)
    assert job.template == "sitemap.xml"  # one file while it holds them all


# robots.txt is plain text: never HTML-escaped.

def test_robots_txt_is_exactly_three_lines_for_an_unusual_base_url():
    base = "https://example.org/a'b&c(d)=e;f/"
    files = render(catalogue(["T", "U"], ["A", "B"], ["N"] * 4, ("S", "D")), base)
    assert files["robots.txt"] == (b"User-agent: *\nAllow: /\n"
                                   b"Sitemap: https://example.org/a'b&c(d)=e;f/sitemap.xml\n")


# Markdown: nothing loads from elsewhere, and an abstract cannot make headings.

abstract = markdown_renderer(page=False)
page = markdown_renderer()


@pytest.mark.parametrize(("markdown", "html"), [
    ("![pixel](https://tracker.example/p.png)", "<p>pixel</p>\n"),
    ("![a *b*](https://t.example/p.png \"t\") text", "<p>a b text</p>\n"),
    ("![x][r]\n\n[r]: https://t.example/p.png", "<p>x</p>\n"),
    ("[![x](https://t.example/p.png)](https://example.org/)",
     '<p><a href="https://example.org/">x</a></p>\n'),
    ("![<img src=x onerror=alert(1)>](https://t.example/p.png)",
     "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
])
def test_an_image_is_shown_as_its_description(markdown, html):
    assert abstract(markdown).replace(' rel="nofollow ugc"', "") == page(markdown) == html


@pytest.mark.parametrize(("markdown", "html"), [
    ("# Title", "<p># Title</p>\n"),
    ("###### Deep", "<p>###### Deep</p>\n"),
    ("Setext\n===", "<p>Setext\n===</p>\n"),
    ("Setext\n---", "<p>Setext</p>\n<hr />\n"),
])
def test_an_abstract_has_no_headings(markdown, html):
    assert abstract(markdown) == html
    assert "<h" in page(markdown)


@pytest.mark.parametrize("address", [
    "//elsewhere.example/x", "///elsewhere.example", "/\\elsewhere.example", "/papers/",
    "http://", "https:elsewhere.example", "mailto:a@b.example", "vbscript:x",
    "https://localhost/", "https://a.example/" + "x" * 2000, "https://github.com@evil.example/"])
def test_a_link_off_the_site_stays_text_unless_it_is_an_http_link_a_paper_could_have(address):
    """A protocol-relative link leads off the site unseen, a path from the root skips the
    site's base URL, and an address `check` would refuse among a paper's links is no link."""
    for make in (abstract, page):
        assert "<a " not in make(f"see [it]({address}) and <{address}>")
    assert abstract("[it](https://a.example/x?y=1#z)") == (
        '<p><a href="https://a.example/x?y=1#z" rel="nofollow ugc">it</a></p>\n')


# An abstract is a listing's text, often with LaTeX's habits: shown as its author meant it.

@pytest.mark.parametrize(("text", "html"), [
    ("``Lost in the Middle'' and ``Never Miss A Beat'' hold",
     "<p>``Lost in the Middle'' and ``Never Miss A Beat'' hold</p>\n"),
    ("`ungrounded guesses' or `hallucinations'",
     "<p>`ungrounded guesses' or `hallucinations'</p>\n"),
    ('T\\"ulu 3, Pok\\\'eChamp, V\\~oro, {\\"u}ber, \\v{s}, \\\'{\\i}',
     "<p>Tülu 3, PokéChamp, Võro, über, š, í</p>\n"),
    ("52.6\\% at 256*256 and {{ 7*7 }}, *emphasis* kept",
     "<p>52.6% at 256*256 and {{ 7*7 }}, <em>emphasis</em> kept</p>\n"),
    ("&amp;amp; and &#60;b&#62; as written",
     "<p>&amp;amp;amp; and &amp;#60;b&amp;#62; as written</p>\n"),
    ("a \\\\\\\"u: an escaped backslash, then an accent",
     "<p>a \\ü: an escaped backslash, then an accent</p>\n"),
])
def test_an_abstract_is_shown_as_its_author_meant_it(text, html):
    assert abstract(text) == html


def test_an_abstract_link_showing_another_address_is_no_link():
    html = abstract("See [https://arxiv.org/abs/2401.00001](https://evil.example/p), "
                    "[www.a.example](https://b.example/), [code](https://c.example/x) "
                    "and [https://d.example/](https://d.example) or https://e.example/1*2.")
    assert html == (
        '<p>See https://arxiv.org/abs/2401.00001, www.a.example, '
        '<a href="https://c.example/x" rel="nofollow ugc">code</a> and '
        '<a href="https://d.example" rel="nofollow ugc">https://d.example/</a> or '
        '<a href="https://e.example/1*2" rel="nofollow ugc">https://e.example/1*2</a>.</p>\n')
    assert "evil" not in html and "b.example" not in html


@pytest.mark.parametrize("address", ["../", "search/", "../papers/x/#cite", "#top", "?q=1"])
def test_a_page_may_link_to_the_sites_pages_by_relative_paths_an_abstract_may_not(address):
    assert page(f"[it]({address})") == f'<p><a href="{address}">it</a></p>\n'
    assert "<a " not in abstract(f"[it]({address})")


def test_an_abstract_keeps_links_and_emphasis_but_no_raw_html_or_unsafe_links():
    assert abstract("**b** [l](https://a.org/) [j](javascript:x) <b>r</b>") == (
        '<p><strong>b</strong> <a href="https://a.org/" rel="nofollow ugc">l</a> [j](javascript:x) '
        "&lt;b&gt;r&lt;/b&gt;</p>\n")
