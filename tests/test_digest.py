"""The digest that keys every page: the same for equal values in any process, different
for different values, and refused for values it cannot digest reliably."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import ROOT

from sitegen.catalogue.yamltypes import Plain
from sitegen.core.model import Link, Paper
from sitegen.site import digest as digest_module
from sitegen.site.contexts import Label, PaperItem, TopicContext, TopicPage
from sitegen.site.digest import digest, digested_once, remember, remember_by_parts

# Every page of the fixture site, with the digests that may key it: of its context, and
# of what its context is made from, where the page says.
PAGE_DIGESTS = """
import json, sys
from pathlib import Path
from sitegen.catalogue.load import load_catalogue, validated
from sitegen.site.digest import digest
from sitegen.site.render import site_jobs
valid = validated(load_catalogue(Path(sys.argv[1])))
site = site_jobs(valid, "https://example.org/papers/")
keys = {}
for job in site.pages().jobs:
    context = job.context() if callable(job.context) else job.context
    keys[job.path] = digest(job.template, context)
    if job.inputs:
        keys[job.path + " inputs"] = digest(job.template, job.inputs())
keys["exports"] = digest(list(valid.papers.values()))
print(json.dumps(keys))
"""


def page_digests(seed: str) -> dict[str, str]:
    environment = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", PAGE_DIGESTS,
                             str(ROOT / "tests" / "fixtures" / "site")],
                            env=environment, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_every_page_has_the_same_digest_in_processes_of_other_hash_seeds():
    """Sets pickle in hash order, which the seed changes: equal digests show that no page
    context holds one (a context that did would have its page made again every build)."""
    first, second = page_digests("1"), page_digests("2")
    assert len(first) > 20
    assert first == second


def paper(**changes) -> Paper:
    made = Paper("p1", "A title", "An abstract.", ["peft"], ["llama"], "2024-01-02",
                 [Link("https://arxiv.org/abs/2401.00001", "arxiv")])
    return replace(made, **changes)


def test_equal_values_have_equal_digests_whatever_they_share():
    shared = "A title"
    assert digest(paper(title=shared), shared) == digest(paper(title="A " + "title"), "A title")
    assert digest([paper(), paper()]) == digest([paper() for _ in range(2)])


def test_a_marked_string_is_digested_by_its_text():
    assert digest(paper(added=Plain("2024-01-02"))) == digest(
        paper(added=Plain("2024-01-02")))
    assert digest(paper(added=Plain("2024-01-02"))) != digest(paper(added="2024-01-03"))


@pytest.mark.parametrize("changes", [{"title": "Another title"}, {"topics": []},
                                     {"links": [Link("https://arxiv.org/abs/2401.00001",
                                                     "pdf")]},
                                     {"machine": {"topics": "x"}}])
def test_any_change_of_a_field_changes_the_digest(changes):
    assert digest(paper(**changes)) != digest(paper())


def test_types_and_lengths_tell_values_apart():
    assert digest(("ab", "c")) != digest(("a", "bc"))
    assert digest((1,)) != digest(("1",)) != digest((1.0,)) != digest((True,))
    assert digest([1, 2]) != digest((1, 2))
    assert digest({"a": 1}) != digest([("a", 1)])


@dataclass(frozen=True)
class WithOwnPickling:
    value: str

    def __reduce__(self):
        return WithOwnPickling, ("always the same",)


@pytest.mark.parametrize("value", [Path("."), len, lambda: 1, object(), WithOwnPickling("x"),
                                   {"nested": [object()]}])
def test_what_it_cannot_digest_reliably_is_refused(value):
    with pytest.raises(TypeError, match="no stable digest"):
        digest(value)


def list_item(title: str = "A title", topics: tuple[str, ...] = ("peft",)) -> PaperItem:
    return PaperItem("p1", title, "papers/p1/", "2024-01-02",
                     tuple(Label(t, t.upper(), f"topics/{t}/") for t in topics), ())


def test_a_value_digested_once_gives_the_digest_its_fields_give():
    """A paper's item is digested once and stands in lists by its digest: equal items
    made apart give equal digests, and any field changed changes them."""
    first, twin = list_item(), list_item()
    assert first is not twin
    assert digest([first, first]) == digest([twin, list_item()])
    assert digest(first) == digest(twin)
    for other in (list_item(title="Another"), list_item(topics=("peft", "code")),
                  replace(first, published="2024")):
        assert digest([first]) != digest([other])
        assert digest(first) != digest(other)


def test_a_value_digested_once_is_forgotten_with_it():
    item = list_item(title="Forgotten soon")
    found = digest([item])
    assert id(item) in digest_module._MEMO
    key = id(item)
    del item
    gc.collect()
    assert key not in digest_module._MEMO  # no digest made since: the id is no one's
    assert digest([list_item(title="Forgotten soon")]) == found


def test_a_remembered_digest_stands_for_its_value_alone_and_goes_with_it():
    """A digest known without pickling (a paper's from the paper cache, an item's from
    what it is made from) keys the value, and the values holding it, while it lives."""
    item, twin, kept = list_item(), list_item(), paper()
    remember(item, "made from its paper and the label names")
    remember(kept, "from the paper cache")
    assert digest(item) == "made from its paper and the label names" != digest(twin)
    assert digest([item]) != digest([twin])  # an equal value, not remembered: another digest
    assert digest(kept) == "from the paper cache"
    assert digest(kept, "and more") == digest(paper(), "and more")  # not a value alone
    key = id(kept)
    del kept
    gc.collect()
    assert key not in digest_module._MEMO


def topic_page(*titles: str, count: int = 2, description: str = "About") -> TopicPage:
    return TopicPage(Label("peft", "PEFT", "topics/peft/", count), description,
                     tuple(list_item(title=title) for title in titles))


def test_a_list_page_remembered_by_its_parts_keys_its_context_as_its_items_and_fields_do():
    """A list page's digest made from its items' digests (`remember_by_parts`) stands for
    it in its page's context: equal for equal pages, other for any item or field changed,
    and never that of another value (a page whose items would be those digests)."""
    pages = [topic_page("One", "Two"), topic_page("One", "Two"), topic_page("One", "Three"),
             topic_page("One"), topic_page("One", "Two", count=3),
             topic_page("One", "Two", description="Other")]
    for page in pages:
        remember_by_parts(page, {id(item): digest(item) for item in page.papers})
    keys = [digest(TopicContext(page, "topics/peft/")) for page in pages]
    assert keys[0] == keys[1] and len(set(keys[1:])) == len(keys) - 1
    assert keys[0] != digest(TopicContext(topic_page("One", "Two"), "topics/peft/"))
    posing = replace(pages[0], papers=tuple(digest(item) for item in pages[0].papers))
    remember_by_parts(posing, {})  # (not a page a build makes: its items are strings)
    assert digest(posing) != digest(pages[0])


@dataclass
class Mutable:
    value: str


def test_only_frozen_dataclasses_of_plain_fields_may_be_digested_once():
    with pytest.raises(TypeError, match="not a frozen dataclass"):
        digested_once(Mutable)
    with pytest.raises(TypeError, match="not a frozen dataclass"):
        digested_once(WithOwnPickling)


def test_the_code_digest_changes_with_an_installed_librarys_version(tmp_path, monkeypatch):
    """A new Jinja or markdown-it may render the same template differently: pages made
    under other library versions are not taken."""
    from sitegen.site import codedigest

    def digest_with(version: str) -> str:
        for folder in tmp_path.iterdir():
            folder.rmdir()
        (tmp_path / f"jinja2-{version}.dist-info").mkdir()
        codedigest.code_digest.cache_clear()
        codedigest._libraries.cache_clear()
        return codedigest.code_digest()

    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    try:
        assert digest_with("3.1.6") == digest_with("3.1.6") != digest_with("3.2.0")
    finally:
        monkeypatch.undo()
        codedigest.code_digest.cache_clear()
        codedigest._libraries.cache_clear()


def test_the_code_digest_is_the_same_whichever_way_the_code_is_run(tmp_path, monkeypatch):
    """`python -m sitegen` in a source checkout has the checkout's own metadata folder on its
    path, the `sitegen` command has not: the same code must give the same digest, or each
    switch between the two would render every page again."""
    from sitegen.site import codedigest

    def digest_with(*folders: str) -> str:
        for folder in tmp_path.iterdir():
            folder.rmdir()
        for folder in folders:
            (tmp_path / folder).mkdir()
        codedigest.code_digest.cache_clear()
        codedigest._libraries.cache_clear()
        return codedigest.code_digest()

    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    try:
        alone = digest_with()
        assert digest_with("sitegen.egg-info") == digest_with("sitegen-9.9.dist-info") == alone
        assert digest_with("sitegen_extras-1.0.dist-info") != alone
    finally:
        monkeypatch.undo()
        codedigest.code_digest.cache_clear()
        codedigest._libraries.cache_clear()
