"""A synthetic content directory of N papers, for benchmarks at scale.

Run: .venv/bin/python bench/make_corpus.py --papers N --out DIR [--seed S] [--force]

The first papers are the shipped ones, unchanged (sorted by id; fewer than the
shipped count takes the first N). Every further paper is a shipped paper cloned
with its text varied, deterministically from (seed, position):

- title: about 60% of its words (of four letters or more) replaced by words drawn
  from the catalogue's titles (so common title words stay common), a short title
  given a subtitle, and a number appended: " (1234)". Titles are distinct, and
  `sitegen check`'s look-alike test never takes a clone for its original or for
  another clone (the numbers differ, and so do the abstracts);
- abstract: sentences shuffled and about 30% of its words replaced by words drawn
  from all abstracts, weighted by how often they occur; one replacement in twenty
  is a coined word (two words' halves joined), so the vocabulary keeps growing with
  N as a real catalogue's does;
- id: the slug of the new title plus the number; added: up to three years before
  the original's date; labels, links and sources (the shipped dumps' names and
  lines, under the new title) as the original's, with the machine checksums
  recomputed so the labels stay the tool's own.

The taxonomy, site settings, dumps and pages are copied. Files are written in
canonical form (`sitegen.catalogue.store.serialise`). With --dumps DIR, the same
papers are also written as dumps into DIR, in both shipped layouts (bench/corpusdumps.py),
for measuring `sitegen ingest` at scale. The same N and seed give byte-identical output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path

if not __package__:  # run as a script: import bench/ as the package it is
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import SHIPPED
from bench.corpusdumps import write_dumps
from sitegen.catalogue.load import load_catalogue
from sitegen.catalogue.provenance import checksum
from sitegen.catalogue.store import serialise
from sitegen.core.model import MACHINE_FIELDS, Paper, Source
from sitegen.core.text import slugify

WORD = re.compile(r"[A-Za-z]{4,}")
URL = re.compile(r"\S*(?:://|www\.)\S*")  # left as they are: links are found in abstracts
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
TITLE_SHARE = 0.6  # of a title's words, replaced
ABSTRACT_SHARE = 0.3  # of an abstract's words, replaced
COINED = 0.05  # of replacements, a new word
SHORT_TITLE = 6  # words; shorter titles get a subtitle
MAX_AGE_DAYS = 3 * 365
COPIED = ("taxonomy.yaml", "site.yaml")
COPIED_DIRS = ("dumps", "pages")


class Varier:
    """Deterministic variations of titles and abstracts, drawn from the base catalogue's words."""

    def __init__(self, base: list[Paper]):
        # Occurrences, not distinct words: drawing from them keeps word frequencies natural.
        self.title_words = [w for p in base for w in WORD.findall(p.title)]
        self.abstract_words = [w for p in base for w in WORD.findall(p.abstract)]

    def word(self, rng: random.Random, pool: list[str], like: str,
             new: str | None = None) -> str:
        new = new or rng.choice(pool)
        if rng.random() < COINED:
            other = rng.choice(pool)
            new = new[: max(2, len(new) // 2)] + other[len(other) // 2:].lower()
        if like[0].isupper():
            return new if new[0].isupper() else new[0].upper() + new[1:]
        if like.islower() and new[1:].islower():
            return new.lower()
        return new

    def replace_words(self, text: str, rng: random.Random, pool: list[str], share: float) -> str:
        spans = [m.span() for m in WORD.finditer(text)]
        if "://" in text or "www." in text:
            urls = [m.span() for m in URL.finditer(text)]
            spans = [s for s in spans if not any(a <= s[0] < b for a, b in urls)]
        chosen = sorted(rng.sample(range(len(spans)), round(share * len(spans) + 0.49)))
        parts, end = [], 0
        for index, new in zip(chosen, rng.choices(pool, k=len(chosen)), strict=True):
            start, stop = spans[index]
            parts += [text[end:start], self.word(rng, pool, text[start:stop], new)]
            end = stop
        return "".join(parts) + text[end:]

    def title(self, title: str, rng: random.Random, number: int) -> str:
        title = self.replace_words(title, rng, self.title_words, TITLE_SHARE)
        if len(title.split()) < SHORT_TITLE:
            extra = [self.word(rng, self.title_words, "A") for _ in range(rng.randint(2, 4))]
            title += (" " if title.endswith(":") else ": ") + " ".join(extra)
        return f"{title} ({number})"

    def abstract(self, abstract: str, rng: random.Random) -> str:
        if not abstract:
            return abstract
        sentences = SENTENCE.split(abstract)
        rng.shuffle(sentences)
        return self.replace_words(" ".join(sentences), rng, self.abstract_words, ABSTRACT_SHARE)


def base_papers(content: Path) -> list[Paper]:
    catalogue = load_catalogue(content)
    if catalogue.errors or catalogue.taxonomy is None:
        raise SystemExit(f"{content} does not pass `sitegen check`: fix it first")
    return list(catalogue.papers.values())  # sorted by id


def clone(original: Paper, varier: Varier, position: int, seed: int,
          taken: set[str]) -> Paper:
    """The paper at `position` (past the base ones): `original` with its text varied."""
    rng = random.Random(f"{seed}:{position}")
    number = position + 1
    title = varier.title(original.title, rng, number)
    paper_id = f"{slugify(title.removesuffix(f' ({number})'), 60)}-{number}"
    while paper_id in taken:  # only a base id can collide: the numbers differ
        paper_id += "-x"
    added = dt.date.fromisoformat(original.added) - dt.timedelta(rng.randrange(MAX_AGE_DAYS))
    paper = replace(
        original, id=paper_id, title=title, abstract=varier.abstract(original.abstract, rng),
        topics=list(original.topics), families=list(original.families),
        links=list(original.links), added=added.isoformat(),
        sources=[Source(s.dump, s.line, title, s.match) for s in original.sources],
        same_as=[], distinct_from=[], human=list(original.human), machine={})
    paper.machine = {f: checksum(paper, f) for f in MACHINE_FIELDS if f not in paper.human}
    return paper


def generate(base: list[Paper], count: int, seed: int = 0, part: int = 0, parts: int = 1):
    """The corpus's papers at positions part, part + parts, ...: base ones, then clones."""
    varier = Varier(base)
    taken = {p.id for p in base}
    for position in range(part, count, parts):
        if position < len(base):
            yield base[position]
        else:
            yield clone(base[position % len(base)], varier, position, seed, taken)


def make_papers(base: list[Paper], count: int, seed: int = 0) -> list[Paper]:
    """All the corpus's papers, in order."""
    return list(generate(base, count, seed))


def write_papers(base: list[Paper], count: int, seed: int, folder: Path,
                 workers: int = 2) -> None:
    """Generate and write the papers, shared by `workers` forked processes."""
    folder.mkdir(parents=True)
    workers = max(1, min(workers, count // 2000 + 1)) if hasattr(os, "fork") else 1

    def write(part: int) -> None:
        for paper in generate(base, count, seed, part, workers):
            (folder / f"{paper.id}.yaml").write_bytes(serialise(paper))

    children = []
    for part in range(1, workers):
        pid = os.fork()
        if pid == 0:  # the child writes its share and never returns
            status = 1
            try:
                write(part)
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)
        children.append(pid)
    write(0)
    if any(os.waitpid(pid, 0)[1] for pid in children):
        raise SystemExit("a process writing papers failed (see above)")


def copy_settings(source: Path, out: Path) -> None:
    for name in COPIED:
        if (source / name).is_file():
            shutil.copyfile(source / name, out / name)
    for name in COPIED_DIRS:
        if (source / name).is_dir():
            shutil.copytree(source / name, out / name)


def make_corpus(count: int, out: Path, seed: int = 0, source: Path = SHIPPED,
                force: bool = False, dumps: Path | None = None) -> int:
    """Write the corpus into `out` (empty or absent; with force, replaced), and its papers
    as dumps into `dumps` if given; returns its size."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} is not empty: choose another --out, or pass --force")
        shutil.rmtree(out)
    base = base_papers(source)
    write_papers(base, count, seed, out / "papers")
    copy_settings(source, out)
    if dumps is not None:
        write_dumps(generate(base, count, seed), dumps)
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, required=True, metavar="N")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--content", type=Path, default=SHIPPED,
                        help="the catalogue to clone (default: the shipped content)")
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out")
    parser.add_argument("--dumps", type=Path, metavar="DIR",
                        help="also write the papers as dumps into DIR, both layouts")
    args = parser.parse_args(argv)
    if args.papers < 1:
        parser.error("--papers must be at least 1")
    start = time.perf_counter()
    written = make_corpus(args.papers, args.out, args.seed, args.content, args.force,
                          args.dumps)
    print(f"{written} papers written to {args.out} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
