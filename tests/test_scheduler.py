"""Where a build's work runs changes nothing it writes: shared between forked processes
or made in one, the site is the same, and a failure anywhere is told, never hung on."""

from __future__ import annotations

import dataclasses
import gc
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
