"""The preview's build session is a cold build: after any sequence of saves, the site it
brought up to date in place holds, file for file, what a build into an empty folder
holds; the pages open in a browser are made first, and told at once.
"""

from __future__ import annotations

import dataclasses
import gc
import shutil
import tempfile
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_incremental import BASE, FIXTURE, Change, Tree, changes, files

from sitegen.catalogue.store import read_paper
from sitegen.site import assets, export, inplace, paperpages, related, render, session
from sitegen.site import settings as site_settings
from sitegen.site.build import build
from sitegen.site.paperpages import paper_url
from sitegen.site.paths import STATIC, TEMPLATES
from sitegen.site.session import Session


def inputs(tree: Tree) -> dict[Path, bytes]:
    return {tree.root / name / path: data for name in ("content", "templates", "static")
            for path, data in files(tree.root / name).items()}


def saved(before: dict[Path, bytes], after: dict[Path, bytes]) -> set[Path]:
    """The files a watcher reports: written, added or removed."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.fixture
def tree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Tree:
    return copied(Tree(tmp_path), monkeypatch)


def copied(tree: Tree, patch: pytest.MonkeyPatch) -> Tree:
    """The fixture catalogue, with templates and static files of its own."""
    shutil.copytree(FIXTURE, tree.content)
    shutil.copytree(TEMPLATES, tree.root / "templates")
    shutil.copytree(STATIC, tree.root / "static")
    for module in (site_settings, session):
        patch.setattr(module, "TEMPLATES", tree.root / "templates")
    for module in (assets, session):
        patch.setattr(module, "STATIC", tree.root / "static")
    return tree


def check_steps(tree: Tree, steps: list[Change]) -> None:
    """Apply each change, rebuild the session with what it saved, compare with cold."""
    preview = Session(tree.content, tree.root / "preview" / "out", BASE)
    assert not preview.rebuild().problems
    for step, change in enumerate(steps):
        before = inputs(tree)
        change(tree, step)
        problems = preview.rebuild(saved(before, inputs(tree))).problems
        cold = tree.root / f"cold-{step}" / "out"
        assert build(tree.content, cold, BASE, live_reload=True).problems == problems
        if not problems:
            assert files(preview.out) == files(cold), f"after {change}"


def test_edits_additions_removals_and_a_taxonomy_edit_give_the_cold_build(tree):
    steps = [Change("title", 0, "sparse tokens", [], []),
             Change("add", 3, "reward agents", ["safety"], ["llama"]),
             Change("labels", 1, "", ["peft", "evaluation"], ["mistral"]),
             Change("remove", 2, "", [], []),
             Change("taxonomy", 1, "context reasoning", [], []),
             Change("rename", 4, "vision adapters", [], []),
             Change("abstract", 5, "quantized retrieval", [], []),
             Change("settings", 0, "distillation", [], []),
             Change("template", 1, "benchmark", [], []),
             Change("title", 6, "safety vision", [], []),
             Change("template", 2, "listed", [], []),  # the papers' items in every list
             Change("title", 3, "retrieval heads", [], []),
             Change("labels", 6, "", ["safety"], ["llama"]),  # now a person's labels
             Change("topics", 6, "", ["peft", "safety"], []),  # each moves the paper:
             Change("families", 6, "", [], ["mistral"]),  # lists worked out afresh
             Change("added", 5, "", [], []),
             Change("review", 0, "", [], []),
             Change("authors", 1, "zebra", [], []),
             Change("title", 5, "moved then retitled", [], [])]
    check_steps(tree, steps)


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(changes(), min_size=1, max_size=4))
def test_after_any_saves_the_session_gives_the_cold_build(steps):
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        check_steps(copied(Tree(Path(scratch)), patch), steps)


def test_a_full_build_sets_the_sessions_objects_aside_from_the_collector(tree):
    import gc
    gc.unfreeze()
    try:
        preview = Session(tree.content, tree.root / "out", BASE)
        assert not preview.rebuild().problems
        assert gc.get_freeze_count() > 0  # each full collection would walk them all
    finally:
        gc.unfreeze()


def test_a_full_build_tells_the_open_pages_before_setting_objects_aside(tree, monkeypatch):
    from sitegen.site import session

    happened: list[str] = []
    monkeypatch.setattr(session, "set_aside_long_lived", lambda: happened.append("set aside"))
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild(None, {"index.html"}, lambda: happened.append("told")).problems
    assert happened == ["told", "set aside"]
    happened.clear()
    assert not preview.rebuild([session.TEMPLATES / "base.html"], (),
                               lambda: happened.append("told")).problems
    assert happened == ["set aside"]  # no page open: none to tell


def test_the_open_page_is_shown_at_once_and_told_again_once_the_lists_show_the_edit(tree):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    paper = tree.paper(0)[1]
    before = inputs(tree)
    Change("title", 0, "open page", [], [])(tree, 0)
    page = preview.out / "papers" / paper.id / "index.html"
    seen: list[tuple[bool, bool]] = []

    def shown() -> None:  # what a browser asking then finds
        seen.append((b"open page" in page.read_bytes(),
                     b"open page" in (preview.out / "feed.xml").read_bytes()
                     or b"open page" in (preview.out / "index.html").read_bytes()))

    assert not preview.rebuild(saved(before, inputs(tree)), {page.relative_to(preview.out)
                                                             .as_posix()}, shown).problems
    # its first look, before anything else; then the rebuild's, once the lists show it too
    assert seen == [(True, False), (True, True)]
    assert b"open page" in (preview.out / "papers.json").read_bytes()


def test_a_broken_save_writes_nothing_and_the_next_good_one_recovers(tree):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, _ = tree.paper(0)
    good, before = path.read_bytes(), files(preview.out)
    path.write_bytes(b"title: [unclosed\n")
    assert preview.rebuild([path]).problems
    assert files(preview.out) == before
    path.unlink()
    assert not preview.rebuild([path]).problems
    path.write_bytes(good)
    assert not preview.rebuild([path]).problems
    assert files(preview.out) == before


def test_a_saved_paper_page_is_shown_before_the_catalogue_is_checked_and_taken_back_if_it_fails(
        tree):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    (path, paper), (_, other) = tree.paper(0), tree.paper(1)
    before = files(preview.out)
    tree.write(dataclasses.replace(paper, title=other.title, abstract=other.abstract))
    page = preview.out / "papers" / paper.id / "index.html"
    seen: list[bool] = []
    result = preview.rebuild([path], {"index.html"},
                             lambda: seen.append(other.title.encode() in page.read_bytes()))
    assert [(p.field, p.message.split(" (")[0]) for p in result.problems] == [
        ("title", f"looks like the same paper as {min(paper.id, other.id)!r}")]
    # shown at once, then with the open page made from it: only the whole catalogue shows
    # the duplicate
    assert seen == [True, True]
    assert files(preview.out) == before  # the last good site is what stays served


def assert_cold_build(tree: Tree, preview: Session) -> None:
    """The session's site holds, file for file, what a build into an empty folder holds."""
    cold = tree.root / "cold" / "out"
    shutil.rmtree(cold, ignore_errors=True)
    assert not build(tree.content, cold, BASE, live_reload=True).problems
    assert files(preview.out) == files(cold)


def shown_when_loading(preview: Session, monkeypatch, pages: list[str], text: bytes
                       ) -> list[list[bool]]:
    """For each catalogue the session loads, whether each of `pages` showed `text` then."""
    seen: list[list[bool]] = []
    real_load = session.load_catalogue

    def load(*args, **kwargs):
        seen.append([text in (preview.out / page).read_bytes() for page in pages])
        return real_load(*args, **kwargs)

    monkeypatch.setattr(session, "load_catalogue", load)
    return seen


def test_the_files_showing_an_edit_are_in_place_before_the_catalogue_is_checked(
        tree, monkeypatch):
    """A saved paper valid on its own: its topic's page, the home page, the feed, the search
    data and the pages whose related papers list it are made from the last good catalogue
    with the paper as saved, before the catalogue is loaded and checked, and kept when the
    catalogue loaded is that one."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    linked = f'href="/papers/papers/{paper.id}/"'.encode()
    listing = next(f"papers/{p.stem}/index.html" for p in tree.papers()[1:]
                   if linked in (preview.out / "papers" / p.stem / "index.html").read_bytes())
    pages = ["index.html", "feed.xml", f"topics/{paper.topics[0]}/index.html",
             "search/index.json", listing]
    seen = shown_when_loading(preview, monkeypatch, pages, b"Ahead of the checks")
    tree.write(dataclasses.replace(paper, title="Ahead of the checks"))
    written = []
    real_write = inplace.write_files
    monkeypatch.setattr(inplace, "write_files", lambda made: (written.extend(made),
                                                               real_write(made)))
    assert not preview.rebuild([path]).problems
    assert seen == [[True] * len(pages)]
    assert len(written) == len(set(written))  # none made again once the checks passed
    assert_cold_build(tree, preview)


def test_the_files_put_ahead_of_failing_checks_are_put_back(tree, monkeypatch):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    (path, paper), (_, other) = tree.paper(0), tree.paper(1)
    before = files(preview.out)
    seen = shown_when_loading(preview, monkeypatch, ["index.html", "search/index.json"],
                              b"Quietly duplicated")
    tree.write(dataclasses.replace(paper, title="Quietly duplicated", abstract=other.abstract))
    tree.write(dataclasses.replace(other, title="Quietly duplicated"))
    result = preview.rebuild([path])  # the other file's save is not reported yet
    assert [p.field for p in result.problems] == ["title"]  # one paper, seen twice
    assert seen == [[True, True]]
    assert files(preview.out) == before  # the last good site is what stays served
    tree.write(dataclasses.replace(paper, title="Told apart again"))
    tree.write(other)
    assert not preview.rebuild([path]).problems
    assert_cold_build(tree, preview)


def test_files_put_ahead_from_a_catalogue_that_is_not_the_one_loaded_are_made_again(
        tree, monkeypatch):
    """A file changed that no save reported (the watcher's report comes later): the
    catalogue loaded differs from the one the files showing the edit were made from, so
    they are put back and made again, and none of their own is left (a search shard)."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    (path, paper), (_, other) = tree.paper(0), tree.paper(1)
    seen = shown_when_loading(preview, monkeypatch, ["search/index.json"], b"Reported")
    tree.write(dataclasses.replace(paper, title="Reported zeppelin"))
    tree.write(dataclasses.replace(other, title="Not reported xylophone"))
    assert not preview.rebuild([path]).problems
    assert seen == [[True]]
    assert_cold_build(tree, preview)


def test_a_paper_file_invalid_on_its_own_is_not_shown_before_the_rebuild(tree):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    before = files(preview.out)
    tree.write(dataclasses.replace(paper, title="Not shown", topics=["no-such-topic"]))
    seen: list[str] = []
    result = preview.rebuild([path], {"index.html"}, lambda: seen.append("told"))
    assert [p.field for p in result.problems] == ["topics[0]"]
    assert seen == [] and files(preview.out) == before


def test_the_lists_are_written_before_the_search_data_and_the_papers_pages(tree):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title="Listed early"))
    assert not preview.rebuild([path]).problems
    topic = preview.out / "topics" / paper.topics[0] / "index.html"
    search = preview.out / "search" / "index.json"
    assert b"Listed early" in topic.read_bytes() and b"Listed early" in search.read_bytes()
    assert topic.stat().st_mtime_ns <= search.stat().st_mtime_ns


def test_the_search_data_is_in_place_before_the_exports_are_made(tree, monkeypatch):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title="Searched early"))
    seen: list[bool] = []
    search = preview.out / "search" / "index.json"

    def exports(*args):
        seen.append(b"Searched early" in search.read_bytes())
        return real_exports(*args)

    real_exports = render.exports
    monkeypatch.setattr(render, "exports", exports)
    assert not preview.rebuild([path]).problems
    assert seen == [True]


def test_the_lists_and_search_data_are_in_place_before_related_papers_are_looked_for(
        tree, monkeypatch):
    """Finding related papers is the costly part of the papers' pages: the preview makes
    its index once the list pages and the search data show the edit, and takes from the
    last rebuild the lists that cannot differ."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title="First edit"))
    assert not preview.rebuild([path]).problems  # its index is the one the next looks at
    tree.write(dataclasses.replace(paper, title="Listed before related"))
    topic = preview.out / "topics" / paper.topics[0] / "index.html"
    made: list[bool] = []
    taken: list[int] = []
    real_init, real_carry = related.RelatedIndex.__init__, related.RelatedIndex.carry_over

    def init(self, *args):
        made.append(all(b"Listed before related" in page.read_bytes() for page in (
            topic, preview.out / "search" / "index.json")))
        real_init(self, *args)

    def carry_over(self, earlier):
        taken.append(real_carry(self, earlier))
        return taken[-1]

    monkeypatch.setattr(related.RelatedIndex, "__init__", init)
    monkeypatch.setattr(related.RelatedIndex, "carry_over", carry_over)
    assert not preview.rebuild([path], {paper_url(paper.id) + "index.html"}).problems
    assert made == [True] and len(taken) == 1 and taken[0] > 0


def test_pages_listing_a_saved_paper_are_made_before_other_papers_pages_and_the_exports(
        tree, monkeypatch):
    """Other papers' related lists show a saved paper's title too: their pages are made
    right after the pages open, before the other papers' pages and the exports, which no
    page shows."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    linked = f'href="/papers/papers/{paper.id}/"'.encode()
    listing = {paper_url(p.stem) + "index.html" for p in tree.papers()[1:]
               if linked in (preview.out / "papers" / p.stem / "index.html").read_bytes()}
    assert listing
    tree.write(dataclasses.replace(paper, title="Related early"))
    made: list[list[str]] = []  # the pages each step of the rebuild makes, in order
    real_outputs, real_exports = inplace.page_outputs, render.exports

    def page_outputs(pages, jobs, *args):
        made.append([job.path for job in jobs])
        return real_outputs(pages, jobs, *args)

    def exports(*args):
        made.append(["exports"])
        return real_exports(*args)

    monkeypatch.setattr(inplace, "page_outputs", page_outputs)
    monkeypatch.setattr(render, "exports", exports)
    assert not preview.rebuild([path]).problems
    papers = [step for step in made if any(page.startswith("papers/") for page in step)]
    assert papers[0] == [paper_url(paper.id) + "index.html"]  # the saved paper's, open
    assert set(papers[1]) >= listing and len(papers[1]) < len(tree.papers()) - 1
    assert made[-1] == ["exports"] and len(papers) == 3
    for page in listing:
        assert b"Related early" in (preview.out / page).read_bytes()


def test_a_first_look_finds_a_related_papers_index_made_already(tree, monkeypatch):
    """A first look is quick because the index it finds related papers with is made: after
    the start-up build, and during a rebuild (the last one's, until this one's is made)."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title="Looked at once"))
    made: list[int] = []
    real_init = related.RelatedIndex.__init__

    def init(self, *args):
        made.append(len(made))
        real_init(self, *args)

    monkeypatch.setattr(related.RelatedIndex, "__init__", init)
    preview.look_meanwhile(lambda: [path], lambda: None)
    assert made == []
    page = preview.out / "papers" / paper.id / "index.html"
    assert b"Looked at once" in page.read_bytes()
    looked: list[int] = []
    real_update = session.put_dependents

    def update(*args, **kwargs):
        if not looked:
            tree.write(dataclasses.replace(paper, title="Looked at during a rebuild"))
            preview.look_meanwhile(lambda: [path], lambda: None)
            looked.append(len(made))
        return real_update(*args, **kwargs)

    monkeypatch.setattr(session, "put_dependents", update)
    assert not preview.rebuild([path]).problems
    assert looked == [0]  # the look took the last index
    # the rebuild made one for the catalogue it put the edit's pages ahead from, and one
    # again for the catalogue it loaded, which holds the save made meanwhile
    assert made == [0, 1]


def test_a_save_made_during_a_rebuild_is_shown_at_once_left_by_it_and_made_by_the_next(tree):
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    linked = f'href="/papers/papers/{paper.id}/"'.encode()  # the related lists naming it
    other = next(p for p in tree.papers()[1:] if linked in (
        preview.out / "papers" / p.stem / "index.html").read_bytes())
    later = read_paper(other, other.name)[0]
    assert later is not None
    page = preview.out / "papers" / other.stem / "index.html"
    told: list[bool] = []

    def shown() -> None:  # once the open pages are written, the other paper is saved
        told.append(b"Saved meanwhile" in page.read_bytes())
        if len(told) == 2:
            tree.write(dataclasses.replace(later, title="Saved meanwhile"))
            preview.look_meanwhile(lambda: [other], shown)  # as the server's looker does

    tree.write(dataclasses.replace(paper, title="Saved first"))
    assert not preview.rebuild([path], {"index.html"}, shown).problems
    # the first save's look, the open pages, the other's look; then the open pages again:
    # the catalogue loaded holds the other's save, and not the one they were put ahead from
    assert told == [False, False, True, True]
    assert b"Saved meanwhile" in page.read_bytes()  # the rebuild left it as the look made it
    assert not preview.rebuild([other]).problems
    assert_cold_build(tree, preview)


def test_a_save_reported_by_its_full_path_is_looked_at_for_content_named_relatively(
        tree, monkeypatch):
    monkeypatch.chdir(tree.root)
    preview = Session(Path("content"), tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title="Seen at once"))
    page = preview.out / "papers" / paper.id / "index.html"
    seen: list[bool] = []
    assert not preview.rebuild([path.resolve()], {"index.html"},
                               lambda: seen.append(b"Seen at once" in page.read_bytes())
                               ).problems
    assert seen == [True, True]  # its first look, then the rebuild's open pages


def test_what_the_start_up_build_made_from_each_paper_is_kept_for_the_rebuilds(tree):
    """The session's first build reads the papers its rebuilds keep: what the build made
    from each (here its digest in page keys) is not made again by the first rebuild."""
    preview = Session(tree.content, tree.root / "preview" / "out", BASE)
    assert not preview.rebuild().problems
    assert preview.last is not None
    papers = list(preview.last.catalogue.papers.values())
    assert papers and all(any(make is paperpages.paper_digest.__wrapped__
                              for make, _ in preview.memo.values_of(paper))
                          for paper in papers)


def test_the_first_rebuild_takes_the_unchanged_papers_export_lines_from_the_build_record(
        tree, monkeypatch):
    """A start-up that took the export files whole from an earlier build made no paper's
    lines: the first rebuild takes them from what that build kept, and makes only the
    edited paper's (at 50,000 papers, making them all doubled its time)."""
    out = tree.root / "out"
    assert not build(tree.content, out, BASE).problems
    preview = Session(tree.content, out, BASE)
    made: list[str] = []
    real = export.export_lines

    def noting(paper):
        made.append(paper.id)
        return real(paper)

    monkeypatch.setattr(export, "export_lines", noting)
    assert not preview.rebuild().problems
    assert made == []  # the start-up took the exports from the earlier build
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title=paper.title + " (edited)"))
    assert not preview.rebuild([path]).problems
    assert made == [paper.id]
    assert_cold_build(tree, preview)


def test_the_first_rebuild_takes_the_unchanged_papers_items_from_the_build_record(
        tree, monkeypatch):
    """The start-up build keeps the papers' items as list pages show them (`itemmemo`): the
    first rebuild renders again only the edited paper's, not every item of the lists it
    makes (thousands at 20,000 papers)."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    rendered: list[str] = []
    real = jinja2.Template.render

    def noting(template, *args, **kwargs):
        if template.name == "_paper_item.html":
            rendered.append(kwargs["item"].id)
        return real(template, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", noting)
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title=paper.title + " (edited)"))
    assert not preview.rebuild([path]).problems
    assert rendered == [paper.id]
    assert_cold_build(tree, preview)


def test_the_first_rebuild_finds_no_related_list_that_its_edit_cannot_change(tree, monkeypatch):
    """The start-up finds every paper's related papers, so that the first rebuild carries
    them over (at 20,000 papers, finding them all took 7 of its 18 s)."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, added="2020-01-01"))  # no related list reads it
    found: list[str] = []
    real = related.RelatedIndex.related

    def related_papers(self, paper_id):
        if paper_id not in self._lists:
            found.append(paper_id)
        return real(self, paper_id)

    monkeypatch.setattr(related.RelatedIndex, "related", related_papers)
    assert not preview.rebuild([path]).problems
    assert found == [] and len(preview.last.jobs.pages.papers) > 5


def test_the_taxonomy_is_loaded_again_only_when_its_file_changed(tree, monkeypatch):
    """Loading the taxonomy (compiling its patterns) is a good part of a small catalogue's
    rebuild: a paper's save reuses the last one; the taxonomy's file saved, or changed
    without the watcher saying so, is loaded again."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    loads: list[Path] = []
    real = session.load_taxonomy

    def load(path, shown):
        loads.append(path)
        return real(path, shown)

    monkeypatch.setattr(session, "load_taxonomy", load)
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title=paper.title + " again"))
    assert not preview.rebuild([path]).problems and loads == []
    taxonomy = tree.content / "taxonomy.yaml"
    text = taxonomy.read_text()
    renamed = text.replace("name: Quantization", "name: Quantisation", 1)
    assert renamed != text
    taxonomy.write_text(renamed)
    assert not preview.rebuild([taxonomy]).problems and loads == [taxonomy]
    page = tree.root / "out" / "topics" / "quantization" / "index.html"
    assert "Quantisation" in page.read_text()
    taxonomy.write_text(text.replace("name: Quantization", "name: Low-bit quantization", 1))
    tree.write(dataclasses.replace(paper, title=paper.title + " once more"))
    assert not preview.rebuild([path]).problems and loads == [taxonomy, taxonomy]
    assert "Low-bit quantization" in page.read_text()


def test_a_rebuild_runs_without_the_cycle_collector(tree, monkeypatch):
    """The collector would walk the whole kept catalogue again and again while a rebuild
    makes its objects (seconds at 20,000 papers); it runs again once the rebuild is done."""
    preview = Session(tree.content, tree.root / "out", BASE)
    assert not preview.rebuild().problems
    seen: list[bool] = []
    real = session.load_catalogue

    def load(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(session, "load_catalogue", load)
    path, paper = tree.paper(0)
    tree.write(dataclasses.replace(paper, title=paper.title + " again"))
    assert gc.isenabled()
    assert not preview.rebuild([path]).problems
    assert seen == [False] and gc.isenabled()


def test_a_paper_saved_after_the_build_took_its_identity_is_read_again_next_time(tmp_path):
    """The build takes each file's identity first (its up-to-date check) and the paper
    cache reads by it: a file saved between the two is read as it was, and the session
    must pair that reading with that identity, so that the next rebuild reads the file
    again. (Paired with the new identity, the edit was never shown.)"""
    from sitegen.site.papercache import PaperCache, identity

    paper = shutil.copy(FIXTURE / "papers" / "mistral-7b.yaml", tmp_path / "mistral-7b.yaml")
    item = (Path(paper), "papers/mistral-7b.yaml")
    first = PaperCache(tmp_path / "cache")
    first.read_papers([item])
    first.save()
    taken = identity(item[0])  # the build's look at the file, before it was saved again
    text = item[0].read_text("utf-8")
    item[0].write_text(text.replace("title: Mistral 7B", "title: Mistral 7B, edited"), "utf-8")
    files = session.PaperFiles()
    [(read, _, _)] = files.read([item], PaperCache(tmp_path / "cache",
                                                   {str(item[0]): taken}))
    assert read.title == "Mistral 7B"  # as the build took it
    [(again, _, _)] = files.read([item], PaperCache(tmp_path / "cache"))
    assert again.title == "Mistral 7B, edited"
