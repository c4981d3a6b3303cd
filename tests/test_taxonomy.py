"""The families' lineages: what `sitegen check` refuses, and how large a taxonomy stays quick.

The fixtures live in tests/fixtures/lineage/<name>/: a taxonomy with one kind of broken
lineage, its every shape. Lineages are walked once each, so that a taxonomy of
thousands of families (the most a 1 MiB file holds) is checked and built in linear time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from sitegen import cli
from sitegen.catalogue.taxonomyload import MAX_GENERATIONS

FIXTURES = Path(__file__).parent / "fixtures" / "lineage"
CYCLE = "parents form a cycle (hint: a family cannot be its own ancestor)"

EXPECTED: dict[str, list[str]] = {
    "cycle": [f"cycle/taxonomy.yaml:{line}: families[{i}].parent: {CYCLE}"
              for i, line in [(0, 13), (1, 18), (2, 23), (4, 33), (5, 38), (6, 43)]],
    "too-deep": [
        f"too-deep/taxonomy.yaml:111: families[20].parent: makes a lineage of more than "
        f"{MAX_GENERATIONS} generations (hint: give the family a parent higher up: pages show "
        "a lineage as nested lists)"],
}


def test_every_fixture_has_its_expected_errors():
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_lineage_is_an_error_with_file_line_and_field(name, monkeypatch, capsys):
    monkeypatch.chdir(FIXTURES)
    assert cli.main(["check", "--content", name]) == 1
    assert capsys.readouterr().err.splitlines() == EXPECTED[name]


def run(script: str, *args: str) -> subprocess.CompletedProcess:
    """A run that takes minutes fails the test instead of the suite (no timing is asserted)."""
    return subprocess.run([sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=20, env={"PYTHONPATH": str(ROOT)})


def _taxonomy(families: int, chain: bool) -> str:
    """One family a line, written compactly: 20,000 stay under the 1 MiB a file may hold."""
    return ("topics:\n- {id: t,name: T,description: R,definition: D}\nfamilies:\n" + "".join(
        f"- {{id: f{i},name: F,description: R,definition: D"
        + (f",parent: f{i - 1}" if chain and i else "") + "}\n" for i in range(families)))


def test_a_chain_of_fifteen_thousand_families_is_checked_quickly(tmp_path):
    """Walking every family's ancestors again took seconds at 2,000, an hour at 15,000."""
    (tmp_path / "taxonomy.yaml").write_text(_taxonomy(15_000, chain=True))
    script = ("import sys\nfrom pathlib import Path\n"
              "from sitegen.catalogue.taxonomyload import load_taxonomy\n"
              "_, problems = load_taxonomy(Path(sys.argv[1]), 't.yaml')\n"
              "print(*problems, sep='\\n')\n")
    done = run(script, str(tmp_path / "taxonomy.yaml"))
    assert done.returncode == 0, done.stderr
    assert [line.split(": ", 2)[1] for line in done.stdout.splitlines()] == [
        f"families[{MAX_GENERATIONS}].parent"]


def test_the_pages_of_twenty_thousand_families_are_laid_out_quickly(tmp_path):
    """The family tree and each family's children looked through all families for each."""
    (tmp_path / "taxonomy.yaml").write_text(_taxonomy(20_000, chain=False))
    (tmp_path / "papers").mkdir()
    script = ("import sys\nfrom pathlib import Path\n"
              "from sitegen.catalogue.load import load_catalogue, validated\n"
              "from sitegen.site.pages import build_pages\n"
              "catalogue = validated(load_catalogue(Path(sys.argv[1])))\n"
              "pages = build_pages(catalogue, 'https://e.org/', '')\n"
              "print(len(pages.family_tree), len(pages.families), "
              "sum(len(f.children) for f in pages.families))\n")
    done = run(script, str(tmp_path))
    assert (done.returncode, done.stdout) == (0, "20000 20000 0\n"), done.stderr


VALID = Path(__file__).parent / "fixtures" / "check" / "valid"


@pytest.mark.parametrize(("setting", "value", "message"), [
    ("title_weight", "1e999", "1e999 is too large a number (hint: use a number from 0 "
                              "to 100)"),
    ("topic_threshold", "-1", "-1 is less than the minimum, 0 (hint: use a number from 0 "
                              "to 1000)"),
    ("topic_relative", "2", "2 is more than the maximum, 1 (hint: use a number from 0 to 1)"),
])
def test_a_setting_out_of_its_range_is_an_error(tmp_path, monkeypatch, capsys, setting, value,
                                                message):
    """A number too large for a float reads as infinity: refused like any other too big."""
    content = tmp_path / "content"
    content.mkdir()
    taxonomy = (VALID / "taxonomy.yaml").read_text("utf-8")
    (content / "taxonomy.yaml").write_text(
        taxonomy.replace("settings:\n", f"settings:\n  {setting}: {value}\n"), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--content", "content"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"content/taxonomy.yaml:5: settings.{setting}: {message}"]


def test_a_family_counted_only_in_titles_must_say_true_or_false(tmp_path, monkeypatch, capsys):
    content = tmp_path / "content"
    content.mkdir()
    taxonomy = (VALID / "taxonomy.yaml").read_text("utf-8")
    (content / "taxonomy.yaml").write_text(taxonomy.replace(
        "  - id: llama\n", "  - id: llama\n    title_only: yes\n", 1), "utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--content", "content"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "content/taxonomy.yaml:68: families[0].title_only: must be boolean, not text 'yes' "
        "(hint: write true or false)"]
