"""A mistake in a template is told at its file and line, never as a traceback: a syntax
error where Jinja compiles it, a name it lacks where the innermost template uses it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from sitegen.site.templateerrors import HINT, template_problem


@pytest.fixture
def templates(tmp_path: Path, monkeypatch) -> Environment:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.html").write_text("<main>\n{% include '_footer.html' %}\n</main>\n")
    (folder / "_footer.html").write_text("<footer>\n{{ site.title }} {{ site.nosuch.x }}\n")
    (folder / "broken.html").write_text("<main>\n\n\n{% if %}{% endif %}\n")
    return Environment(loader=FileSystemLoader(folder), undefined=StrictUndefined)


def test_a_syntax_error_names_the_template_and_its_line(templates):
    with pytest.raises(Exception) as raised:
        templates.get_template("broken.html")
    problem = template_problem(raised.value, Path.cwd() / "templates")
    assert str(problem) == (f"templates{os.sep}broken.html:4: Expected an expression, got "
                            f"'end of statement block' (hint: {HINT})")


def test_a_name_a_template_lacks_is_told_where_the_innermost_template_uses_it(templates):
    with pytest.raises(Exception) as raised:
        templates.get_template("page.html").render(site={"title": "Papers"})
    problem = template_problem(raised.value, Path.cwd() / "templates")
    assert problem is not None
    assert (problem.path, problem.line) == (f"templates{os.sep}_footer.html", 2)
    assert problem.message == "UndefinedError: 'dict object' has no attribute 'nosuch'"


def test_any_other_error_is_no_template_problem():
    assert template_problem(ValueError("no")) is None
