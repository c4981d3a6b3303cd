"""How problems are printed: one bounded line each, annotations GitHub reads as written.

GitHub Actions runs any output line that starts with `::` as a workflow command; a
file name or a message holding a line break must not start one. Property values
escape `%`, CR, LF, `:` and `,`; the message escapes `%`, CR and LF.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import cli
from sitegen.catalogue.names import printable
from sitegen.commands.common import ANNOTATED, SHOWN
from sitegen.core.model import ELLIPSIS, MAX_TEXT, QUOTED, Problem, quote

FIXTURES = Path(__file__).parent / "fixtures" / "check"
# Text from pieces that matter to workflow commands, and controls that break lines.
PIECES = [*"ab:,%=\r\n\t\x1b\x00\x85\u2028\u202e ", "::", "%0A", "::error ", "\n::warning::"]
HOSTILE = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
COMMAND = re.compile(r"::(error|warning|notice) ?([^:]*)::(.*)")
UNESCAPE = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}


def runner_lines(output: str) -> list[str]:
    """Output lines as the runner reads them: only CR, LF and CRLF end one."""
    return re.split(r"\r\n|\r|\n", output)


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command read back as the runner reads it: name, properties, message."""
    found = COMMAND.fullmatch(line)
    assert found, line
    name, properties, message = found.groups()

    def unescape(text: str) -> str:
        return re.sub("%(25|0D|0A|3A|2C)", lambda m: UNESCAPE[m[0]], text)

    pairs = dict(item.split("=", 1) for item in properties.split(",") if item)
    return name, {key: unescape(value) for key, value in pairs.items()}, unescape(message)


@settings(max_examples=200)
@given(path=HOSTILE, line=st.integers(min_value=0, max_value=99), field=HOSTILE,
       message=HOSTILE, hint=HOSTILE, warning=st.booleans())
def test_an_annotation_is_one_command_that_reads_back_as_the_problem(path, line, field,
                                                                     message, hint, warning):
    problem = Problem(path, line, field, message, hint, warning)
    [annotation] = runner_lines(problem.annotation())
    name, properties, text = parse(annotation)
    assert name == ("warning" if warning else "error")
    assert properties == {"file": path, **({"line": str(line)} if line else {})}
    assert text == str(problem)
    assert len(str(problem).splitlines()) == 1  # not even NEL or LS, which the runner allows
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202e]", str(problem))


def test_line_breaks_and_controls_in_a_problem_are_shown_as_escapes():
    problem = Problem("papers/a\n::error::x.yaml", 3, "title", "bad \x1b[31mred\u202e", "fix\r\n")
    assert str(problem) == ("papers/a\\n::error::x.yaml:3: title: bad \\x1b[31mred\\u202e "
                            "(hint: fix\\r\\n)")
    assert problem.annotation() == (
        "::error file=papers/a%0A%3A%3Aerror%3A%3Ax.yaml,line=3::papers/a\\n::error::x.yaml:3: "
        "title: bad \\x1b[31mred\\u202e (hint: fix\\r\\n)")


def test_a_huge_message_hint_or_field_is_cut():
    huge = "x" * 50_000_000
    problem = Problem("p.yaml", 1, huge, huge, huge)
    assert len(str(problem)) < 3 * MAX_TEXT + 50
    assert problem.message == "x" * (MAX_TEXT - 1) + ELLIPSIS == problem.hint == problem.field


def test_quoted_values_are_cut_whatever_their_type():
    assert quote("short") == "'short'"
    assert quote("y" * 1000) == "'" + "y" * (QUOTED - 1) + ELLIPSIS + "'"
    assert quote("a\nb") == "'a\\nb'"
    for value in (list(range(10**5)), {str(i): [i] * 100 for i in range(100)}, b"z" * 10**6):
        assert len(quote(value)) <= QUOTED


def write_broken_papers(content: Path, count: int) -> None:
    (content / "papers").mkdir(parents=True)
    shutil.copy(FIXTURES / "valid" / "taxonomy.yaml", content / "taxonomy.yaml")
    for i in range(count):
        (content / "papers" / f"p{i:04d}.yaml").write_text("id: [\n", "utf-8")


def test_only_the_first_problems_are_printed_and_the_count_stays_exact(tmp_path, capsys,
                                                                       monkeypatch):
    write_broken_papers(tmp_path / "content", SHOWN + 50)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["check", "--content", str(tmp_path / "content")]) == 1
    out, err = capsys.readouterr()
    errors = err.splitlines()
    assert len(errors) == SHOWN + 1
    assert errors[0].endswith("p0000.yaml:2: invalid YAML: did not find expected node content "
                              "(hint: check the indentation and quoting around this line)")
    assert errors[-1] == "... and 50 more problem(s) not shown; fix these first"
    lines = out.splitlines()
    assert [parse(line)[0] for line in lines[:-1]] == ["error"] * ANNOTATED + ["notice"]
    assert lines[-2] == f"::notice::{SHOWN + 50 - ANNOTATED} more problem(s) are not " \
                        "annotated; see the log of this step"
    assert lines[-1] == f"0 papers checked: {SHOWN + 50} error(s), 0 warning(s)"


def test_errors_are_printed_before_warnings_so_that_none_is_left_unshown(tmp_path, capsys):
    """A dump of hundreds of stray lines (each a warning) read before one that is not UTF-8
    (an error): the error is among the lines shown, not behind the count of the rest."""
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "fixtures" / "site", content)
    dumps = content / "dumps"
    dumps.mkdir(exist_ok=True)
    (dumps / "a.txt").write_text("".join(f"Stray title {n}\n\n" for n in range(SHOWN + 50)))
    (dumps / "b.txt").write_bytes(b"A title\nAn abstract in Latin-1: caf\xe9.\n")
    assert cli.main(["ingest", "--content", str(content)]) == 1
    shown = capsys.readouterr().err.splitlines()
    assert "b.txt:2: " in shown[0] and "UTF-8" in shown[0]
    assert all("a.txt" in line for line in shown[1:SHOWN])


@pytest.mark.parametrize("name", ["evil\n::warning file=x.yaml::pwned.yaml",
                                  "a,line=1,title=x::%0A.yaml", "\r::error::cr.yaml"])
def test_hostile_file_names_start_no_workflow_command(tmp_path, capsys, monkeypatch, name):
    content = tmp_path / "content"
    write_broken_papers(content, 0)
    (content / "papers" / name).write_text("id: [\n", "utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--content", "content"]) == 1
    out, err = capsys.readouterr()
    commands = [line for line in runner_lines(out + err) if line.startswith("::")]
    assert len(commands) == 1
    # Such a name is refused unread (sitegen.catalogue.names): the file property is the
    # name as shown.
    assert parse(commands[0])[1] == {"file": f"content/papers/{printable(name)}"}
