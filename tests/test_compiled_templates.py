"""Templates are compiled once: a later build takes them as an earlier one compiled them,
and compiles again only a template whose source changed."""

from __future__ import annotations

import shutil

import jinja2
from conftest import ROOT

from sitegen.site import settings as site_settings
from sitegen.site.build import build
from sitegen.site.paths import TEMPLATES

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def compiled_in(monkeypatch) -> list[str]:
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def noting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", noting)
    return names


def test_a_later_build_compiles_only_the_templates_whose_source_changed(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    monkeypatch.setattr(site_settings, "TEMPLATES", templates)
    out = tmp_path / "site"
    compiled = compiled_in(monkeypatch)
    assert not build(FIXTURE, out, force=True).problems
    assert {"base.html", "paper.html", "sitemap.xml", "robots.txt"} <= set(compiled)
    compiled.clear()
    assert not build(FIXTURE, out, force=True).problems
    assert compiled == []
    footer = templates / "_footer.html"
    footer.write_text(footer.read_text() + "<!-- edited -->\n")
    assert not build(FIXTURE, out, force=True).problems
    assert compiled == ["_footer.html"]
    assert "<!-- edited -->" in (out / "index.html").read_text()
