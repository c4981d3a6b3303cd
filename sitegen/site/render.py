"""Every file of the site as plain jobs: files made as bytes (the search data, the
exports, the static files) and pages to render (path, template, typed context).

Nothing here knows in which process or in what order a job is done, nor writes
anything: `scheduler` decides and `output` writes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sitegen.catalogue.load import ValidCatalogue
from sitegen.catalogue.taxonomy import Taxonomy
from sitegen.core.model import Paper
from sitegen.search.files import search_plan
from sitegen.site.assets import assets
from sitegen.site.bibtex import citation_keys
from sitegen.site.codedigest import code_digest
from sitegen.site.contexts import (
    CellContext,
    FamiliesContext,
    FamilyContext,
    FeedContext,
    HomeContext,
    NoContext,
    PlainContext,
    SitemapContext,
    SitemapIndexContext,
    TextContext,
    TopicContext,
    TopicsContext,
)
from sitegen.site.digest import digest
from sitegen.site.export import export_files
from sitegen.site.exportmemo import ExportMemo
from sitegen.site.jinja import Environments, Job, asset_versions, environment
from sitegen.site.pages import Pages, build_pages
from sitegen.site.pagesedit import LastPages, edited_pages
from sitegen.site.paperpages import paper_digest
from sitegen.site.reads import ReadValues, RenderMemo, Renders
from sitegen.site.relatedmemo import RelatedMemo
from sitegen.site.searchmemo import SearchMemo
from sitegen.site.settings import Site, edit_base, site_settings

File = tuple[str, bytes]  # an output file: its path in the site, and its bytes


@dataclass(frozen=True)
class PageJobs:
    """Every page to render, the environments that render them, and the contents of the
    pages' contexts."""

    templates: Environments
    jobs: list[Job]
    pages: Pages
    # what the next build may start from, saved once this process has rendered its share
    # of the pages: the related-papers index
    keep: Callable[[], None]
    # what each process rendering pages keeps once it has rendered its share: the papers'
    # items it rendered
    save_items: Callable[[], None]

    def rendered(self, jobs: Iterable[Job]) -> Iterator[File]:
        for job in jobs:
            yield job.path, self.templates.render(job)


@dataclass(frozen=True)
class FileGroup:
    """Files made together from the same data, as bytes. `key` gives a digest of that data
    and of the code, cheaper to know than the files: equal keys make equal files."""

    key: Callable[[], str]
    make: Callable[[], Iterator[File]]


KeyedFile = tuple[str, str, Callable[[], bytes]]  # path, key ("": always made), make


@dataclass(frozen=True)
class KeyedFiles:
    """Files made from shared data, each with its own key (a digest of what it is made
    from, and of the code): each is taken or made on its own."""

    files: Callable[[], Iterator[KeyedFile]]


@dataclass(frozen=True)
class SiteJobs:
    """Every file of the site, as work not yet done. `groups` make the files made as bytes;
    `pages` prepares what every page needs (the contexts, the compiled templates) and
    lists the pages. Together they hold the site, each file once."""

    groups: list[FileGroup | KeyedFiles]
    pages: Callable[[], PageJobs]
    values: ReadValues  # the value of every read a page may make (see `reads`)

    def files(self) -> Iterator[File]:
        for group in self.groups:
            if isinstance(group, KeyedFiles):
                yield from ((path, make()) for path, _, make in group.files())
            else:
                yield from group.make()

    def all(self) -> Iterator[File]:
        """Every file, made here, one after another."""
        yield from self.files()
        pages = self.pages()
        yield from pages.rendered(pages.jobs)


def site_jobs(catalogue: ValidCatalogue, base_url: str, live_reload: bool = False,
              compiled: Path | None = None, search: SearchMemo | None = None,
              kept: RenderMemo | None = None, related: RelatedMemo | None = None,
              lines: ExportMemo | None = None, earlier: LastPages | None = None) -> SiteJobs:
    """The site of a valid catalogue; `base_url` (if given) overrides site.yaml's. The
    settings and static files are read now (a bad base URL or a missing library stops
    the build before anything is made); the rest is made when asked for. Compiled
    templates are kept in the folder `compiled`, if given, for the next build, the
    search postings in `search`, the papers' rendered items in `kept`, the state of the
    related-papers index in `related` and the papers' export lines in `lines`; the pages'
    contents are made from `earlier` ones where edits moved no paper (see `pagesedit`)."""
    site = site_settings(catalogue, base_url, live_reload)
    static = assets()
    papers = list(catalogue.papers.values())
    # the citation keys made now, before the data files' process forks, to share them; the
    # preview, which forks none, makes them where they are needed (its pages have them)
    keys = None if live_reload else citation_keys(papers)
    values = ReadValues(site, asset_versions(static))
    renders = None if kept is None else kept.for_build(values)
    return SiteJobs(groups=data_files(papers, catalogue.taxonomy, site, static, search, lines,
                                      keys),
                    pages=functools.partial(page_jobs, catalogue, site, static, compiled,
                                            renders, related, earlier, keys),
                    values=values)


def data_files(papers: list[Paper], taxonomy: Taxonomy, site: Site, static: dict[str, bytes],
               search: SearchMemo | None = None, lines: ExportMemo | None = None,
               keys: dict[str, str] | None = None) -> list[FileGroup | KeyedFiles]:
    """The search data (each shard from its terms' postings), the catalogue as JSON, CSV
    and BibTeX (from every field of every paper, each paper's lines taken from `lines`
    where it kept them, under the citation `keys`, if given), and the static files."""
    code = code_digest()
    digests = functools.cache(lambda: [paper_digest(p) for p in papers])  # key, then lines
    return [KeyedFiles(functools.partial(search_data, papers, taxonomy, code, search)),
            FileGroup(lambda: digest("exports", digests(), code),
                      functools.partial(exports, papers, digests, lines, keys)),
            FileGroup(functools.partial(digest, "static", static, code),
                      lambda: (("static/" + name, data) for name, data in static.items()))]


def search_data(papers: list[Paper], taxonomy: Taxonomy, code: str,
                search: SearchMemo | None) -> Iterator[KeyedFile]:
    """The search data's files, its postings brought up to date from those `search` kept."""
    plan = search_plan(papers, taxonomy, earlier=search.earlier() if search else None)
    if search is not None:
        search.keep(plan.counted)
    for path, key, make in plan.files():
        yield path, key and digest("search", key, code), make


def exports(papers: list[Paper], digests: Callable[[], list[str]],
            memo: ExportMemo | None, keys: dict[str, str] | None = None) -> Iterator[File]:
    """The export files, each paper's lines taken from `memo` where it kept them (by the
    paper's digest, from `digests`), which then keeps those of this catalogue."""
    if memo is None:
        yield from export_files(papers, keys=keys)
        return
    found = dict(zip((paper.id for paper in papers), digests(), strict=True))
    yield from export_files(papers, lambda paper, key: memo.lines(paper, key, found[paper.id]),
                            keys)
    memo.save()


def page_jobs(catalogue: ValidCatalogue, site: Site, static: dict[str, bytes],
              compiled: Path | None = None, kept: Renders | None = None,
              related: RelatedMemo | None = None, earlier: LastPages | None = None,
              keys: dict[str, str] | None = None) -> PageJobs:
    """Every page: the HTML pages, the sitemaps, robots.txt and the feed, with their
    templates compiled."""
    edits = edit_base(catalogue.site)
    pages = None
    if earlier is not None and site.live_reload:  # the preview's, whose index is made lazily
        pages = edited_pages(earlier, catalogue, site.base_url, edits)
    if pages is None:
        pages = build_pages(catalogue, site.base_url, edits, site.live_reload, related, keys)
    templates = Environments(environment(site, static, compiled, kept), compiled)
    jobs = html_pages(pages, catalogue.pages)
    html_paths = sorted([*pages.papers.page_dirs, *(  # the papers' sorted already: a merge
        job.path.removesuffix("index.html") for job in jobs
        if job.inputs is None and job.path != "404.html")])  # (the other pages)
    jobs += sitemaps(html_paths, site.base_url)
    jobs += [Job("robots.txt", "robots.txt", NoContext()),
             Job("feed.xml", "feed.xml",
                 FeedContext(pages.home.recent,
                         {item.id: catalogue.papers[item.id] for item in pages.home.recent}))]
    templates.compile(job.template for job in jobs)
    keep = (functools.partial(related.keep, pages.papers.related_index())
            if related is not None and not site.live_reload else _nothing)
    save_items = (functools.partial(kept.save, pages.papers.item_digests)
                  if kept is not None else _nothing)
    return PageJobs(templates, jobs, pages, keep, save_items)


def _nothing() -> None:
    """Nothing to keep."""


def html_pages(pages: Pages, about: dict[str, str]) -> list[Job]:
    """Every HTML page: its output path, template and context."""
    papers = pages.papers
    jobs = [Job("index.html", "home.html", HomeContext(pages.home))]
    context, inputs = papers.context, papers.inputs  # (bound once: 50,000 jobs)
    jobs += [Job(path, "paper.html", functools.partial(context, i), functools.partial(inputs, i))
             for i, path in enumerate(papers.page_paths)]
    jobs.append(Job("topics/index.html", "topics.html", TopicsContext(pages.topic_index)))
    jobs += [Job(t.topic.url + "index.html", "topic.html", TopicContext(t, t.topic.url))
             for t in pages.topics]
    for cell in pages.cells:
        path = f"{cell.topic.url}{cell.family.id}/"
        jobs.append(Job(path + "index.html", "cell.html", CellContext(cell, path)))
    jobs.append(Job("families/index.html", "families.html",
                    FamiliesContext(pages.family_tree)))
    jobs += [Job(f.family.url + "index.html", "family.html", FamilyContext(f, f.family.url))
             for f in pages.families]
    jobs.append(Job("search/index.html", "search.html", PlainContext("search/")))
    jobs += [Job(f"{name}/index.html", "page.html", TextContext(text, f"{name}/"))
             for name, text in about.items()]
    jobs.append(Job("404.html", "404.html", PlainContext("404.html")))
    return jobs


# What the sitemaps protocol allows in one file: 50,000 addresses and 50 MB.
SITEMAP_URLS, SITEMAP_BYTES = 50_000, 50_000_000
_SITEMAP_ENTRY = len("  <url><loc></loc></url>\n")


def sitemaps(paths: list[str], base_url: str) -> list[Job]:
    """`sitemap.xml` listing every page; when the protocol's limits do not let one file
    hold them all (a catalogue of 50,000 papers), it lists files under `sitemap/` that do
    (`sitemap` is a reserved page name)."""
    longest = 5 * len(base_url) + max(map(len, paths), default=0) + _SITEMAP_ENTRY  # escaped
    per_file = max(1, min(SITEMAP_URLS, (SITEMAP_BYTES - 1000) // longest))
    if len(paths) <= per_file:
        return [Job("sitemap.xml", "sitemap.xml", SitemapContext(tuple(paths)))]
    parts = [Job(f"sitemap/{n}.xml", "sitemap.xml",
                 SitemapContext(tuple(paths[start:start + per_file])))
             for n, start in enumerate(range(0, len(paths), per_file), start=1)]
    return [Job("sitemap.xml", "sitemap-index.xml",
                SitemapIndexContext(tuple(job.path for job in parts))), *parts]
