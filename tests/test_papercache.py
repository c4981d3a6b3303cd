"""Paper files parsed once: a catalogue loaded through the cache is the catalogue loaded
without it, papers and problems alike, whether the cache is cold, warm or stale."""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, fixture_catalogues

from sitegen.catalogue.load import Catalogue, load_catalogue
from sitegen.core import perpaper
from sitegen.core.parallel import MIN_ITEMS
from sitegen.site import papercache
from sitegen.site.bibtex import key_base
from sitegen.site.build import build
from sitegen.site.digest import digest
from sitegen.site.papercache import FILES, PaperCache
from sitegen.site.session import PaperFiles
from sitegen.site.uptodate import build_stamp, record_folder


def cached_load(content: Path, folder: Path, parallel: bool = False) -> Catalogue:
    cache = PaperCache(folder)
    catalogue = load_catalogue(content, read_papers=lambda items: cache.read_papers(
        items, parallel))
    cache.save()
    return catalogue


def shards(folder: Path) -> list[Path]:
    """The files holding the entries."""
    return sorted(folder.glob("[0-9a-f].json"))


def same(first: Catalogue, second: Catalogue) -> None:
    assert first.papers == second.papers
    assert first.problems == second.problems


def test_every_fixture_catalogue_loads_the_same_through_a_cold_and_a_warm_cache(
        fixture_tree, tmp_path):
    for content in fixture_catalogues(fixture_tree):
        plain = load_catalogue(content)
        folder = tmp_path / content.name
        same(cached_load(content, folder), plain)  # every file parsed, then kept
        same(cached_load(content, folder), plain)  # every file from the cache


def test_an_edited_file_is_parsed_again_and_its_new_problem_is_reported(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    folder = tmp_path / "cache"
    cached_load(content, folder)
    paper = content / "papers" / "mistral-7b.yaml"
    paper.write_text(paper.read_text("utf-8").replace("title: Mistral 7B", "title: Mistral 8B"),
                     "utf-8")
    assert cached_load(content, folder).papers["mistral-7b"].title == "Mistral 8B"
    paper.write_text(paper.read_text("utf-8").replace("topics:", "topics: [oops"), "utf-8")
    loaded = cached_load(content, folder)
    assert "mistral-7b" not in loaded.papers
    same(loaded, load_catalogue(content))
    assert [p for p in loaded.errors if "mistral-7b" in p.path]


def test_a_cache_written_by_other_code_or_spoilt_is_not_used(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    folder = tmp_path / "cache"
    cached_load(content, folder)
    for shard in shards(folder):
        data = json.loads(shard.read_text("utf-8"))
        for entry in data["entries"].values():
            entry[0]["title"] = "Not what the file says"
        shard.write_text(json.dumps({**data, "version": "older code"}), "utf-8")
    same(cached_load(content, folder), load_catalogue(content))
    for spoilt in folder.glob("*.json"):  # the entries, and the files' identities
        spoilt.write_text("{not json", "utf-8")
    same(cached_load(content, folder), load_catalogue(content))


def test_entries_of_files_no_longer_there_are_dropped(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    folder = tmp_path / "cache"
    cached_load(content, folder)
    count = sum(len(json.loads(s.read_text())["entries"]) for s in shards(folder))
    assert count == len(list((content / "papers").glob("*.yaml")))
    for paper in (content / "papers").glob("*.yaml"):
        paper.unlink()
    cached_load(content, folder)
    assert sum(len(json.loads(s.read_text())["entries"]) for s in shards(folder)) == 0
    assert json.loads((folder / FILES).read_text())["files"] == {}


def test_a_paper_from_the_cache_has_the_digest_its_values_give(tmp_path):
    """The digest kept with an entry, which a build takes rather than pickling the paper
    again to key its page, is the digest of the paper the entry gives."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    for _ in range(2):  # parsed, then from the cache
        papers = cached_load(content, tmp_path / "cache").papers.values()
        assert [digest(p) for p in papers] == [digest(copy.deepcopy(p)) for p in papers]


def test_a_paper_from_the_cache_teaches_a_builds_memo_the_facts_its_values_give(tmp_path):
    """The values kept with an entry (`FACTS`), which a build's memo learns rather than
    making them again, are those the paper gives, of the same type; a memo that learns
    only keeps nothing it makes, and one already open learns them instead."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    for _ in range(2):  # parsed, then from the cache
        with perpaper.learning():
            memo = perpaper._active[-1]
            papers = list(cached_load(content, tmp_path / "cache").papers.values())
            for make, args, _ in papercache.FACTS:
                for paper in papers:
                    learnt = memo.values_of(paper)[make.__wrapped__, args]
                    assert learnt == make.__wrapped__(paper, *args)
                    assert type(learnt) is type(make.__wrapped__(paper, *args))
            assert len(memo) == len(papers) * len(papercache.FACTS)
            key_base(dataclasses.replace(papers[0], title="Another title"))
            assert len(memo) == len(papers) * len(papercache.FACTS)
    session = perpaper.PaperMemo()
    with perpaper.keeping(session), perpaper.learning():
        assert perpaper._active == [session]
        papers = list(cached_load(content, tmp_path / "cache").papers.values())
    assert len(session) == len(papers) * len(papercache.FACTS)


def counting_reads(monkeypatch) -> list[str]:
    """The names of the paper files read from now on."""
    names: list[str] = []
    read = papercache.read_paper_text

    def counted(path: Path, shown: str):
        names.append(path.name)
        return read(path, shown)
    monkeypatch.setattr(papercache, "read_paper_text", counted)
    return names


def test_a_file_is_read_again_only_when_its_identity_changed(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    folder = tmp_path / "cache"
    plain = load_catalogue(content)
    same(cached_load(content, folder), plain)
    read = counting_reads(monkeypatch)
    same(cached_load(content, folder), plain)
    assert read == []
    paper = content / "papers" / "mistral-7b.yaml"
    os.utime(paper, ns=(1_000_000_000, 1_000_000_000))  # same bytes, other times
    same(cached_load(content, folder), plain)
    assert read == ["mistral-7b.yaml"]


def test_a_file_rewritten_with_its_old_size_and_times_is_read_again(tmp_path, monkeypatch):
    """Only the change time tells this edit apart, and no tool can set it back."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    folder = tmp_path / "cache"
    cached_load(content, folder)
    paper = content / "papers" / "mistral-7b.yaml"
    before = paper.stat()
    paper.write_text(paper.read_text("utf-8").replace("title: Mistral 7B", "title: Mistral 8B"),
                     "utf-8")
    os.utime(paper, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert paper.stat().st_size == before.st_size
    read = counting_reads(monkeypatch)
    assert cached_load(content, folder).papers["mistral-7b"].title == "Mistral 8B"
    assert read == ["mistral-7b.yaml"]


def test_a_build_takes_each_files_identity_from_its_stamp_and_misses_no_later_edit(
        tmp_path, monkeypatch):
    """The stamp's state of each file was taken before anything was read: a file edited
    since is built as the stamp saw it, and the next build (whose stamp differs) reads it."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    out = tmp_path / "out"
    assert not build(content, out).problems
    stamp = build_stamp(content, "", False)
    paper = content / "papers" / "mistral-7b.yaml"
    assert stamp.seen[str(paper)] == papercache.identity(paper)
    paper.write_text(paper.read_text("utf-8").replace("title: Mistral 7B", "title: Mistral 8B"),
                     "utf-8")
    read = counting_reads(monkeypatch)
    monkeypatch.setattr(papercache, "identity", lambda path: pytest.fail(f"{path} stat again"))
    assert not build(content, out, force=True, stamp=stamp).problems
    assert read == [] and "Mistral 7B" in (out / "papers/mistral-7b/index.html").read_text()
    monkeypatch.undo()
    read = counting_reads(monkeypatch)
    assert not build(content, out).problems
    assert read == ["mistral-7b.yaml"]
    assert "Mistral 8B" in (out / "papers/mistral-7b/index.html").read_text()


def test_reading_in_two_processes_gives_the_same_catalogue(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    same(cached_load(content, tmp_path / "cache", parallel=True), load_catalogue(content))


def test_files_read_by_two_processes_are_read_parsed_and_kept_as_by_one(tmp_path):
    """Enough files for a second process (the shipped papers), read three times: into an
    empty cache, then with half of them touched (their bytes known, their identity not),
    with one gone since it was listed. Each time the reads, and what the cache keeps
    and will save, are those of reading every file in this process."""
    papers = sorted((ROOT / "content" / "papers").glob("*.yaml"))
    assert len(papers) >= MIN_ITEMS
    folder = tmp_path / "papers"
    shutil.copytree(ROOT / "content" / "papers", folder)
    items = [(folder / path.name, f"papers/{path.name}") for path in papers]
    caches = {parallel: PaperCache(tmp_path / f"cache-{parallel}") for parallel in (False, True)}
    for round_ in range(3):
        if round_ == 1:
            for path, _ in items[::2]:
                os.utime(path, (1_000_000_000, 1_000_000_000))
        if round_ == 2:
            items.append((folder / "gone.yaml", "papers/gone.yaml"))
        one, two = (caches[parallel].read_papers(items, parallel) for parallel in (False, True))
        assert one == two
        assert [vars(caches[False])[k] == vars(caches[True])[k]
                for k in ("shards", "used", "changed", "seen")] == [True] * 4
    assert one[-1][2][0].message == "cannot be read: the file is gone"


def cached_entries(out: Path) -> set[str]:
    """The keys of the entries a build left in its cache."""
    cache = PaperCache(record_folder(out) / "papers")
    return {key for shard in "0123456789abcdef" for key in cache._shard(shard)}


@pytest.mark.parametrize("live_reload", [False, True])  # forked processes, or this one
def test_a_build_leaves_every_file_parsed_for_the_next_even_when_it_fails(tmp_path,
                                                                       live_reload):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    out = tmp_path / "out"
    assert not build(content, out, live_reload=live_reload).problems
    papers = sorted((content / "papers").glob("*.yaml"))
    first = cached_entries(out)
    assert len(first) == len(papers)
    papers[0].write_text(papers[0].read_text() + "unknown_field: 1\n")  # fails validation
    assert build(content, out, live_reload=live_reload).problems
    second = cached_entries(out)
    assert len(second) == len(papers) and len(second - first) == 1  # the edited file's


def test_a_reader_that_kept_the_files_it_had_read_keeps_their_entries(tmp_path):
    """The preview's session reads through the cache only the files saved since; saving the
    cache then keeps the others' entries, for the next build to find."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    folder, files = tmp_path / "cache", PaperFiles()
    papers = sorted((content / "papers").glob("*.yaml"))

    def session_load() -> None:
        cache = PaperCache(folder)
        load_catalogue(content, read_papers=lambda items: files.read(items, cache))
        cache.save()

    session_load()
    papers[0].write_text(papers[0].read_text("utf-8") + "# a comment\n", "utf-8")
    session_load()
    assert sum(len(json.loads(s.read_text())["entries"]) for s in shards(folder)) == len(papers)
    assert len(json.loads((folder / FILES).read_text())["files"]) == len(papers)
