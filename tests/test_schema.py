"""The committed paper schema, as an editor sees it, agrees with `sitegen check`.

Editors validate paper files through the `# yaml-language-server: $schema=...`
comment on their first line, with a plain YAML reader and a plain JSON Schema
validator. These tests read every paper file of the fixtures and of the shipped
catalogue that way (`yaml.safe_load`'s loader, the `jsonschema` library, the
schema file itself) and require the schema to reject exactly the files for
which `sitegen check` reports a schema-level problem.

What `sitegen check` reports, and what the schema can know of it:

- YAML-level problems: check refuses the file before any schema is applied, so
  these files are left out of the comparison.
  - invalid YAML, a tag such as `!!python/object/apply`: safe_load refuses them
    too (a scanner or constructor error);
  - a duplicate key: safe_load keeps the last value and may well produce a valid
    document;
  - anchors and aliases: safe_load shares the aliased values; an alias bomb then
    loads at once but takes a validator minutes to walk, which is why check
    refuses aliases outright;
  - merge keys, non-mapping keys, text that is not UTF-8.
- Problems outside one document, which no schema of a single file can know:
  the file is not in canonical form, its id differs from the file name or is
  another file's id, a topic or family id missing from taxonomy.yaml, a
  `distinct_from` id with no file, a `same_as` id not merged yet or one that
  breaks the `same_as` graph (a cycle, a chain, itself, two claims, a
  contradiction), two files that look like the same paper or share an arXiv id, a
  comment right after a value (the reader drops it), and a link whose address does not
  parse (the schema's `link-url` format: a plain validator takes a format as a note).
- Every other problem comes from the schema (wrong type, missing or unknown
  field, too many topics, a link that is not http(s), ...): schema-level.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import FIXTURES, ROOT, run
from referencing import Registry, Resource

from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.store import SCHEMA_COMMENT, read_paper, serialise
from sitegen.core.model import Problem

SCHEMAS = ROOT / "sitegen" / "schemas"
PAPER_COMMENT = "# yaml-language-server: $schema=../../sitegen/schemas/paper.schema.json\n"
TAXONOMY_COMMENT = "# yaml-language-server: $schema=../sitegen/schemas/taxonomy.schema.json\n"
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe_load's loader, in C

# Check messages the schema cannot know (see the module docstring), by kind.
YAML_LEVEL = ("invalid YAML", "duplicate key", "is not allowed (hint: remove the tag",
              "anchors and aliases", "merge keys", "keys must be plain words",
              "not valid UTF-8", "nested more than", "a second YAML document")
OUTSIDE_THE_SCHEMA = ("file is not in canonical form", "does not match the file name",
                      "duplicate id", "unknown topic", "unknown family", "no paper has the id",
                      "is marked the same paper but is not merged yet",
                      "looks like the same paper as", "cannot be the same as itself",
                      "leads back to this paper", "(a chain)", "is also listed under `same_as`",
                      "is also marked `distinct_from`", "are marked `distinct_from` each other",
                      "is not a paper id", "is also the arXiv id of", "one entry of a dump is",
                      # a comment after a value: the YAML reader drops it before any schema
                      "a comment follows the value", "a comment: ",
                      # a format: editors' validators take it as a note, check applies it
                      "is not a 'link-url'",
                      # two dates, each valid alone
                      "is before the paper was published")
# YAML-level problems that safe_load lets through (it refuses the others itself).
SAFE_LOAD_ACCEPTS = ("duplicate key", "anchors and aliases", "nested more than")




def _kind(problem: Problem) -> str:
    text = str(problem)
    if any(marker in text for marker in YAML_LEVEL):
        return "yaml"
    if any(marker in text for marker in OUTSIDE_THE_SCHEMA):
        return "outside"
    return "schema"


def _check_problems(catalogue: Path) -> dict[Path, list[Problem]]:
    """What `sitegen check --content CATALOGUE` reports (it prints exactly these), by file."""
    found: dict[Path, list[Problem]] = {}
    for problem in load_catalogue(catalogue).problems:
        found.setdefault((Path.cwd() / problem.path).resolve(), []).append(problem)
    return found


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    """The paper schema as an editor reads it: its references to other schema files resolve
    to the files beside it."""
    schemas = {path.name: json.loads(path.read_text("utf-8"))
               for path in sorted(SCHEMAS.glob("*.schema.json"))}
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items())
    return jsonschema.Draft202012Validator(schemas["paper.schema.json"], registry=registry)


class Compared:
    def __init__(self) -> None:
        self.rejected: set[str] = set()  # by the schema
        self.reported: set[str] = set()  # with a schema-level problem by check
        self.outside: set[str] = set()  # with only problems the schema cannot know
        self.left_out: set[str] = set()  # refused by check before its schema


def _compare(catalogues: list[Path], validator, root: Path = ROOT) -> Compared:
    """Each paper file as the schema and as check judge it, named by its path from root."""
    result = Compared()
    for catalogue in catalogues:
        problems = _check_problems(catalogue)
        for path in sorted(p.resolve() for p in (catalogue / "papers").glob("*.yaml")):
            name = path.relative_to(root).as_posix()
            found = problems.get(path, [])
            kinds = {_kind(problem) for problem in found}
            try:
                document = yaml.load(path.read_text("utf-8"), Loader=SAFE_LOADER)
            except (UnicodeDecodeError, yaml.YAMLError):  # not UTF-8, or not YAML
                assert "yaml" in kinds, f"{name}: safe_load refuses it, check does not"
                result.left_out.add(name)
                continue
            if "yaml" in kinds:  # check stopped before its schema; safe_load did not
                assert all(any(m in str(p) for m in SAFE_LOAD_ACCEPTS)
                           for p in found if _kind(p) == "yaml"), name
                result.left_out.add(name)
                continue
            if next(validator.iter_errors(document), None) is not None:
                result.rejected.add(name)
            if "schema" in kinds:
                result.reported.add(name)
            elif kinds:
                result.outside.add(name)
    return result


def test_the_schema_rejects_exactly_the_fixtures_check_finds_schema_problems_in(validator,
                                                                              fixture_tree):
    # Whole catalogues, so that check finds unknown topics and families in each.
    catalogues = sorted({path.parent.parent for path in fixture_tree.glob("**/papers/*.yaml")})
    result = _compare(catalogues, validator, fixture_tree.parent.parent)
    assert result.rejected == result.reported
    # The fixtures hold files of every kind, so the comparison can fail both ways.
    invalid = "tests/fixtures/check/invalid/"
    policy = "tests/fixtures/policy/"
    assert result.rejected == {
        *(f"{invalid}evidence-{name}/papers/mistral-7b-in-int8.yaml"
          for name in ("key", "not-text", "too-long")),
        f"{invalid}invisible-on-later-line/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}javascript-url/papers/mistral-7b-in-int8.yaml",
        f"{invalid}many-errors/papers/four-bit-adapters-llama-2.yaml",
        f"{invalid}missing-field/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}too-many-topics/papers/four-bit-adapters-llama-2.yaml",
        f"{invalid}unknown-field/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}unknown-fields/papers/mistral-7b-in-int8.yaml",
        f"{invalid}wrong-type/papers/a-survey-of-llm-benchmarks.yaml",
        *(f"{invalid}{name}/papers/mistral-7b-in-int8.yaml" for name in (
            "title-list", "title-blank", "duplicate-topic", "no-topics", "author-empty",
            "author-pipe",
            "families-empty",
            "link-not-mapping", "link-kind", "link-space", "source-line-text", "machine-checksum")),
        *(f"{policy}{name}/papers/mistral-7b-in-int8.yaml" for name in (
            "bidi-override", "control-character", "hidden-tag-characters", "impossible-date",
            "noncharacter", "tab-in-title", "zero-width-space", "arxiv-month", "arxiv-digits",
            "arxiv-prefix", "arxiv-category", "authors-empty-name", "published-not-a-date",
            "updated-not-a-date", "doi-address", "venue-blank", "date-too-early",
            "updated-not-yyyy-mm-dd")),
    }
    assert result.left_out == {
        f"{invalid}alias-bomb/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}colon-in-value/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}control-character/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}duplicate-key/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}many-errors/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}python-tag/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}quote-ends-early/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}quote-meets-escape/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}quote-runs-on/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}surrogate-escape/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}tab-indent/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}too-deep/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}two-documents/papers/a-survey-of-llm-benchmarks.yaml",
        f"{invalid}yaml-syntax/papers/a-survey-of-llm-benchmarks.yaml",
        f"{policy}paper-not-utf8/papers/mistral-7b-in-int8.yaml",
    }
    # duplicate, unknown and misnamed ids, look-alikes, formatting (10); the `same_as` graph
    # cases (11); an arXiv id two papers share (1); a comment after a value and one on a
    # line, a port beyond 65535, a user before a link's host, an update before publication, a
    # sighting two files claim (6)
    assert len(result.outside) == 28


def test_the_schema_accepts_every_shipped_paper_as_check_does(validator):
    result = _compare([ROOT / "content"], validator)
    assert (result.rejected, result.reported, result.left_out, result.outside) == (
        set(), set(), set(), set())
    assert len(list((ROOT / "content" / "papers").glob("*.yaml"))) == 690


# Editor support: the schema comment.


def test_the_canonical_form_starts_with_the_schema_comment():
    assert SCHEMA_COMMENT == PAPER_COMMENT
    paper, _, problems = read_paper(FIXTURES / "check" / "valid" / "papers" /
                                    "mistral-7b-in-int8.yaml", "mistral-7b-in-int8.yaml")
    assert problems == []
    assert serialise(paper).decode("utf-8").startswith(PAPER_COMMENT + "id: mistral-7b-in-int8\n")


def test_every_paper_file_names_the_schema_and_it_resolves_from_content():
    papers = sorted(ROOT.glob("content/papers/*.yaml")) + sorted(FIXTURES.glob("**/papers/*.yaml"))
    without = [p for p in papers if not p.read_bytes().startswith(PAPER_COMMENT.encode())]
    # Only the alias bomb, which is no paper file at all, goes without.
    assert [p.relative_to(FIXTURES).as_posix() for p in without] == [
        "check/invalid/alias-bomb/papers/a-survey-of-llm-benchmarks.yaml"]
    target = PAPER_COMMENT.split("$schema=")[1].strip()
    assert (ROOT / "content" / "papers" / target).resolve() == SCHEMAS / "paper.schema.json"


@pytest.mark.parametrize("taxonomy", ["content/taxonomy.yaml", "tests/fixtures/site/taxonomy.yaml"])
def test_taxonomy_files_name_their_schema(taxonomy):
    assert (ROOT / taxonomy).read_text("utf-8").startswith(TAXONOMY_COMMENT)
    target = TAXONOMY_COMMENT.split("$schema=")[1].strip()
    assert (ROOT / "content" / target).resolve() == SCHEMAS / "taxonomy.schema.json"


def test_a_file_without_the_comment_is_not_canonical_and_fmt_adds_it(tmp_path, capsys):
    content = tmp_path / "valid"
    shutil.copytree(FIXTURES / "check" / "valid", content)
    path = content / "papers" / "mistral-7b-in-int8.yaml"
    canonical = path.read_bytes()
    path.write_bytes(canonical.removeprefix(PAPER_COMMENT.encode("utf-8")))
    assert run("check", "--content", str(content)) == 1
    assert "mistral-7b-in-int8.yaml:1: file is not in canonical form" in capsys.readouterr().err
    assert run("fmt", "--content", str(content)) == 0
    assert path.read_bytes() == canonical
    assert run("check", "--content", str(content)) == 0
