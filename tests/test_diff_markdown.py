"""The Markdown `sitegen diff` writes: inert whatever the text, and within a job summary's size.

GitHub's renderer is modelled by markdown-it with linkify-it (which links more than
GitHub does: any `name.tld`), and GitHub's mention and issue-reference filters, which
run on the rendered text, by their patterns.
"""

from __future__ import annotations

import html
import re
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from sitegen.catalogue.provenance import checksum
from sitegen.core.model import ELLIPSIS, Paper, Problem, one_line
from sitegen.site.diff import LEFT_OUT, Side, render
from sitegen.site.diffpapers import DUPLICATE
from sitegen.site.mdsafe import MAX_BYTES, WORD_JOINER, code, fit, md
from sitegen.site.review import labels_markdown

GITHUB = MarkdownIt("gfm-like")
MENTION = re.compile(r"(?<![\w`])@[A-Za-z0-9]")
# `#1`, `GH-1` (issues), and 7 to 40 hex digits (a commit), as GitHub finds references.
REFERENCE = re.compile(r"(?<!\w)#\d|(?i:(?<![^\W_])GH-\d)|(?<!\w)[0-9a-fA-F]{7,40}(?!\w)")
PIECES = ["@", "@octocat", "@org/team", "a@b.co", "mailto:", "http://", "https://x.org/p?q",
          "ftp://", "www.", "www.example.com", "example.com", "//", "//localhost", "xmpp:",
          ".", ":", "/", "#1", "GH-1", "gh-", "a5c3785", "deadbeef", "`", "``", "|", "- ",
          "+ ", "1) ", "1. ", "* ", "_", "~",
          "[", "](", ")", "!", "<", ">", "<b>", "&", "&amp;", "&#64;", "\\", "$", "=", "\x1b",
          "\x00", "\x07", "\x7f", "\x85", "\u2028", "\u202e", "\u200b", " ", "\n", "\t", "\r",
          "x", "Y", "0", "com", "org", "\u3002", "\uff0e", "\uff20", "\u00e9"]
HOSTILE = st.one_of(st.lists(st.sampled_from(PIECES), max_size=16).map("".join), st.text())


def text_of(rendered: str) -> str:
    """The rendered text, where GitHub looks for mentions: not in code, word joiners kept."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<code>.*?</code>", "", rendered)))


def visible(rendered: str) -> str:
    """The text a reader sees: tags dropped, entities decoded, word joiners invisible."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(WORD_JOINER, "").strip()


def inert(rendered: str) -> bool:
    """No link, and no mention or issue reference for GitHub to find in the text."""
    text = text_of(rendered)
    return "<a " not in rendered and not MENTION.search(text) and not REFERENCE.search(text)


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE)
def test_any_text_shows_as_itself_and_never_as_a_link_mention_or_markup(text):
    shown = md(text)
    assert "\n" not in shown and not re.search("[\x00-\x1f\x7f-\x9f\u2028\u202e]", shown)
    item = GITHUB.render(f"- {shown} (`id`)\n")
    assert set(re.findall(r"<(\w+)", item)) == {"ul", "li", "code"}
    assert item.count("<li>") == item.count("<code>") == 1
    assert visible(item) == f"{one_line(' '.join(text.split()))} (id)".strip()
    cells = GITHUB.render(f"| a | b |\n| - | - |\n| {shown} | x |\n")
    assert cells.count("<td>") == 2
    assert inert(item) and inert(cells)


@settings(max_examples=200, deadline=None)
@given(text=HOSTILE)
def test_an_identifier_is_a_code_span_and_anything_else_escaped_text(text):
    rendered = GITHUB.render(f"- {code(text)}\n")
    assert inert(rendered)
    if rendered.count("<code>"):
        assert re.search(r"<code>(.*)</code>", rendered)[1] == html.escape(text, quote=False)


def paper(pid: str, title: str) -> Paper:
    return Paper(id=pid, title=title, abstract=f"We study {title}.", topics=["t"],
                 families=[], added="2024-01-02")


TAXONOMY = {"topics": [{"id": "t", "name": "T"}], "families": []}


def test_the_report_stays_under_the_limit_and_says_what_it_left_out():
    base = Side(TAXONOMY, {f"old-{i}": paper(f"old-{i}", f"Old paper {i}") for i in range(3)})
    head = Side({"topics": [{"id": "t", "name": "T2"}], "families": []},
                {f"new-{i:04d}": paper(f"new-{i:04d}", f"New paper {i} " + "words " * 70)
                 for i in range(1500)})
    head.problems = [Problem(f"content/papers/bad-{i:04d}.yaml", 2, "title", "x " * 150)
                     for i in range(6000)]
    report = render("main", base, head)
    lines = report.splitlines()
    assert len(report.encode("utf-8")) <= MAX_BYTES
    # (each added paper but the first looks like the one added before it: the titles and
    # abstracts differ only in a number)
    assert lines[2] == ("1500 added, 3 removed, 0 edited; 1499 likely duplicate(s); taxonomy "
                        "changed; 6000 problem(s).")
    added = section(lines, "Added")
    labels = section(lines, "Labels to review")
    problems = section(lines, "Problems")
    shown_added = sum(line.startswith("- New paper") for line in added)
    assert added[-1] == f"- {ELLIPSIS} and {1500 - shown_added:,} more added papers not shown"
    shown_labels = sum(line.startswith("- New paper") for line in labels)
    assert labels[-1] == (f"- {ELLIPSIS} and {1500 - shown_labels:,} more papers with labels "
                          "to review not shown")
    assert problems[-1] == f"- {ELLIPSIS} and {6000 - len(problems) + 1:,} more problems not shown"
    # Small sections are whole; the three big ones share the rest evenly.
    assert section(lines, "Removed") == [f"- Old paper {i} (`old-{i}`)" for i in range(3)]
    assert section(lines, "Taxonomy") == ["- topic `t` renamed: T → T2"]
    sizes = [len("\n".join(part).encode()) for part in (added, labels, problems)]
    assert max(sizes) - min(sizes) < 3000 and sum(sizes) > MAX_BYTES * 0.95


def section(lines: list[str], title: str) -> list[str]:
    start = lines.index(f"### {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("### ")), len(lines))
    return [line for line in lines[start:end] if line]


def test_an_item_too_big_for_its_share_is_left_out_and_counted():
    sections = {"Taxonomy": ["- x" * 600_000, "- small"], "Problems": ["- p"] * 10}
    shown = fit(sections, LEFT_OUT, MAX_BYTES)
    assert shown == {"Taxonomy": [f"- {ELLIPSIS} and 2 more taxonomy changes not shown"],
                     "Problems": ["- p"] * 10}


def test_a_report_that_fits_is_not_cut():
    sections = {"Added": ["- a\n  - b"] * 3, "Removed": [], "Problems": ["- p"]}
    assert fit(sections, LEFT_OUT, MAX_BYTES) == sections


def test_a_pull_request_adding_thousands_of_papers_is_compared_in_seconds():
    """Each added paper is compared with every existing one: titles are folded once."""
    words = "sparse dense reward routing memory vision speech agents tokens scaling".split()

    def title(i: int) -> str:
        return " ".join(words[(i >> shift) % 10] for shift in (0, 3, 6, 9)) + f" {i}"

    base = Side(TAXONOMY, {f"old-{i:05d}": paper(f"old-{i:05d}", title(i)) for i in range(10_000)})
    added = {f"new-{i:04d}": paper(f"new-{i:04d}", title(i)) for i in range(1_000)}
    head = Side(TAXONOMY, {**base.papers, **added})
    start = time.perf_counter()
    report = render("main", base, head)
    assert time.perf_counter() - start < 5  # the existing titles were folded once per added paper
    assert report.splitlines()[2] == "1000 added, 0 removed, 0 edited; 1000 likely duplicate(s)."
    first = section(report.splitlines(), "Added")[:2]
    assert first == ["- sparse sparse sparse sparse 0 (`new-0000`), closest existing papers:",
                     "  - sparse sparse sparse sparse 0 (`old-00000`): title 100, abstract 100 "
                     f"— {DUPLICATE} (same title)"]


@settings(max_examples=150, deadline=None)
@given(text=HOSTILE)
def test_evidence_under_labels_to_review_shows_as_itself_and_links_nothing(text):
    proposed = Paper(id="p", title="T", abstract="A", topics=["t"], families=[],
                     added="2024-01-02", evidence={"t": text} if text else {})
    proposed.machine = {name: checksum(proposed, name) for name in ("topics", "families")}
    rendered = GITHUB.render(labels_markdown(proposed, "- T (`p`)") + "\n")
    assert set(re.findall(r"<(\w+)", rendered)) == {"ul", "li", "code"}
    assert rendered.count("<li>") == 3 and inert(rendered)
    shown = one_line(" ".join(text.split())) if text else "no evidence recorded"
    assert f"topics, proposed by the rules: t ({shown})" in visible(rendered)


def test_only_a_word_of_hex_digits_is_broken_as_a_commit_reference():
    """GitHub links a word of seven or more hex digits to a commit; a word with other
    letters is none, and copying or searching a title finds it whole."""
    assert md("Feedback for a Defaced Cafe") == "Feedback for a Deface\u2060d Cafe"
    assert md("see deadbeefcafe12 and abcdef") == "see deadbe\u2060efcafe\u206012 and abcdef"
