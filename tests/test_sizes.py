"""Modules and functions stay small enough to read whole: no module in sitegen/ or bench/
over 300 lines, no function over 40 (its decorators and docstring included)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

MODULE_LINES = 300
FUNCTION_LINES = 40
TREES = ("sitegen", "bench")


def oversized(path: Path, shown: str) -> list[str]:
    """What in one source file is over the limits."""
    source = path.read_text("utf-8")
    found = []
    if len(source.splitlines()) > MODULE_LINES:
        found.append(f"{shown}: {len(source.splitlines())} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1  # type: ignore[operator]
            if length > FUNCTION_LINES:
                found.append(f"{shown}:{node.lineno}: {node.name} has {length} lines")
    return found


def test_no_module_or_function_is_over_its_size():
    found = [problem for tree in TREES for path in sorted((ROOT / tree).rglob("*.py"))
             for problem in oversized(path, path.relative_to(ROOT).as_posix())]
    assert found == []


def test_an_oversized_function_or_module_is_reported(tmp_path):
    long_function = "def f():\n" + "    x = 1\n" * 40
    (tmp_path / "a.py").write_text(long_function + "\n" * 260)
    assert oversized(tmp_path / "a.py", "a.py") == ["a.py: 301 lines",
                                                     "a.py:1: f has 41 lines"]
