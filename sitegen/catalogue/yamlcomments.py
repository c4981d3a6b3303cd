"""Comments right after a plain value in a paper file that read as more of the value.

YAML ends a plain value where ` #` starts a comment, so `title: C# for LLMs #2: a study`
holds the title "C# for LLMs". Paper files keep no comments (`sitegen fmt` writes the
canonical form, without them), so such a comment would be lost without a word: one that
starts with `#` and a word (`#2`, `#hashtag`) is an error, with the hint to quote the
value. A note written as comments are (`# a note`) is not. Only PyYAML's scanner reads
the text (safe, linear), and only for files that are not in canonical form.
"""

from __future__ import annotations

import yaml

from sitegen.core.model import Problem, quote


def comments_after_values(text: str, shown: str) -> list[Problem]:
    """A problem for each comment that follows a plain value on its line."""
    try:
        tokens = list(yaml.scan(text))
    except yaml.YAMLError:
        return []  # the loader reports the text's own problem
    lines = text.splitlines()
    problems, key, expect_key = [], "", False
    for token in tokens:
        if isinstance(token, yaml.KeyToken):
            expect_key = True
            continue
        if isinstance(token, yaml.ScalarToken) and expect_key:
            key, expect_key = token.value, False
            continue
        expect_key = False
        if isinstance(token, yaml.ScalarToken) and token.plain:
            comment = _comment_after(lines, token.end_mark)
            if comment:
                problems.append(_problem(shown, token.end_mark.line + 1, key, comment))
    return problems


def _comment_after(lines: list[str], end: yaml.Mark) -> str:
    """The comment that follows a value ending at `end` on its line, if it reads as more of
    the value: `#` and a word (`#2`, `#hashtag`), not `# a note`, the way comments are
    written."""
    rest = (lines[end.line][end.column:] if end.line < len(lines) else "").strip()
    return rest if rest.startswith("#") and rest[1:2] not in ("", " ", "\t", "#") else ""


def _problem(shown: str, line: int, key: str, comment: str) -> Problem:
    return Problem(shown, line, key, f"a comment follows the value: {quote(comment)}",
                   "paper files keep no comments, so `sitegen fmt` would drop it: if it is part "
                   "of the value, put the whole value in quotes; else remove it")
