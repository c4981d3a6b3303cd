"""The pages' contents after edits that moved no paper, made from the last ones.

`build_pages` works out every list from every paper: about a second at 50,000 papers,
most of what a preview rebuild does before its lists are in place. An edit of a paper's
title or abstract changes no list's members nor their order, only the paper's item. So
when the papers are the last contents' (the same ids, in the same order) and each paper
that changed keeps its place (`placement`: its labels, where it comes among the recent
papers, whether a person decided its labels, its citation key's base), the contents are
the last ones with the changed papers' items in place of their old ones, in every list
that shows them. (The session's property test compares such rebuilds with cold builds.)
"""

from __future__ import annotations

import dataclasses
import functools
from typing import TypeVar

from sitegen.catalogue.load import ValidCatalogue
from sitegen.catalogue.provenance import decided_fields
from sitegen.core.model import LABEL_FIELDS, Paper
from sitegen.site.bibtex import key_base
from sitegen.site.contexts import CellPage, FamilyPage, PaperItem, TopicPage
from sitegen.site.digest import digest, remember_by_parts
from sitegen.site.pages import Pages, item_labels, labelled_item, recent_order
from sitegen.site.related import RelatedIndex

MOST = 64  # changed papers beyond which the lists are worked out afresh
LastPages = tuple[ValidCatalogue, Pages]  # the last contents, and the catalogue of them
Swap = dict[int, PaperItem]  # an old item's id -> the item in its place
L = TypeVar("L", TopicPage, FamilyPage, CellPage)


def placement(paper: Paper) -> tuple:
    """All that `build_pages` takes from a paper but its item: where the paper is listed."""
    return (paper.topics, paper.families, recent_order(paper),
            bool(decided_fields(paper, LABEL_FIELDS)), key_base(paper))


def edited_pages(earlier: LastPages, catalogue: ValidCatalogue, base_url: str,
                 edit_base: str) -> Pages | None:
    """The contents of `catalogue`'s pages from the `earlier` ones, their related-papers
    index made when first asked for (as the preview's), or None when they must be worked
    out afresh (see the module)."""
    before, pages = earlier
    if (before.taxonomy is not catalogue.taxonomy or before.site != catalogue.site
            or not pages.papers.made_with(base_url, edit_base)):
        return None
    changed = _changed(before.papers, catalogue.papers)
    if changed is None:
        return None
    labels = item_labels(catalogue.taxonomy)
    made = {pid: labelled_item(catalogue.papers[pid], labels) for pid in changed}
    swap = {id(pages.papers.item(pid)): made[pid] for pid in changed}
    home = pages.home
    return dataclasses.replace(
        pages, home=dataclasses.replace(home, recent=_swapped(home.recent, swap)),
        papers=pages.papers.edited(list(catalogue.papers.values()), made, functools.partial(
            RelatedIndex, catalogue.papers, catalogue.taxonomy)),
        topics=_pages(pages.topics, swap), families=_pages(pages.families, swap),
        cells=_pages(pages.cells, swap))


def _changed(old: dict[str, Paper], new: dict[str, Paper]) -> list[str] | None:
    """The ids of the papers that changed, if the papers are the same ones in the same
    order and at most MOST changed, each keeping its place; else None."""
    if len(old) != len(new) or list(old) != list(new):
        return None
    changed = [pid for pid, paper in new.items() if paper is not old[pid]]
    if len(changed) > MOST or any(placement(old[pid]) != placement(new[pid])
                                  for pid in changed):
        return None
    return changed


def _pages(pages: list[L], swap: Swap) -> list[L]:
    """List pages with the items swapped, each page that changed with its digest
    remembered from its items' (as `build_pages` keys them)."""
    found = []
    for page in pages:
        items = _swapped(page.papers, swap)
        if items is not page.papers:
            page = dataclasses.replace(page, papers=items)
            remember_by_parts(page, {id(item): digest(item) for item in items})
        found.append(page)
    return found


def _swapped(items: tuple[PaperItem, ...], swap: Swap) -> tuple[PaperItem, ...]:
    """The items with those `swap` names replaced; the very tuple if none is."""
    if not any(map(swap.__contains__, map(id, items))):  # (C loops: lists of thousands)
        return items
    return tuple(swap.get(id(item), item) for item in items)
