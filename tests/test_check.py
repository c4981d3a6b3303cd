"""`sitegen check`: what it accepts, and the exact line it prints for each kind of error.

The fixtures live in tests/fixtures/check/:

- valid/ is a tiny catalogue (four topics, three families, three papers written
  by `sitegen.catalogue.store.serialise`, so in canonical form) that must pass.
- invalid/<name>/ holds one broken paper file (two where the error is about a pair
  of files), so each directory shows one error. Every one shares valid/'s
  taxonomy.yaml, which the `fixture_tree` fixture copies in.
- marked-distinct/ is invalid/same-paper/ plus a `distinct_from` marker.

Paper files open with the `# yaml-language-server: $schema=...` comment that is part
of the canonical form, so their first field is on line 2 (alias-bomb/ is no paper
file and has none).

Checks run from the fixture's parent directory with `--content <name>`, so every
path in a message is relative, exactly as a contributor would see it.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml
from conftest import ROOT, SHARED_TAXONOMY

from sitegen import cli
from sitegen.catalogue.store import read_paper, serialise

FIXTURES = Path(__file__).parent / "fixtures" / "check"
INVALID = FIXTURES / "invalid"
TAXONOMY_IDS = "evaluation, peft, quantization, survey"
FAMILY_IDS = "llama, llama-2, mistral"
REQUIRED = "id, title, abstract, topics, families, added"
KNOWN_FIELDS = ("abstract, added, arxiv, arxiv_category, authors, distinct_from, doi, evidence, "
                "families, human, id, links, machine, published, same_as, sources, title, topics, "
                "updated, venue")


# The three papers of the valid fixture, for the `same_as` graph cases.
A, B, C = "a-survey-of-llm-benchmarks", "four-bit-adapters-llama-2", "mistral-7b-in-int8"
CYCLE_HINT = ("(hint: choose the paper that stays: list the others under its `same_as` and "
              "remove the `same_as` entries of the others)")
CLAIM_HINT = "(hint: one paper absorbs a duplicate: keep it in one file's list)"
DOUBLE_QUOTE_HINT = ("(hint: close the quote at the end of the value; a \" that is part of "
                     "the text is written \\\" inside \"...\", or put the whole value in '...')")
TEXT_HINT = ("(hint: write the text on the same line as its field; put it in quotes if it "
             "starts with [ or {)")
APART_HINT = ("(hint: decide: they cannot both be this paper; remove one from `same_as`, or "
              "the mark from `distinct_from`)")


class Result(NamedTuple):
    code: int
    out: list[str]
    err: list[str]


@pytest.fixture(autouse=True)
def _not_on_github(monkeypatch):
    """Annotations are only printed on GitHub Actions; tests opt in explicitly."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def check(monkeypatch, capsys, fixture_tree):
    """Run `sitegen check --content NAME` from a folder of the fixtures (`fixture_tree`'s
    whole catalogues); return code, stdout, stderr."""
    def run(name: str, cwd: str = "check/invalid") -> Result:
        monkeypatch.chdir(fixture_tree / cwd)
        code = cli.main(["check", "--content", name])
        captured = capsys.readouterr()
        return Result(code, captured.out.splitlines(), captured.err.splitlines())
    return run


LINK_URL_HINT = ("write the address as a browser reads it: a port is 1 to 65535, an [IPv6] host "
                 "is an address, and no user name (user@) comes before the host")
KEEP_NO_COMMENTS = "paper files keep no comments"
NOTE_ELSEWHERE = ("move the note elsewhere (a pull request's description, say), then delete it, "
                  "or run `sitegen fmt --drop-comments`")

# One entry per directory under invalid/: the exact lines `sitegen check` prints
# on stderr, in order. Every one of them also makes check exit with status 1.
EXPECTED: dict[str, list[str]] = {
    # An unclosed quote: the parser only notices at the end of the file, but the problem
    # stands on the line where the quote was opened.
    "yaml-syntax": [
        "yaml-syntax/papers/a-survey-of-llm-benchmarks.yaml:3: title: invalid YAML: the quote "
        f"opened on this line is never closed {DOUBLE_QUOTE_HINT}",
    ],
    # `title: 'Tis a Survey ...`: the value runs on to the next quote, that of `added:
    # '2024-02-03'` on line 10, and YAML stops after it; the problem is the quote on line 3.
    "quote-runs-on": [
        "quote-runs-on/papers/a-survey-of-llm-benchmarks.yaml:3: title: invalid YAML: the "
        "quoted value that starts on this line runs on to the next quote, on line 10, where "
        "YAML stops (hint: close the quote at the end of the value; a ' that is part of the "
        "text is written '' inside '...', or put the whole value in \"...\")",
    ],
    # `title: "A Survey ...` unclosed: the value runs on until YAML meets a backslash that
    # is no escape inside "..." (`C:\data`, on line 4); the problem is the quote on line 3.
    "quote-meets-escape": [
        "quote-meets-escape/papers/a-survey-of-llm-benchmarks.yaml:3: title: invalid YAML: "
        "the quoted value that starts on this line runs on to line 4, where YAML stops "
        f"{DOUBLE_QUOTE_HINT}",
    ],
    # An apostrophe closes a '...' value: YAML stops at the rest of the title.
    "quote-ends-early": [
        "quote-ends-early/papers/a-survey-of-llm-benchmarks.yaml:3: title: invalid YAML: the "
        "quote in column 12 ends the value, and more text follows it (hint: close the quote at "
        "the end of the value; a ' that is part of the text is written '' inside '...', or put "
        "the whole value in \"...\")",
    ],
    # `title: Benchmarks: A Survey ...`: YAML reads a second field where the colon is.
    "colon-in-value": [
        "colon-in-value/papers/a-survey-of-llm-benchmarks.yaml:3: title: invalid YAML: the "
        "value holds ': ', which YAML reads as the start of another field (hint: put the whole "
        "value in quotes: '...', with each ' inside it written '')",
    ],
    # A zero-width space on the third line of the abstract: shown on that line, at its
    # column (not on the abstract's first line, at its place in the value).
    "invisible-on-later-line": [
        "invisible-on-later-line/papers/a-survey-of-llm-benchmarks.yaml:6: abstract: contains "
        "U+200B ZERO WIDTH SPACE at column 30 (hint: remove invisible and control characters)",
    ],
    # mistral-7b-in-int8.yaml copied to start a new paper, its sources and checksums kept:
    # the copy is the paper not titled as the sighting.
    "copied-file": [
        "copied-file/papers/int8-for-small-models.yaml:14: sources[0]: 2024-03.txt line 7 is a "
        "sighting of 'mistral-7b-in-int8': one entry of a dump is one paper (hint: if this file "
        "began as a copy of mistral-7b-in-int8.yaml, remove its sources, machine and evidence, "
        "which are that paper's (its labels then count as yours); if it is the same paper, list "
        "int8-for-small-models under `same_as:` in mistral-7b-in-int8.yaml and run `sitegen "
        "ingest`)",
    ],
    # An editor's tab before `- survey`.
    "tab-indent": [
        "tab-indent/papers/a-survey-of-llm-benchmarks.yaml:6: invalid YAML: a tab indents this "
        "line (hint: YAML indents with spaces only: replace the tab with spaces)",
    ],
    # A second `title:` would silently win in most YAML readers; here it is an error.
    "duplicate-key": [
        "duplicate-key/papers/a-survey-of-llm-benchmarks.yaml:5: title: duplicate key "
        "(hint: 'title' is already set on line 3; keep one)",
    ],
    # `!!python/object/apply:os.system`: refused, never constructed (see also
    # test_a_python_tag_is_never_executed).
    "python-tag": [
        "python-tag/papers/a-survey-of-llm-benchmarks.yaml:4: abstract: tag "
        "'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
        "(hint: remove the tag: only plain values, lists and mappings are read)",
    ],
    # Billion laughs: nine levels of nine aliases each. Refused at the first anchor
    # (line 1), before anything is expanded; expanding it would never finish.
    "alias-bomb": [
        "alias-bomb/papers/a-survey-of-llm-benchmarks.yaml:1: lol1: anchors and aliases (&, *) "
        "are not allowed (hint: remove `&lol1` and write each value out in full)",
    ],
    # `"\ud83d\ude00"`: YAML reads each \u escape as a code point, so a JSON-style
    # surrogate pair is two lone surrogates, refused by the quick reader of canonical
    # files and by the YAML loader alike (it would break `build` and `export` later).
    "surrogate-escape": [
        "surrogate-escape/papers/a-survey-of-llm-benchmarks.yaml:3: invalid YAML: \\ud83d "
        "is not a Unicode character (hint: write the character itself, or one \\U escape "
        "for it such as \\U0001F600: YAML reads every \\u escape as a character of its own, "
        "so a surrogate pair like \\ud83d\\ude00 is two invalid ones)",
    ],
    # A raw NUL byte in the abstract: reported where it is, not on line 1.
    "control-character": [
        "control-character/papers/a-survey-of-llm-benchmarks.yaml:4: invalid YAML: character "
        "U+0000 (column 75) is not allowed (hint: delete it: editors often do not show it; "
        "it may have come with a copy and paste)",
    ],
    # `links: [[[...]]]` 25 levels deep; a thousand levels used to overflow the stack.
    "too-deep": [
        "too-deep/papers/a-survey-of-llm-benchmarks.yaml:9: links" + "[0]" * 19
        + ": lists and mappings are nested more than 20 levels deep (hint: no content file "
        "needs that many: check the brackets and indentation)",
    ],
    # A `---` and a second copy of the fields after the first.
    "two-documents": [
        "two-documents/papers/a-survey-of-llm-benchmarks.yaml:17: a second YAML document "
        "starts here; a file holds one (hint: remove the `---` line and what follows it)",
    ],
    # `topics: survey` instead of a list.
    "wrong-type": [
        "wrong-type/papers/a-survey-of-llm-benchmarks.yaml:5: topics: must be a list, "
        "not text 'survey' (hint: write a list, one '- item' per line)",
    ],
    "missing-field": [
        "missing-field/papers/a-survey-of-llm-benchmarks.yaml:2: abstract: is missing "
        f"(hint: required fields: {REQUIRED})",
    ],
    # The typo `topic:` is reported on its own line, and `topics` as missing.
    "unknown-field": [
        "unknown-field/papers/a-survey-of-llm-benchmarks.yaml:2: topics: is missing "
        f"(hint: required fields: {REQUIRED})",
        "unknown-field/papers/a-survey-of-llm-benchmarks.yaml:5: topic: is not a known "
        "field (hint: did you mean 'topics'?)",
    ],
    # Every unknown key of every mapping, each on its own line, under its name as written
    # (a quote in it, an invisible character escaped), with the known field it is most
    # likely a typo of, else every known field.
    "unknown-fields": [
        "unknown-fields/papers/mistral-7b-in-int8.yaml:12: links[0].note: is not a known "
        "field (hint: known fields: kind, url)",
        "unknown-fields/papers/mistral-7b-in-int8.yaml:26: zz: is not a known field "
        f"(hint: known fields: {KNOWN_FIELDS})",
        "unknown-fields/papers/mistral-7b-in-int8.yaml:27: author's: is not a known field "
        "(hint: did you mean 'authors'?)",
        "unknown-fields/papers/mistral-7b-in-int8.yaml:28: ti\\u200btle: is not a known field "
        "(hint: did you mean 'title'?)",
    ],
    "unknown-topic": [
        "unknown-topic/papers/a-survey-of-llm-benchmarks.yaml:7: topics[1]: unknown topic "
        f"'benchmarks' (hint: use an id from unknown-topic/taxonomy.yaml: {TAXONOMY_IDS})",
    ],
    # `mixtral` is a name the family's patterns match, not a family id.
    "unknown-family": [
        "unknown-family/papers/mistral-7b-in-int8.yaml:8: families[0]: unknown family "
        f"'mixtral' (hint: use an id from unknown-family/taxonomy.yaml: {FAMILY_IDS})",
    ],
    # mistral-7b-in-int8.yaml says `id: a-survey-of-llm-benchmarks`, the other file's id.
    "duplicate-id": [
        "duplicate-id/papers/mistral-7b-in-int8.yaml:2: id: duplicate id "
        "'a-survey-of-llm-benchmarks' (hint: duplicate-id/papers/a-survey-of-llm-benchmarks"
        ".yaml already uses it; give each paper its own id)",
        "duplicate-id/papers/mistral-7b-in-int8.yaml:2: id: id 'a-survey-of-llm-benchmarks' "
        "does not match the file name (hint: ids never change: set id to 'mistral-7b-in-int8', "
        "as the file is named (another paper's file has its id's name); a new paper gets a "
        "file of its own, named after its id)",
    ],
    # A file copied to a-survey-of-llm-benchmarks-copy.yaml, id and all, which is read
    # first: only the copy is to fix. The original keeps its id, which never changes.
    "duplicate-id-copy": [
        f"duplicate-id-copy/papers/{A}-copy.yaml:2: id: duplicate id '{A}' (hint: "
        f"duplicate-id-copy/papers/{A}.yaml already uses it; give each paper its own id)",
        f"duplicate-id-copy/papers/{A}-copy.yaml:2: id: id '{A}' does not match the file name "
        f"(hint: ids never change: set id to '{A}-copy', as the file is named (another paper's "
        "file has its id's name); a new paper gets a file of its own, named after its id)",
    ],
    # `families:` with nothing after it is no list: `[]` is one with no item.
    "families-empty": [
        "families-empty/papers/mistral-7b-in-int8.yaml:7: families: must be a list, not empty "
        "(hint: write [] after the colon for none, or one '- item' per line below it)",
    ],
    # A valid paper saved under another file name.
    "id-mismatch": [
        "id-mismatch/papers/llm-benchmarks-survey.yaml:2: id: id 'a-survey-of-llm-benchmarks' "
        "does not match the file name (hint: ids never change: set id to "
        "'llm-benchmarks-survey', as the file is named, or rename the file to "
        "a-survey-of-llm-benchmarks.yaml, whichever was changed)",
    ],
    # An id no file could be named after (a device name on Windows): renaming is no fix.
    "id-reserved": [
        "id-reserved/papers/llm-benchmarks-survey.yaml:2: id: id 'con' does not match the file "
        "name (hint: ids never change: set id to 'llm-benchmarks-survey', as the file is named "
        "(no file may be named so); a new paper gets a file of its own, named after its id)",
    ],
    # The same title and abstract under two ids: the later file names the earlier id.
    "same-paper": [
        "same-paper/papers/survey-of-open-model-benchmarks.yaml:3: title: looks like the same "
        "paper as 'a-survey-of-llm-benchmarks' (same title; title 100, abstract 100) "
        "(hint: if it is, list survey-of-open-model-benchmarks under `same_as:` in "
        "a-survey-of-llm-benchmarks.yaml and run `sitegen ingest`; if not, list "
        "a-survey-of-llm-benchmarks under `distinct_from:` here)",
    ],
    "javascript-url": [
        "javascript-url/papers/mistral-7b-in-int8.yaml:10: links[0].url: "
        "'javascript:alert(document.cookie)' is not valid here "
        "(hint: links must start with http:// or https://)",
    ],
    # It starts with https://: what is wrong is the space.
    "link-space": [
        f"link-space/papers/{C}.yaml:10: links[0].url: 'https://hugging face.co/example/"
        "mistral-7b-int8' contains a space at character 16 (hint: remove it, or write it as "
        "%20 where the address holds one)",
    ],
    # The pattern allows any port: the format sees that 99999 is none.
    "link-port": [
        "link-port/papers/mistral-7b-in-int8.yaml:10: links[0].url: "
        "'https://huggingface.co:99999/example/mistral-7b-int8' is not a 'link-url' (hint: "
        f"{LINK_URL_HINT})",
    ],
    # A name before `@` is a user's: the link leads to evil.example, not Hugging Face.
    "link-user": [
        "link-user/papers/mistral-7b-in-int8.yaml:10: links[0].url: "
        "'https://huggingface.co@evil.example/example/mistral-7b-int8' is not a 'link-url' "
        f"(hint: {LINK_URL_HINT})",
    ],
    # Each date is valid alone; the pair is not: a paper's latest version is never older.
    "updated-before-published": [
        "updated-before-published/papers/mistral-7b-in-int8.yaml:14: updated: '2023-11-30' is "
        "before the paper was published ('2024-03-01') (hint: updated is the date of its "
        "latest version, on or after published: correct the one that is wrong (or swap "
        "them))",
    ],
    "too-many-topics": [
        "too-many-topics/papers/four-bit-adapters-llama-2.yaml:5: topics: has 4 items; "
        "at most 3 are allowed (hint: keep the most important ones)",
    ],
    # `topics: [quantization]` is valid YAML with valid values, but not the one
    # form the tool writes: diffs stay small only if every file is canonical.
    "not-canonical": [
        "not-canonical/papers/mistral-7b-in-int8.yaml:5: topics: file is not in canonical "
        "form (hint: run `sitegen fmt` to rewrite it (values are kept))",
    ],
    # YAML ends a plain value at ` #`: the title is "C# for LLMs", and fmt would drop the rest.
    "comment-after-value": [
        "comment-after-value/papers/mistral-7b-in-int8.yaml:3: title: a comment follows the "
        f"value: '#2: a study' (hint: {KEEP_NO_COMMENTS}: if it is part of the value, put the "
        "whole value in quotes; else delete it, or run `sitegen fmt --drop-comments`)",
        "comment-after-value/papers/mistral-7b-in-int8.yaml:3: title: file is not in canonical "
        "form (hint: run `sitegen fmt` to rewrite it (values are kept))",
        "comment-after-value/papers/mistral-7b-in-int8.yaml:6: topics: a comment follows the "
        f"value: '#int8' (hint: {KEEP_NO_COMMENTS}: if it is part of the value, put the whole "
        "value in quotes; else delete it, or run `sitegen fmt --drop-comments`)",
    ],
    # A note a person wrote would be lost when a command rewrites the file: each is named.
    "comment-line": [
        f"comment-line/papers/mistral-7b-in-int8.yaml:6: topics: a comment: '# primary' (hint: "
        f"{KEEP_NO_COMMENTS}: {NOTE_ELSEWHERE})",
        "comment-line/papers/mistral-7b-in-int8.yaml:6: topics: file is not in canonical form "
        "(hint: run `sitegen fmt` to rewrite it (values are kept))",
        "comment-line/papers/mistral-7b-in-int8.yaml:13: a comment: '# venue: ACL 2024   "
        f"# I checked: no venue yet' (hint: {KEEP_NO_COMMENTS}: {NOTE_ELSEWHERE})",
    ],
    "distinct-from-missing": [
        "distinct-from-missing/papers/mistral-7b-in-int8.yaml:18: distinct_from[0]: no paper "
        "has the id 'mistral-7b-in-int4' (hint: use the id of a file in "
        "distinct-from-missing/papers/)",
    ],
    # `same_as` is checked as a graph: nothing is merged while any of these stands.
    "same-as-self": [
        f"same-as-self/papers/{A}.yaml:16: same_as[0]: a paper cannot be the same as "
        f"itself (hint: remove '{A}' from this list)",
    ],
    # A file name, not an id: it would pass for the record of an earlier merge.
    "same-as-not-an-id": [
        f"same-as-not-an-id/papers/{A}.yaml:16: same_as[0]: '{B}.yaml' is not a paper id "
        "(hint: write the id of the duplicate: its file name without .yaml, lower-case words "
        "joined by hyphens)",
    ],
    # a -> b -> c -> a: every entry of the cycle is reported.
    "same-as-cycle": [
        f"same-as-cycle/papers/{A}.yaml:16: same_as[0]: '{B}' leads back to this paper "
        f"(a cycle: {A} -> {B} -> {C} -> {A}) {CYCLE_HINT}",
        f"same-as-cycle/papers/{B}.yaml:19: same_as[0]: '{C}' leads back to this paper "
        f"(a cycle: {B} -> {C} -> {A} -> {B}) {CYCLE_HINT}",
        f"same-as-cycle/papers/{C}.yaml:18: same_as[0]: '{A}' leads back to this paper "
        f"(a cycle: {C} -> {A} -> {B} -> {C}) {CYCLE_HINT}",
    ],
    # a -> b -> c: merged edge by edge, c's file would be lost.
    "same-as-chain": [
        f"same-as-chain/papers/{A}.yaml:16: same_as[0]: '{B}' itself lists '{C}' under "
        f"`same_as` (a chain) (hint: merge in one step: list '{C}' here and remove it from "
        f"{B}.yaml)",
        f"same-as-chain/papers/{B}.yaml:19: same_as[0]: this paper is itself to be merged "
        f"into '{A}', so '{C}' would be merged twice (a chain) (hint: list '{C}' under "
        f"`same_as` in {A}.yaml instead)",
    ],
    "same-as-claimed-twice": [
        f"same-as-claimed-twice/papers/{A}.yaml:16: same_as[0]: '{C}' is also listed under "
        f"`same_as` in {B}.yaml {CLAIM_HINT}",
        f"same-as-claimed-twice/papers/{B}.yaml:19: same_as[0]: '{C}' is also listed under "
        f"`same_as` in {A}.yaml {CLAIM_HINT}",
    ],
    "same-as-contradiction": [
        f"same-as-contradiction/papers/{A}.yaml:16: same_as[0]: '{B}' is also marked "
        "`distinct_from` this paper (hint: decide: remove it from `same_as` or from "
        "`distinct_from`)",
    ],
    # a absorbs b and c, which a person marked different papers: the mark would vanish.
    "same-as-distinct-pair": [
        f"same-as-distinct-pair/papers/{A}.yaml:16: same_as[0]: '{B}' and '{C}', both listed "
        f"here, are marked `distinct_from` each other {APART_HINT}",
        f"same-as-distinct-pair/papers/{A}.yaml:17: same_as[1]: '{C}' and '{B}', both listed "
        f"here, are marked `distinct_from` each other {APART_HINT}",
    ],
    # A key that no label could have: on its own line, under its own name.
    "evidence-key": [
        "evidence-key/papers/mistral-7b-in-int8.yaml:24: evidence.Mistral 7B: 'Mistral 7B' is "
        "not a valid key here (hint: use the id of one of this paper's topics or families)",
    ],
    # Evidence is a short line (at most 300 characters), measured, not quoted in full.
    "evidence-too-long": [
        "evidence-too-long/papers/mistral-7b-in-int8.yaml:24: evidence.mistral: is 355 "
        "characters long; at most 300 are allowed (hint: shorten it)",
    ],
    # A list where text belongs: its type is what is wrong, not its characters.
    "evidence-not-text": [
        "evidence-not-text/papers/mistral-7b-in-int8.yaml:24: evidence.mistral: must be text, "
        f"not a list {TEXT_HINT}",
    ],
    # Every kind of schema error says how to fix it, from the schema's own data: the type
    # expected, the allowed values, a mapping's fields, the node's description.
    "title-list": [
        f"title-list/papers/{C}.yaml:3: title: must be text, not a list {TEXT_HINT}",
    ],
    "title-blank": [
        f"title-blank/papers/{C}.yaml:3: title: is only spaces (hint: write the text, or leave "
        "the field out where it is optional)",
    ],
    # The repeated value, on its own line, and the line of its first appearance.
    "duplicate-topic": [
        f"duplicate-topic/papers/{C}.yaml:7: topics[1]: 'quantization' is already listed on "
        "line 6 (hint: remove one of the two)",
    ],
    "no-topics": [
        f"no-topics/papers/{C}.yaml:5: topics: needs at least 1 item (hint: add an item, one "
        "'- item' per line: 1 to 3 topic ids from content/taxonomy.yaml)",
    ],
    # `- ` with nothing after it.
    "author-empty": [
        f"author-empty/papers/{C}.yaml:14: authors[0]: must be text, not empty (hint: write a "
        "value after the '- ', or remove the empty item)",
    ],
    # Two names on one line: the CSV export joins a paper's authors with " | ".
    "author-pipe": [
        f"author-pipe/papers/{C}.yaml:14: authors[0]: 'Ann Lee | Bob Roe' is not a name "
        "(hint: write each author's name on its own '- ' line; remove an empty one)",
    ],
    # The address alone, without `url:` and `kind:`.
    "link-not-mapping": [
        f"link-not-mapping/papers/{C}.yaml:10: links[0]: must be a mapping, not text (hint: "
        "write a mapping, one `field: value` per line: url, kind)",
    ],
    "link-kind": [
        f"link-kind/papers/{C}.yaml:11: links[0].kind: 'paper' is not one of the allowed values "
        "(hint: use one of: code, model, dataset, project, other)",
    ],
    "source-line-text": [
        f"source-line-text/papers/{C}.yaml:15: sources[0].line: must be a whole number, not "
        "text 'seven' (hint: write a whole number such as 1, without quotes)",
    ],
    "machine-checksum": [
        f"machine-checksum/papers/{C}.yaml:19: machine.links: 'xyz' is not valid here (hint: "
        "write a checksum of 12 hexadecimal digits that the tool writes: delete the line and "
        "`sitegen ingest` or `sitegen classify` writes it again)",
    ],
    # Three broken files: every problem of every file is printed, not just the first.
    "many-errors": [
        "many-errors/papers/a-survey-of-llm-benchmarks.yaml:3: title: invalid YAML: the quote "
        f"opened on this line is never closed {DOUBLE_QUOTE_HINT}",
        "many-errors/papers/four-bit-adapters-llama-2.yaml:5: topics: has 4 items; "
        "at most 3 are allowed (hint: keep the most important ones)",
        "many-errors/papers/mistral-7b-in-int8.yaml:8: families[0]: unknown family "
        f"'mixtral' (hint: use an id from many-errors/taxonomy.yaml: {FAMILY_IDS})",
    ],
}


def test_the_valid_catalogue_passes(check):
    result = check("valid", cwd="check")
    assert result == Result(0, ["3 papers checked: 0 error(s), 0 warning(s)"], [])

def test_a_content_folder_that_does_not_exist_is_one_problem(check):
    """Not a missing taxonomy, as if the folder were there and empty."""
    result = check("no-such-folder")
    assert (result.code, result.err) == (1, [
        "no-such-folder: the content folder does not exist (hint: run from the project's "
        "root, where content/ is, or give --content DIR)"])


def test_a_file_or_a_folder_of_no_catalogue_is_one_problem(check, tmp_path, monkeypatch,
                                                          capsys):
    """--content given a file, or a folder with neither a taxonomy nor papers (`--content ''`
    is the folder the command runs from): one problem, not one for each file there."""
    (tmp_path / "site.yaml").write_text("title: x\n", "utf-8")
    (tmp_path / "notes.txt").write_text("x", "utf-8")
    monkeypatch.chdir(tmp_path)
    hint = "(hint: run from the project's root, where content/ is, or give --content DIR)"
    assert cli.main(["check", "--content", "site.yaml"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"site.yaml: is a file, not the content folder {hint}"]
    assert cli.main(["check", "--content", ""]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{tmp_path}: is not a content folder: it holds neither taxonomy.yaml nor papers/ {hint}"]



@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_invalid_catalogue_prints_exactly_its_errors(check, name):
    result = check(name)
    assert result.err == EXPECTED[name]
    assert result.code == 1
    assert len(result.out) == 1
    assert result.out[0].endswith(f" papers checked: {len(EXPECTED[name])} error(s), "
                                  "0 warning(s)")


def test_every_problem_is_printed_not_just_the_first(check):
    result = check("many-errors")
    broken = sorted(p.name for p in (INVALID / "many-errors" / "papers").iterdir())
    assert [line.split(":")[0].removeprefix("many-errors/papers/") for line in result.err] \
        == broken == ["a-survey-of-llm-benchmarks.yaml", "four-bit-adapters-llama-2.yaml",
                      "mistral-7b-in-int8.yaml"]
    assert result.out == ["1 papers checked: 3 error(s), 0 warning(s)"]


def test_a_python_tag_is_never_executed(check, monkeypatch, tmp_path):
    """The fixture's tag runs `touch "$SITEGEN_PWNED"`: no file means nothing ran."""
    marker = tmp_path / "pwned"
    monkeypatch.setenv("SITEGEN_PWNED", str(marker))
    assert check("python-tag").code == 1
    assert not marker.exists()


def test_the_python_tag_fixture_would_run_a_command_if_constructed(monkeypatch, tmp_path):
    """Control for the test above: an unsafe loader does run the fixture's command."""
    marker = tmp_path / "pwned"
    monkeypatch.setenv("SITEGEN_PWNED", str(marker))
    text = (INVALID / "python-tag" / "papers" / "a-survey-of-llm-benchmarks.yaml").read_text()
    yaml.unsafe_load(text)
    assert marker.exists()


def test_a_distinct_from_marker_silences_the_duplicate_error(check):
    assert check("same-paper").code == 1  # the same two files without the marker
    result = check("marked-distinct", cwd="check")
    assert result == Result(0, ["2 papers checked: 0 error(s), 0 warning(s)"], [])


def test_marked_distinct_differs_from_same_paper_only_by_the_marker():
    def papers(root: Path) -> dict:
        loaded = {}
        for path in sorted((root / "papers").glob("*.yaml")):
            paper, _, problems = read_paper(path, path.name)
            assert problems == []
            loaded[path.name] = dataclasses.replace(paper, distinct_from=[])
        return loaded

    marked = FIXTURES / "marked-distinct" / "papers" / "survey-of-open-model-benchmarks.yaml"
    assert "distinct_from:\n- a-survey-of-llm-benchmarks\n" in marked.read_text()
    assert papers(FIXTURES / "marked-distinct") == papers(INVALID / "same-paper")


def test_github_actions_also_get_annotations_on_stdout(check, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = check("unknown-topic")
    [error] = EXPECTED["unknown-topic"]
    assert result.err == [error]
    assert result.out == [
        f"::error file=unknown-topic/papers/a-survey-of-llm-benchmarks.yaml,line=7::{error}",
        "1 papers checked: 1 error(s), 0 warning(s)",
    ]


def test_an_annotation_names_its_file_from_the_repository_root(check, monkeypatch,
                                                               fixture_tree):
    """GitHub places an annotation by the file's path in the repository (the workspace):
    a catalogue checked from a folder of it still lands on the pull request's lines."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(fixture_tree.parent.parent))
    result = check("unknown-topic")
    [error] = EXPECTED["unknown-topic"]
    assert result.out[0] == (
        "::error file=tests/fixtures/check/invalid/unknown-topic/papers/"
        f"a-survey-of-llm-benchmarks.yaml,line=7::{error}")


def test_without_github_actions_there_are_no_annotations(check):
    assert not any(line.startswith("::") for line in check("many-errors").out)


@pytest.mark.parametrize("title", ["NO", "2401.10010", "yes", "off", "0x10", "2024-01-15"])
def test_titles_that_look_like_booleans_or_numbers_stay_strings(tmp_path, title):
    source = FIXTURES / "valid" / "papers" / "a-survey-of-llm-benchmarks.yaml"
    text = source.read_text().replace(
        "title: A Survey of Benchmarks for Open Language Models\n", f"title: {title}\n", 1)
    assert f"\ntitle: {title}\n" in text
    path = tmp_path / source.name
    path.write_text(text)

    paper, _, problems = read_paper(path, source.name)
    assert type(paper.title) is str
    assert paper.title == title
    # Written without quotes it loads as text, but the canonical form quotes it.
    assert [p.message for p in problems] == ["file is not in canonical form"]
    path.write_bytes(serialise(paper))
    assert f"\ntitle: '{title}'\n" in path.read_text()
    again, _, problems = read_paper(path, source.name)
    assert (again.title, problems) == (title, [])


def test_every_invalid_fixture_has_its_expected_errors():
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(EXPECTED)


def test_every_fixture_shares_the_valid_catalogues_taxonomy(fixture_tree):
    """No fixture here holds a taxonomy of its own: none of their defects is in one."""
    assert sorted(FIXTURES.glob("**/taxonomy.yaml")) == [SHARED_TAXONOMY]
    copies = sorted((fixture_tree / "check").glob("**/taxonomy.yaml"))
    assert len(copies) == len(EXPECTED) + 3  # and valid/, marked-distinct/, shared-arxiv-id/
    assert all(path.read_bytes() == SHARED_TAXONOMY.read_bytes() for path in copies)


def test_the_valid_papers_are_canonical_and_distinct():
    papers = [read_paper(path, path.name) for path in
              sorted((FIXTURES / "valid" / "papers").glob("*.yaml"))]
    assert [problems for _, _, problems in papers] == [[], [], []]
    assert len({paper.title for paper, _, _ in papers}) == 3
    assert len({paper.abstract for paper, _, _ in papers}) == 3


def test_two_papers_with_one_arxiv_id_are_a_warning_on_the_later_file(check):
    """shared-arxiv-id/ is valid/ with 2402.01234 given to two papers (once with a version)."""
    result = check("shared-arxiv-id", cwd="check")
    assert result == Result(0, ["3 papers checked: 0 error(s), 1 warning(s)"], [
        "shared-arxiv-id/papers/mistral-7b-in-int8.yaml:13: warning: arxiv: '2402.01234v2' is "
        "also the arXiv id of 'four-bit-adapters-llama-2': likely the same paper (hint: if it "
        "is, list mistral-7b-in-int8 under `same_as:` in four-bit-adapters-llama-2.yaml and run "
        "`sitegen ingest`; if not, correct the id that is wrong)"])


def test_the_paper_file_contributing_md_shows_passes_check_once_formatted(tmp_path, capsys,
                                                                           monkeypatch):
    """CONTRIBUTING.md's example of a paper file, as written there, with the shipped
    taxonomy: check names each of its comments, which `sitegen fmt` keeps until asked to
    drop them; dropping them and its empty lists keeps every value, and check passes it."""
    guide = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    example = re.search(r"\n## A paper file\n\n```yaml\n(.*?)```\n", guide, re.DOTALL)[1]
    paper_id = re.search(r"^id: (\S+)", example, re.MULTILINE)[1]
    paper = tmp_path / "content" / "papers" / f"{paper_id}.yaml"
    paper.parent.mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", tmp_path / "content")
    paper.write_text(example, "utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--content", "content"]) == 1
    errors = capsys.readouterr().err.splitlines()
    comments = [line for line in example.splitlines()[1:] if "#" in line]
    canonical = [error for error in errors if "file is not in canonical form" in error]
    assert canonical == [f"content/papers/{paper_id}.yaml:2: id: file is not in canonical form "
                         "(hint: run `sitegen fmt` to rewrite it (values are kept))"]
    assert len(errors) == 1 + len(comments) and ": a comment: '# the page URL" in errors[0]
    assert cli.main(["fmt", "--content", "content"]) == 1
    assert paper.read_text("utf-8") == example
    capsys.readouterr()
    assert cli.main(["fmt", "--content", "content", "--drop-comments"]) == 0
    assert capsys.readouterr().out == f"1 file(s) rewritten\n{len(comments)} comment(s) dropped\n"
    assert cli.main(["check", "--content", "content"]) == 0
    assert capsys.readouterr().err == ""
    written = {key: value for key, value in yaml.safe_load(example).items() if value != []
               and value != {}}
    assert yaml.safe_load(paper.read_text("utf-8")) == written


@pytest.mark.parametrize("command", [["fmt"], ["classify"], ["ingest"]])
def test_a_command_that_rewrites_paper_files_leaves_one_with_a_comment_as_it_is(
        command, tmp_path, monkeypatch, capsys):
    """A note a person wrote in a paper file is never dropped unseen: the command refuses,
    naming the comment's line, and the file keeps every byte."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "valid", content)
    monkeypatch.chdir(tmp_path)
    paper = content / "papers" / "mistral-7b-in-int8.yaml"
    note = "# checked with the authors"
    text = paper.read_text("utf-8").replace("\nfamilies:", f"\n{note}\nfamilies:")
    paper.write_text(text, "utf-8")
    assert cli.main([*command, "--content", "content"]) == 1
    line = text.splitlines().index(note) + 1
    assert (f"content/papers/mistral-7b-in-int8.yaml:{line}: a comment: '# checked with the "
            f"authors' (hint: {KEEP_NO_COMMENTS}: {NOTE_ELSEWHERE})") in capsys.readouterr().err
    assert paper.read_text("utf-8") == text
