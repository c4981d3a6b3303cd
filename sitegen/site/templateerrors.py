"""A mistake in a template as a problem that names its file and line: what Jinja raises
while compiling a template (a syntax error) or rendering one (a name it lacks, say)."""

from __future__ import annotations

import os
import traceback
from pathlib import Path

from jinja2 import TemplateError, TemplateSyntaxError

from sitegen.core.model import Problem
from sitegen.site.paths import TEMPLATES

HINT = "fix the template there: a build compiles and renders every one"


def template_problem(error: BaseException, folder: Path = TEMPLATES) -> Problem | None:
    """The problem a template error is, at the template's line (the innermost template of
    `folder` in the call's trace, where one template includes another); None for any other
    error."""
    if not isinstance(error, TemplateError):
        return None
    message = error.message if isinstance(error, TemplateSyntaxError) else str(error)
    if isinstance(error, TemplateSyntaxError) and error.filename:
        return Problem(_shown(error.filename), error.lineno, "", message or "", HINT)
    kind = f"{type(error).__name__}: {message}"
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if Path(frame.filename).is_relative_to(folder):  # a template's frame
            return Problem(_shown(frame.filename), frame.lineno or 0, "", kind, HINT)
    return Problem("a template", 0, "", kind, HINT)


def _shown(path: str) -> str:
    """A template's path, from the working folder where it is inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
