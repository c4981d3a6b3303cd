"""Typed contexts for every page kind, computed from the catalogue (no rendering here)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from sitegen.catalogue.load import Catalogue
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Link, Paper, Source
from sitegen.site.heatmap import SHADES, Shade, level
from sitegen.site.related import RelatedIndex
from sitegen.site.review import LabelGroup, Reason, label_review


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class PaperItem:
    """A paper as it appears in lists."""

    id: str
    title: str
    url: str
    added: str
    topics: tuple[Label, ...]
    families: tuple[Label, ...]


@dataclass(frozen=True)
class RelatedItem:
    paper: PaperItem
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PaperPage:
    item: PaperItem
    abstract: str
    links: tuple[Link, ...]
    sources: tuple[Source, ...]
    search_links: tuple[tuple[str, str], ...]
    edit_url: str
    related: tuple[RelatedItem, ...]
    json_ld: str
    description: str
    label_groups: tuple[LabelGroup, ...] = ()
    reasons: tuple[Reason, ...] = ()  # why the rules proposed each label no person decided


@dataclass(frozen=True)
class TopicPage:
    topic: Label
    definition: str
    papers: tuple[PaperItem, ...]


@dataclass(frozen=True)
class FamilyNode:
    label: Label
    definition: str
    children: tuple[FamilyNode, ...] = ()


@dataclass(frozen=True)
class FamilyPage:
    family: Label
    definition: str
    parent: Label | None
    children: tuple[Label, ...]
    papers: tuple[PaperItem, ...]


@dataclass(frozen=True)
class CellPage:
    """Papers in one topic and one family: a cell of the home page's matrix."""

    topic: Label
    family: Label
    papers: tuple[PaperItem, ...]


@dataclass(frozen=True)
class Matrix:
    topics: tuple[Label, ...]
    families: tuple[Label, ...]
    rows: tuple[tuple[tuple[int, int, str], ...], ...]  # (count, level, url) per cell
    shades: tuple[Shade, ...] = SHADES  # each level's fill and ink, in both colour schemes


@dataclass(frozen=True)
class HomePage:
    paper_count: int
    topics: tuple[Label, ...]
    family_tree: tuple[FamilyNode, ...]
    recent: tuple[PaperItem, ...]
    matrix: Matrix


class PaperPages(Sequence):
    """Every paper's page, each made when asked for.

    Finding a paper's related papers is the costly part: made on demand, the pages
    can be shared out between processes that render them.
    """

    def __init__(self, papers: list[Paper], items: dict[str, PaperItem], taxonomy: Taxonomy,
                 base_url: str, edit_base: str, related: RelatedIndex):
        self._papers, self._items, self._taxonomy = papers, items, taxonomy
        self._base_url, self._edit_base, self._related = base_url, edit_base, related

    def __len__(self) -> int:
        return len(self._papers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        paper = self._papers[index]
        return _paper_page(paper, self._items, self._related.related(paper.id), self._taxonomy,
                           self._base_url, self._edit_base)

    def url(self, index: int) -> str:
        """The page's path, known without making the page."""
        return self._items[self._papers[index].id].url


@dataclass
class Pages:
    home: HomePage
    papers: Sequence[PaperPage] = ()
    topics: list[TopicPage] = field(default_factory=list)
    families: list[FamilyPage] = field(default_factory=list)
    cells: list[CellPage] = field(default_factory=list)
    topic_index: tuple[Label, ...] = ()
    family_tree: tuple[FamilyNode, ...] = ()


def topic_url(topic_id: str) -> str:
    return f"topics/{topic_id}/"


def family_url(family_id: str) -> str:
    return f"families/{family_id}/"


def paper_url(paper_id: str) -> str:
    return f"papers/{paper_id}/"


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


def item(paper: Paper, taxonomy: Taxonomy) -> PaperItem:
    return PaperItem(
        paper.id, paper.title, paper_url(paper.id), paper.added,
        tuple(Label(t, taxonomy.topics[t].name, topic_url(t)) for t in paper.topics
              if t in taxonomy.topics),
        tuple(Label(f, taxonomy.families[f].name, family_url(f)) for f in paper.families
              if f in taxonomy.families))


def search_links(title: str) -> tuple[tuple[str, str], ...]:
    query = quote_plus(title)
    return (("arXiv", f"https://arxiv.org/search/?query={query}&searchtype=title"),
            ("Hugging Face Papers", f"https://huggingface.co/papers?q={query}"),
            ("Google Scholar", f"https://scholar.google.com/scholar?q={query}"))


def json_ld(paper: Paper, absolute_url: str, taxonomy: Taxonomy) -> str:
    """schema.org ScholarlyArticle, safe to place inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": paper.title[:110],
        "name": paper.title,
        "abstract": paper.abstract,
        "url": absolute_url,
        "dateCreated": paper.added,
        "about": [taxonomy.topics[t].name for t in paper.topics if t in taxonomy.topics],
        "keywords": [taxonomy.families[f].name for f in paper.families
                     if f in taxonomy.families],
    }
    return _SCRIPT_UNSAFE.sub(_escape, json.dumps(data, ensure_ascii=False, sort_keys=True))


# What must not appear as itself in a <script> element's JSON: markup (`</script>`,
# `<!--`), JavaScript's own line breaks, and lone surrogates, which UTF-8 cannot hold.
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def _escape(found: re.Match) -> str:
    return f"\\u{ord(found.group()):04x}"


def build_pages(catalogue: Catalogue, base_url: str, edit_base: str) -> Pages:
    """Everything the templates show, computed once from the validated catalogue."""
    taxonomy = catalogue.taxonomy
    assert taxonomy is not None
    papers = list(catalogue.papers.values())
    items = {p.id: item(p, taxonomy) for p in papers}
    members = family_members(taxonomy, papers)
    by_topic = {t: [p for p in papers if t in p.topics] for t in taxonomy.topics}
    topics = tuple(Label(t, taxonomy.topics[t].name, topic_url(t), len(by_topic[t]))
                   for t in taxonomy.topics)
    families = {f: Label(f, taxonomy.families[f].name, family_url(f), len(members[f]))
                for f in taxonomy.families}
    tree = _family_tree(taxonomy, families)
    pages = Pages(home=_home(catalogue, papers, items, topics, families, tree, by_topic,
                             members),
                  topic_index=topics, family_tree=tree)
    pages.papers = PaperPages(papers, items, taxonomy, base_url, edit_base,
                              RelatedIndex(catalogue.papers, taxonomy))
    for label in topics:
        pages.topics.append(TopicPage(label, taxonomy.topics[label.id].definition,
                                      tuple(items[p.id] for p in by_topic[label.id])))
    for family_id, label in families.items():
        family = taxonomy.families[family_id]
        pages.families.append(FamilyPage(
            label, family.definition, families.get(family.parent) if family.parent else None,
            tuple(families[c] for c in taxonomy.children(family_id)),
            tuple(items[p.id] for p in members[family_id])))
    pages.cells = _cells(topics, families, by_topic, members, items)
    return pages


def _family_tree(taxonomy: Taxonomy, families: dict[str, Label]) -> tuple[FamilyNode, ...]:
    """Every family under its parent, in the taxonomy's order, found in one pass over them
    (looking through all of them again for each one took minutes for thousands)."""
    under: dict[str | None, list[str]] = {}
    for family_id, family in taxonomy.families.items():
        under.setdefault(family.parent, []).append(family_id)

    def nodes(parent: str | None) -> tuple[FamilyNode, ...]:
        return tuple(FamilyNode(families[f], taxonomy.families[f].definition, nodes(f))
                     for f in under.get(parent, ()))

    return nodes(None)


def _home(catalogue, papers, items, topics, families, tree, by_topic, members) -> HomePage:
    recent = sorted(papers, key=recent_order, reverse=True)[: catalogue.site.recent]
    in_family = {f: {p.id for p in members[f]} for f in families}
    in_topic = {t.id: {p.id for p in by_topic[t.id]} for t in topics}
    counts = [[len(in_family[f] & in_topic[t.id]) for f in families] for t in topics]
    most = max((c for row in counts for c in row), default=0) or 1
    rows = tuple(tuple((count, level(count, most), cell_url(t.id, f) if count else "")
                       for count, f in zip(row, families, strict=True))
                 for row, t in zip(counts, topics, strict=True))
    matrix = Matrix(topics, tuple(families.values()), rows)
    return HomePage(len(papers), topics, tree, tuple(items[p.id] for p in recent), matrix)


def _cells(topics, families, by_topic, members, items) -> list[CellPage]:
    cells = []
    for topic in topics:
        in_topic = {p.id for p in by_topic[topic.id]}
        for family_id, family in families.items():
            shared = [p for p in members[family_id] if p.id in in_topic]
            if shared:
                cells.append(CellPage(topic, family, tuple(items[p.id] for p in shared)))
    return cells


def _paper_page(paper: Paper, items: dict, related: list, taxonomy: Taxonomy, base_url: str,
                edit_base: str) -> PaperPage:
    url = base_url + paper_url(paper.id)
    groups, reasons = label_review(paper, items[paper.id])
    return PaperPage(
        item=items[paper.id],
        abstract=paper.abstract,
        links=tuple(paper.links),
        sources=tuple(paper.sources),
        search_links=search_links(paper.title),
        edit_url=f"{edit_base}content/papers/{paper.id}.yaml" if edit_base else "",
        related=tuple(RelatedItem(items[r.id], r.reasons) for r in related),
        json_ld=json_ld(paper, url, taxonomy),
        description=summary(paper.abstract),
        label_groups=groups,
        reasons=reasons,
    )


def summary(text: str, limit: int = 200) -> str:
    """The start of a text, cut at a word, for meta descriptions."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
