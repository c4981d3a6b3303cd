"""`sitegen ingest`: one record per paper, stable files, and human edits that always win."""

import os
import random
import shutil
import time
from pathlib import Path

import pytest
import yaml
from conftest import BAD_DUMPS, run, snapshot

PAPERS = "papers"


def ingest(content: Path, *dumps: str) -> int:
    return run("ingest", "--content", str(content), *[str(content / "dumps" / d) for d in dumps])


def load(content: Path, paper_id: str) -> dict:
    return yaml.safe_load((content / PAPERS / f"{paper_id}.yaml").read_text("utf-8"))


def edit(content: Path, paper_id: str, old: str, new: str) -> None:
    path = content / PAPERS / f"{paper_id}.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_variants_merge_and_look_alikes_stay_apart(content, capsys):
    assert ingest(content) == 0
    out = capsys.readouterr().out
    assert sorted(p.stem for p in (content / PAPERS).glob("*.yaml")) == [
        "a-survey-of-large-language-models",
        "a-survey-of-small-language-models",
        "be-like-a-goldfish-dont-memorize-mitigating-memorization-in",
        "comet-towards-practical-w4a4kv4-llms-serving",
        "llama-adapter-efficient-fine-tuning-of-language-models-with",
        "llama-adapter-v2-parameter-efficient-visual-instruction",
        "llama-omni-seamless-speech-interaction-with-large-language",
        "llama-omni2-llm-based-real-time-spoken-chatbot-with",
        "pllava-parameter-free-llava-extension-from-images-to-videos",
        "the-hedgehog-the-porcupine-expressive-linear-attentions-with",
        "the-llama-3-herd-of-models",
        "the-llama-4-herd-of-models",
    ]
    assert "dumps read: 3\nentries: 19\nnew papers: 12\nmerged: 7\nuncertain pairs: 1\n" in out
    assert ("uncertain: 003_lookalikes.txt:7 the-llama-4-herd-of-models vs "
            "the-llama-3-herd-of-models: same abstract, different title; title 96, abstract 100"
            in out)


def test_the_first_200_uncertain_pairs_are_printed_with_the_exact_count(content, capsys):
    """As `sitegen check` prints problems: one title over a hundred different abstracts
    makes hundreds of uncertain pairs."""
    for dump in (content / "dumps").iterdir():
        dump.unlink()
    words = "alpha beta gamma delta theta kappa sigma omega river stone cloud field".split()
    draw = random.Random(0)
    (content / "dumps" / "same.txt").write_text("".join(
        f"A Study of Repeated Titles\n{' '.join(draw.choices(words, k=30))}. We find it.\n"
        for _ in range(100)), "utf-8")
    assert ingest(content) == 0
    lines = capsys.readouterr().out.splitlines()
    pairs = int(next(line for line in lines if line.startswith("uncertain pairs: "))[17:])
    assert pairs > 300
    assert sum(line.startswith("uncertain: ") for line in lines) == 200
    assert lines[200] == f"... and {pairs - 200:,} more uncertain pair(s) not shown"


def test_merge_keeps_the_first_title_the_longer_abstract_and_every_source(content):
    ingest(content)
    paper = load(content, "llama-adapter-efficient-fine-tuning-of-language-models-with")
    assert paper["title"].startswith("LLaMA-Adapter: Efficient")
    assert paper["abstract"].endswith("https://github.com/example/LLaMA-Adapter.")
    assert [(s["dump"], s["line"]) for s in paper["sources"]] == [
        ("001_first.txt", 3), ("002_later.txt", 11)]
    assert paper["sources"][1]["match"] == "same title; title 100, abstract 100"
    assert paper["links"] == [{"url": "https://github.com/example/LLaMA-Adapter", "kind": "code"}]
    typo = load(content, "comet-towards-practical-w4a4kv4-llms-serving")
    assert typo["sources"][1]["match"].startswith("title differs by 1 typo(s); title 97")


def test_files_have_fixed_field_order_and_a_second_run_changes_nothing(content):
    ingest(content)
    first = snapshot(content / PAPERS)
    paper = load(content, "the-llama-3-herd-of-models")
    assert list(paper) == ["id", "title", "abstract", "topics", "families", "links", "added",
                           "sources", "machine", "evidence"]
    assert paper["added"] == "2023-11-14"
    assert ingest(content) == 0
    assert snapshot(content / PAPERS) == first


def test_ingesting_in_two_steps_gives_the_same_files(content, tmp_path):
    ingest(content)
    once = snapshot(content / PAPERS)
    stepwise = tmp_path / "stepwise"
    shutil.copytree(content, stepwise)
    shutil.rmtree(stepwise / PAPERS)
    for dump in ("001_first.txt", "002_later.txt", "003_lookalikes.txt"):
        ingest(stepwise, dump)
    assert snapshot(stepwise / PAPERS) == once


def test_human_edits_survive_reingest(content):
    ingest(content)
    pid = "the-llama-3-herd-of-models"
    before = load(content, pid)
    edit(content, pid, f"topics:\n- {before['topics'][0]}\n", "topics:\n- survey\n- evaluation\n")
    edit(content, pid, "families:\n- llama-3\n", "families:\n- llama-3\n- gpt\n")
    assert ingest(content) == 0
    after = load(content, pid)
    assert after["topics"][:2] == ["survey", "evaluation"]
    assert after["families"] == ["llama-3", "gpt"]
    assert after["human"] == ["topics", "families"]
    assert set(after["machine"]) == {"abstract", "links"}
    settled = snapshot(content / PAPERS)
    ingest(content)
    assert snapshot(content / PAPERS) == settled


def test_corrected_title_and_abstract_still_recognise_the_old_dump_text(content):
    ingest(content)
    pid = "comet-towards-practical-w4a4kv4-llms-serving"
    edit(content, pid, "title: 'COMET: Towards Practical W4A4KV4 LLMs Serving'",
         "title: 'COMET: Practical W4A4KV4 Serving of Large Language Models'")
    edit(content, pid, "abstract: Quantization is a widely-used",
         "abstract: Quantisation is a widely used")
    assert ingest(content) == 0
    assert len(list((content / PAPERS).glob("*.yaml"))) == 12
    paper = load(content, pid)
    assert paper["title"] == "COMET: Practical W4A4KV4 Serving of Large Language Models"
    assert paper["abstract"].startswith("Quantisation is a widely used")
    assert paper["human"] == ["abstract"]
    # A new dump with the old title still finds the paper.
    (content / "dumps" / "004_again.txt").write_text(
        (content / "dumps" / "001_first.txt").read_text("utf-8"), "utf-8")
    ingest(content, "004_again.txt")
    assert len(list((content / PAPERS).glob("*.yaml"))) == 12
    assert len(load(content, pid)["sources"]) == 3


def test_an_abstract_a_person_rewrote_keeps_the_paper_it_was_seen_as(content, capsys):
    """The dump's abstract cannot be compared with one a person wrote anew (from the PDF,
    say): the dump's entry at the place and under the title the paper was seen there is
    that paper, as it was, and no second paper is made of it on the next ingest. (Where no
    person decided the abstract, another abstract there is another paper: see below.)"""
    ingest(content)
    pid = "comet-towards-practical-w4a4kv4-llms-serving"
    before = load(content, pid)
    edit(content, pid, "title: 'COMET: Towards Practical W4A4KV4 LLMs Serving'",
         "title: 'COMET: Serving LLMs in Four Bits'")
    path = content / PAPERS / f"{pid}.yaml"
    rewritten = "COMET serves language models with four-bit weights, activations and cache."
    path.write_text("\n".join(f"abstract: {rewritten}" if line.startswith("abstract:") else line
                              for line in path.read_text("utf-8").splitlines()) + "\n")
    capsys.readouterr()
    assert ingest(content) == 0
    assert "new papers: 0\n" in capsys.readouterr().out
    assert len(list((content / PAPERS).glob("*.yaml"))) == 12
    after = load(content, pid)
    assert (after["title"], after["abstract"]) == ("COMET: Serving LLMs in Four Bits", rewritten)
    assert after["human"] == ["abstract"] and after["sources"] == before["sources"]


def test_ingest_never_deletes_a_paper(content):
    ingest(content, "001_first.txt")
    ids = {p.stem for p in (content / PAPERS).glob("*.yaml")}
    (content / "dumps" / "001_first.txt").unlink()
    ingest(content)
    assert ids <= {p.stem for p in (content / PAPERS).glob("*.yaml")}


def test_same_as_merges_two_papers_and_keeps_the_id_reserved(content, capsys):
    ingest(content)
    keep, fold = "the-llama-3-herd-of-models", "the-llama-4-herd-of-models"
    path = content / PAPERS / f"{keep}.yaml"
    path.write_text(path.read_text("utf-8").replace("machine:", f"same_as:\n- {fold}\nmachine:"))
    assert ingest(content) == 0
    assert not (content / PAPERS / f"{fold}.yaml").exists()
    paper = load(content, keep)
    assert paper["same_as"] == [fold]
    assert [s["dump"] for s in paper["sources"]] == ["001_first.txt", "003_lookalikes.txt"]
    assert run("check", "--content", str(content)) == 0
    capsys.readouterr()
    ingest(content)  # the old entry is recognised, not re-created
    assert not (content / PAPERS / f"{fold}.yaml").exists()
    assert "uncertain pairs: 0" in capsys.readouterr().out


def test_distinct_from_silences_the_uncertain_pair(content, capsys):
    ingest(content)
    path = content / PAPERS / "the-llama-4-herd-of-models.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "machine:", "distinct_from:\n- the-llama-3-herd-of-models\nmachine:"))
    capsys.readouterr()
    assert run("check", "--content", str(content)) == 0
    assert "0 warning(s)" in capsys.readouterr().out


def test_changed_rules_relabel_only_machine_labelled_papers(content):
    ingest(content)
    labelled = "a-survey-of-small-language-models"
    edit(content, labelled, "topics:\n", "topics:\n- peft\n")  # a person adds a topic
    taxonomy = content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text("utf-8").replace(
        "      - \\bsurvey\\b\n",
        "      - \\bsurvey\\b\n      - \\bmodels?\\b\n      - \\bwe\\b\n"), "utf-8")
    before = load(content, labelled)["topics"]
    assert run("classify", "--content", str(content)) == 0
    assert load(content, labelled)["topics"] == before
    assert "survey" in load(content, "the-llama-3-herd-of-models")["topics"]


def test_bad_dumps_warn_with_file_and_line_and_the_rest_ingests(content, capsys):
    for bad in BAD_DUMPS.glob("*.txt"):
        shutil.copy(bad, content / "dumps" / bad.name)
    assert ingest(content) == 1  # two dumps could not be read: CI notices
    captured = capsys.readouterr()
    assert "orphan.txt:1: warning: title with no abstract, skipped" in captured.err
    assert "latin1.txt:1: not valid UTF-8 at column 6 (byte 5)" in captured.err
    assert "binary.txt:1: not a text file" in captured.err
    assert "empty.txt:1: warning: dump is empty" in captured.err
    assert "Traceback" not in captured.err
    assert (content / PAPERS / "another-paper-with-a-title.yaml").exists()
    assert "new papers: 13" in captured.out


def test_ingest_fails_on_a_dump_it_cannot_read_yet_writes_what_the_others_gave(content, capsys):
    (content / "dumps" / "binary.txt").write_bytes(b"A Title\n\x00\n")
    assert ingest(content, "001_first.txt", "binary.txt", "missing.txt") == 1
    captured = capsys.readouterr()
    assert f"{content / 'dumps' / 'binary.txt'}:2: not a text file" in captured.err
    assert f"{content / 'dumps' / 'missing.txt'}: cannot read dump" in captured.err
    assert "new papers: 8\n" in captured.out and captured.out.endswith("errors: 2\n")
    assert len(list((content / PAPERS).glob("*.yaml"))) == 8


def test_a_dump_too_large_to_read_is_an_error_and_the_others_are_ingested(content, capsys):
    """A dump over the size allowed is refused where it is read, as one that is not text
    is: it does not stop the other dumps (nor does `check`'s report of it)."""
    with (content / "dumps" / "huge.txt").open("wb") as huge:
        huge.truncate(50 * 2**20 + 1)  # sparse: no disk taken
    assert ingest(content) == 1
    captured = capsys.readouterr()
    assert "huge.txt: is over 50 MiB, the limit for a dump (hint: split it into several " \
           "dumps)" in captured.err
    assert "new papers: 12\n" in captured.out and captured.out.endswith("errors: 1\n")


def test_warnings_alone_leave_ingest_successful(content, capsys):
    shutil.copy(BAD_DUMPS / "orphan.txt", content / "dumps" / "orphan.txt")
    assert ingest(content) == 0
    out = capsys.readouterr().out
    assert "warnings: 1\nerrors: 0\n" in out


def test_ingest_refuses_to_run_over_broken_content(content, capsys):
    ingest(content)
    path = content / PAPERS / "the-llama-3-herd-of-models.yaml"
    path.write_text(path.read_text("utf-8").replace("topics:", "topics: [oops\n"))
    before = snapshot(content / PAPERS)
    assert ingest(content) == 1
    assert "fix them first" in capsys.readouterr().err
    assert snapshot(content / PAPERS) == before


def test_removing_a_field_from_human_hands_it_back_to_the_tool(content):
    ingest(content)
    pid = "the-llama-3-herd-of-models"
    proposed = load(content, pid)["topics"]
    edit(content, pid, f"topics:\n- {proposed[0]}\n", "topics:\n- survey\n")
    ingest(content)
    assert load(content, pid)["human"] == ["topics"]
    edit(content, pid, "human:\n- topics\n", "")
    ingest(content)
    paper = load(content, pid)
    assert paper["topics"] == proposed and "human" not in paper


def test_a_hand_added_paper_keeps_every_value_its_author_wrote(content):
    papers = content / PAPERS
    papers.mkdir()
    (papers / "my-paper.yaml").write_text(
        "id: my-paper\ntitle: My Paper on Quantization\nabstract: We quantize models.\n"
        "topics:\n- survey\nfamilies: []\nlinks: []\nadded: '2024-01-02'\nsources: []\n", "utf-8")
    ingest(content, "003_lookalikes.txt")
    paper = load(content, "my-paper")
    assert paper["topics"] == ["survey"] and paper["human"] == ["abstract", "topics"]
    assert paper["families"] == [] and set(paper["machine"]) == {"links", "families"}


def test_an_unwritable_catalogue_is_reported_without_a_traceback(content, capsys):
    (content / PAPERS).write_text("not a directory", "utf-8")
    assert ingest(content, "001_first.txt") == 1
    err = capsys.readouterr().err
    assert f"{content / PAPERS}: is a file: content folders must be real folders " \
           "(hint: make it a folder)\n" in err and "Traceback" not in err


EPOCH_HINT = "set it to the seconds since 1970-01-01 UTC, or unset it"


@pytest.mark.parametrize(("args", "epoch", "message"), [
    (["--date", "2024-02-31"], None, "--date '2024-02-31' is not a date: write it as YYYY-MM-DD"),
    (["--date", "0999-12-31"], None, "--date '0999-12-31' is 0999-12-31, before the year 1000 "
                                     "that a paper's `added` date may have"),
    ([], "soon", f"SOURCE_DATE_EPOCH='soon' is not a date: {EPOCH_HINT}"),
    ([], "-40000000000", "SOURCE_DATE_EPOCH='-40000000000' is 0702-06-15, before the year 1000 "
                         "that a paper's `added` date may have"),
    ([], "9" * 30, f"SOURCE_DATE_EPOCH='{'9' * 30}' is not a date: {EPOCH_HINT}"),
])
def test_a_date_no_paper_may_have_stops_ingest_before_it_writes(content, capsys, monkeypatch,
                                                                  args, epoch, message):
    """Papers dated so would be written, then refused by `sitegen check`."""
    if epoch is not None:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert run("ingest", "--content", str(content), *args) == 2
    assert capsys.readouterr().err == f"sitegen: {message}\n"
    assert not (content / PAPERS).exists()


def test_a_paper_listed_thousands_of_times_stays_a_file_check_accepts(content, capsys):
    """Each sighting is a source; past 1 MiB the file would stop every command."""
    for dump in (content / "dumps").iterdir():
        dump.unlink()
    entry = ("A Study of Repeated Sightings in Scraped Listings\n"
             "We study what happens when one listing is scraped many times. It grows.\n\n")
    (content / "dumps" / "again.txt").write_text(entry * 9_000, "utf-8")
    start = time.perf_counter()
    assert ingest(content) == 0
    assert time.perf_counter() - start < 10  # each sighting re-indexed every title before
    pid = "a-study-of-repeated-sightings-in-scraped-listings"
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"warning: {pid}: 2,467 sightings not recorded, as its file would be over 1 MiB")
    path = content / PAPERS / f"{pid}.yaml"
    assert (1 << 20) - 200 < path.stat().st_size <= 1 << 20
    before = snapshot(content / PAPERS)
    assert ingest(content) == 0 and snapshot(content / PAPERS) == before
    assert run("check", "--content", str(content)) == 0


def test_ingest_records_no_checksum_for_an_identity_the_tool_never_proposed(content):
    ingest(content)
    paper = load(content, "the-llama-3-herd-of-models")
    assert list(paper["machine"]) == ["abstract", "links", "topics", "families"]
    assert not {"arxiv", "authors", "published"} & set(paper)


def test_an_identity_a_person_writes_into_a_paper_the_tool_made_is_theirs(content):
    ingest(content)
    edit(content, "the-llama-3-herd-of-models", "sources:",
         "arxiv: '2407.21783'\nauthors:\n- Abhimanyu Dubey\nsources:")
    assert ingest(content) == 0
    paper = load(content, "the-llama-3-herd-of-models")
    assert paper["arxiv"] == "2407.21783" and paper["authors"] == ["Abhimanyu Dubey"]
    assert paper["human"] == ["arxiv", "authors"] and "arxiv" not in paper["machine"]


def test_labelling_alongside_the_matching_writes_what_one_process_writes(tmp_path, monkeypatch):
    """The shipped dumps (enough entries for a second process to label them while this
    one matches) into two empty catalogues: with the second process and without. With
    it, it also proposes the labels of half of the papers (from 2,000 papers, but here
    from 100)."""
    from conftest import ROOT

    import sitegen.core.parallel as parallel
    from sitegen.ingest import merge
    monkeypatch.setattr(merge, "PROPOSED_IN_TWO", 100)
    written = []
    for forks in (True, False):
        content = tmp_path / f"forks-{forks}"
        (content / PAPERS).mkdir(parents=True)
        for name in ("taxonomy.yaml", "site.yaml"):
            shutil.copy(ROOT / "content" / name, content / name)
        shutil.copytree(ROOT / "content" / "dumps", content / "dumps")
        monkeypatch.setattr(parallel, "CAN_FORK", forks)
        assert ingest(content) == 0
        written.append(snapshot(content / PAPERS))
    assert len(written[0]) > 600 and written[0] == written[1]


def test_the_look_alike_check_is_worked_out_ahead_only_for_mostly_new_papers(content,
                                                                           monkeypatch):
    """While its second process labels the texts, an ingest of mostly new papers works out
    the look-alike check that loading them will run; an ingest adding fewer papers than
    there were does not (no check may follow, and one that does is shared by two
    processes)."""
    from sitegen.catalogue import lookalikes
    ahead: list[int] = []
    check_ahead = lookalikes.check_ahead
    monkeypatch.setattr(lookalikes, "check_ahead",
                        lambda papers: ahead.append(len(papers)) or check_ahead(papers))
    assert ingest(content, "001_first.txt") == 0
    first = len(list((content / PAPERS).iterdir()))
    assert ahead == [first] and first > 2
    assert ingest(content, "001_first.txt") == 0  # nothing new
    assert ingest(content) == 0  # the other dumps: fewer new papers than there were
    assert len(list((content / PAPERS).iterdir())) > first and ahead == [first]


def test_the_look_alike_check_worked_out_ahead_is_the_one_loading_the_papers_runs(
        content, monkeypatch):
    """The check is worked out for the papers in the order their files load in, which is not
    that of their ids ("attention-sinks-in-...yaml" loads before "attention-sinks.yaml"):
    the ingest's own load of what it wrote then finds it done."""
    from sitegen.catalogue import blocking
    titles = ["Attention Sinks", "Attention Sinks in Vision Transformers",
              "Scaling Laws for Sparse Models", "Scaling Laws"]
    (content / "dumps" / "004_prefixes.txt").write_text("".join(
        f"{title}\nWe study {title.lower()} with several language models, and report what "
        f"we find in {k + 3} tables of results and one figure.\n"
        for k, title in enumerate(titles)), "utf-8")
    checks: list[int] = []
    candidate_pairs = blocking.candidate_pairs
    monkeypatch.setattr(blocking, "candidate_pairs", lambda titles, *rest: checks.append(
        len(titles)) or candidate_pairs(titles, *rest))
    assert ingest(content, "004_prefixes.txt") == 0
    ids = sorted(path.stem for path in (content / PAPERS).iterdir())
    assert sorted(ids, key=lambda paper_id: f"{paper_id}.yaml") != ids
    assert checks == [0, len(titles)]  # the empty catalogue's, then the one worked out ahead


SURVEY = "A Survey of Large Language Models"
SURVEY_ABSTRACT = ("We survey large language models. We cover their pre-training, their "
                   "adaptation to tasks and their evaluation, and point out open problems.")
FOLDING = ("We fold proteins with a language model of amino acids. It predicts structures "
           "from single sequences, without alignments, at a fraction of the usual cost.")


def test_a_dump_replaced_under_its_name_is_read_as_new_text_not_as_the_paper_seen_there(
        content, capsys):
    """A place in a dump (its name and line) where a paper was seen stands for that paper
    only while it holds that paper's text: another abstract under the same title there is
    another paper, left apart for a person, and the first keeps its abstract."""
    for fixture in (content / "dumps").iterdir():
        fixture.unlink()
    dump = content / "dumps" / "listing.txt"
    dump.write_text(f"{SURVEY}\n{SURVEY_ABSTRACT}\n", "utf-8")
    assert ingest(content) == 0
    dump.write_text(f"{SURVEY}\n{FOLDING} {FOLDING}\n", "utf-8")
    capsys.readouterr()
    assert ingest(content) == 0
    out = capsys.readouterr().out
    assert load(content, "a-survey-of-large-language-models")["abstract"] == SURVEY_ABSTRACT
    assert load(content, "a-survey-of-large-language-models-2")["abstract"].startswith(FOLDING)
    assert "new papers: 1\nmerged: 0\nuncertain pairs: 1\n" in out


@pytest.mark.parametrize(("first", "then", "kept"), [
    (SURVEY_ABSTRACT[:90] + "...", SURVEY_ABSTRACT, SURVEY_ABSTRACT),  # cut short, then whole
    (SURVEY_ABSTRACT, SURVEY_ABSTRACT[:-20] + " and the history of the field, in depth.",
     SURVEY_ABSTRACT),  # other words at its end: not a longer copy
    (SURVEY_ABSTRACT, SURVEY_ABSTRACT + " Upvote 42 · 12 authors", SURVEY_ABSTRACT),  # whole:
    # what runs into its end in a longer copy is not the paper's
    (SURVEY_ABSTRACT[:-1], SURVEY_ABSTRACT, SURVEY_ABSTRACT),  # cut before its last stop
])
def test_a_paper_seen_again_takes_a_longer_abstract_only_where_it_goes_on_from_its_own(
        content, first, then, kept):
    for fixture in (content / "dumps").iterdir():
        fixture.unlink()
    (content / "dumps" / "a.txt").write_text(f"{SURVEY}\n{first}\n", "utf-8")
    (content / "dumps" / "b.txt").write_text(f"{SURVEY}\n{then}\n", "utf-8")
    assert ingest(content) == 0
    assert load(content, "a-survey-of-large-language-models")["abstract"] == kept


def test_listing_pages_concatenated_into_one_dump_ingest_as_the_pages_apart(tmp_path):
    """The shipped dumps end without a newline, so `cat a.txt b.txt` glues the second
    page's first line to the first page's last abstract; every page is cleaned alike."""
    from conftest import ROOT
    pages = [next((ROOT / "content" / "dumps").glob(f"{n}_*.txt")) for n in ("000", "001")]
    papers = []
    for name, dumps in (("apart", {p.name: p.read_bytes() for p in pages}),
                        ("joined", {"both.txt": b"".join(p.read_bytes() for p in pages)})):
        content = tmp_path / name
        (content / "dumps").mkdir(parents=True)
        shutil.copy(ROOT / "content" / "taxonomy.yaml", content / "taxonomy.yaml")
        for dump, data in dumps.items():
            (content / "dumps" / dump).write_bytes(data)
        assert ingest(content) == 0
        papers.append({(p["title"], p["abstract"]) for p in map(yaml.safe_load, (
            path.read_text("utf-8") for path in (content / PAPERS).glob("*.yaml")))})
    assert len(papers[0]) > 300 and papers[0] == papers[1]


@pytest.mark.parametrize(("number", "hint"), [
    (13, " (hint: check that you may write to it and to its folder)"),
    (28, " (hint: free some disk space, then run the command again)"),
    (30, " (hint: the file system is read-only: work in a copy you may write to)")])
def test_a_folder_that_cannot_be_written_is_named_with_a_hint(content, capsys, monkeypatch,
                                                               number, hint):
    """The writer's temporary file is no name the user knows: its folder is. (A new file is
    first made with no name in its folder, and the folder is the name an error gives.)"""
    import sitegen.site.output as output

    def refuse(parent, prefix, suffix):
        raise OSError(number, os.strerror(number), str(parent / f"{prefix}0a1b2c3d{suffix}"))

    def refuse_unnamed(folder):
        raise OSError(number, os.strerror(number), str(folder))

    monkeypatch.setattr(output, "locked_file", refuse)
    monkeypatch.setattr(output, "_unnamed_file", refuse_unnamed)
    assert ingest(content, "001_first.txt") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (f"sitegen: cannot access {content / PAPERS}: "
                                    f"{os.strerror(number)}{hint}")


def test_a_full_disk_names_the_file_being_written_and_says_what_to_do(content, capsys,
                                                                      monkeypatch):
    """A write to a full disk fails with no file name (the file may have none yet): the
    message names the file being made, with the hint for a full disk. (A pipe between the
    ingest's processes is no file on the disk: it still takes writes.)"""
    import errno
    import stat

    import sitegen.site.output as output

    write = os.write

    def full(handle, data):
        if stat.S_ISFIFO(os.fstat(handle).st_mode):
            return write(handle, data)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "write", full)
    assert ingest(content, "001_first.txt") == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith(f"sitegen: cannot access {content / PAPERS}{os.sep}")
    assert last.endswith(".yaml: No space left on device (hint: free some disk space, then "
                         "run the command again)")


def test_two_arxiv_ids_are_two_papers_however_alike_their_texts(content, capsys):
    """Two entries of one title and abstract, each with its own arXiv id, are two papers
    (a person may still fold them with same_as): neither id is dropped, and the check that
    follows accepts what ingest wrote."""
    for fixture in (content / "dumps").iterdir():
        fixture.unlink()
    for name, arxiv in (("a.txt", "2401.00001"), ("b.txt", "2409.09999")):
        (content / "dumps" / name).write_text(
            f"{SURVEY}\n{SURVEY_ABSTRACT}\nhttps://arxiv.org/abs/{arxiv}\n", "utf-8")
    assert ingest(content) == 0
    out = capsys.readouterr().out
    assert [load(content, f"a-survey-of-large-language-models{n}")["arxiv"]
            for n in ("", "-2")] == ["2401.00001", "2409.09999"]
    assert "new papers: 2\nmerged: 0\nuncertain pairs: 1\n" in out
    assert "but arXiv ids 2409.09999 and 2401.00001 differ" in out
    assert run("check", "--content", str(content)) == 0


def test_a_paper_among_many_of_one_title_is_found_again_by_its_abstracts_opening(
        content, capsys):
    """Nine spellings of one paper's title ("Technical Report"), and a second paper of that
    title: seen again with a word more in its abstract, the second is that paper, though
    the closest titles ingest weighs first are all the first paper's; and the check that
    follows finds no paper twice."""
    for fixture in (content / "dumps").iterdir():
        fixture.unlink()
    spellings = ["Technical Report", "Technical report", "TECHNICAL REPORT", "technical report",
                 "Technical-Report", "Technical Report.", "Technical Report:",
                 "Technical, Report", "(Technical Report)"]
    first = "We describe the training of a small open model on public data, and its results. "
    second = "This report surveys evaluation practice for chat assistants in three labs. " * 2
    (content / "dumps" / "a.txt").write_text("".join(f"{t}\n{first * 2}\n" for t in spellings))
    (content / "dumps" / "b.txt").write_text(f"Technical Report\n{second}\n")
    (content / "dumps" / "c.txt").write_text(
        f"Technical Report\n{second.replace('three labs', 'three large labs', 1)}\n")
    assert ingest(content) == 0
    assert sorted(p.stem for p in (content / PAPERS).glob("*.yaml")) == [
        "technical-report", "technical-report-2"]
    assert [s["dump"] for s in load(content, "technical-report-2")["sources"]] == ["b.txt",
                                                                                   "c.txt"]
    assert run("check", "--content", str(content)) == 0


def test_a_paper_seen_at_a_line_an_edit_of_the_dump_moved_is_recorded_at_its_new_line(
        content):
    """A listing scraped again, with a new paper on top: each paper seen before is found by
    the checksum of its text, and its sighting moves to the line it is on now, as an ingest
    of the new listing alone would record it."""
    for fixture in (content / "dumps").iterdir():
        fixture.unlink()
    dump = content / "dumps" / "listing.txt"
    dump.write_text(f"{SURVEY}\n{SURVEY_ABSTRACT}\n", "utf-8")
    assert ingest(content) == 0
    dump.write_text(f"Protein Folding with Language Models\n{FOLDING}\n"
                    f"{SURVEY}\n{SURVEY_ABSTRACT}\n", "utf-8")
    assert ingest(content) == 0
    survey = load(content, "a-survey-of-large-language-models")
    assert [(s["dump"], s["line"]) for s in survey["sources"]] == [("listing.txt", 3)]
