"""`sitegen diff`: a change to the catalogue against a git ref, as Markdown for a job summary."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, run
from markdown_it import MarkdownIt

from sitegen.catalogue.provenance import checksum
from sitegen.catalogue.store import serialise
from sitegen.core.model import Paper
from sitegen.site.mdsafe import md

SITE = FIXTURES / "site"
LLAMA2 = "llama-2-open-foundation-and-fine-tuned-chat-models"
LLAMA2_LINE = f"Llama 2: Open Foundation and Fine-Tuned Chat Models (`{LLAMA2}`)"
QLORA = "qlora-efficient-finetuning-of-quantized-llms"
HOSTILE = "script-alert-title-script-hostile-quoted-img-src-x-onerror"
MINUS = "\u2212"  # as in "topics: +safety \u2212alignment"
PASTA = "Cooking pasta is a matter of timing; we time it with a kitchen clock, not a model."


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def init(repo: Path) -> None:
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "commit.gpgsign", "false")


def copy_catalogue(content: Path) -> None:
    shutil.copytree(SITE / "papers", content / "papers")
    for name in ("taxonomy.yaml", "site.yaml"):
        shutil.copy(SITE / name, content / name)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    """A git repository whose one commit holds the fixture catalogue in content/."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    copy_catalogue(root / "content")
    init(root)
    commit(root, "catalogue")
    monkeypatch.chdir(root)
    return root


def diff(capsys, *args: str) -> tuple[int, list[str], str]:
    code = run("diff", *args)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def section(lines: list[str], title: str) -> list[str]:
    """The lines under a `### title` heading, without blank lines."""
    start = lines.index(f"### {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("### ")), len(lines))
    return [line for line in lines[start:end] if line]


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / "content" / name
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def add_paper(repo: Path, pid: str, title: str, abstract: str = PASTA, **fields) -> None:
    paper = Paper(id=pid, title=title, abstract=abstract, topics=fields.pop("topics", ["survey"]),
                  families=[], added="2024-01-02", **fields)
    (repo / "content" / "papers" / f"{pid}.yaml").write_bytes(serialise(paper))


def test_nothing_changed_says_so_even_when_files_were_reformatted(repo, capsys):
    edit(repo, f"papers/{LLAMA2}.yaml", "topics:", "# a comment\ntopics:")
    assert diff(capsys, "HEAD") == (0, ["## Catalogue changes since `HEAD`", "",
                                        "No changes since `HEAD`."], "")


def test_added_removed_and_edited_papers_with_the_fields_that_changed(repo, capsys):
    (repo / "content" / "papers" / "visual-instruction-tuning.yaml").unlink()
    edit(repo, "papers/mistral-7b.yaml", "title: Mistral 7B\n", "title: Mistral 7B v0.1\n")
    edit(repo, "papers/mistral-7b.yaml", "We introduce", "We present")
    edit(repo, "papers/a-survey-of-large-language-models.yaml", "line: 14", "line: 15")
    edit(repo, f"papers/{QLORA}.yaml", "kind: code", "kind: other")
    add_paper(repo, "timing-pasta", "Timing Pasta with a Kitchen Clock")
    code, lines, _ = diff(capsys, "main")
    assert code == 0
    assert lines[:3] == ["## Catalogue changes since `main`", "",
                         "1 added, 1 removed, 3 edited."]
    assert section(lines, "Added") == [
        "- Timing Pasta with a Kitchen Clock (`timing-pasta`), closest existing papers:",
        f"  - {LLAMA2_LINE}: title 36, abstract 27",
        f"  - QLoRA: Efficient Finetuning of Quantized LLMs (`{QLORA}`): title 34, abstract 25",
        "  - LLaMA: Open and Efficient Foundation Language Models "
        "(`llama-open-and-efficient-foundation-language-models`): title 33, abstract 29",
    ]
    assert section(lines, "Removed") == [
        "- Visual Instruction Tuning (`visual-instruction-tuning`)"]
    assert section(lines, "Edited") == [
        "- A Survey of Large Language Models (`a-survey-of-large-language-models`): "
        "sources only",
        "- Mistral 7B v0\\.1 (`mistral-7b`): title (was Mistral 7B), abstract",
        f"- QLoRA: Efficient Finetuning of Quantized LLMs (`{QLORA}`): links",
    ]
    assert "### Moved between topics and families" not in lines


def test_papers_moving_between_topics_and_families(repo, capsys):
    edit(repo, f"papers/{LLAMA2}.yaml", "- alignment\n", "- safety\n")
    edit(repo, f"papers/{QLORA}.yaml", "- quantization\n", "- quantization\n- peft\n")
    edit(repo, f"papers/{QLORA}.yaml", "families:\n- gpt\n", "families:\n- llama\n")
    edit(repo, "papers/mistral-7b.yaml", "- evaluation\n- model-release\n",
         "- model-release\n- evaluation\n")  # reordered: the same topics, another primary
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    assert section(lines, "Edited") == [
        f"- {LLAMA2_LINE}: topics",
        "- Mistral 7B (`mistral-7b`): topics",
        f"- QLoRA: Efficient Finetuning of Quantized LLMs (`{QLORA}`): topics, families",
    ]
    assert section(lines, "Moved between topics and families") == [
        f"- {LLAMA2_LINE}: topics: +safety {MINUS}alignment",
        "- Mistral 7B (`mistral-7b`): topics: primary evaluation \u2192 model-release",
        f"- QLoRA: Efficient Finetuning of Quantized LLMs (`{QLORA}`): "
        f"topics: +peft; families: +llama {MINUS}gpt",
    ]


def test_new_removed_and_renamed_topics_and_families(repo, capsys):
    edit(repo, "taxonomy.yaml", "topics:\n", "topics:\n  - id: reasoning\n"
         "    name: Reasoning <b>&</b> planning\n    description: Thinking step by step.\n"
         "    definition: Chains of thought.\n")
    edit(repo, "taxonomy.yaml", "name: Surveys\n", "name: Surveys & reviews\n")
    edit(repo, "taxonomy.yaml", """name: 'Safety <script>alert("topic")</script> & privacy'""",
         "name: Safety & privacy")
    edit(repo, "taxonomy.yaml", "      - low-?bit\n", "      - low-?bit\n      - \\bnf4\\b\n")
    edit(repo, "taxonomy.yaml", "  - id: llava\n", "  - id: llava-family\n")
    text = (repo / "content" / "taxonomy.yaml").read_text("utf-8")
    (repo / "content" / "taxonomy.yaml").write_text(
        text[:text.index("  - id: gpt\n")].replace("title_weight: 3", "title_weight: 2"), "utf-8")
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    assert lines[2] == "0 added, 0 removed, 0 edited; taxonomy changed."
    assert section(lines, "Taxonomy") == [
        "- new topic `reasoning`: Reasoning &lt;b&gt;&amp;&lt;\\/b&gt; planning",
        "- topic `quantization`: `weak` changed",
        "- topic `safety` renamed: Safety &lt;script&gt;alert(\"topic\")&lt;\\/script&gt; "
        "&amp; privacy → Safety &amp; privacy",
        "- topic `survey` renamed: Surveys → Surveys &amp; reviews",
        "- removed family `gpt`: GPT &amp; ChatGPT",
        "- family id `llava` renamed to `llava-family`: LLaVA",
        "- settings: `title_weight` changed",
    ]


def test_an_added_near_duplicate_is_flagged_with_its_scores(repo, capsys):
    abstract = (repo / "content" / "papers" / f"{LLAMA2}.yaml").read_text("utf-8")
    abstract = abstract.split("abstract: ", 1)[1].split("\n", 1)[0]
    add_paper(repo, "llama-2-typo", "Llama 2: Open Foundation and Fine-Tuned Chat Model",
              abstract)
    add_paper(repo, "mistral-7b-again", "Mistral 7B")
    add_paper(repo, "mistral-7b-other", "Mistral 7B", distinct_from=["mistral-7b"])
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    # (mistral-7b-other is marked distinct from mistral-7b, not from mistral-7b-again,
    # which the same change adds)
    assert lines[2] == "3 added, 0 removed, 0 edited; 3 likely duplicate(s)."
    added = section(lines, "Added")
    assert added[:2] == [
        "- Llama 2: Open Foundation and Fine-Tuned Chat Model (`llama-2-typo`), "
        "closest existing papers:",
        f"  - {LLAMA2_LINE}: title 99, abstract 100 — ⚠️ **likely duplicate** "
        "(title differs by 1 typo(s))",
    ]
    assert added[4:6] == [
        "- Mistral 7B (`mistral-7b-again`), closest existing papers:",
        "  - Mistral 7B (`mistral-7b`): title 100, abstract 24 — ⚠️ **likely duplicate** "
        "(same title but abstracts differ)",
    ]
    assert added[8:11] == [
        "- Mistral 7B (`mistral-7b-other`), closest existing papers:",
        "  - Mistral 7B (`mistral-7b`): title 100, abstract 24 (marked distinct)",
        "  - Mistral 7B (`mistral-7b-again`): title 100, abstract 100 — ⚠️ **likely "
        "duplicate** (same title)",
    ]
    assert sum("likely duplicate" in line for line in added) == 3


HOSTILE_TITLE = "<script>alert(1)</script> *bold* | _x_ [a](javascript:x) `c` $x$ ~~s~~ \\"


def test_hostile_titles_are_escaped(repo, capsys):
    add_paper(repo, "hostile-new", HOSTILE_TITLE)
    edit(repo, f"papers/{HOSTILE}.yaml", "topics:\n- evaluation", "topics:\n- safety")
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    escaped = ("&lt;script&gt;alert(1)&lt;\\/script&gt; \\*bold\\* \\| \\_x\\_ "
               "\\[a\\](javascript\\:x) \\`c\\` \\$x\\$ \\~\\~s\\~\\~ \\\\")
    assert section(lines, "Added")[0] == f"- {escaped} (`hostile-new`), closest existing papers:"
    assert section(lines, "Edited") == [
        "- &lt;script&gt;alert(\"title\")&lt;\\/script&gt; Hostile &amp; \"Quoted\" &lt;img src=x "
        f"onerror=alert(1)&gt; Paper (`{HOSTILE}`): topics"]
    html = MarkdownIt("gfm-like").render("\n".join(lines))
    for markup in ("<script", "<img", "<em>", "<a ", "<s>", "<table", "<h1", "<br"):
        assert markup not in html
    assert "<code>c</code>" not in html and "<strong>" not in html
    cells = MarkdownIt("gfm-like").render(f"| a | b |\n| - | - |\n| {md(HOSTILE_TITLE)} | x |\n")
    assert cells.count("<td>") == 2 and "<script" not in cells and "<em>" not in cells


def test_a_paper_file_that_fails_to_load_is_a_problem_not_a_crash(repo, capsys):
    (repo / "content" / "papers" / "broken-base.yaml").write_text("id: [\n", "utf-8")
    commit(repo)
    (repo / "content" / "papers" / "broken-base.yaml").unlink()
    edit(repo, f"papers/{LLAMA2}.yaml", "topics:", "topics: [oops\n")
    code, lines, err = diff(capsys, "HEAD")
    assert code == 0 and err == ""
    assert lines[2] == "0 added, 0 removed, 0 edited; 2 problem(s)."
    assert section(lines, "Problems") == [
        "- HEAD\\:content\\/papers\\/broken-base\\.yaml\\:2: invalid YAML: did not find "
        "expected node content (hint: check the indentation and quoting around this line)",
        f"- content\\/papers\\/{LLAMA2}\\.yaml\\:9: invalid YAML: did not find expected ',' "
        "or '\\]' while parsing a flow sequence that starts on line 5 "
        "(hint: check the indentation and quoting around this line)",
    ]


def test_changes_since_an_older_commit_branch_or_tag(repo, capsys):
    git(repo, "tag", "v1")
    add_paper(repo, "timing-pasta", "Timing Pasta with a Kitchen Clock")
    commit(repo)
    assert diff(capsys, "HEAD")[1][2] == "No changes since `HEAD`."
    assert diff(capsys, "HEAD~1")[1][2] == "1 added, 0 removed, 0 edited."
    assert diff(capsys, "v1")[1][:3] == ["## Catalogue changes since `v1`", "",
                                         "1 added, 0 removed, 0 edited."]


def test_runs_from_a_subdirectory_or_outside_with_content(repo, capsys, monkeypatch):
    add_paper(repo, "timing-pasta", "Timing Pasta with a Kitchen Clock")
    expected = diff(capsys, "HEAD")
    assert expected[1][2] == "1 added, 0 removed, 0 edited."
    monkeypatch.chdir(repo / "content" / "papers")
    assert diff(capsys, "HEAD", "--content", "..") == expected
    monkeypatch.chdir(repo.parent)
    assert diff(capsys, "HEAD", "--content", "repo/content") == expected


def test_a_catalogue_at_the_top_of_its_repository(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    top = tmp_path / "catalogue"
    copy_catalogue(top)
    init(top)
    commit(top)
    (top / "papers" / "mistral-7b.yaml").unlink()
    monkeypatch.chdir(top)
    code, lines, _ = diff(capsys, "HEAD", "--content", ".")
    assert (code, section(lines, "Removed")) == (0, ["- Mistral 7B (`mistral-7b`)"])


def test_unusable_refs_and_content_exit_2_with_one_line(repo, capsys, tmp_path):
    loose = tmp_path / "loose"
    copy_catalogue(loose)
    hint = (" (hint: name a commit such as origin/main or HEAD~1; fetch it first if it is on "
            "a remote, as a shallow CI checkout lacks the base branch)")
    cases = {
        ("nope",): "sitegen diff: unknown git ref 'nope': no commit, branch or tag has that "
                   f"name{hint}",
        ("--", "-x"): "sitegen diff: unknown git ref '-x': no commit, branch or tag has that "
                      f"name{hint}",
        ("HEAD", "--content", str(loose)): f"sitegen diff: {loose} is not in a git repository",
        ("HEAD", "--content", "missing"): "sitegen diff: content directory missing does not exist",
    }
    for args, message in cases.items():
        assert diff(capsys, *args) == (2, [], message + "\n"), args


def test_content_that_fails_to_load_on_either_side_exits_2(repo, capsys):
    (repo / "content").rename(repo / "catalogue")
    commit(repo)
    (repo / "catalogue").rename(repo / "content")
    assert diff(capsys, "HEAD") == (
        2, [], "sitegen diff: HEAD:content/taxonomy.yaml: the taxonomy file is missing (hint: "
               "the report names topics and families from it: check --content and the ref)\n")
    edit(repo, "taxonomy.yaml", "topics:\n", "topics: 3\n")
    code, out, err = diff(capsys, "HEAD~1")
    assert (code, out) == (2, [])
    assert err.startswith("sitegen diff: the taxonomy cannot be loaded: content/taxonomy.yaml:")
    assert err.count("\n") == 1 and "Traceback" not in err


def labels_section(lines: list[str]) -> list[str]:
    return section(lines, "Labels to review")


def test_an_added_paper_shows_its_proposed_labels_with_their_evidence(repo, capsys):
    assert run("new", "--content", "content", "--title", "Four-Bit Adapters for LLaMA",
               "--abstract", "We quantize LLaMA to 4-bit and train low-rank adapters.") == 0
    path = repo / "content" / "papers" / "four-bit-adapters-for-llama.yaml"
    paper = yaml.safe_load(path.read_text("utf-8"))
    assert paper["evidence"] and "human" not in paper
    proposed = ", ".join(f"`{label}` ({md(paper['evidence'][label])})"
                         for label in paper["topics"])
    families = ", ".join(f"`{label}` ({md(paper['evidence'][label])})"
                         for label in paper["families"])
    capsys.readouterr()
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    assert labels_section(lines) == [
        "- Four-Bit Adapters for LLaMA (`four-bit-adapters-for-llama`)",
        f"  - topics, proposed by the rules: {proposed}",
        f"  - families, proposed by the rules: {families or 'none'}",
    ]
    assert paper["evidence"]["llama"].startswith("title: ")
    assert "llama" in paper["evidence"]["llama"]


def test_a_relabelled_paper_shows_which_labels_a_person_decided(repo, capsys):
    edit(repo, f"papers/{QLORA}.yaml", "families:\n- gpt\n", "families:\n- llama\n")
    edit(repo, "papers/mistral-7b.yaml", "- evaluation\n- model-release\n",
         "- model-release\n- evaluation\n")  # reordered: the primary topic changed
    edit(repo, "papers/mistral-7b.yaml", "We introduce", "We present")  # not a label
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    assert labels_section(lines) == [
        "- Mistral 7B (`mistral-7b`)",
        "  - topics, reviewed by a person: `model-release`, `evaluation`",
        '  - families, proposed by the rules: `mistral` (title: "mistral")',
        f"- QLoRA: Efficient Finetuning of Quantized LLMs (`{QLORA}`)",
        '  - topics, proposed by the rules: `quantization` (title: "quantiz", "qlora"; '
        'abstract: "quantiz", "4-bit", "qlora")',
        "  - families, reviewed by a person: `llama`",
    ]


def test_evidence_in_the_report_is_inert_text(repo, capsys):
    hostile = "title: <script>x</script> @octocat #12 [a](javascript:x) *b* www.example.com"
    paper = Paper(id="hostile-evidence", title="Hostile Evidence", abstract=PASTA,
                  topics=["survey"], families=[], added="2024-01-02",
                  evidence={"survey": hostile})
    paper.machine = {name: checksum(paper, name) for name in ("topics", "families")}
    (repo / "content" / "papers" / "hostile-evidence.yaml").write_bytes(serialise(paper))
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    heading, topics, families = labels_section(lines)
    assert heading == "- Hostile Evidence (`hostile-evidence`)"
    assert families == "  - families, proposed by the rules: none"
    assert topics == f"  - topics, proposed by the rules: `survey` ({md(hostile)})"
    html = MarkdownIt("gfm-like").render("\n".join(lines))
    assert "<script" not in html and "<a " not in html and "<em>" not in html
    assert "@\u2060octocat" in topics and "\\#\u206012" in topics  # no mention, no issue link


def test_an_added_paper_with_an_arxiv_id_the_catalogue_holds_is_a_likely_duplicate(repo,
                                                                                   capsys):
    edit(repo, f"papers/{QLORA}.yaml", "sources:", "arxiv: '2305.14314'\nsources:")
    commit(repo)
    add_paper(repo, "a-renamed-qlora", "Finetuning Quantized Models on One GPU",
              arxiv="2305.14314v2")
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    assert lines[2] == "1 added, 0 removed, 0 edited; 1 likely duplicate(s)."
    assert section(lines, "Added")[1] == (
        "  - QLoRA: Efficient Finetuning of Quantized LLMs (`qlora-efficient-finetuning-of-"
        "quantized-llms`): the same arXiv id `2305.14314` — ⚠️ **likely duplicate**")


def test_a_renamed_paper_file_is_a_problem_as_check_reports_it(repo, capsys):
    """`git mv` of a paper file keeps its id: the report names the mismatch, as check does."""
    papers = repo / "content" / "papers"
    (papers / f"{LLAMA2}.yaml").rename(papers / "renamed.yaml")
    code, lines, err = diff(capsys, "HEAD")
    assert code == 0 and err == ""
    assert (f"- content\\/papers\\/renamed\\.yaml\\:2: id: id '{LLAMA2}' does not match the "
            "file name (hint: ids never change: set id to 'renamed', as the file is named, or "
            f"rename the file to {LLAMA2}\\.yaml, whichever was changed)") in section(lines,
                                                                             "Problems")


def test_a_paper_renamed_with_its_id_is_no_duplicate_of_what_it_was(repo, capsys):
    """Its old id leaves the catalogue in the same change: the added paper is compared with
    the papers the change keeps."""
    papers = repo / "content" / "papers"
    text = (papers / f"{LLAMA2}.yaml").read_text("utf-8")
    (papers / f"{LLAMA2}.yaml").unlink()
    (papers / "llama-2-renamed.yaml").write_text(
        text.replace(f"id: {LLAMA2}\n", "id: llama-2-renamed\n"), "utf-8")
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    assert lines[2] == "1 added, 1 removed, 0 edited."
    assert not any("likely duplicate" in line for line in lines)


def test_settings_pages_and_dumps_changed_are_listed(repo, capsys):
    """Published content that is no paper: a reviewer is told of it, not "No changes"."""
    content = repo / "content"
    (content / "dumps").mkdir()
    (content / "dumps" / "old.txt").write_text("A Title\nAn abstract.\n", "utf-8")
    commit(repo, "a dump")
    (content / "dumps" / "old.txt").unlink()
    (content / "dumps" / "new.txt").write_text("A Title\nAn abstract.\n", "utf-8")  # untracked
    edit(repo, "site.yaml", "title: ", "title: New ")
    code, lines, _ = diff(capsys, "HEAD")
    assert code == 0
    assert lines[2] == "0 added, 0 removed, 0 edited; 3 other file(s) changed."
    assert section(lines, "Other content changed") == [
        "- `dumps/new.txt` (added)", "- `dumps/old.txt` (removed)", "- `site.yaml` (modified)"]
