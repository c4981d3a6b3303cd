"""`sitegen evaluate --gold FILE`: labels people decided, from the reference set or from
elsewhere, measured with the held-out protocol (sitegen.ingest.evaluate)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, ROOT, run

SITE = FIXTURES / "site"
LABELS = FIXTURES / "labels"
REFERENCE = ROOT / "tests" / "gold" / "reference.yaml"


def evaluate(name: str, capsys) -> tuple[int, list[str], str]:
    code = run("evaluate", "--content", str(SITE), "--gold", str(LABELS / name))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_papers_labelled_outside_the_reference_set_are_all_held_out(capsys):
    """By id, by title under another id, and from the abstract the file gives; the one
    reference paper the rules were tuned on is set apart."""
    code, lines, err = evaluate("elsewhere.yaml", capsys)
    assert (code, err) == (0, "")
    assert lines[0].startswith("Held-out: 3 labelled papers that no rule was written or "
                               "tuned against (all but the 242 reference papers")
    assert "Not a result: 1 labelled paper the rules were written or tuned against:" in lines


def test_the_papers_the_rules_were_tuned_on_are_set_apart_from_any_working_directory(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code, lines, err = evaluate("elsewhere.yaml", capsys)
    assert (code, err) == (0, "")
    assert lines[0].startswith("Held-out: 3 labelled papers that no rule was written or "
                               "tuned against (all but the 242 reference papers")
    assert "Not a result: 1 labelled paper the rules were written or tuned against:" in lines


def test_the_packaged_list_of_papers_the_rules_were_tuned_on_follows_the_protocol():
    """sitegen/ingest/tuned.yaml: the older reference papers and the newer ones outside the
    held-out fold, as the protocol picks them from the reference set."""
    from sitegen.ingest.evaluate import Tuning, tuned
    from sitegen.ingest.goldfile import load_gold

    assert tuned() == Tuning.of(load_gold(REFERENCE))
    assert len(tuned().ids) == len(tuned().titles) == 242


def test_a_labels_file_allows_as_many_topics_as_a_paper_s_file():
    """The labelling policy: 1 to 3 topics, the first primary."""
    from sitegen.catalogue.schemafiles import schema

    limits = ("minItems", "maxItems")
    labels = schema("labels")["$defs"]["paper"]["properties"]["topics"]
    paper = schema("paper")["properties"]["topics"]
    assert [labels[k] for k in limits] == [paper[k] for k in limits] == [1, 3]


def test_an_installation_without_its_list_of_tuned_papers_says_so(monkeypatch, capsys):
    from sitegen.ingest import evaluate as ev

    monkeypatch.setattr(ev, "TUNED", "ingest/no-such-list.yaml")
    ev.tuned.cache_clear()
    try:
        code, lines, err = evaluate("elsewhere.yaml", capsys)
    finally:
        ev.tuned.cache_clear()
    listed = ROOT / "sitegen" / "ingest" / "no-such-list.yaml"
    assert (code, lines) == (1, [])
    assert err == (f"sitegen: {listed}: cannot be read: No such file or directory (hint: "
                   "reinstall sitegen, whose package holds the list)\n")


def test_a_catalogue_paper_given_under_another_title_is_that_paper(capsys):
    """Found by its abstract: not taught its own labels by the catalogue's copy (which
    would be its one most similar reviewed paper), and set apart when the rules were tuned
    on it."""
    code, lines, err = evaluate("renamed.yaml", capsys)
    assert (code, err) == (0, "")
    assert lines[0].startswith("Held-out: 1 labelled paper that")
    disagreements = lines[lines.index("Commonest disagreements over topics (held-out):") + 1]
    assert disagreements == ('  1 x wanted -, proposed evaluation: e.g. mistral-7b (abstract: '
                             '"benchmarks", "evaluat")')
    assert "Not a result: 1 labelled paper the rules were written or tuned against:" in lines


def test_a_set_of_no_papers_shows_no_figures(capsys):
    _, lines, _ = evaluate("not-in-catalogue.yaml", capsys)
    assert lines[-2:] == ["Not a result: 0 labelled papers the rules were written or tuned "
                          "against:", "  none"]


def test_the_abstract_a_labels_file_gives_is_classified(capsys):
    _, lines, _ = evaluate("elsewhere.yaml", capsys)
    families = lines[lines.index("Per family (held-out):") + 1:]
    assert any(line.split()[:4] == ["llama-2", "1.000", "1.000", "1.000"] for line in families)
    assert any(line.split()[:2] == ["mistral", "1.000"] for line in families)


def test_a_paper_neither_in_the_catalogue_nor_given_with_its_abstract_is_named(capsys):
    code, lines, err = evaluate("not-in-catalogue.yaml", capsys)
    assert code == 1
    assert err == (f"{LABELS / 'not-in-catalogue.yaml'}:5: [1].title: 'A paper nobody "
                   "ingested' is not in the catalogue (hint: ingest the dump that holds it, "
                   "or give its abstract in the labels file)\n")
    assert lines[0].startswith("Held-out: 1 labelled paper that")


@pytest.mark.parametrize(("name", "message"), [
    ("no-topics.yaml", "1: [0].topics: is missing (hint: required fields: title, topics, "
                       "families)"),
    ("topics-not-a-list.yaml", "2: [0].topics: must be a list, not text 'model-release' "
                               "(hint: write a list, one '- item' per line)"),
    ("mapping-without-papers.yaml", "1: papers: is missing (hint: required fields: papers)"),
    ("papers-mapping-invalid.yaml", "3: papers[0].topics: must be a list, not text "
                                    "'model-release' (hint: write a list, one '- item' per "
                                    "line)"),
    ("a-number.yaml", "1: must be a list of papers (hint: write one '- title: ...' item per "
                      "paper, or a mapping whose 'papers' holds them)"),
    ("not-utf8.yaml", "4: not valid UTF-8 at column 59 (byte 126) (hint: save the file "
                      "with UTF-8 encoding)"),
    ("labelled-twice.yaml", "6: [1].id: 'qlora-efficient-finetuning-of-quantized-llms' is "
                            "already labelled on line 2 (hint: keep one entry for each paper: "
                            "it would count twice)"),
    ("twice-by-title.yaml", "6: [1].title: 'Mistral 7B' is the catalogue's mistral-7b, already "
                            "labelled on line 2 (hint: keep one entry for each paper: it would "
                            "count twice)"),
    ("twice-by-wrong-id.yaml", "6: [1].title: 'Mistral 7B' is the catalogue's mistral-7b, "
                               "already labelled on line 2 (hint: keep one entry for each "
                               "paper: it would count twice)"),
    ("twice-by-abstract.yaml", "6: [1].title: 'Mistral 7B (revised)' is the catalogue's "
                               "mistral-7b (by its abstract), already labelled on line 2 "
                               "(hint: keep one entry for each paper: it would count twice)"),
    ("empty-topics.yaml", "3: [0].topics: needs at least 1 item (hint: add an item, one "
                          "'- item' per line: 1 to 3 topic ids from content/taxonomy.yaml, the "
                          "paper's primary subject first)"),
    ("five-topics.yaml", "3: [0].topics: has 5 items; at most 3 are allowed (hint: keep the "
                         "most important ones)"),
    ("misspelt-key.yaml", "4: [0].familes: is not a known field (hint: did you mean "
                          "'families'?)"),
    ("no-papers.yaml", "2: papers: holds no paper: there is nothing to evaluate (hint: add "
                       "one '- title: ...' item for each labelled paper)"),
    ("empty-list.yaml", "1: holds no paper: there is nothing to evaluate (hint: add one "
                        "'- title: ...' item for each labelled paper)"),
    ("invalid-yaml.yaml", "3: invalid YAML: did not find expected ',' or ']' while parsing a "
                          "flow sequence that starts on line 2 (hint: check the indentation "
                          "and quoting around this line)"),
])
def test_a_labels_file_that_cannot_be_read_is_refused_with_its_line(name, message, capsys):
    code, lines, err = evaluate(name, capsys)
    assert (code, lines) == (1, [])
    assert f"{LABELS / name}:{message}" in err.splitlines()


def test_a_missing_labels_file_is_refused(capsys):
    code, lines, err = evaluate("no-such-file.yaml", capsys)
    assert (code, lines) == (1, [])
    assert err == (f"{LABELS / 'no-such-file.yaml'}: cannot be read: No such file or "
                   "directory (hint: give the path of a labels file with --gold)\n")


def test_a_label_the_taxonomy_lacks_is_a_warning_and_counts_as_missed(capsys):
    code, lines, err = evaluate("unknown-label.yaml", capsys)
    path = LABELS / "unknown-label.yaml"
    assert code == 0
    assert err.splitlines() == [
        f"{path}:3: warning: [0].topics: 'time-series' is not a topic of the taxonomy: "
        "counted as missed (hint: use the taxonomy's ids, or add the label to "
        "content/taxonomy.yaml)",
        f"{path}:4: warning: [0].families: 'granite' is not a family of the taxonomy: "
        "counted as missed (hint: use the taxonomy's ids, or add the label to "
        "content/taxonomy.yaml)"]
    assert lines[3].split()[:1] == ["topics"] and lines[3].split()[2] == "0.500"  # recall


def test_the_older_form_a_mapping_of_papers_found_by_their_titles_is_read(capsys):
    code, lines, err = evaluate("papers-mapping.yaml", capsys)
    assert code == 0
    assert err == (f"{LABELS / 'papers-mapping.yaml'}:8: warning: papers[1].families: "
                   "'time-machine' is not a family of the taxonomy: counted as missed (hint: "
                   "use the taxonomy's ids, or add the label to content/taxonomy.yaml)\n")
    assert lines[0].startswith("Held-out: 2 labelled papers that")


def test_the_intervals_sum_each_papers_counts_as_scoring_each_resample_would():
    """`_intervals` sums per-paper counts over each resample (a 10,000-paper labels file took
    100 s re-scoring every resample): the figures are those of scoring each resample."""
    import random

    from sitegen.ingest import evaluate as ev
    from sitegen.ingest.classify import Labels
    from sitegen.ingest.goldfile import GoldPaper

    rnd = random.Random(3)
    names = ["a", "b", "c", "d"]

    def some() -> list[str]:
        return rnd.sample(names, rnd.randint(0, 3))

    outcomes = [ev.Outcome(GoldPaper(f"t{k}", frozenset(some()), frozenset(some())),
                           Labels(some(), some())) for k in range(60)]
    draw = random.Random(0)
    found: dict[str, list[float]] = {kind: [] for kind in ev.KINDS}
    for _ in range(ev.RESAMPLES):
        for kind, score in ev.scores(draw.choices(outcomes, k=len(outcomes))).items():
            found[kind].append(score.f1)
    low, high = int(ev.RESAMPLES * 0.025), int(ev.RESAMPLES * 0.975) - 1
    expected = ", ".join(f"{kind} F1 {sorted(f1s)[low]:.2f}-{sorted(f1s)[high]:.2f}"
                         for kind, f1s in found.items())
    assert ev._intervals(outcomes).endswith(expected)


def test_the_primary_topic_is_counted_among_the_proposed_and_proposed_first():
    """The site and `sitegen diff` show the first proposed topic as a paper's primary: the
    report says how often that is the reference primary, beside how often it is proposed
    at all, for the held-out papers and for those the rules were tuned on."""
    from sitegen.ingest import evaluate as ev
    from sitegen.ingest.classify import Labels
    from sitegen.ingest.goldfile import GoldPaper

    def outcome(k: int, proposed: list[str]) -> ev.Outcome:
        return ev.Outcome(GoldPaper(f"t{k}", frozenset({"a", "b"}), frozenset(), id=f"p{k}",
                                    primary="a"), Labels(proposed, []))

    outcomes = [outcome(0, ["a", "b"]), outcome(1, ["b", "a"]), outcome(2, ["b"]),
                outcome(3, [])]
    lines = ev._summary(outcomes)
    assert lines[-2:] == ["primary topic among the proposed: 2/4 (50.0%)",
                          "primary topic proposed first: 1/4 (25.0%)"]
    report = ev.report(outcomes, ev.Tuning(frozenset({"p0", "p1"}), frozenset()))
    assert report.count("primary topic proposed first: 1/2 (50.0%)") == 1  # tuned on
    assert report.count("primary topic proposed first: 0/2 (0.0%)") == 1  # held out
