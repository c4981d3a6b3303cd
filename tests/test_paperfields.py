"""A paper's fields are declared once: the `properties` of schemas/paper.schema.json, in
file order, each with a `default` when an absent field means that value. The model, the
file format, `diff` and the export all follow that declaration."""

import dataclasses
import subprocess
import sys

from conftest import ROOT

from sitegen.catalogue.paperfields import FIELDS, PROPERTIES, from_dict, to_dict
from sitegen.core.model import MACHINE_FIELDS, Link, Paper, Source
from sitegen.site.diffpapers import changed_fields
from sitegen.site.export import CSV_FIELDS, record

BOOKKEEPING = ("same_as", "distinct_from", "machine")  # the tool's, never published


def _bare() -> Paper:
    """A paper with only the fields a file must hold, each of them short."""
    return Paper(id="bare", title="Bare", abstract="", topics=["survey"], families=[],
                 added="2023-01-01")


def _full() -> Paper:
    """A paper whose every field holds something other than `_bare`'s and its default."""
    return Paper(id="full", title="Full", abstract="An abstract.", topics=["peft"],
                 families=["llama"], added="2024-02-03",
                 links=[Link("https://example.org/code", "code")], arxiv="2402.00003v2",
                 arxiv_category="cs.CL",
                 authors=["Ada Lovelace", "Alan Turing"], published="2024-02-01",
                 updated="2024-02-09", venue="ACL 2024", doi="10.18653/v1/2024.acl-long.1",
                 sources=[Source("000_a.txt", 7, "Full", "same title")], same_as=["old-id"],
                 distinct_from=["look-alike"], human=["topics"],
                 machine={"families": "0123456789ab"}, evidence={"llama": "title: llama"})


def test_the_model_has_one_attribute_per_declared_field():
    assert sorted(field.name for field in dataclasses.fields(Paper)) == sorted(FIELDS)


def test_the_fields_the_tool_proposes_are_those_a_person_may_decide():
    assert tuple(PROPERTIES["human"]["items"]["enum"]) == MACHINE_FIELDS
    assert list(PROPERTIES["machine"]["patternProperties"]) == [f"^({'|'.join(MACHINE_FIELDS)})$"]


def test_a_file_holds_every_declared_field_in_declared_order():
    paper = _full()
    assert tuple(to_dict(paper)) == FIELDS
    assert from_dict(to_dict(paper)) == paper


def test_a_field_at_its_default_is_left_out_of_a_file_and_read_back_as_it():
    paper = dataclasses.replace(_bare(), sources=[Source("000_a.txt", 7, "Bare")])
    data = to_dict(paper)
    assert tuple(data) == tuple(name for name in FIELDS if "default" not in PROPERTIES[name])
    assert data["sources"] == [{"dump": "000_a.txt", "line": 7, "title": "Bare"}]
    assert from_dict(data) == paper


def test_diff_names_an_edit_to_any_declared_field():
    bare, full = _bare(), _full()
    for name in FIELDS:
        edited = dataclasses.replace(bare, **{name: getattr(full, name)})
        assert changed_fields(bare, edited) == [name]


def test_the_export_publishes_every_declared_field_but_the_tools_bookkeeping():
    published = [name for name in FIELDS if name not in BOOKKEEPING]
    assert list(record(_full())) == published
    assert list(CSV_FIELDS) == [name for name in published if name != "evidence"]  # a mapping


# A field declared in the schema, and given to the model, in a fresh interpreter.
ADD_A_FIELD = """
import dataclasses, sys
from pathlib import Path
from sitegen.catalogue.schemafiles import schema
from sitegen.core import model

schema("paper")["properties"]["pages"] = {"type": "string", "default": ""}
model.Paper = dataclasses.make_dataclass(
    "Paper", [("pages", str, dataclasses.field(default=""))], bases=(model.Paper,))

from sitegen.catalogue import store
from sitegen.site import diffpapers, export

paper = model.Paper(id="p", title="T", abstract="", topics=["t"], families=[],
                    added="2024-01-01", pages="1-9")
path = Path(sys.argv[1])
path.write_bytes(store.serialise(paper))
print(path.read_text().splitlines()[-1])
print(store.read_paper(path, "p.yaml") == (paper, None, []))
print(diffpapers.changed_fields(paper, dataclasses.replace(paper, pages="10-19")))
print(export.record(paper)["pages"], export.CSV_FIELDS[-1])
print("pages" in store.serialise(dataclasses.replace(paper, pages="")).decode())
"""


def test_a_field_added_to_the_declaration_reaches_the_file_diff_and_export(tmp_path):
    done = subprocess.run([sys.executable, "-c", ADD_A_FIELD, str(tmp_path / "p.yaml")],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == [
        "pages: 1-9",  # written last, as declared, and read back by the quick reader
        "True",
        "['pages']",
        "1-9 pages",
        "False",  # at its default, left out
    ]
