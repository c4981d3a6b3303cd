"""The typed contexts of every page kind, computed once from the validated catalogue
(the types are in `contexts`; a paper's own page in `paperpages`)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sitegen.catalogue.load import ValidCatalogue
from sitegen.catalogue.provenance import decided_fields
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import LABEL_FIELDS, Paper, Source
from sitegen.core.perpaper import per_paper
from sitegen.site.bibtex import citation_keys
from sitegen.site.contexts import (
    CellPage,
    FamilyNode,
    FamilyPage,
    HomePage,
    Label,
    Matrix,
    PaperItem,
    TopicPage,
)
from sitegen.site.digest import digest, made_of, remember, remember_by_parts
from sitegen.site.heatmap import level
from sitegen.site.paperpages import PaperPages, paper_digest, paper_url
from sitegen.site.related import RelatedIndex
from sitegen.site.relatedmemo import RelatedMemo
from sitegen.site.relatedterms import IndexState


@dataclass(frozen=True)
class Pages:
    """The contexts' contents, by page kind."""

    home: HomePage
    papers: PaperPages
    topics: list[TopicPage]
    families: list[FamilyPage]
    cells: list[CellPage]
    topic_index: tuple[Label, ...]
    family_tree: tuple[FamilyNode, ...]


def topic_url(topic_id: str) -> str:
    return f"topics/{topic_id}/"


def family_url(family_id: str) -> str:
    return f"families/{family_id}/"


def cell_url(topic_id: str, family_id: str) -> str:
    return f"topics/{topic_id}/{family_id}/"


def family_members(taxonomy: Taxonomy, papers: list[Paper]) -> dict[str, list[Paper]]:
    """Papers of each family, a family's descendants' papers included."""
    members: dict[str, list[Paper]] = {f: [] for f in taxonomy.families}
    for paper in papers:
        owners = {a for f in paper.families if f in taxonomy.families
                  for a in [f, *taxonomy.ancestors(f)]}
        for family in sorted(owners):
            members[family].append(paper)
    return members


def recent_order(paper: Paper) -> tuple:
    """Newest first: by date added, then by where it was first seen (later dumps first)."""
    first = paper.sources[0] if paper.sources else Source("", 0, "")
    return (paper.added, first.dump, first.line, paper.id)


@dataclass(frozen=True)
class ItemLabels:
    """The label of every topic and every family as an item shows it: all that a paper's
    item takes from the taxonomy, made once for all items. Equal (and hashed) by the
    digest of those labels, so that the preview's rebuilds find the items of unchanged
    papers (`per_paper`) whatever taxonomy object they were made with."""

    digest: str
    topics: dict[str, Label] = field(compare=False)
    families: dict[str, Label] = field(compare=False)


def item_labels(taxonomy: Taxonomy) -> ItemLabels:
    topics = {t.id: Label(t.id, t.name, topic_url(t.id)) for t in taxonomy.topics.values()}
    families = {f.id: Label(f.id, f.name, family_url(f.id))
                for f in taxonomy.families.values()}
    return ItemLabels(digest(list(topics.values()), list(families.values())), topics, families)


def item(paper: Paper, taxonomy: Taxonomy) -> PaperItem:
    return labelled_item(paper, item_labels(taxonomy))


@per_paper  # the preview's rebuilds share an unchanged paper's item, and its digest
def labelled_item(paper: Paper, labels: ItemLabels) -> PaperItem:
    """The paper's item, whose digest is remembered as one of what it is made from (the
    paper and the labels): not every item pickled to key the pages."""
    made = PaperItem(
        paper.id, paper.title, paper_url(paper.id), paper.added,
        tuple(labels.topics[t] for t in paper.topics if t in labels.topics),
        tuple(labels.families[f] for f in paper.families if f in labels.families),
        paper.published)
    remember(made, made_of("PaperItem", paper_digest(paper), labels.digest))
    return made


def build_pages(catalogue: ValidCatalogue, base_url: str, edit_base: str,
                lazy: bool = False, memo: RelatedMemo | None = None,
                keys: dict[str, str] | None = None) -> Pages:
    """Everything the templates show, computed once from the validated catalogue; the
    related-papers index now, or when a page first needs it (`lazy`: the preview, which
    writes the list pages before any paper's); the papers' citation `keys`, if not given."""
    taxonomy = catalogue.taxonomy
    papers = list(catalogue.papers.values())
    labels = item_labels(taxonomy)
    items = {p.id: labelled_item(p, labels) for p in papers}
    digests = {id(made): digest(made) for made in items.values()}  # to key the list pages
    members = family_members(taxonomy, papers)
    by_topic, by_cell = _grouped(taxonomy, papers, members)
    topics = tuple(Label(t, taxonomy.topics[t].name, topic_url(t), len(by_topic[t]))
                   for t in taxonomy.topics)
    families = {f: Label(f, taxonomy.families[f].name, family_url(f), len(members[f]))
                for f in taxonomy.families}
    tree = _family_tree(taxonomy, families)
    return Pages(
        home=_home(catalogue, papers, items, topics, families, tree, by_cell),
        papers=PaperPages(papers, items, taxonomy, base_url, edit_base,
                          _related_index(catalogue, lazy, memo),
                          citation_keys(papers) if keys is None else keys),
        topics=_keyed([TopicPage(label, taxonomy.topics[label.id].description,
                                 tuple(items[p.id] for p in by_topic[label.id]))
                       for label in topics], digests),
        families=_keyed(_family_pages(taxonomy, families, members, items), digests),
        cells=_keyed(_cells(topics, families, by_cell, items), digests),
        topic_index=topics, family_tree=tree)


L = TypeVar("L", TopicPage, FamilyPage, CellPage)


def _keyed(pages: list[L], digests: dict[int, str]) -> list[L]:
    """List pages, each with its digest remembered from its items' (`remember_by_parts`):
    a list page's key, made in every build, no longer pickles thousands of items."""
    for page in pages:
        remember_by_parts(page, digests)
    return pages


def _family_pages(taxonomy: Taxonomy, families: dict[str, Label],
                  members: dict[str, list[Paper]], items: dict[str, PaperItem]
                  ) -> list[FamilyPage]:
    pages = []
    for family_id, label in families.items():
        family = taxonomy.families[family_id]
        pages.append(FamilyPage(
            label, family.description, families.get(family.parent) if family.parent else None,
            tuple(families[c] for c in taxonomy.children(family_id)),
            tuple(items[p.id] for p in members[family_id])))
    return pages


def _related_index(catalogue: ValidCatalogue, lazy: bool, memo: RelatedMemo | None
                   ) -> Callable[[IndexState | None], RelatedIndex]:
    """What makes the related-papers index, from an earlier one's state if given (`lazy`:
    when first asked for; else now, with every paper's related papers, before a build shares
    the pages out between processes: from the state `memo` kept; keeping this one's is
    left until the build has rendered its share of the pages, `PageJobs.keep`)."""
    make = functools.partial(RelatedIndex, catalogue.papers, catalogue.taxonomy)
    if lazy:
        return make
    earlier = memo.earlier() if memo is not None else None
    index = make(earlier)
    if earlier is not None:
        index.carry_over(earlier)
    index.find_all()
    return lambda _: index


def _family_tree(taxonomy: Taxonomy, families: dict[str, Label]) -> tuple[FamilyNode, ...]:
    """Every family under its parent, in the taxonomy's order, found in one pass over them
    (looking through all of them again for each one took minutes for thousands)."""
    under: dict[str | None, list[str]] = {}
    for family_id, family in taxonomy.families.items():
        under.setdefault(family.parent, []).append(family_id)

    def nodes(parent: str | None) -> tuple[FamilyNode, ...]:
        return tuple(FamilyNode(families[f], taxonomy.families[f].description, nodes(f))
                     for f in under.get(parent, ()))

    return nodes(None)


def _grouped(taxonomy: Taxonomy, papers: list[Paper], members: dict[str, list[Paper]]
             ) -> tuple[dict[str, list[Paper]], dict[tuple[str, str], list[Paper]]]:
    """The papers of each topic, and of each (topic, family) holding any, in the papers'
    order: found in one pass over them (a pass per topic and per cell took a second at
    20,000 papers)."""
    by_topic: dict[str, list[Paper]] = {t: [] for t in taxonomy.topics}
    families_of: dict[str, list[str]] = {}
    for family_id, held in members.items():
        for paper in held:
            families_of.setdefault(paper.id, []).append(family_id)
    by_cell: dict[tuple[str, str], list[Paper]] = {}
    for paper in papers:
        for topic in dict.fromkeys(t for t in paper.topics if t in by_topic):
            by_topic[topic].append(paper)
            for family_id in families_of.get(paper.id, ()):
                by_cell.setdefault((topic, family_id), []).append(paper)
    return by_topic, by_cell


def _home(catalogue, papers, items, topics, families, tree, by_cell) -> HomePage:
    recent = sorted(papers, key=recent_order, reverse=True)[: catalogue.site.recent]
    counts = [[len(by_cell.get((t.id, f), ())) for f in families] for t in topics]
    most = max((c for row in counts for c in row), default=0) or 1
    rows = tuple(tuple((count, level(count, most), cell_url(t.id, f) if count else "")
                       for count, f in zip(row, families, strict=True))
                 for row, t in zip(counts, topics, strict=True))
    matrix = Matrix(topics, tuple(families.values()), rows)
    return HomePage(len(papers), _reviewed(papers), topics, tree,
                    tuple(items[p.id] for p in recent), matrix)


def _reviewed(papers: list[Paper]) -> int:
    """How many papers have topics or families a person decided: the test each paper page
    applies to say "reviewed by a person", so the home page claims no more than they do."""
    return sum(1 for paper in papers if decided_fields(paper, LABEL_FIELDS))


def _cells(topics, families, by_cell, items) -> list[CellPage]:
    return [CellPage(topic, family, tuple(items[p.id] for p in by_cell[(topic.id, family_id)]))
            for topic in topics for family_id, family in families.items()
            if (topic.id, family_id) in by_cell]
