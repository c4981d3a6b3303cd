"""Where a build's work runs changes nothing it writes: shared between forked processes
or made in one, the site is the same, and a failure anywhere is told, never hung on."""

from __future__ import annotations

import dataclasses
import gc
import os
import time
from pathlib import Path

import pytest
from conftest import ROOT, run

from sitegen.catalogue.load import load_catalogue, validated
from sitegen.site import render
from sitegen.site.build import render as render_here
from sitegen.site.output import write_new
from sitegen.site.render import site_jobs
from sitegen.site.scheduler import Scheduler, stream

FIXTURE = ROOT / "tests" / "fixtures" / "site"
BASE = "https://example.org/papers/"


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def catalogue():
    return validated(load_catalogue(FIXTURE))


@pytest.mark.parametrize("processes", [True, False])
def test_forked_or_not_the_site_is_the_one_rendered_in_one_process(catalogue, tmp_path,
                                                                   processes):
    out = tmp_path / "out"
    written = Scheduler(processes).write(site_jobs(catalogue, BASE), out, tmp_path / "record")
    expected = render_here(load_catalogue(FIXTURE), BASE)
    assert files(out) == expected
    assert sorted(written) == sorted(expected)
    assert all(written[name][0] == len(data) for name, data in expected.items())


class _Noting:
    """Page rendering that notes, in a file, the process rendering each page."""

    def __init__(self, templates, notes: Path):
        self.templates, self.notes = templates, notes

    def render(self, job):
        with self.notes.open("a") as notes:
            notes.write(f"{os.getpid()} {job.path}\n")
        return self.templates.render(job)

    def __getattr__(self, name):
        return getattr(self.templates, name)


def test_the_forked_process_renders_the_pages_while_this_one_keeps_what_they_share(
        catalogue, tmp_path):
    """Pages are claimed, not dealt out: while this process saves the related-papers index
    for the next build, the forked one takes every page it can (here all of them)."""
    notes, site = tmp_path / "rendered", site_jobs(catalogue, BASE)
    pages = site.pages()

    def keep() -> None:  # slow: the other process has time to render them all
        deadline = time.monotonic() + 30
        while len(_lines(notes)) < len(pages.jobs) and time.monotonic() < deadline:
            time.sleep(0.01)
        pages.keep()

    noting = dataclasses.replace(pages, keep=keep, templates=_Noting(pages.templates, notes))
    out = tmp_path / "out"
    Scheduler(True).write(dataclasses.replace(site, pages=lambda: noting), out, tmp_path / "r")
    rendered = [line.split(" ", 1) for line in _lines(notes)]
    assert sorted(path for _, path in rendered) == sorted(job.path for job in pages.jobs)
    assert {pid for pid, _ in rendered} != {str(os.getpid())}
    assert len({pid for pid, _ in rendered}) == 1
    assert files(out) == render_here(load_catalogue(FIXTURE), BASE)


def _lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_pages_are_jobs_of_a_template_and_a_typed_context(catalogue):
    pages = site_jobs(catalogue, BASE).pages()
    for job in pages.jobs:
        context = job.context() if callable(job.context) else job.context
        assert dataclasses.is_dataclass(context), job.path
        pages.templates.template(job.template)  # compiled, found by name
    assert len({job.path for job in pages.jobs}) == len(pages.jobs)


def test_a_process_that_fails_writing_its_part_is_named_and_the_old_site_stays(
        tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert run("build", "--content", str(FIXTURE), "--out", str(out)) == 0
    before = files(out)

    def failing(*_args, **_options):
        raise OSError("no space left for the search data")

    monkeypatch.setattr(render, "search_plan", failing)  # made in a forked process
    monkeypatch.setattr(render, "code_digest", lambda: "other code")  # nothing is reused
    capsys.readouterr()
    assert run("build", "--content", str(FIXTURE), "--out", str(out), "--force") == 1
    assert capsys.readouterr().err == (
        "sitegen: writing the site failed: no space left for the search data\n"
        "sitegen: a process writing part of the site failed (see above)\n")
    assert files(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.sitegen", ".out.sitegen.json",
                                                          "out"]


def test_a_file_that_cannot_be_written_stops_the_stream_with_its_error(tmp_path):
    made: list[int] = []

    def many():
        yield "a", b"file"
        for n in range(1000):
            made.append(n)
            yield f"a/{n}", b"under a file"

    with pytest.raises(FileExistsError):  # a folder where a file is
        stream(tmp_path, many(), write_new)
    assert len(made) < 1000  # the rest is not made once the writer has failed


def test_long_lived_data_is_made_without_the_collector_and_then_set_aside():
    frozen = gc.get_freeze_count()
    try:
        assert Scheduler(processes=True).long_lived(gc.isenabled) is False
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
    assert Scheduler(processes=False).long_lived(gc.isenabled) is True
