"""An incremental build is a cold build: after any sequence of changes to the content,
the taxonomy, the site settings, a template or a static file, building into the previous
output gives, file for file, the site a build into an empty folder gives.

Hypothesis draws the sequences (the same ones on every run: see conftest's profile).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.store import read_paper, serialise
from sitegen.core.model import Paper
from sitegen.site import assets
from sitegen.site import settings as site_settings
from sitegen.site.bibtex import citation_keys, key_base
from sitegen.site.build import build
from sitegen.site.paths import STATIC, TEMPLATES
from sitegen.site.related import RelatedIndex

FIXTURE = ROOT / "tests" / "fixtures" / "site"
BASE = "https://example.org/papers/"
WORDS = ("sparse", "attention", "tokens", "reward", "distillation", "context", "agents",
         "retrieval", "quantized", "adapters", "vision", "benchmark", "reasoning", "safety")
TOPICS = ("quantization", "peft", "alignment", "safety", "evaluation", "model-release")
FAMILIES = ("llama", "llama-2", "mistral", "gpt", "llava")


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@dataclasses.dataclass
class Tree:
    """A catalogue, and the templates and static files its site is built with."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    def papers(self) -> list[Path]:
        return sorted((self.content / "papers").glob("*.yaml"))

    def paper(self, n: int) -> tuple[Path, Paper]:
        path = self.papers()[n % len(self.papers())]
        paper = read_paper(path, path.name)[0]
        assert paper is not None
        return path, paper

    def write(self, paper: Paper) -> None:
        (self.content / "papers" / f"{paper.id}.yaml").write_bytes(serialise(paper))


def words(draw_from: st.DrawFn, count: int) -> str:
    return " ".join(draw_from(st.lists(st.sampled_from(WORDS), min_size=count,
                                       max_size=count)))


@dataclasses.dataclass(frozen=True)
class Change:
    """One change to a catalogue, its templates or its static files (`CHANGES` by kind)."""

    kind: str
    n: int  # which paper, label or file
    text: str
    topics: list[str]
    families: list[str]

    def __call__(self, tree: Tree, step: int) -> None:
        CHANGES[self.kind](tree, self.n, f"{self.text} {step}", self.topics, self.families)


@st.composite
def changes(draw: st.DrawFn) -> Change:
    return Change(draw(st.sampled_from(sorted(CHANGES))), draw(st.integers(0, 50)),
                  words(draw, 4),
                  draw(st.lists(st.sampled_from(TOPICS), min_size=1, max_size=3, unique=True)),
                  draw(st.lists(st.sampled_from(FAMILIES), max_size=2, unique=True)))


def edit(tree: Tree, n: int, text: str, field: str) -> None:
    paper = tree.paper(n)[1]
    tree.write(dataclasses.replace(paper, **{field: f"{getattr(paper, field)} {text}"}))


def add(tree: Tree, n: int, text: str, topics: list[str], families: list[str]) -> None:
    slug = re.sub(r"\W+", "-", text)
    tree.write(Paper(id=f"new-{slug}", title=f"A study of {text}",
                     abstract=f"We look at {text} in depth, with {n} experiments.",
                     topics=topics, families=families, added=f"2024-01-{n % 28 + 1:02d}"))


def remove(tree: Tree, n: int) -> None:
    if len(tree.papers()) > 2:
        tree.paper(n)[0].unlink()


def rename(tree: Tree, n: int, text: str) -> None:
    path, paper = tree.paper(n)
    path.unlink()
    slug = re.sub(r"\W+", "-", text)
    tree.write(dataclasses.replace(paper, id=f"renamed-{slug}"))


def relabel(tree: Tree, n: int, topics: list[str] | None, families: list[str] | None) -> None:
    """Give a paper other topics, or other families, or both (None: as they are)."""
    paper = tree.paper(n)[1]
    tree.write(dataclasses.replace(paper, topics=paper.topics if topics is None else topics,
                                   families=paper.families if families is None else families))


def review(tree: Tree, n: int) -> None:
    """A person takes a paper's topics as theirs, or gives them back to the tool."""
    paper = tree.paper(n)[1]
    human = ([name for name in paper.human if name != "topics"] if "topics" in paper.human
             else [*paper.human, "topics"])
    tree.write(dataclasses.replace(paper, human=human))


def reauthor(tree: Tree, n: int, text: str) -> None:
    """Another first author: the paper's citation key changes."""
    paper = tree.paper(n)[1]
    tree.write(dataclasses.replace(paper, authors=[f"{text.split()[0].title()}, Ann",
                                                   *paper.authors[1:]]))


def redate(tree: Tree, n: int) -> None:
    """Move a paper among the recent papers: it was added on another day."""
    paper = tree.paper(n)[1]
    tree.write(dataclasses.replace(paper, added=f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}"))


def rename_label(tree: Tree, n: int, text: str) -> None:
    """Give one topic or family of the taxonomy another name."""
    taxonomy = tree.content / "taxonomy.yaml"
    lines = taxonomy.read_text("utf-8").splitlines(keepends=True)
    names = [i for i, line in enumerate(lines) if line.startswith("    name: ")]
    lines[names[n % len(names)]] = f"    name: {text.title()}\n"
    taxonomy.write_text("".join(lines), "utf-8")


def retitle(site: Path, text: str) -> None:
    site.write_text(re.sub("^title: .*$", f"title: Papers on {text}", site.read_text("utf-8"),
                           flags=re.M), "utf-8")


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


CHANGES: dict[str, Callable[[Tree, int, str, list[str], list[str]], None]] = {
    "title": lambda tree, n, text, *_: edit(tree, n, text, "title"),
    "abstract": lambda tree, n, text, *_: edit(tree, n, text, "abstract"),
    "add": add,
    "remove": lambda tree, n, *_: remove(tree, n),
    "rename": lambda tree, n, text, *_: rename(tree, n, text),
    "labels": lambda tree, n, _, topics, families: relabel(tree, n, topics, families),
    "topics": lambda tree, n, _, topics, _families: relabel(tree, n, topics, None),
    "families": lambda tree, n, _, _topics, families: relabel(tree, n, None, families),
    "added": lambda tree, n, *_: redate(tree, n),
    "review": lambda tree, n, *_: review(tree, n),
    "authors": lambda tree, n, text, *_: reauthor(tree, n, text),
    "taxonomy": lambda tree, n, text, *_: rename_label(tree, n, text),
    "settings": lambda tree, n, text, *_: retitle(tree.content / "site.yaml", text),
    "template": lambda tree, n, text, *_: append(
        tree.root / "templates" / ("paper.html", "_footer.html", "_paper_item.html")[n % 3],
        f"<!-- {text} -->\n"),
    "static": lambda tree, n, text, *_: append(tree.root / "static" / "style.css",
                                               f"/* {text} */\n"),
}


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(changes(), min_size=1, max_size=5))
def test_after_any_changes_an_incremental_build_is_the_cold_build(steps):
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        tree = Tree(Path(scratch))
        shutil.copytree(FIXTURE, tree.content)
        shutil.copytree(TEMPLATES, tree.root / "templates")
        shutil.copytree(STATIC, tree.root / "static")
        patch.setattr(site_settings, "TEMPLATES", tree.root / "templates")
        patch.setattr(assets, "STATIC", tree.root / "static")
        out = tree.root / "incremental" / "out"
        assert not build(tree.content, out, BASE).problems
        for step, change in enumerate(steps):
            change(tree, step)
            cold = tree.root / f"cold-{step}" / "out"
            problems = build(tree.content, cold, BASE).problems
            assert build(tree.content, out, BASE, force=True).problems == problems
            if not problems:
                assert files(out) == files(cold)


def test_a_build_after_one_edit_renders_only_the_pages_that_show_it(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURE, content)
    assert not build(content, out, BASE).problems
    before = {path: (out / path).stat().st_ino for path in files(out)}
    tree = Tree(tmp_path)
    paper = tree.paper(0)[1]
    tree.write(dataclasses.replace(paper, abstract=paper.abstract + " Edited."))
    assert not build(content, out, BASE).problems
    taken = {path for path in files(out) if (out / path).stat().st_ino == before.get(path)}
    made = set(files(out)) - taken
    assert f"papers/{paper.id}/index.html" in made and "papers.json" in made
    assert {"about/index.html", "404.html", "static/style.css", "topics/index.html"} <= taken
    assert len(made) < len(taken)


def assert_page_changes_as_a_cold_build_does(
        tmp_path: Path, find: Callable[[Path], tuple[str, Paper]]) -> None:
    """Build the fixture, write the paper `find` gives, and build again: the page of the
    paper it names changes, and the build into the last output is the cold build."""
    content, out, cold = tmp_path / "content", tmp_path / "out", tmp_path / "cold"
    shutil.copytree(FIXTURE, content)
    assert not build(content, out, BASE).problems
    shown, written = find(content)
    Tree(tmp_path).write(written)
    page = f"papers/{shown}/index.html"
    before = (out / page).read_text("utf-8")
    assert not build(content, out, BASE).problems
    assert not build(content, cold, BASE).problems
    assert (cold / page).read_text("utf-8") != before
    assert files(out) == files(cold)


def reasons_only_edit(content: Path) -> tuple[str, Paper]:
    """A paper whose page lists others, and a third paper, neither listed nor listing,
    with one of the first's terms added to its abstract: the term's weight changes, and so
    the reasons the page gives, though the same papers are listed in the same order and
    none of them changed."""
    catalogue = load_catalogue(content)
    index = RelatedIndex(catalogue.papers, catalogue.taxonomy)
    for mine in sorted(catalogue.papers):
        listed = index.related(mine)
        for third in sorted(set(catalogue.papers) - {mine, *(r.id for r in listed)}):
            paper = catalogue.papers[third]
            for term in index.terms[index.number[mine]]:
                edited = dataclasses.replace(paper, abstract=f"{paper.abstract} {term}.")
                after = RelatedIndex({**catalogue.papers, third: edited},
                                     catalogue.taxonomy).related(mine)
                if [r.id for r in after] == [r.id for r in listed] and after != listed:
                    return mine, edited
    raise AssertionError("no such edit in the fixture")


def test_a_related_paper_s_reasons_are_part_of_the_pages_that_list_it(tmp_path):
    """An edit that changes only the reasons a page gives for its related papers changes
    that page: not its paper, its list or any item in it, only a reason."""
    assert_page_changes_as_a_cold_build_does(tmp_path, reasons_only_edit)


def namesake(content: Path) -> tuple[str, Paper]:
    """A paper, and another added before it by the same first author in the same year with
    the same first title word, related to nothing that paper is: the first paper's
    citation key is now the other's, and nothing else its page shows changes."""
    catalogue = load_catalogue(content)
    papers, taxonomy = catalogue.papers, catalogue.taxonomy
    for paper in sorted(papers.values(), key=lambda p: p.id):
        other_topics = [t for t in taxonomy.topics if t not in paper.topics]
        if not (paper.authors and paper.published and other_topics):
            continue
        word = paper.title.split()[0]  # its key's word, but not a term shared with it:
        accented = f"{word[:1]}{word[1:2]}\u0301{word[2:]}"  # no related term holds a mark
        earlier = Paper(id="an-earlier-namesake", title=f"{accented} anew",
                        abstract="Unrelated measurements of something else entirely.",
                        authors=paper.authors[:1], published=paper.published,
                        topics=other_topics[:1], families=[], added="2001-01-01")
        now = {**papers, earlier.id: earlier}
        keys = citation_keys(papers.values())
        if (key_base(earlier) == key_base(paper)
                and citation_keys(now.values())[paper.id] != keys[paper.id]
                and RelatedIndex(now, taxonomy).related(paper.id)
                == RelatedIndex(papers, taxonomy).related(paper.id)):
            return paper.id, earlier
    raise AssertionError("no such paper in the fixture")


def test_a_paper_s_citation_key_is_part_of_its_page(tmp_path):
    """A paper's page shows its citation key, which an earlier-added namesake takes from it
    though the paper itself, its item and its related papers stay as they were."""
    assert_page_changes_as_a_cold_build_does(tmp_path, namesake)


def test_a_paper_s_edit_link_follows_the_repository_s_branch(tmp_path):
    """Every paper's page links to its file in the repository's branch: a settings change
    that no template reads (the link is made with the page's context)."""
    content, out, cold = tmp_path / "content", tmp_path / "out", tmp_path / "cold"
    shutil.copytree(FIXTURE, content)
    assert not build(content, out, BASE).problems
    site = content / "site.yaml"
    site.write_text(re.sub("^branch: .*$", "branch: drafts", site.read_text("utf-8"),
                           flags=re.M), "utf-8")
    assert not build(content, out, BASE).problems
    assert not build(content, cold, BASE).problems
    assert "/edit/drafts/content/papers/" in (cold / next(
        p for p in files(cold) if p.startswith("papers/"))).read_text("utf-8")
    assert files(out) == files(cold)
