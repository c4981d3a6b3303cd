"""The look-alike check runs beside the making of the site, in a process of its own: a
build reports what a check made first reports, and a site whose check finds an error
never replaces the live one."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.store import read_paper, serialise
from sitegen.site import manifest
from sitegen.site.build import build
from sitegen.site.build import render as render_here
from sitegen.site.scheduler import Apart
from sitegen.site.trees import spare_path
from sitegen.site.uptodate import record_folder

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def add_twin(content: Path) -> Path:
    """A copy of a paper under another id: the same paper twice, an error."""
    path = sorted((content / "papers").glob("*.yaml"))[1]
    paper = read_paper(path, path.name)[0]
    assert paper is not None
    twin = content / "papers" / f"{paper.id}-copy.yaml"
    twin.write_bytes(serialise(dataclasses.replace(paper, id=f"{paper.id}-copy")))
    return twin


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE, folder)
    return folder


def test_a_look_alike_found_apart_keeps_the_live_site_and_is_reported_as_a_check_does(
        content, tmp_path):
    out = tmp_path / "out"
    assert build(content, out).problems == []
    live = files(out)
    twin = add_twin(content)
    expected = load_catalogue(content).errors  # the check made in this process, first
    assert any("looks like the same paper" in problem.message for problem in expected)
    assert build(content, out).problems == expected
    assert files(out) == live
    # the site made meanwhile is the spare now, whole, with its manifest ...
    assert manifest.load(record_folder(out), spare_path(out)) is not None
    twin.unlink()
    assert build(content, out).problems == []
    # ... and the next build, which starts from it, makes the site a cold build does
    assert files(out) == render_here(load_catalogue(content), "")


def test_a_first_build_refused_by_a_look_alike_leaves_no_site_and_keeps_what_it_made(
        content, tmp_path):
    add_twin(content)
    out = tmp_path / "out"
    assert build(content, out).problems == load_catalogue(content).errors != []
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.sitegen", ".out.spare",
                                                         "content"]
    assert manifest.load(record_folder(out), spare_path(out)) is not None


def test_errors_found_apart_and_in_the_files_are_reported_together_in_order(
        content, tmp_path):
    add_twin(content)
    broken = sorted((content / "papers").glob("*.yaml"))[0]
    broken.write_text(broken.read_text().replace("title:", "titel:", 1))
    expected = load_catalogue(content).errors
    assert len({problem.path for problem in expected}) >= 2
    assert build(content, tmp_path / "out").problems == expected
    assert not (tmp_path / "out").exists()


def test_a_check_run_apart_answers_later_and_its_then_runs_in_its_process(tmp_path):
    done = tmp_path / "then"
    with Apart(processes=True) as apart:
        assert apart.run(lambda may_fork: [os.getpid(), may_fork],
                         then=lambda: done.write_text(str(os.getpid()))) == []
        pid, may_fork = apart.findings()
    assert pid != os.getpid() and may_fork is False  # forked, and forking no more
    assert done.read_text() == str(pid)


def test_a_check_run_in_this_process_answers_at_once_then_runs_its_then(tmp_path):
    done = tmp_path / "then"
    with Apart(processes=False) as apart:
        assert apart.run(lambda may_fork: [os.getpid()],
                         then=lambda: done.write_text("saved")) == [os.getpid()]
        assert apart.findings() == []
    assert done.read_text() == "saved"


def test_a_check_that_fails_apart_fails_the_build_with_its_error():
    def check(_may_fork: bool) -> list:
        raise ValueError("the check failed")

    with Apart(processes=True) as apart:
        apart.run(check, then=lambda: None)
        with pytest.raises(ValueError, match="the check failed"):
            apart.findings()
