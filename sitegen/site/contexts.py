"""What each template sees: typed contexts, one per page kind, and the values in them.

A template's variables are the fields of its context (`home.html` gets `home` and
`path`, `paper.html` gets `page` and `path`, ...). These are plain values computed
from the catalogue (see `pages`); nothing here renders or reads anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sitegen.core.model import Link, Paper, Source
from sitegen.site.digest import digested_once
from sitegen.site.heatmap import SHADES, Shade


@dataclass(frozen=True)
class Label:
    id: str
    name: str
    url: str
    count: int = 0


@digested_once  # a paper's item shows in many lists, and as related on many pages
@dataclass(frozen=True)
class PaperItem:
    """A paper as it appears in lists."""

    id: str
    title: str
    url: str
    added: str
    topics: tuple[Label, ...]
    families: tuple[Label, ...]
    published: str = ""  # YYYY-MM-DD of its first version, where known (lists show its year)


@dataclass(frozen=True)
class RelatedItem:
    paper: PaperItem
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Day:
    iso: str  # YYYY-MM-DD
    text: str  # as people read it: 23 May 2023


@dataclass(frozen=True)
class Citation:
    """Who wrote a paper, when and where it appeared, where to read it, how to cite it."""

    authors: tuple[str, ...]
    published: Day | None
    updated: Day | None  # only where it differs from `published`
    venue: str
    doi: str
    read_links: tuple[tuple[str, str], ...]  # (name, address): arXiv, PDF, DOI
    bibtex: str
    meta: tuple[tuple[str, str], ...]  # Highwire `citation_*` tags (name, content)


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
    citation: Citation
    label_groups: tuple[LabelGroup, ...] = ()
    reasons: tuple[Reason, ...] = ()  # why the rules proposed each label no person decided


@digested_once  # its digest is remembered from its items' (`digest.remember_by_parts`)
@dataclass(frozen=True)
class TopicPage:
    topic: Label
    description: str  # for readers; the taxonomy's labelling `definition` is never shown
    papers: tuple[PaperItem, ...]


@dataclass(frozen=True)
class FamilyNode:
    label: Label
    description: str
    children: tuple[FamilyNode, ...] = ()


@digested_once  # its digest is remembered from its items' (`digest.remember_by_parts`)
@dataclass(frozen=True)
class FamilyPage:
    family: Label
    description: str
    parent: Label | None
    children: tuple[Label, ...]
    papers: tuple[PaperItem, ...]


@digested_once  # its digest is remembered from its items' (`digest.remember_by_parts`)
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
    reviewed_count: int  # papers whose topics or families a person decided
    topics: tuple[Label, ...]
    family_tree: tuple[FamilyNode, ...]
    recent: tuple[PaperItem, ...]
    matrix: Matrix


# The contexts: `path` is the page's address under the site's base URL.

@dataclass(frozen=True)
class HomeContext:
    home: HomePage
    path: str = ""


@dataclass(frozen=True)
class PaperContext:
    page: PaperPage
    path: str


@dataclass(frozen=True)
class TopicContext:
    page: TopicPage
    path: str


@dataclass(frozen=True)
class CellContext:
    page: CellPage
    path: str


@dataclass(frozen=True)
class FamilyContext:
    page: FamilyPage
    path: str


@dataclass(frozen=True)
class TopicsContext:
    topics: tuple[Label, ...]
    path: str = "topics/"


@dataclass(frozen=True)
class FamiliesContext:
    tree: tuple[FamilyNode, ...]
    path: str = "families/"


@dataclass(frozen=True)
class TextContext:
    """A page of content/pages/ (Markdown)."""

    text: str
    path: str


@dataclass(frozen=True)
class PlainContext:
    """A page that shows the site's settings only (search, 404)."""

    path: str


@dataclass(frozen=True)
class SitemapContext:
    paths: tuple[str, ...]


@dataclass(frozen=True)
class SitemapIndexContext:
    sitemaps: tuple[str, ...]


@dataclass(frozen=True)
class FeedContext:
    recent: tuple[PaperItem, ...]
    papers: Mapping[str, Paper]


@dataclass(frozen=True)
class NoContext:
    """robots.txt: the site's settings are all it shows."""


Context = (HomeContext | PaperContext | TopicContext | CellContext | FamilyContext
           | TopicsContext | FamiliesContext | TextContext | PlainContext | SitemapContext
           | SitemapIndexContext | FeedContext | NoContext)


@dataclass(frozen=True)
class LabelGroup:
    """The labels of one field (topics or families), and whether a person decided them."""

    kind: str
    labels: tuple[Label, ...]
    reviewed: bool


@dataclass(frozen=True)
class Reason:
    """Why the rules proposed a label: the evidence stored with the paper ('' if none)."""

    label: Label
    kind: str  # "topic" or "family"
    evidence: str
