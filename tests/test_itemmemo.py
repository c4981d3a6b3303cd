"""The papers' items a build rendered, kept beside its output: taken again for an equal
item while every read its rendering made has the same value, rendered again otherwise,
ignored when their file does not read back whole; a build after an edit renders again
only the edited paper's item, and writes the pages a cold build does."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from conftest import ROOT
from markupsafe import Markup
from test_related import SHIPPED
from test_searchmemo import SPOILT

from sitegen.catalogue.store import read_paper, serialise
from sitegen.site import itemmemo
from sitegen.site.build import build
from sitegen.site.contexts import PaperItem
from sitegen.site.itemmemo import ITEM_RENDERS, ItemMemo, ItemRenders
from sitegen.site.pages import build_pages
from sitegen.site.reads import ReadValues, record
from sitegen.site.settings import site_settings
from sitegen.site.uptodate import record_folder

FIXTURE = ROOT / "tests" / "fixtures" / "site"
VALID = SHIPPED
ITEMS = list(build_pages(VALID, "", "", lazy=True).home.recent)
TEMPLATE = ("template", "_paper_item.html")


def values() -> ReadValues:
    return ReadValues(site_settings(VALID, "https://example.org/", False), {})


def render(made: list[str]):
    """An item's rendering, reading one template; the ids of the items it renders."""
    def make(item: PaperItem) -> Markup:
        made.append(item.id)
        record(*TEMPLATE)
        return Markup("<li>") + item.title + Markup("</li>")
    return make


def rendered(renders: ItemRenders, made: list[str], items: list[PaperItem]) -> list[str]:
    return [renders.made(render(made), item)[0] for item in items]


def test_kept_items_are_taken_again_with_their_reads_and_an_edited_one_is_rendered(tmp_path):
    made: list[str] = []
    first = ItemMemo(tmp_path)
    texts = rendered(first.for_build(values()), made, ITEMS)
    first.save(lambda: {itemmemo.digest(item) for item in ITEMS})
    assert made == [item.id for item in ITEMS]
    made.clear()
    later = ItemMemo(tmp_path).for_build(values())
    assert rendered(later, made, ITEMS) == texts
    assert made == []
    assert later.made(render(made), ITEMS[0])[1] == frozenset([TEMPLATE])
    edited = dataclasses.replace(ITEMS[1], title="Another title")
    assert rendered(later, made, [edited]) == ["<li>Another title</li>"]
    assert made == [edited.id]


def test_an_item_whose_read_has_another_value_now_is_rendered_again(tmp_path):
    made: list[str] = []
    first = ItemMemo(tmp_path)
    rendered(first.for_build(values()), made, ITEMS)
    first.save(lambda: {itemmemo.digest(item) for item in ITEMS})
    made.clear()
    now = values()
    now.known[TEMPLATE] = "the template as saved since"
    rendered(ItemMemo(tmp_path).for_build(now), made, ITEMS)
    assert made == [item.id for item in ITEMS]


def test_items_no_build_showed_are_dropped_when_their_file_is_written(tmp_path):
    first = ItemMemo(tmp_path)
    rendered(first.for_build(values()), [], ITEMS)
    first.save(lambda: {itemmemo.digest(ITEMS[0])})
    kept = ItemMemo(tmp_path)
    assert [d for n in range(itemmemo.SHARDS) for d in kept._shard(f"{n:x}")] == [
        itemmemo.digest(ITEMS[0])]


@pytest.mark.parametrize("spoil", SPOILT)
def test_a_file_of_items_that_does_not_read_back_whole_is_ignored(tmp_path, spoil):
    first = ItemMemo(tmp_path)
    texts = rendered(first.for_build(values()), [], ITEMS)
    first.save(lambda: {itemmemo.digest(item) for item in ITEMS})
    for shard in tmp_path.glob("*.bin"):
        shard.write_bytes(spoil(shard.read_bytes()))
    made: list[str] = []
    assert rendered(ItemMemo(tmp_path).for_build(values()), made, ITEMS) == texts
    assert made == [item.id for item in ITEMS]


def test_a_build_after_one_edit_renders_that_papers_item_only_and_the_cold_pages(
        tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    assert build(content, out).problems == []
    assert list((record_folder(out) / ITEM_RENDERS).glob("*.bin"))
    paper = sorted((content / "papers").glob("*.yaml"))[2]
    edited = read_paper(paper, paper.name)[0]
    assert edited is not None
    paper.write_bytes(serialise(dataclasses.replace(edited, title=edited.title + " again")))
    made = tmp_path / "made"  # by every process rendering pages
    make = ItemRenders._make

    def noted(self, render, item, item_digest):
        with made.open("a") as log:
            log.write(item.id + "\n")
        return make(self, render, item, item_digest)

    monkeypatch.setattr(ItemRenders, "_make", noted)
    assert build(content, out).problems == []
    assert set(made.read_text().split()) == {edited.id}
    assert build(content, tmp_path / "cold").problems == []
    cold = {p.relative_to(tmp_path / "cold") for p in (tmp_path / "cold").rglob("*")}
    assert {p.relative_to(out) for p in out.rglob("*")} == cold
    for path in cold:
        if (tmp_path / "cold" / path).is_file():
            assert (out / path).read_bytes() == (tmp_path / "cold" / path).read_bytes(), path
