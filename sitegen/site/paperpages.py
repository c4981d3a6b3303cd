"""Each paper's page: its identity and how to cite it, its labels and their review, links,
related papers and JSON-LD."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from urllib.parse import quote_plus

from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.jsonbytes import json_bytes
from sitegen.core.model import ELLIPSIS, Paper
from sitegen.core.perpaper import per_paper
from sitegen.site.bibtex import entry
from sitegen.site.contexts import Citation, PaperContext, PaperItem, PaperPage, RelatedItem
from sitegen.site.digest import digest
from sitegen.site.identity import day, highwire, read_links, scholarly
from sitegen.site.markdown import latex_letters
from sitegen.site.related import RelatedIndex
from sitegen.site.relatedterms import IndexState, Related
from sitegen.site.review import label_review


def paper_url(paper_id: str) -> str:
    return f"papers/{paper_id}/"


class _ItemDigests(dict[str, str]):
    """The digest of each paper's item, as lists show it (`digested_once`), by paper id:
    each made when a page is first keyed by it. The preview keys the pages that show an
    edit before the others: made all at once, 20,000 digests would come before the first."""

    def __init__(self, items: dict[str, PaperItem]):
        super().__init__()
        self.of = items

    def __missing__(self, paper_id: str) -> str:
        made = self[paper_id] = digest(self.of[paper_id])
        return made


class PaperPages(Sequence):
    """Every paper's page, each made when asked for.

    Finding a paper's related papers is the costly part: made on demand, the pages
    can be shared out between processes that render them.
    """

    def __init__(self, papers: list[Paper], items: dict[str, PaperItem], taxonomy: Taxonomy,
                 base_url: str, edit_base: str,
                 related: Callable[[IndexState | None], RelatedIndex],
                 keys: dict[str, str]):
        self._papers, self._items, self._taxonomy = papers, items, taxonomy
        self._base_url, self._edit_base, self._make_related = base_url, edit_base, related
        self._keys = keys  # each paper's citation key
        self._earlier: IndexState | None = None  # whose lists to carry over, once made

    @functools.cached_property
    def _related(self) -> RelatedIndex:
        """The related-papers index, made when a paper's page first needs it (the preview
        writes the list pages before), with the lists `carry_over` named taken."""
        index = self._make_related(self._earlier)  # its term weights taken where they can be
        if self._earlier is not None:
            index.carry_over(self._earlier)
            self._earlier = None  # no chain of earlier indexes kept alive
        return index

    def __len__(self) -> int:
        return len(self._papers)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        paper = self._papers[index]
        return _paper_page(paper, self._items, self._related_to(paper.id), self._taxonomy,
                           self._base_url, self._edit_base, self._keys[paper.id])

    def inputs(self, index: int) -> str:
        """A digest of everything the page's context is made from (see `_paper_page`),
        known without making it: equal inputs make equal contexts. Its related papers are
        the costly part, kept for `context` to use. The digests of the parts, and the
        related papers' reasons, are hashed as one JSON text, which costs less than pickling
        a tuple of them: every page is keyed in every build."""
        paper = self._papers[index]
        items = self._item_digests
        parts = [paper_digest(paper), items[paper.id], self._keys[paper.id], self._shared,
                 [[items[r.id], *r.reasons] for r in self._related_to(paper.id)]]
        return hashlib.sha256(json_bytes(parts)).hexdigest()

    @functools.cached_property
    def _item_digests(self) -> _ItemDigests:
        return _ItemDigests(self._items)

    @functools.cached_property
    def _shared(self) -> str:
        """A digest of what every paper's page is made from: the site's addresses and the
        taxonomy but its patterns, which no page shows."""
        topics = [(t.id, t.name, t.definition, t.description)
                  for t in self._taxonomy.topics.values()]
        families = [(f.id, f.name, f.definition, f.description, f.parent)
                    for f in self._taxonomy.families.values()]
        return digest(self._base_url, self._edit_base, topics, families,
                      self._taxonomy.settings.model_names)

    def _related_to(self, paper_id: str) -> list[Related]:
        return self._related.related(paper_id)

    def listing(self, ids: Collection[str]) -> set[str]:
        """The papers whose related papers may show an edit of these (`RelatedIndex.listing`)."""
        return self._related.listing(ids)

    def related_index(self) -> RelatedIndex:
        """The related-papers index, made now if it was not yet."""
        return self._related

    def carry_over(self, earlier: PaperPages) -> None:
        """Take the related papers that the earlier pages found and that cannot differ here
        (see `RelatedIndex.carry_over`), when this index is made."""
        if "_related" in earlier.__dict__:  # its index was made, and found lists
            self._earlier = earlier._related.state()

    def as_saved(self, paper: Paper, item: PaperItem, key: str) -> PaperContext:
        """The page of one of these papers were it saved as `paper` (whose item and citation
        key are given), the others as they are: see `RelatedIndex.related_as_saved`."""
        page = _paper_page(paper, {**self._items, paper.id: item},
                           self._related.related_as_saved(paper), self._taxonomy,
                           self._base_url, self._edit_base, key)
        return PaperContext(page, item.url)

    def edited(self, papers: list[Paper], items: dict[str, PaperItem],
               related: Callable[[IndexState | None], RelatedIndex]) -> PaperPages:
        """The pages of `papers`, these pages' papers edited (the same ids in the same
        order, each with the same citation key), the items of those changed `items`."""
        pages = PaperPages(papers, {**self._items, **items}, self._taxonomy, self._base_url,
                           self._edit_base, related, self._keys)
        for known in ("page_paths", "page_dirs"):  # the same ids give the same paths
            if known in self.__dict__:
                pages.__dict__[known] = self.__dict__[known]
        return pages

    def made_with(self, base_url: str, edit_base: str) -> bool:
        return (self._base_url, self._edit_base) == (base_url, edit_base)

    def item(self, paper_id: str) -> PaperItem:
        return self._items[paper_id]

    def item_digests(self) -> set[str]:
        """The digest of every paper's item."""
        return {self._item_digests[paper_id] for paper_id in self._items}

    def key(self, paper_id: str) -> str:
        return self._keys[paper_id]

    @functools.cached_property
    def page_paths(self) -> list[str]:
        """Each page's output path, in order, known without making the pages (those
        `edited` from these take them: the same ids give the same paths)."""
        items = self._items
        return [items[paper.id].url + "index.html" for paper in self._papers]

    @functools.cached_property
    def page_dirs(self) -> list[str]:
        """The pages' folders (their paths without index.html), sorted (for the sitemaps;
        those `edited` from these take them too)."""
        return sorted(path.removesuffix("index.html") for path in self.page_paths)

    def context(self, index: int) -> PaperContext:
        page = self[index]
        return PaperContext(page, page.item.url)


@per_paper
def paper_digest(paper: Paper) -> str:
    """A digest of every field of the paper: what a page key holds of it (the paper's
    bytes, pickled, are most of what a key would otherwise digest)."""
    return digest(paper)


def citation(paper: Paper, key: str) -> Citation:
    """What the page says of who wrote the paper, when, where to read it and how to cite it."""
    updated = day(paper.updated) if paper.updated != paper.published else None
    return Citation(authors=tuple(paper.authors), published=day(paper.published),
                    updated=updated, venue=paper.venue, doi=paper.doi,
                    read_links=read_links(paper), bibtex=entry(paper, key),
                    meta=highwire(paper))


def search_links(title: str) -> tuple[tuple[str, str], ...]:
    query = quote_plus(title)
    return (("arXiv", f"https://arxiv.org/search/?query={query}&searchtype=title"),
            ("Hugging Face Papers", f"https://huggingface.co/papers?q={query}"),
            ("Google Scholar", f"https://scholar.google.com/scholar?q={query}"))


HEADLINE = 110  # the most characters of a headline search engines show


def headline(title: str) -> str:
    """The title, or its opening and an ellipsis when longer than HEADLINE: never cut
    between a letter and its marks (a title may be stored decomposed, as written)."""
    if len(title) <= HEADLINE:
        return title
    cut = HEADLINE - 1
    while cut > 0 and unicodedata.combining(title[cut]):
        cut -= 1
    return title[:cut].rstrip() + ELLIPSIS


def json_ld(paper: Paper, absolute_url: str, taxonomy: Taxonomy) -> str:
    """schema.org ScholarlyArticle, safe to place inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": headline(paper.title),
        "name": paper.title,
        "abstract": latex_letters(paper.abstract),
        "url": absolute_url,
        "dateCreated": paper.added,
        "about": [taxonomy.topics[t].name for t in paper.topics if t in taxonomy.topics],
        "keywords": [taxonomy.families[f].name for f in paper.families
                     if f in taxonomy.families],
        **scholarly(paper),
    }
    return _SCRIPT_UNSAFE.sub(_escape, json_bytes(data, sort_keys=True).decode("utf-8"))


# What must not appear as itself in a <script> element's JSON: markup (`</script>`,
# `<!--`), JavaScript's own line breaks, and lone surrogates, which UTF-8 cannot hold.
_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def _escape(found: re.Match) -> str:
    return f"\\u{ord(found.group()):04x}"


def _paper_page(paper: Paper, items: dict[str, PaperItem], related: list[Related],
                taxonomy: Taxonomy, base_url: str, edit_base: str, key: str) -> PaperPage:
    """The page's context: whatever it reads must be in `PaperPages.inputs`."""
    url = base_url + paper_url(paper.id)
    groups, reasons = label_review(paper, items[paper.id])
    return PaperPage(
        item=items[paper.id],
        abstract=paper.abstract,
        links=tuple(paper.links),
        sources=tuple(paper.sources),
        search_links=() if paper.arxiv else search_links(paper.title),
        edit_url=f"{edit_base}content/papers/{paper.id}.yaml" if edit_base else "",
        related=tuple(RelatedItem(items[r.id], r.reasons) for r in related),
        json_ld=json_ld(paper, url, taxonomy),
        description=summary(paper.abstract),
        citation=citation(paper, key),
        label_groups=groups,
        reasons=reasons,
    )


def summary(text: str, limit: int = 200) -> str:
    """The start of a text, cut at a word, for meta descriptions."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
