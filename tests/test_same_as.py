"""`same_as` as a graph: random graphs never lose a paper.

A paper may disappear only by a valid merge: a surviving paper listed its id
under `same_as`, and keeps every source the removed paper had. A graph with a
cycle, a chain, a self-reference, two claims on one paper or a contradiction
with `distinct_from` merges nothing at all (the invalid fixtures in
tests/fixtures/check/invalid/same-as-* show each message).
"""

from __future__ import annotations

import io
import itertools
import shutil
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen import cli
from sitegen.catalogue.cycles import Cycles
from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.sameas import (
    UNMERGED,
    InvalidGraph,
    marked_distinct,
    merge_same_as,
    same_as_troubles,
)
from sitegen.catalogue.store import serialise
from sitegen.core.model import ELLIPSIS, Paper, Source

TAXONOMY = Path(__file__).parent / "fixtures" / "check" / "valid" / "taxonomy.yaml"
WORDS = ("sparse", "routing", "reward", "tokens", "memory", "vision", "speech", "agents")
IDS = [f"paper-{i}" for i in range(6)]
GONE = "paper-merged-long-ago"  # an id whose file is gone: the record of an earlier merge


def _paper(index: int, same_as: list[str], distinct_from: list[str]) -> Paper:
    word = WORDS[index]
    return Paper(id=IDS[index], title=f"{word.title()} at scale number {index}",
                 abstract=f"We study {word} in depth; paper {index} of the set. " * 3,
                 topics=["survey"], families=[], added="2024-01-0" + str(index + 1),
                 sources=[Source(f"dump-{index}.txt", index + 1, f"{word} at scale")],
                 same_as=same_as, distinct_from=distinct_from)


@st.composite
def graphs(draw) -> list[Paper]:
    """Valid stars (some papers absorb others), with random extra edges in about half."""
    count = draw(st.integers(2, len(IDS)))
    ids = IDS[:count]
    keepers = draw(st.sets(st.sampled_from(ids), min_size=1))
    same_as: dict[str, list[str]] = {pid: [] for pid in ids}
    for pid in ids:
        owner = draw(st.sampled_from([None, *sorted(keepers)]))
        if pid not in keepers and owner is not None:
            same_as[owner].append(pid)
    if draw(st.booleans()):
        for pid in ids:
            same_as[pid] += draw(st.lists(st.sampled_from([*ids, GONE]), max_size=2))
    papers = []
    for index, pid in enumerate(ids):
        distinct = draw(st.lists(st.sampled_from(ids), max_size=1))
        papers.append(_paper(index, list(dict.fromkeys(same_as[pid])),
                             [d for d in distinct if d != pid]))
    return papers


def _write(root: Path, papers: list[Paper]) -> Path:
    content = root / "content"
    (content / "papers").mkdir(parents=True)
    shutil.copy(TAXONOMY, content / "taxonomy.yaml")
    for paper in papers:
        (content / "papers" / f"{paper.id}.yaml").write_bytes(serialise(paper))
    return content


def _files(content: Path) -> dict[str, bytes]:
    return {p.stem: p.read_bytes() for p in sorted((content / "papers").glob("*.yaml"))}


def _run(*args: str) -> int:
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        return cli.main(list(args))


@pytest.mark.parametrize("command", ["classify", "ingest"])
@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(papers=graphs())
def test_no_paper_disappears_except_by_a_valid_merge(command, papers):
    with tempfile.TemporaryDirectory() as root:
        content = _write(Path(root), papers)
        before = _files(content)
        graph_errors = [t for t in same_as_troubles({p.id: p for p in papers})
                        if t.code != UNMERGED]
        code = _run(command, "--content", str(content))
        after = _files(content)
        if graph_errors:
            assert code == 1 and after == before  # nothing merged, nothing rewritten
            return
        assert code == 0
        survivors = {p.id: p for p in load_catalogue(content).papers.values()}
        for paper in papers:
            if paper.id in survivors:
                continue
            keepers = [k for k in papers if paper.id in k.same_as and k.id in survivors]
            assert len(keepers) == 1, paper.id
            kept = survivors[keepers[0].id]
            assert set(paper.sources) <= set(kept.sources)
            assert paper.id in kept.same_as
        _assert_still_apart(papers, survivors)
        assert _run("check", "--content", str(content)) == 0


def _assert_still_apart(papers: list[Paper], survivors: dict[str, Paper]) -> None:
    """Papers a person marked `distinct_from` each other are still two papers, still marked."""
    def survivor(pid: str) -> str:
        return pid if pid in survivors else next(k for k in survivors
                                                 if pid in survivors[k].same_as)
    for paper in papers:
        for other in paper.distinct_from:
            first, second = survivor(paper.id), survivor(other)
            assert first != second, (paper.id, other)
            assert (second in survivors[first].distinct_from
                    or first in survivors[second].distinct_from), (paper.id, other)


def test_an_invalid_graph_is_refused_by_the_merge_itself():
    first, second = _paper(0, [IDS[1]], []), _paper(1, [IDS[0]], [])
    with pytest.raises(InvalidGraph, match="a cycle"):
        merge_same_as({first.id: first, second.id: second})


def test_a_distinct_from_mark_in_either_file_marks_the_pair():
    """The one check ingest, `check` and `diff` ask before calling two papers the same."""
    unmarked, marking = _paper(0, [], []), _paper(1, [], [IDS[0]])
    assert marked_distinct(unmarked, marking) and marked_distinct(marking, unmarked)
    assert not marked_distinct(unmarked, _paper(2, [], []))
    assert not marked_distinct(unmarked, _paper(2, [], [IDS[1]]))  # a mark names one paper


def test_a_merge_carries_sources_aliases_marks_and_human_values():
    keep = _paper(0, [IDS[1]], [])
    gone = _paper(1, [GONE], [IDS[2]])
    gone.topics, gone.human = ["peft"], ["topics"]
    other = _paper(2, [], [IDS[1]])
    merged, moves = merge_same_as({p.id: p for p in (keep, gone, other)})
    assert moves == [(IDS[1], IDS[0])]
    kept = merged[IDS[0]]
    assert kept.sources == keep.sources + gone.sources
    assert kept.same_as == [IDS[1], GONE]
    assert kept.distinct_from == [IDS[2]]
    assert (kept.topics, kept.human) == (["peft"], ["topics"])
    assert merged[IDS[2]].distinct_from == [IDS[0]]  # follows the paper it named
    assert keep.sources == [Source("dump-0.txt", 1, "sparse at scale")]  # input untouched


@st.composite
def directed_graphs(draw) -> dict[str, list[str]]:
    nodes = [f"n{i}" for i in range(draw(st.integers(1, 9)))]
    return {node: draw(st.lists(st.sampled_from(nodes), unique=True, max_size=3))
            for node in nodes}


def _reaches(graph: dict[str, list[str]], source: str, target: str) -> bool:
    seen, todo = {source}, [source]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt == target:
                return True
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


@settings(max_examples=300, deadline=None)
@given(graph=directed_graphs(), shown=st.integers(1, 4))
def test_a_cycle_is_found_through_every_edge_on_one_and_is_a_real_walk(graph, shown):
    cycles = Cycles({n: [m for m in succ if m != n] for n, succ in graph.items()}, shown)
    for start, successors in graph.items():
        for first in successors:
            walk = cycles.through(start, first)
            assert bool(walk) == (first != start and _reaches(graph, first, start))
            if not walk:
                continue
            assert walk[:2] == [start, first] and walk[-1] == start
            if ELLIPSIS not in " ".join(walk):
                assert all(b in graph[a] for a, b in itertools.pairwise(walk))
                assert len(walk) <= 2 * shown + 2


def test_a_long_cycle_is_found_in_linear_time_and_shown_by_its_ends():
    count = 20_000
    ids = [f"paper-{i:05d}" for i in range(count)]
    papers = {pid: Paper(id=pid, title=pid, abstract="", topics=["survey"], families=[],
                         added="2024-01-01", same_as=[ids[(i + 1) % count]])
              for i, pid in enumerate(ids)}
    start = time.perf_counter()
    troubles = same_as_troubles(papers)
    assert time.perf_counter() - start < 5  # a search per entry took minutes
    assert len(troubles) == count
    assert troubles[10].message == (
        f"'paper-00011' leads back to this paper (a cycle: paper-00010 -> paper-00011 -> "
        f"paper-00012 -> paper-00013 -> paper-00014 -> {ELLIPSIS} 19,992 more {ELLIPSIS} -> "
        "paper-00007 -> paper-00008 -> paper-00009 -> paper-00010)")


def test_a_paper_absorbs_thousands_of_copies_in_linear_time():
    count = 20_000
    copies = {f"copy-{i:05d}": Paper(id=f"copy-{i:05d}", title="t", abstract="", topics=["survey"],
                                     families=[], added="2024-01-01", same_as=[f"older-{i:05d}"],
                                     sources=[Source("dump.txt", i + 1, "t")])
              for i in range(count)}
    keeper = _paper(0, sorted(copies), [])
    start = time.perf_counter()
    merged, moves = merge_same_as({keeper.id: keeper, **copies})
    assert time.perf_counter() - start < 5  # merged one by one, its lists were rebuilt each time
    assert list(merged) == [keeper.id] and len(moves) == count
    kept = merged[keeper.id]
    assert len(kept.sources) == count + 1 and len(kept.same_as) == 2 * count
