"""Names in the content tree: which a paper or page may take, and which break a checkout
(sitegen/catalogue/names.py), and how every entry of a content folder is sorted out
(sitegen/catalogue/contenttree.py `sort_out`)."""

from __future__ import annotations

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.catalogue import contentfs, contenttree
from sitegen.catalogue.contentfs import Entry
from sitegen.catalogue.contenttree import sort_out
from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.names import ID, SITE_NAMES, case_key, is_id, is_reserved_id, unportable
from sitegen.site.build import render

# Written out again here, as Microsoft documents them, rather than taken from the module.
DEVICES = {"con", "prn", "aux", "nul", *(f"com{d}" for d in range(10)),
           *(f"lpt{d}" for d in range(10))}


@pytest.mark.parametrize("name", ["con", "CON", "Con.yaml", "nul.tar.gz", "lpt1", "LPT9.md",
                                  "com1.txt", "aux ", "prn .txt", "com\u00b9", "conin$"])
def test_windows_device_names_are_reserved_in_any_case_and_with_any_extension(name):
    assert is_reserved_id(name)
    assert unportable(name) is not None


@pytest.mark.parametrize("name", ["console", "cons", "com10", "lpt", "connect.yaml",
                                  "nul-hypothesis", "auxiliary", "a-con", "my.con"])
def test_names_that_only_look_like_devices_are_not(name):
    assert not is_reserved_id(name)
    assert unportable(name) is None


@settings(max_examples=50)
@given(st.from_regex(ID, fullmatch=True) | st.sampled_from(sorted(DEVICES)))
def test_an_id_is_reserved_exactly_when_it_is_a_device_name(name):
    assert is_reserved_id(name) == (name in DEVICES)


def test_the_site_names_are_every_top_level_name_a_build_writes():
    """A new output name must be added to SITE_NAMES, or it could become a page's name."""
    catalogue = load_catalogue(FIXTURES / "site")
    assert catalogue.pages and not catalogue.errors
    written = {path.split("/")[0] for path in render(catalogue, "https://example.org/")}
    assert written - set(catalogue.pages) == set(SITE_NAMES)


KINDS = st.sampled_from([contentfs.FILE, contentfs.FOLDER, contentfs.LINK, contentfs.FIFO,
                         contentfs.DEVICE, contentfs.SOCKET, contentfs.SUBMODULE])
NAMES = st.one_of(st.text(min_size=1, max_size=12).filter(lambda n: "/" not in n),
                  st.from_regex(r"[a-zA-Z0-9.\-_ ]{1,8}\.(yaml|YAML|yml|md|txt)", fullmatch=True),
                  st.sampled_from(["con.yaml", "index.md", "search.md", ".gitkeep", "a.yaml"]))
FOLDERS = st.sampled_from([contenttree.PAPERS, contenttree.PAGES, contenttree.DUMPS])


@given(FOLDERS, st.dictionaries(NAMES, KINDS, max_size=8))
def test_every_entry_counts_or_is_reported_never_both(folder, listing):
    entries = sorted(Entry(name, kind) for name, kind in listing.items())
    counted, problems = sort_out(folder, entries, lambda name: name)
    silent = [e.name for e in entries if e.name == ".gitkeep" and e.kind == contentfs.FILE]
    assert len(counted) + len(problems) + len(silent) == len(listing)  # one verdict each
    assert not set(counted) & set(silent) and set(counted) <= listing.keys()
    assert all(problem.message and problem.hint for problem in problems)
    for name in counted:
        assert listing[name] == contentfs.FILE and name.endswith(folder.suffix)
        assert unportable(name) is None
        stem = name.removesuffix(folder.suffix)
        assert is_id(stem) or not folder.ids
    assert len({case_key(name) for name in counted}) == len(counted)
    if folder is contenttree.PAGES:
        assert not {name.removesuffix(".md") for name in counted} & {"index", "search"}
