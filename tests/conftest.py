"""Shared fixtures: a scratch catalogue built from the fixture dumps on disk."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from sitegen.cli import main

# Property tests draw the same examples on every run (CI never fails on a new draw) and
# keep no example database in the work tree. `--hypothesis-profile=explore` draws anew.
settings.register_profile("repo", derandomize=True, database=None, deadline=None)
settings.register_profile("explore", derandomize=False, database=None, deadline=None,
                          max_examples=1000)
settings.load_profile("repo")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DUMPS = FIXTURES / "dumps"
BAD_DUMPS = FIXTURES / "bad-dumps"
# The check and policy fixtures are catalogues with one defect each (or none). Those whose
# defect is not in the taxonomy hold no taxonomy.yaml: they share this one, which
# `fixture_tree` puts in each of them.
SHARED_TAXONOMY = FIXTURES / "check" / "valid" / "taxonomy.yaml"
CATALOGUE_GROUPS = ("check", "check/invalid", "policy")  # folders of such catalogues


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def fixture_catalogues(fixtures: Path) -> list[Path]:
    """The check and policy catalogues under a fixtures folder."""
    return [folder for group in CATALOGUE_GROUPS for folder in sorted((fixtures / group).iterdir())
            if folder.is_dir() and folder.relative_to(fixtures).as_posix() not in CATALOGUE_GROUPS]


@pytest.fixture(scope="session")
def fixture_tree(tmp_path_factory) -> Path:
    """A copy of tests/fixtures in which every check and policy catalogue is whole (the
    shared taxonomy added where it has none), at <copy>/tests/fixtures so that paths from
    <copy> read as in the repository. Shared by the session: read it, never change it."""
    fixtures = tmp_path_factory.mktemp("copy") / "tests" / "fixtures"
    shutil.copytree(FIXTURES, fixtures, symlinks=True)
    for catalogue in fixture_catalogues(fixtures):
        if not (catalogue / "taxonomy.yaml").exists():
            shutil.copy(SHARED_TAXONOMY, catalogue / "taxonomy.yaml")
    return fixtures


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """An empty catalogue with the shipped taxonomy and the fixture dumps."""
    root = tmp_path / "content"
    (root / "dumps").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", root / "taxonomy.yaml")
    for dump in sorted(DUMPS.glob("*.txt")):
        shutil.copy(dump, root / "dumps" / dump.name)
    return root


def run(*args: str) -> int:
    return main([*args])


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.yaml"))}


@pytest.fixture
def catalogue(content: Path, capsys) -> Path:
    """The fixture dumps ingested (twelve papers), what ingest printed set aside."""
    assert run("ingest", "--content", str(content)) == 0
    capsys.readouterr()
    return content


@pytest.fixture
def replay():
    """A local server answering as the arXiv API does (tests/arxiv_replay.py)."""
    from arxiv_replay import Replay

    with Replay() as server:
        yield server
