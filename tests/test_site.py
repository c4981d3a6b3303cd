"""`sitegen build`: golden output, links, atomic writes, escaping and determinism."""

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import ROOT, run
from sitecheck import broken_links, elements, references

from sitegen.site.paths import SITE

FIXTURE = ROOT / "tests" / "fixtures" / "site"
GOLDEN = ROOT / "tests" / "golden" / "site"
GOLDEN_BASE = "https://example.org/papers/"
REGENERATE = ("sitegen build --content tests/fixtures/site --out tests/golden/site "
              f"--base-url {GOLDEN_BASE}")
HOSTILE = "papers/script-alert-title-script-hostile-quoted-img-src-x-onerror/index.html"


def build(content: Path, out: Path, base: str = GOLDEN_BASE) -> int:
    return run("build", "--content", str(content), "--out", str(out), "--base-url", base)


def files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    assert build(FIXTURE, out) == 0
    return out


def test_output_matches_the_golden_site(site):
    built, golden = files(site), files(GOLDEN)
    assert sorted(built) == sorted(golden), f"file list changed; regenerate with: {REGENERATE}"
    changed = [name for name in built if built[name] != golden[name]]
    assert changed == [], f"{changed[:5]} differ; review, then regenerate with: {REGENERATE}"


def test_every_page_kind_is_built(site):
    for path in ("index.html", "topics/index.html", "topics/quantization/index.html",
                 "families/index.html", "families/llama/index.html", "search/index.html",
                 "about/index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml",
                 "papers.json", "papers.csv", "static/style.css", "static/favicon.svg",
                 "papers/mistral-7b/index.html", "topics/vision-language/llava/index.html"):
        assert (site / path).is_file(), path


def test_the_search_page_loads_one_script_holding_lunr_and_ours(site):
    script = (site / "static" / "search.js").read_bytes()
    ours = ("search-index.js", "search-words.js", "search-sequence.js", "search-rank.js",
            "search-page.js")
    parts = [(ROOT / "node_modules" / "lunr" / "lunr.min.js").read_bytes(),
             *((SITE / "static" / name).read_bytes() for name in ours)]
    assert script == b"\n;\n".join(parts)
    assert not any((site / "static" / name).exists() for name in ("lunr.min.js", *ours))
    page = (site / "search" / "index.html").read_text("utf-8")
    assert len(re.findall(r"<script src=\"[^\"]*/static/search\.js\?v=\w+\" defer>", page)) == 1


@pytest.mark.parametrize("base", ["http://localhost:8000/", "https://example.org/deep/sub/path/"])
def test_no_broken_internal_links_at_the_root_and_under_a_sub_path(tmp_path, base):
    out = tmp_path / "out"
    assert build(FIXTURE, out, base) == 0
    assert broken_links(out, base) == []
    prefix = base.removeprefix("http://localhost:8000").removeprefix("https://example.org")
    home_refs = references((out / "index.html").read_text("utf-8"))
    internal = [r for r in home_refs if r.startswith("/")]
    assert internal and all(r.startswith(prefix) for r in internal)


def test_a_catalogue_without_an_about_page_links_to_none(tmp_path):
    """The header, the footer and the home page link to /about/ only when
    content/pages/about.md exists: a catalogue without one has no broken link."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "pages" / "about.md").unlink()
    out = tmp_path / "out"
    assert build(content, out, "https://example.org/papers/") == 0
    assert broken_links(out, "https://example.org/papers/") == []
    assert not (out / "about").exists()
    assert not [page for page in out.rglob("*.html") if "/papers/about/" in page.read_text("utf-8")]


def test_the_shipped_catalogue_has_no_broken_links(tmp_path):
    out = tmp_path / "out"
    assert build(ROOT / "content", out, "https://owner.github.io/repo/") == 0
    assert broken_links(out, "https://owner.github.io/repo/") == []


def test_hostile_text_is_escaped_once_and_never_markup(site):
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        for tag, attrs in elements(html):
            names = {name for name, _ in attrs}
            assert not any(name.startswith("on") for name in names), (page, tag, attrs)
            assert tag not in ("img", "iframe", "object", "embed", "b"), (page, tag)
            for name, value in attrs:
                if name in ("href", "src"):
                    assert not value.lower().lstrip().startswith(("javascript:", "data:")), page
            if tag == "script":
                assert names <= {"src", "defer", "type"}, (page, attrs)
        twice = ("&amp;lt;", "&amp;#34;", "&amp;quot;", "&amp;amp;")
        assert not any(t in html for t in twice), f"escaped twice in {page}"
    paper = (site / HOSTILE).read_text("utf-8")
    assert "<h1>&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Hostile &amp;" in paper
    assert "52.6% accuracy with <strong>markdown</strong> emphasis" in paper
    assert '<a href="https://github.com/example/hostile" rel="nofollow ugc">' in paper
    about = (site / "about" / "index.html").read_text("utf-8")
    assert "raw &lt;b&gt;HTML&lt;/b&gt; tag" in about
    assert "[bad link](javascript:alert(&quot;about&quot;))" in about  # text, not a link


def test_json_ld_is_valid_and_cannot_close_its_script(site):
    paper = (site / HOSTILE).read_text("utf-8")
    data = paper.split('<script type="application/ld+json">')[1].split("</script>")[0]
    record = json.loads(data)
    assert record["@type"] == "ScholarlyArticle"
    assert record["name"].startswith('<script>alert("title")')
    assert "<" not in data and record["url"] == GOLDEN_BASE + HOSTILE.removesuffix("index.html")


def test_paper_page_shows_everything_a_reader_needs(site):
    html = (site / "papers" / "qlora-efficient-finetuning-of-quantized-llms" / "index.html"
            ).read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/papers/papers/qlora-' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'href="https://github.com/example/catalogue/edit/main/content/papers/qlora-' in html
    assert "https://arxiv.org/search/?query=QLoRA%3A+Efficient" in html
    assert "huggingface.co/papers?q=QLoRA" in html and "scholar.google.com" in html
    assert 'href="/papers/topics/quantization/"' in html
    assert html.count('<li>\n        <a href="/papers/papers/') == 5  # five related papers
    assert "same topic: " in html or "same family: " in html
    assert "fixture.txt:" in html


def test_family_page_shows_lineage_and_its_generations_papers(site):
    html = (site / "families" / "llama" / "index.html").read_text("utf-8")
    assert "Includes <a href=\"/papers/families/llama-2/\">Llama 2</a>" in html
    assert "Llama 2: Open Foundation" in html  # a llama-2 paper on the parent's page
    child = (site / "families" / "llama-2" / "index.html").read_text("utf-8")
    assert 'Part of <a href="/papers/families/llama/">' in child


def test_feed_and_sitemap_are_well_formed(site):
    feed = ET.parse(site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 5
    assert entries[0].find(f"{atom}title").text == "Mistral 7B"  # the newest first
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locations = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert GOLDEN_BASE in locations and len(locations) == len(list(site.rglob("index.html")))
    assert (site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {GOLDEN_BASE}sitemap.xml\n")


def test_downloads_hold_the_same_records_as_export(site, capsys):
    capsys.readouterr()
    run("export", "--content", str(FIXTURE), "--format", "json")
    assert (site / "papers.json").read_text("utf-8") == capsys.readouterr().out


def test_same_input_gives_byte_identical_output(tmp_path, site):
    again = tmp_path / "again"
    assert build(FIXTURE, again) == 0
    assert files(again) == files(site)


def test_content_errors_stop_the_build_and_keep_the_previous_output(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    assert build(content, out) == 0
    before = files(out)
    paper = content / "papers" / "mistral-7b.yaml"
    paper.write_text(paper.read_text("utf-8").replace("topics:", "topics: [x\n"), "utf-8")
    capsys.readouterr()
    assert build(content, out) == 1
    err = capsys.readouterr().err
    assert "papers/mistral-7b.yaml:" in err and "nothing was built" in err
    assert files(out) == before


def test_a_catalogue_without_papers_builds_an_empty_site(tmp_path, capsys):
    """A new catalogue, before its first paper: `check` passes it, so `build` makes its
    site, every page kind but a paper's, linking to nothing missing, and an empty feed."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content, ignore=shutil.ignore_patterns("*.yaml"))
    for name in ("site.yaml", "taxonomy.yaml"):
        shutil.copy(FIXTURE / name, content / name)
    assert sorted(p.name for p in content.iterdir()) == ["dumps", "pages", "papers", "site.yaml",
                                                         "taxonomy.yaml"]
    assert run("check", "--content", str(content)) == 0
    out = tmp_path / "out"
    assert build(content, out) == 0
    assert capsys.readouterr().err == (  # the fixture's about page tries a javascript: link
        f"{content}/pages/about.md:4: warning: the link to 'javascript:alert(\"about\")' shows "
        "as text, not as a link (hint: link the site's own pages by relative paths such as "
        "../search/ (a path from the root would skip the site's base URL), and other sites by "
        "http(s) addresses)\n")
    for path in ("index.html", "topics/quantization/index.html", "families/llama/index.html",
                 "search/index.html", "search/index.json", "about/index.html", "404.html"):
        assert (out / path).is_file(), path
    assert not (out / "papers").exists() and not (out / "search" / "shards").exists()
    assert broken_links(out, GOLDEN_BASE) == []
    assert json.loads((out / "papers.json").read_text("utf-8")) == []
    assert ET.parse(out / "feed.xml").getroot().findall("{http://www.w3.org/2005/Atom}entry") == []


def test_a_removed_paper_leaves_no_stale_page(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    build(content, out)
    assert (out / "papers" / "mistral-7b" / "index.html").exists()
    (content / "papers" / "mistral-7b.yaml").unlink()
    assert build(content, out) == 0
    assert not (out / "papers" / "mistral-7b").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".out.new-", ".out.old-"))]


def test_edit_links_fall_back_to_github_repository(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    site_yaml = content / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace(
        "repository: https://github.com/example/catalogue\n", ""))
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/fork")
    build(content, tmp_path / "out")
    html = (tmp_path / "out" / "papers" / "mistral-7b" / "index.html").read_text("utf-8")
    assert 'href="https://github.com/someone/fork/edit/main/content/papers/mistral-7b.yaml"' in html


def test_a_bad_base_url_is_refused(tmp_path, capsys):
    assert build(FIXTURE, tmp_path / "out", "ftp://example.org/") == 2
    assert "base URL must be an absolute http(s) URL" in capsys.readouterr().err


def test_build_refuses_to_replace_a_directory_that_is_not_a_site(tmp_path, capsys):
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    assert build(FIXTURE, precious) == 1
    assert "refusing to replace" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text() == "keep me"


def test_a_build_with_nothing_changed_leaves_the_output_as_it_is(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    out = tmp_path / "out"
    assert build(content, out) == 0
    first = files(out)
    capsys.readouterr()
    assert build(content, out) == 0
    assert "is up to date (" in capsys.readouterr().out
    assert files(out) == first
    assert not (out / ".out.sitegen.json").exists()  # the record lives beside the output
    (out / "papers" / "mistral-7b" / "index.html").write_text("damaged")  # built again
    assert build(content, out) == 0
    assert "built " in capsys.readouterr().out and files(out) == first
    (out / "CNAME").write_text("papers.example.org\n")  # put in by hand: removed
    (out / "papers" / "removed-long-ago").mkdir()
    assert build(content, out) == 0
    assert "built " in capsys.readouterr().out and files(out) == first
    assert not (out / "papers" / "removed-long-ago").exists()
    paper = content / "papers" / "mistral-7b.yaml"
    text = paper.read_text("utf-8")
    paper.write_text(text.replace("title: Mistral 7B", "title: Mistral 7B v0.1"), "utf-8")
    assert build(content, out) == 0
    assert "built " in capsys.readouterr().out
    assert b"Mistral 7B v0.1" in (out / "papers" / "mistral-7b" / "index.html").read_bytes()
    assert run("build", "--content", str(content), "--out", str(out), "--base-url", GOLDEN_BASE,
               "--force") == 0
    assert "built " in capsys.readouterr().out


def test_what_was_put_into_the_output_by_hand_is_gone_after_the_next_build_for_good(
        tmp_path, capsys):
    """A build's output holds the site and nothing else: a file or folder put into it by
    hand (a `CNAME`, a page of one's own) is not in the next build's site, nor in any
    later one, as in a build into a new folder. (The tree a build retires becomes the
    spare the build after it updates: what was put there came back every other build.)"""
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURE, content)
    assert build(content, out) == 0
    (out / "CNAME").write_text("papers.example.org")
    (out / "mine" / "deep").mkdir(parents=True)
    (out / "mine" / "deep" / "page.html").write_text("mine")
    (out / "papers" / "mistral-7b" / "notes.html").write_text("mine")
    settings = content / "site.yaml"
    for n in range(3):
        settings.write_text(settings.read_text("utf-8").replace(f"title: {n}", "title: ")
                            .replace("title: ", f"title: {n + 1}", 1), "utf-8")
        assert build(content, out) == 0
        assert build(content, tmp_path / f"cold-{n}") == 0
        assert files(out) == files(tmp_path / f"cold-{n}")
    capsys.readouterr()


def test_force_makes_every_file_again_even_one_changed_in_place_with_its_time_put_back(
        tmp_path, capsys):
    """Files are known unchanged by their size and time, and the live and the spare tree
    share unchanged pages: a page changed in place, its size and time as they were, is
    taken as it is by a build. `--force` takes nothing from earlier builds, and the builds
    after it start from what it made."""
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(FIXTURE, content)
    about = content / "pages" / "about.md"
    for line in ("One.", "Two."):  # the second build links the unchanged pages of the first
        about.write_text(about.read_text("utf-8") + f"\n{line}\n", "utf-8")
        assert build(content, out) == 0
    page = out / "papers" / "mistral-7b" / "index.html"
    assert page.stat().st_nlink == 2
    status, data = page.stat(), page.read_bytes()
    with page.open("r+b") as opened:  # in place: the spare's copy changes too
        opened.write(data.replace(b"<title>", b"<title>X", 1)[:len(data)])
    os.utime(page, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert run("build", "--content", str(content), "--out", str(out), "--base-url", GOLDEN_BASE,
               "--force") == 0
    assert build(content, tmp_path / "cold") == 0
    assert files(out) == files(tmp_path / "cold")
    about.write_text(about.read_text("utf-8") + "\nThree.\n", "utf-8")
    assert build(content, out) == 0
    assert build(content, tmp_path / "cold-2") == 0
    assert files(out) == files(tmp_path / "cold-2")
    capsys.readouterr()


def test_a_stray_folder_named_like_a_bytecode_cache_in_content_is_not_up_to_date(tmp_path,
                                                                                capsys):
    """The package's `__pycache__` folders are not inputs; one in the content is a folder
    the build refuses, so a build into the last output fails as a build into a new one."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    assert build(content, tmp_path / "out") == 0
    (content / "papers" / "__pycache__").mkdir()
    capsys.readouterr()
    assert build(content, tmp_path / "out") == 1
    assert "content/papers/__pycache__: is a folder" in capsys.readouterr().err


@pytest.mark.parametrize("inside", ["content", "content/site", "content/pages",
                                    "content/papers/site"])
def test_a_build_into_the_content_directory_is_refused(tmp_path, capsys, inside):
    """Its files would join the catalogue (an empty pages/ would be replaced by the site)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "pages" / "about.md").unlink()
    before = files(content)
    assert build(content, tmp_path / inside) == 2
    assert capsys.readouterr().err == (
        f"sitegen build: cannot build into {tmp_path / inside}: it is inside the content "
        f"directory {content} (hint: choose an --out outside it, such as _site)\n")
    assert files(content) == before and sorted(p.name for p in content.iterdir()) == [
        "dumps", "pages", "papers", "site.yaml", "taxonomy.yaml"]


def test_a_build_into_a_site_that_holds_the_content_directory_is_refused(tmp_path, capsys):
    """The swap would have deleted the catalogue with the old site."""
    out = tmp_path / "site"
    assert build(FIXTURE, out) == 0
    shutil.copytree(FIXTURE, out / "content")
    before = files(out)
    capsys.readouterr()
    assert run("build", "--content", str(out / "content"), "--out", str(out), "--base-url",
               GOLDEN_BASE, "--force") == 2
    assert capsys.readouterr().err == (
        f"sitegen build: cannot build into {out}: the content directory {out / 'content'} is "
        "inside it, and a build replaces all of it (hint: choose an --out that does not hold "
        "it, such as _site)\n")
    assert files(out) == before


@pytest.mark.parametrize(("folder", "what"), [("templates", "the templates folder"),
                                              ("static", "the static files folder")])
def test_a_build_into_the_project_s_own_templates_or_static_files_is_refused(capsys, folder,
                                                                             what):
    """Under static/, every build would copy the previous site into the next one."""
    inside = SITE / folder / "site"
    assert build(FIXTURE, inside) == 2
    assert capsys.readouterr().err == (
        f"sitegen build: cannot build into {inside}: it is inside {what} {SITE / folder} "
        "(hint: choose an --out outside it, such as _site)\n")
    assert not inside.exists()


def paper_page(site: Path, paper_id: str) -> str:
    return (site / "papers" / paper_id / "index.html").read_text("utf-8")


def test_a_paper_page_tells_reviewed_labels_from_proposed_ones(site):
    reviewed = paper_page(site, "llama-2-open-foundation-and-fine-tuned-chat-models")
    assert '<span class="review reviewed">Topics reviewed by a person</span>' in reviewed
    assert '<span class="review reviewed">Families reviewed by a person</span>' in reviewed
    assert '<details class="why">' not in reviewed  # nothing the rules decided
    mixed = paper_page(site, "mistral-7b")
    assert '<span class="review reviewed">Topics reviewed by a person</span>' in mixed
    assert '<span class="review proposed">Families proposed by the rules</span>' in mixed
    proposed = paper_page(site, "qlora-efficient-finetuning-of-quantized-llms")
    assert '<span class="review proposed">Topics proposed by the rules</span>' in proposed


def test_why_is_this_here_lists_each_proposed_label_with_its_evidence(site):
    why = paper_page(site, "mistral-7b").split('<details class="why">')[1].split("</details>")[0]
    assert "<summary>Why is this here?</summary>" in why
    assert re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", why) == [
        ('Mistral &amp; Mixtral <span class="kind">(family)</span>', "title: &#34;mistral&#34;")]
    why = paper_page(site, "qlora-efficient-finetuning-of-quantized-llms")
    assert [dt.split(" <span")[0] for dt in re.findall(r"<dt>(.*?)</dt>", why)] == [
        "Quantization", "GPT &amp; ChatGPT"]


def test_evidence_a_person_wrote_is_text_escaped_once(site):
    why = (site / HOSTILE).read_text("utf-8").split('<details class="why">')[1]
    dd = re.findall(r"<dd>(.*?)</dd>", why.split("</details>")[0])
    assert dd == ["title: &#34;&lt;script&gt;alert(&#39;evidence&#39;)&lt;/script&gt;&#34; "
                  "&amp; &lt;b&gt;&#34;quoted&#34;&lt;/b&gt;"]
