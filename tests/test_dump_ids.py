"""Ingest keeps the arXiv id a dump gives next to a paper: a line that is only an id, or
the address of its arXiv or Hugging Face page, in either layout, as the tool's proposal.
Ids inside an abstract (a cited paper) are not the paper's, and dumps without id lines
read exactly as before."""

from __future__ import annotations

import dataclasses
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import run
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.core.model import Entry
from sitegen.ingest.dumpids import arxiv_id_of, with_ids
from sitegen.ingest.dumps import read_dump

LONG = " It is long enough to be an abstract, with several sentences. Really."
ADAPTER = "LLaMA-Adapter: Efficient Fine-tuning of Language Models with Zero-init Attention"
SURVEY = "A Survey of Large Language Models"


def dump(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "ids.txt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.mark.parametrize(("line", "arxiv"), [
    ("2303.16199", "2303.16199"), ("arXiv:2303.16199v3", "2303.16199"),
    ("arXiv: 2303.16199", "2303.16199"), ("https://arxiv.org/abs/2303.16199", "2303.16199"),
    ("https://arxiv.org/pdf/2303.16199v1.pdf", "2303.16199"),
    ("https://huggingface.co/papers/2303.16199", "2303.16199"),
    ("http://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"),
    ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
    ("2313.16199", ""), ("arXiv 1412.12345", ""), ("See arXiv:2303.16199", ""),
    ("https://evil.example/abs/2303.16199", ""),
    ("https://arxiv.org/abs/2303.16199#x", "2303.16199"),
    ("https://arxiv.org/abs/2303.16199v2?context=cs", "2303.16199"),
    ("https://arxiv.org/html/2303.16199v1", "2303.16199"),
    ("https://hf.co/papers/2303.16199", "2303.16199"),
    ("https://huggingface.co/papers/2303.16199#community", "2303.16199"),
    ("https://huggingface.co/papers/2303.16199?q=llama", "2303.16199"),
    ("10.48550/arXiv.2303.16199", "2303.16199"),
    ("arXiv:2303.16199v1 [cs.CL] 3 Feb 2024", "2303.16199"),
    ("https://huggingface.co/papers/2303.16199 is good", ""),
    ("Paper • 2303.16199 • Published Mar 28, 2023 • 35", "2303.16199"),
    ("Paper • 2303.16199 • Published Mar 28, 2023", "2303.16199"),
    ("Paper • 2303.16199 • A Title", ""),
    ("arXiv:2303.16199 [cs.CL]", "2303.16199"), ("arXiv:2303.16199v2 [physics.comp-ph]",
                                                 "2303.16199"),
    ("arxiv.org/abs/2303.16199", "2303.16199"), ("huggingface.co/papers/2303.16199",
                                                 "2303.16199"),
    ("doi:10.48550/arXiv.2303.16199", "2303.16199"),
    ("https://doi.org/10.48550/arXiv.2303.16199", "2303.16199"),
    ("arXiv:2303.16199 [cs.CL] and more", ""), ("doi:10.1000/2303.16199", ""),
    ("2303.16199 [cs CL]", ""),
])
def test_a_line_is_an_id_only_when_it_is_nothing_else(line, arxiv):
    assert arxiv_id_of(line) == arxiv


def test_an_address_after_each_abstract_is_its_paper_s(tmp_path):
    entries, problems = read_dump(dump(
        tmp_path, ADAPTER, "We present an adapter." + LONG, "https://arxiv.org/abs/2303.16199",
        SURVEY, "We survey models." + LONG, "https://huggingface.co/papers/2303.18223"))
    assert problems == []
    assert [(e.title, e.arxiv) for e in entries] == [(ADAPTER, "2303.16199"),
                                                      (SURVEY, "2303.18223")]


def test_an_id_between_title_and_abstract_in_the_blank_separated_layout(tmp_path):
    entries, _ = read_dump(dump(tmp_path, "Subscribe", "", ADAPTER, "", "arXiv:2303.16199", "",
                                "We present an adapter." + LONG, "", SURVEY, "",
                                "We survey models." + LONG))
    assert [(e.line, e.arxiv) for e in entries] == [(3, "2303.16199"), (9, "")]


def test_in_a_dump_that_opens_with_an_id_each_id_is_the_next_paper_s(tmp_path):
    entries, _ = read_dump(dump(tmp_path, "2303.16199", ADAPTER, "We present an adapter." + LONG,
                                "2303.18223", SURVEY, "We survey models." + LONG))
    assert [e.arxiv for e in entries] == ["2303.16199", "2303.18223"]


def test_an_id_inside_an_abstract_is_a_cited_paper_not_this_one(tmp_path):
    (entry,), _ = read_dump(dump(tmp_path, SURVEY, "We build on arXiv:2303.16199." + LONG))
    assert entry.arxiv == ""


SURVEY_FILE = "a-survey-of-large-language-models.yaml"


def give_id(content: Path, name: str, arxiv: str) -> None:
    path = content / "papers" / name
    path.write_text(path.read_text("utf-8").replace("sources:", f"arxiv: '{arxiv}'\nsources:"),
                    "utf-8")


def seen_with_id(content: Path, arxiv: str) -> dict:
    """The survey after a dump lists it again, with an id line after its abstract."""
    paper = yaml.safe_load((content / "papers" / SURVEY_FILE).read_text("utf-8"))
    lines = [SURVEY, paper["abstract"], arxiv]
    (content / "dumps" / "004_ids.txt").write_text("\n".join(lines) + "\n", "utf-8")
    assert run("ingest", "--content", str(content)) == 0
    return yaml.safe_load((content / "papers" / SURVEY_FILE).read_text("utf-8"))


def test_ingest_proposes_the_id_with_its_checksum_on_a_paper_seen_again(catalogue):
    paper = seen_with_id(catalogue, "https://huggingface.co/papers/2303.18223")
    assert paper["arxiv"] == "2303.18223" and "arxiv" in paper["machine"]
    assert "arxiv" not in paper.get("human", [])
    assert paper["sources"][-1]["dump"] == "004_ids.txt"
    assert run("check", "--content", str(catalogue)) == 0


def test_a_person_s_id_is_kept_over_a_dump_s(catalogue):
    give_id(catalogue, SURVEY_FILE, "2303.18223")
    paper = seen_with_id(catalogue, "2401.00001")
    assert paper["arxiv"] == "2303.18223" and paper["human"] == ["arxiv"]


def test_an_id_another_paper_holds_is_not_given_twice(catalogue, capsys):
    give_id(catalogue, "the-llama-3-herd-of-models.yaml", "2303.18223")
    paper = seen_with_id(catalogue, "2303.18223")
    assert "arxiv" not in paper
    assert ("arXiv id 2303.18223 is already the id of the-llama-3-herd-of-models"
            in capsys.readouterr().out)


def ids_entry_by_entry(entries: list[Entry], lines: list[tuple[int, str]],
                       ids: list[tuple[int, str]]) -> list[Entry]:
    """`with_ids` written plainly, every entry looked at for every id line: what the
    bisection must give. An id goes to the entry it is inside, else to the next one (ids
    before titles) or the one before (ids after abstracts) if no other line stands between
    them (a skipped line there is the entry the id belongs to)."""
    if not ids or not entries:
        return entries
    following = {number: after for (number, _), (after, _) in itertools.pairwise(lines)}
    leading, trailing = ids[0][0] < lines[0][0], ids[-1][0] > lines[-1][0]
    spans = [(entry.line, following.get(entry.line, entry.line)) for entry in entries]
    found: dict[int, str] = {}
    for number, arxiv in ids:
        inside = [k for k, (title, abstract) in enumerate(spans) if title < number < abstract]
        before = [k for k, (title, _) in enumerate(spans) if title > number
                  and not any(number < other < title for other, _ in lines)]
        after = [k for k, (_, abstract) in enumerate(spans) if abstract < number
                 and not any(abstract < other < number for other, _ in lines)]
        chosen = inside or (before[:1] if leading else after[-1:] if trailing else [])
        if chosen:
            found.setdefault(chosen[0], arxiv)
    return [dataclasses.replace(entry, arxiv=found[k]) if k in found else entry
            for k, entry in enumerate(entries)]


# A dump's lines, as parts: an entry (its title, then its abstract), an entry with an id
# line between its title and abstract, an id line, a line that is neither (skipped).
PARTS = st.lists(st.sampled_from(["entry", "entry with id", "id", "other"]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(PARTS)
def test_each_id_goes_to_the_entry_the_entry_by_entry_rule_gives(parts):
    lines: list[tuple[int, str]] = []
    ids: list[tuple[int, str]] = []
    entries: list[Entry] = []
    number = 1
    for part in parts:
        if part.startswith("entry"):
            entries.append(Entry("dump.txt", number, f"Title {number}", "An abstract."))
            lines.append((number, f"Title {number}"))
            if part == "entry with id":
                number += 1
                ids.append((number, f"2401.{number:05d}"))
            lines.append((number + 1, "An abstract."))
            number += 2
        else:
            (ids if part == "id" else lines).append((number, f"2401.{number:05d}"))
            number += 1
    if lines:
        assert with_ids(entries, lines, ids)[0] == ids_entry_by_entry(entries, lines, ids)


READ_IDS = """
import json, sys
from pathlib import Path
from sitegen.ingest.dumps import read_dump
entries, problems = read_dump(Path(sys.argv[1]))
json.dump([[entry.arxiv for entry in entries], len(problems)], sys.stdout)
"""


def test_a_dump_of_many_entries_each_with_an_id_is_read_in_linear_time(tmp_path):
    """Each id line is placed by bisection. Entry by entry, 50,000 entries with an id each
    took minutes; read in a subprocess with a generous deadline, they take seconds (no
    timing is measured)."""
    count = 50_000
    lines = []
    for i in range(1, count + 1):
        lines += [f"Paper number {i} of a long listing", f"arXiv:{2401 + i // 90_000}.{i:05d}",
                  f"We study paper {i} of the listing. Its abstract has sentences. " * 3]
    dump = tmp_path / "many.txt"
    dump.write_text("\n".join(lines) + "\n", "utf-8")
    done = subprocess.run([sys.executable, "-c", READ_IDS, str(dump)], capture_output=True,
                          text=True, timeout=60, check=True)
    ids, problems = json.loads(done.stdout)
    assert problems == 0
    assert ids == [f"2401.{i:05d}" for i in range(1, count + 1)]


def test_ids_between_papers_in_a_dump_with_none_at_either_end_go_to_neither(tmp_path):
    """Ids above titles, the first paper without one: each id line sits between two
    papers, and nothing tells whose it is (ids below abstracts, the last paper without one,
    read the same). A wrong id is worse than none: each is left out, with a warning."""
    dump = tmp_path / "ids.txt"
    dump.write_text("Alpha: A First Paper\nIt does a thing. It does it well.\n"
                    "2401.00002\nBeta: A Second Paper\nIt does another. It does it too.\n"
                    "2401.00003\nGamma: A Third Paper\nIt does a third. And a fourth.\n", "utf-8")
    entries, problems = read_dump(dump)
    assert [entry.arxiv for entry in entries] == ["", "", ""]
    assert [str(p) for p in problems] == [
        f"{dump}:{line}: warning: arXiv id between two papers, given to neither: the dump "
        "has no id line before its first title or after its last abstract to tell whose "
        "ids come where (hint: give the first or the last paper its id too, or put each id "
        "between its paper's title and abstract)" for line in (3, 6)]
    dump.write_text("2401.00001\n" + dump.read_text("utf-8"), "utf-8")  # the first has one
    assert [entry.arxiv for entry in read_dump(dump)[0]] == [
        "2401.00001", "2401.00002", "2401.00003"]


@pytest.mark.parametrize(("layout", "skipped", "beside"), [("before", 5, 4), ("after", 4, 5)])
def test_an_id_beside_a_skipped_entry_goes_to_no_paper(tmp_path: Path, layout, skipped, beside):
    """The entry with no abstract was skipped; its id is not its neighbour's."""
    entries = [("A Paper", "We study one thing." + LONG, "2401.00001"),
               ("A Title Without Its Abstract", "", "2401.00002"),
               ("Another Paper", "We study another thing." + LONG, "2401.00003")]
    lines: list[str] = []
    for title, abstract, arxiv in entries:
        body = [title, *([abstract] if abstract else [])]
        lines += [f"arXiv:{arxiv}", *body] if layout == "before" else [*body, f"arXiv:{arxiv}"]
    found, problems = read_dump(dump(tmp_path, *lines))
    assert [(e.title, e.arxiv) for e in found] == [("A Paper", "2401.00001"),
                                                  ("Another Paper", "2401.00003")]
    assert [(p.line, p.message[:44]) for p in problems] == [
        (skipped, "title with no abstract, skipped: 'A Title Wi"),
        (beside, "arXiv id beside an entry that was skipped (s")]
