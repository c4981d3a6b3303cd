"""The two preview servers measured by bench/preview.py: `sitegen serve` over the size's
catalogue and `hugo server` over the bench's Hugo site of the same papers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from bench import hugo
from bench.harness import SITEGEN, StepFailed
from bench.preview import DEPENDENTS, Edit, free_port, measure_server, median_of, slowest
from sitegen.core.model import Paper

Log = Callable[[str], None]


def newest_paper(content: Path) -> Paper:
    """The paper the home page and the feed list first, so that they show its edits."""
    from sitegen.catalogue.load import load_catalogue
    from sitegen.site.pages import recent_order

    papers = load_catalogue(content).papers
    if not papers:
        raise StepFailed(f"{content} has no paper to edit")
    return max(papers.values(), key=recent_order)


def sitegen_pages(paper: Paper, listing: str | None = None) -> dict[str, str]:
    """The paper's address and those of the pages that show its title, by name: `listing`
    is another paper that lists it among its related papers, if one does."""
    from sitegen.site.pages import family_url, topic_url
    from sitegen.site.paperpages import paper_url

    pages = {"paper": paper_url(paper.id), "topic": topic_url(paper.topics[0]), "home": "",
             "feed": "feed.xml", "search": "search/index.json"}
    if paper.families:
        pages["family"] = family_url(paper.families[0])
    if listing is not None:
        pages["related"] = paper_url(listing)
    return pages


def listing_as_related(content: Path, paper: Paper, titles: list[str]) -> str | None:
    """The first paper, in the order of ids, whose page lists `paper` among its related
    papers whichever of `titles` it is saved with (an edit's words change its related
    papers, and a page that stops listing it would never show the edit); None if none
    does."""
    from sitegen.catalogue.load import load_catalogue
    from sitegen.site.related import RelatedIndex

    catalogue = load_catalogue(content)
    if not titles:
        return None
    if catalogue.taxonomy is None:
        raise StepFailed(f"{content} has no valid taxonomy: see `sitegen check`")
    indexes = [RelatedIndex({**catalogue.papers,
                             paper.id: dataclasses.replace(paper, title=title)},
                            catalogue.taxonomy) for title in titles]
    return next((other for other in indexes[0].ids if other != paper.id
                 and all(any(r.id == paper.id for r in index.related(other))
                         for index in indexes)), None)


def sitegen_latencies(content: Path, paper: Paper, here: Path, edits: int, timeout: float,
                      log: Log) -> dict:
    """`sitegen serve`: the paper's page alone, then with the pages depending on it."""
    from sitegen.catalogue.store import serialise

    here.mkdir(parents=True, exist_ok=True)
    port = free_port()
    edit = Edit(content / "papers" / f"{paper.id}.yaml", paper.title,
                lambda title: serialise(dataclasses.replace(paper, title=title)))
    second = range(edits + 1, 2 * edits + 1)  # the round polling the dependent pages too
    pages = sitegen_pages(paper, listing_as_related(content, paper,
                                                    [edit.title_of(k) for k in second]))
    command = [*SITEGEN, "serve", "--content", str(content), "--out", str(here / "site"),
               "--port", str(port)]
    alone, together = measure_server(
        command, here / "serve.log", f"http://127.0.0.1:{port}/", edit,
        [({"paper": pages["paper"]}, range(1, edits + 1)),
         (pages, second)], timeout, lambda text: log(f"serve {text}"))
    found = median_of("serve", alone["paper"])
    for name in ("topic", "home", "search"):
        found.update(median_of(f"serve_{name}", together[name]))
    found.update(median_of("serve_dependents", slowest(together, DEPENDENTS)))
    return found


def hugo_latencies(project: Path, paper_id: str, here: Path, edits: int, timeout: float,
                   log: Log) -> dict:
    """`hugo server` (as it starts by default: pages in memory, fast render mode) on the
    same paper's page of the bench's Hugo site."""
    hugo.require()
    here.mkdir(parents=True, exist_ok=True)
    port = free_port()
    path = hugo.page_path(project, paper_id)
    text = path.read_text(encoding="utf-8")
    edit = Edit(path, hugo.page_title(text), lambda title: hugo.retitled(text, title))
    (alone,) = measure_server(hugo.server_command(project, port, here / "cache"),
                              here / "server.log", f"http://127.0.0.1:{port}/", edit,
                              [({"paper": hugo.page_url(paper_id)}, range(1, edits + 1))],
                              timeout, lambda said: log(f"hugo server {said}"))
    return median_of("hugo_serve", alone["paper"])
