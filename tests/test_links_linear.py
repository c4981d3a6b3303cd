"""Links are found in time linear in the text, whatever a contributor writes.

Each hostile abstract below is large enough that a pass over the text again for
each of its `://`, `www.` or trailing brackets takes minutes, while a linear one
takes milliseconds. They are rendered (and their Links listed) in one
subprocess with a generous deadline, and the results are checked for
correctness: no timing is measured.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 30.0  # seconds; all of these take well under one when linear
N = 400_000  # characters of the largest texts

SCRIPT = """
import json, sys
from sitegen.catalogue.links import find_links
from sitegen.site.markdown import markdown_renderer
render = markdown_renderer()
texts = json.load(sys.stdin)
json.dump({name: [render(text), [link.url for link in find_links(text)]]
           for name, text in texts.items()}, sys.stdout)
"""

# name: (text, the links it holds, how many times they appear in the text)
HOSTILE: dict[str, tuple[str, list[str], int]] = {
    "schemes without hosts": ("http://" * (N // 28), [], 0),
    "schemes between spaces": (" http://" * (N // 32) + "x", [], 0),
    # A run of URL characters longer than a paper's link may be (2,000) is no link.
    "hosts run on": ("https://a." * (N // 40), [], 0),
    "www. runs": ("www." * (N // 16), [], 0),
    "many short links": ("www.a.org " * (N // 100) + "end", ["https://www.a.org"], N // 100),
    "a long run of URL characters": ("https://x.org/" + "a" * N, [], 0),
    "the longest link": ("https://x.org/" + "a" * 1986 + " " + "x" * N,
                         ["https://x.org/" + "a" * 1986], 1),
    "unbalanced closing brackets": ("https://x.org/" + ")]" * (N // 2),
                                    ["https://x.org/"], 1),
    "unbalanced opening brackets": ("https://x.org/" + "(" * (N // 8), [], 0),
    "unbalanced opening brackets in a link": ("https://x.org/" + "(" * 1986 + " " + "(" * N,
                                              ["https://x.org/" + "(" * 1986], 1),
    "wrapped in brackets": ("(" * (N // 2) + "https://x.org/a" + ")" * (N // 2),
                            ["https://x.org/a"], 1),
    "a malformed host again and again": ("www.[," * (N // 24), [], 0),
    "an unclosed IPv6 host": ("http://[" + "[" * (N // 20), [], 0),
    "links joined by closing brackets": ("https://x.org/)" * (N // 60), [], 0),
    "links joined by closing brackets, then spaces": (
        "https://x.org/) " * (N // 60), ["https://x.org/"], N // 60),
}


@pytest.fixture(scope="module")
def results() -> dict[str, list]:
    texts = {name: text for name, (text, _, _) in HOSTILE.items()}
    done = subprocess.run([sys.executable, "-c", SCRIPT], input=json.dumps(texts), cwd=ROOT,
                          capture_output=True, text=True, timeout=DEADLINE, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_is_linked_correctly_in_linear_time(results, name):
    text, links, times = HOSTILE[name]
    html, listed = results[name]
    assert listed == links
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    assert hrefs == [link for link in links for _ in range(times)]
    assert re.sub(r"<[^>]*>", "", html).strip() == text.strip()  # no text lost or added


def test_markup_characters_inside_a_link_stay_part_of_it():
    from sitegen.site.markdown import markdown_renderer

    html = markdown_renderer()("Code at https://x.org/a*b*c and *this*, xhttp://y.org/d.")
    assert html == ('<p>Code at <a href="https://x.org/a*b*c">https://x.org/a*b*c</a> and '
                    '<em>this</em>, x<a href="http://y.org/d">http://y.org/d</a>.</p>\n')
