"""What a first-time reader is told: each topic and family in plain words (its `description`),
never the rules written for labellers (its `definition`), and on the home page how many
papers the catalogue holds and how many of them a person reviewed, with no claim beyond."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run

FIXTURE = ROOT / "tests" / "fixtures" / "site"
TAXONOMIES = [ROOT / "content" / "taxonomy.yaml", FIXTURE / "taxonomy.yaml"]


def build(content: Path, out: Path) -> Path:
    assert run("build", "--content", str(content), "--out", str(out),
               "--base-url", "https://example.org/papers/") == 0
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(FIXTURE, tmp_path_factory.mktemp("site") / "out")


def text_of(page: Path) -> str:
    """A page's visible text, on one line: tags dropped, entities read, spaces joined."""
    source = page.read_text("utf-8")
    body = source[source.index("<body>"):]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def entries(taxonomy: Path) -> list[tuple[str, dict]]:
    data = yaml.safe_load(taxonomy.read_text("utf-8"))
    return [(kind, entry) for kind in ("topics", "families") for entry in data[kind]]


@pytest.mark.parametrize("taxonomy", TAXONOMIES, ids=["shipped", "fixture"])
def test_every_topic_and_family_has_a_description_of_its_own(taxonomy):
    for kind, entry in entries(taxonomy):
        assert entry["description"].strip(), (kind, entry["id"])
        assert entry["description"] != entry["definition"], (kind, entry["id"])


def test_topic_and_family_pages_show_the_description_and_never_the_definition(site):
    for kind, entry in entries(FIXTURE / "taxonomy.yaml"):
        page = site / kind / entry["id"] / "index.html"
        meta = re.search(r'<meta name="description" content="([^"]*)">', page.read_text("utf-8"))
        assert meta and html.unescape(meta.group(1)) == entry["description"], page
        assert entry["description"] in text_of(page), page
        assert entry["definition"] not in text_of(page), page


def test_no_page_shows_a_labelling_definition(site):
    definitions = [entry["definition"] for _, entry in entries(FIXTURE / "taxonomy.yaml")]
    for page in site.rglob("*.html"):
        shown = text_of(page)
        assert not [d for d in definitions if d in shown], page


def human_labelled(content: Path) -> int:
    """Papers whose `human` list holds topics or families, counted from the files."""
    papers = [yaml.safe_load(p.read_text("utf-8")) for p in (content / "papers").glob("*.yaml")]
    return sum(1 for paper in papers if {"topics", "families"} & set(paper.get("human", [])))


def test_the_home_page_counts_papers_and_those_a_person_reviewed(site):
    reviewed, total = human_labelled(FIXTURE), len(list((FIXTURE / "papers").glob("*.yaml")))
    assert 0 < reviewed < total
    shown = text_of(site / "index.html")
    assert f"{total} papers" in shown
    assert (f"A person has reviewed the topics or families of {reviewed} of these papers; the "
            f"other {total - reviewed} have labels proposed by rules from their title and "
            "abstract, as each paper's page shows." in shown)


def test_a_catalogue_no_person_reviewed_says_so_and_claims_no_review(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    for paper in (content / "papers").glob("*.yaml"):
        text = paper.read_text("utf-8")
        text = re.sub(r"^human:\n(- (topics|families)\n)+", "human: []\n", text, flags=re.M)
        paper.write_text(text, "utf-8")
    assert run("fmt", "--content", str(content)) == 0
    assert human_labelled(content) == 0
    out = build(content, tmp_path / "out")
    shown = text_of(out / "index.html")
    assert ("No person has reviewed these papers' labels yet: rules proposed them from each "
            "title and abstract, as each paper's page shows." in shown)
    assert "A person has reviewed" not in shown
    for page in out.rglob("*.html"):
        if page != out / "index.html":
            assert "reviewed by a person" not in text_of(page), page


def test_the_shipped_site_description_claims_no_review():
    settings = yaml.safe_load((ROOT / "content" / "site.yaml").read_text("utf-8"))
    assert "review" not in settings["description"].lower()
