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


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


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
