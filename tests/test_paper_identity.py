"""What the site says of a paper's identity: authors, dates, venue, where to read it, how to
cite it (BibTeX, Highwire tags, JSON-LD), the year in lists, lists sortable by date, the
feed's dates and the exports. Built from the fixture catalogue, whose identities include a
hostile one."""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ROOT, run
from hypothesis import given
from hypothesis import strategies as st
from sitecheck import elements

from sitegen.catalogue.load import Catalogue, load_catalogue
from sitegen.catalogue.taxonomy import Taxonomy, Topic
from sitegen.core.model import Paper, SiteConfig
from sitegen.site.bibtex import bibliography, citation_keys, entry
from sitegen.site.build import render
from sitegen.site.jinja import href

FIXTURE = ROOT / "tests" / "fixtures" / "site"
HOSTILE = "script-alert-title-script-hostile-quoted-img-src-x-onerror"
LLAVA = "visual-instruction-tuning"
ATOM = "{http://www.w3.org/2005/Atom}"
PAPERS = load_catalogue(FIXTURE).papers


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("identity") / "out"
    assert run("build", "--content", str(FIXTURE), "--out", str(out),
               "--base-url", "https://example.org/papers/") == 0
    return out


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8")


def text(fragment: str) -> str:
    """A fragment of a page as a reader sees it: tags dropped, entities read, spaces joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def section(document: str, start: str, end: str) -> str:
    return document.split(start, 1)[1].split(end, 1)[0]


def test_a_paper_page_says_who_wrote_it_when_and_where(site):
    llava = page(site, f"papers/{LLAVA}")
    identity = text(section(llava, '<dl class="identity">', "</dl>"))
    assert identity == ("Authors Haotian Liu, Chunyuan Li, Qingyang Wu, Yong Jae Lee "
                        "Published 17 April 2023 (updated 11 December 2023) Venue NeurIPS 2023")
    assert '<time datetime="2023-04-17">17 April 2023</time>' in llava
    mistral = text(section(page(site, "papers/mistral-7b"), '<dl class="identity">', "</dl>"))
    assert mistral.endswith("Published 10 October 2023") and "updated" not in mistral
    assert '<dl class="identity">' not in page(site, "papers/qlora-efficient-finetuning-of-"
                                                     "quantized-llms")  # nothing known


def test_a_long_author_list_shows_twenty_names_and_the_rest_on_request(site):
    authors = section(page(site, "papers/llama-2-open-foundation-and-fine-tuned-chat-models"),
                      "<dt>Authors</dt>", "</dd>")
    shown, more = authors.split('<details class="more-authors">')
    assert text(shown).split(", ")[0] == "Hugo Touvron" and len(text(shown).split(", ")) == 20
    summary, rest = more.split("</summary>")
    assert text(summary) == "and 4 more"
    assert text(rest) == "Cynthia Gao, Vedanuj Goswami, Naman Goyal, Anthony Hartshorn"


def test_a_known_id_links_to_arxiv_and_a_doi_to_doi_org_instead_of_title_searches(site):
    links = dict((address, text(name)) for address, name in re.findall(
        r'<li><a href="([^"]*)"[^>]*>(.*?)</a></li>', section(
            page(site, f"papers/{HOSTILE}"), 'id="find-heading"', "</section>")))
    assert links == {
        "https://arxiv.org/abs/cs.CL/0301001v2": "arXiv abstract page (cs.CL/0301001v2)",
        "https://arxiv.org/pdf/cs.CL/0301001v2": "PDF on arXiv",
        "https://doi.org/10.1234/%3Cscript%3E%22x%22%7By%7D%25%23%3F":
            'DOI 10.1234/<script>"x"{y}%#?'}
    unknown = page(site, "papers/qlora-efficient-finetuning-of-quantized-llms")
    assert "arxiv.org/search/?query=QLoRA" in unknown and "arxiv.org/abs/" not in unknown


def test_highwire_tags_name_every_author_in_order_and_the_paper_s_identity(site):
    tags = [(dict(attrs)["name"], dict(attrs)["content"]) for tag, attrs in
            elements(page(site, f"papers/{HOSTILE}")) if tag == "meta"
            and dict(attrs).get("name", "").startswith("citation_")]
    paper = PAPERS[HOSTILE]
    assert tags == [("citation_title", paper.title),
                    *[("citation_author", name) for name in paper.authors],
                    ("citation_publication_date", "2003/01/15"),
                    ("citation_journal_title", paper.venue),
                    ("citation_arxiv_id", "cs.CL/0301001v2"),
                    ("citation_pdf_url", "https://arxiv.org/pdf/cs.CL/0301001v2"),
                    ("citation_doi", paper.doi)]


def test_json_ld_names_authors_the_publication_date_and_identifiers(site):
    script = section(page(site, f"papers/{HOSTILE}"), '<script type="application/ld+json">',
                     "</script>")
    data = json.loads(script)
    assert "<" not in script
    assert data["author"] == [{"@type": "Person", "name": n} for n in PAPERS[HOSTILE].authors]
    assert (data["datePublished"], data["dateCreated"]) == ("2003-01-15", "2023-11-14")
    assert data["identifier"] == [
        {"@type": "PropertyValue", "propertyID": "arXiv", "value": "cs.CL/0301001v2"},
        {"@type": "PropertyValue", "propertyID": "DOI", "value": PAPERS[HOSTILE].doi}]
    assert data["sameAs"][0] == "https://arxiv.org/abs/cs.CL/0301001v2"
    plain = json.loads(section(page(site, "papers/mistral-7b"),
                               '<script type="application/ld+json">', "</script>"))
    assert "dateModified" not in plain and plain["datePublished"] == "2023-10-10"


def test_the_cite_section_shows_the_paper_s_entry_of_papers_bib(site):
    papers = list(PAPERS.values())
    bib = (site / "papers.bib").read_text("utf-8")
    assert bib == bibliography(papers)
    keys = citation_keys(papers)
    for paper in papers:
        cite = section(page(site, f"papers/{paper.id}"), '<pre id="bibtex"><code>', "</code>")
        assert html.unescape(cite) + "\n" == entry(paper, keys[paper.id])
        assert entry(paper, keys[paper.id]) in bib
    assert keys[LLAVA] == "liu2023visual"
    assert (keys["llama-2-open-foundation-and-fine-tuned-chat-models"],
            keys["llama-open-and-efficient-foundation-language-models"]) == (
        "touvron2023llama", "touvron2023llamab")
    assert '<a href="/papers/papers.bib">papers.bib</a>' in page(site, "")


def test_every_list_entry_gives_the_published_year_and_nothing_without_one(site):
    for path in ("", "topics/model-release", "families/llama", "topics/alignment/llama-2",
                 "papers/qlora-efficient-finetuning-of-quantized-llms"):
        for link, after in re.findall(r'<a (?:class="paper-title" )?href="/papers/papers/'
                                      r'([^/]+)/">.*?</a>(.*)', page(site, path)):
            published = PAPERS[link].published
            shown = f' <span class="year">(published <time datetime="{published}">'
            assert after.startswith(shown + published[:4]) if published else (
                "published" not in after), (path, link)


@pytest.mark.parametrize("path", ["topics/model-release", "families/llama",
                                  "topics/model-release/llama"])
def test_topic_family_and_cell_lists_hold_the_catalogue_order_and_a_hidden_date_control(
        site, path):
    document = page(site, path)
    control = section(document, '<p class="sort-control waiting" data-sorts="paper-list">',
                      "</p>")
    assert re.findall(r'<option value="(\w+)">', control) == ["listed", "newest", "oldest"]
    listed = re.findall(r'<li(?: data-published="([\d-]+)")?><a class="paper-title" '
                        r'href="/papers/papers/([^/]+)/', section(
                            document, '<ol class="papers" id="paper-list">', "</ol>\n"))
    ids = [paper_id for _, paper_id in listed]
    assert [date for date, _ in listed] == [PAPERS[i].published for i in ids]
    assert ids == sorted(ids, key=list(PAPERS).index)  # the catalogue's order, as before


def test_a_list_of_one_paper_has_no_control_nor_has_the_home_page(site):
    assert "sort-control" not in page(site, "topics/quantization")  # one, without a date
    assert "sort-control" not in page(site, "topics/vision-language/llava")  # one, dated
    assert "sort-control" not in page(site, "")  # recently added stays newest first


def test_a_list_of_papers_without_dates_has_no_control():
    taxonomy = Taxonomy(topics={"t": Topic("t", "T", "")}, families={})
    papers = {i: Paper(i, i.upper(), "A", ["t"], [], "2024-01-01") for i in ("a", "b")}
    files = render(Catalogue(Path("."), taxonomy, papers, site=SiteConfig("S", "D")),
                   "https://example.org/")
    topic = files["topics/t/index.html"].decode("utf-8")
    assert topic.count('<li><a class="paper-title"') == 2 and "sort-control" not in topic
    papers["b"].published = "2023-05-01"
    files = render(Catalogue(Path("."), taxonomy, papers, site=SiteConfig("S", "D")),
                   "https://example.org/")
    assert "sort-control" in files["topics/t/index.html"].decode("utf-8")


def test_the_feed_dates_an_entry_by_its_publication_where_known(site):
    feed = ET.parse(site / "feed.xml").getroot()
    for item in feed.iter(f"{ATOM}entry"):
        paper = PAPERS[item.find(f"{ATOM}id").text.rstrip("/").rsplit("/", 1)[1]]
        published = item.find(f"{ATOM}published")
        assert item.find(f"{ATOM}updated").text == f"{paper.published or paper.added}T00:00:00Z"
        assert (published.text if published is not None else "") == (
            f"{paper.published}T00:00:00Z" if paper.published else "")


def test_the_exports_carry_the_identity_fields(site):
    [record] = [r for r in json.loads((site / "papers.json").read_text("utf-8"))
                if r["id"] == HOSTILE]
    paper = PAPERS[HOSTILE]
    assert {name: record[name] for name in ("arxiv", "authors", "published", "updated",
                                            "venue", "doi")} == {
        "arxiv": paper.arxiv, "authors": paper.authors, "published": "2003-01-15",
        "updated": "", "venue": paper.venue, "doi": paper.doi}
    rows = list(csv.DictReader(io.StringIO((site / "papers.csv").read_text("utf-8"),
                                           newline="")))
    [row] = [r for r in rows if r["id"] == HOSTILE]
    assert (row["arxiv"], row["authors"], row["venue"], row["doi"]) == (
        paper.arxiv, " | ".join(paper.authors), paper.venue, paper.doi)
    assert row["arxiv"] and [r["published"] for r in rows if r["id"] == LLAVA] == ["2023-04-17"]


# A link's address from content: a valid URL, meaning what the text said.

URL_CODE_POINTS = re.compile(r"[A-Za-z0-9!$&'()*+,\-./:;=?@_~#\[\]\u00a0-\U0010ffff]"
                             r"|%[0-9A-Fa-f]{2}")


@given(st.text(alphabet=st.sampled_from('"<>{}|\\^` %25aé/?#=&\'\n'), max_size=20))
def test_an_address_from_content_is_made_a_valid_url_and_stays_one(path):
    address = href("https://example.org/" + path)
    assert URL_CODE_POINTS.sub("", address) == ""
    assert href(address) == address
    if "%" not in path:
        assert unquote(address) == "https://example.org/" + path
