"""Templates are compiled once: a later build takes them as an earlier one compiled them,
and compiles again only a template whose source changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
from conftest import ROOT

from sitegen.site import settings as site_settings
from sitegen.site.build import build
from sitegen.site.paths import TEMPLATES

FIXTURE = ROOT / "tests" / "fixtures" / "site"


class Compiled:
    """The templates compiled, by this process or by those it forks (noted in a file), each
    named once: two processes rendering pages may each compile one."""

    def __init__(self, notes: Path):
        self.notes = notes

    def __eq__(self, names: object) -> bool:
        return sorted(set(self.names())) == names

    def names(self) -> list[str]:
        return self.notes.read_text().splitlines() if self.notes.exists() else []

    def clear(self) -> None:
        self.notes.unlink(missing_ok=True)


def compiled_in(monkeypatch, notes: Path) -> Compiled:
    compile_ = jinja2.Environment.compile

    def noting(self, source, name=None, filename=None, raw=False, defer_init=False):
        with notes.open("a") as noted:
            noted.write(f"{name}\n")
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", noting)
    return Compiled(notes)


def test_a_later_build_compiles_only_the_templates_whose_source_changed(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    monkeypatch.setattr(site_settings, "TEMPLATES", templates)
    out = tmp_path / "site"
    compiled = compiled_in(monkeypatch, tmp_path / "compiled")
    assert not build(FIXTURE, out, force=True).problems
    assert {"base.html", "paper.html", "sitemap.xml", "robots.txt"} <= set(compiled.names())
    compiled.clear()
    assert not build(FIXTURE, out, force=True).problems
    assert compiled == []
    footer = templates / "_footer.html"
    footer.write_text(footer.read_text() + "<!-- edited -->\n")
    assert not build(FIXTURE, out, force=True).problems
    assert compiled == ["_footer.html"]
    assert "<!-- edited -->" in (out / "index.html").read_text()
