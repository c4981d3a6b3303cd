"""Which model families a paper releases, builds on or studies, and the words that show it.

Every mention of a family counts, in the title or the abstract, unless it is a
likeness ("GPT-style", "GPT-4o-level"), data named after a model ("the Alpaca
dataset"), or a comparison: a mention just after a passing cue ("outperforms",
"than", "compared with") is a baseline, and so is a list of names that such a
cue introduces; a mention with a tool cue around it ("judged by", "as an
annotator") or right after it ("GPT-4 evaluation") is a tool the paper uses on
the side. A family named only in the abstract's background, before it first
speaks of the paper itself ("We ...", "In this paper ..."), is the setting the
paper starts from, not its subject.
Versions written as a list after one name ("LLaMA-1/2/3", "Llama 2 and 3")
name every generation in it. A named generation (Llama 2) stands for its
parent (LLaMA) unless the parent is also named on its own in the abstract ("on
LLaMA and LLaMA-2": both).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from sitegen.catalogue.taxonomy import Settings, Taxonomy
from sitegen.ingest.roles import SENTENCE, clause, first_cue, passing_cue

_SENTENCE_START = re.compile(r"[.!?;]\s")
# "a BERT-style annotator", "GPT-like models", "GPT-4o-level", "(e.g., GPT-4V) level": a
# likeness, not the model;
# "the Alpaca dataset", "the 52K Alpaca instructions", "the Video-ChatGPT benchmark": data
# named after it, not the model.
_ANALOGY = re.compile(r"\)?[- ]?(style|like|esque|level|class|data|datasets?|benchmarks?|bench|"
                      r"instructions|instruction (data|sets?|pairs|examples|samples))\b")
_ABBREVIATIONS = ("e.g.", "i.e.", "w.r.t.", "cf.", "vs.", "et al.")  # their stops are not ends
_ABBREVIATION = re.compile(rf"\b({'|'.join(re.escape(a[:-1]) for a in _ABBREVIATIONS)})\.")
# What may stand between two model names of one list: a size suffix and a separator.
_LIST_GAP = re.compile(r"[\w.-]*\)?(\s*[,/&]\s*(and\s+|or\s+)?|\s+(and|or)\s+)")
_VERSION = r"\d+(?:\.\d+)?"


@dataclass(frozen=True)
class Mention:
    family: str
    where: str  # "title" or "abstract"
    start: int
    end: int
    counts: bool
    cue: str = ""  # the passing cue that made it a baseline


def find_families(title: str, abstract: str, taxonomy: Taxonomy) -> tuple[list[str],
                                                                          dict[str, str]]:
    """The families a folded title and abstract show, most mentioned first, with evidence."""
    settings = taxonomy.settings
    title = expand_versions(title.replace("~", " "), settings.model_names)  # LaTeX's ~ space
    abstract = expand_versions(_without_abbreviation_stops(abstract.replace("~", " ")),
                               settings.model_names)
    mentions = _all_mentions(title, "title", taxonomy) + _abstract_mentions(abstract, taxonomy)
    counted: dict[str, list[Mention]] = {}
    for mention in mentions:
        if mention.counts:
            counted.setdefault(mention.family, []).append(mention)
    background = _background_end(abstract)
    counted = {f: found for f, found in counted.items()
               if any(m.where == "title" or (m.start >= background
                                             and not taxonomy.families[f].title_only)
                      for m in found)}
    chosen = set(counted)
    own = _standing_alone(abstract, [m for m in mentions if m.where == "abstract"], taxonomy)
    covered = {a for f in chosen for a in taxonomy.ancestors(f)} - own
    families = sorted(chosen - covered, key=lambda f: (-len(counted[f]), f))
    texts = {"title": title, "abstract": abstract}
    evidence = {}
    for family in families:
        mention, cue = _strongest(counted[family], abstract, background, settings)
        evidence[family] = _evidence(mention, texts[mention.where], cue)
    return families, evidence


def _without_abbreviation_stops(text: str) -> str:
    """"e.g." as "eg": no sentence ends there. Most abstracts hold no such abbreviation,
    which asking for each tells sooner than the pattern's search does (2 us, not 22)."""
    if not any(abbreviation in text for abbreviation in _ABBREVIATIONS):
        return text
    return _ABBREVIATION.sub(lambda m: m[0].replace(".", ""), text)


def _strongest(found: list[Mention], abstract: str, background: int,
               settings: Settings) -> tuple[Mention, str]:
    """The mention that shows a family best, and its building cue: in the title (the first
    after the background, else the first), else the first of the abstract's, in that order,
    whose clause says the paper works with it, else the first. The clauses are read in that
    order until one says so (most families: the first)."""
    order = sorted(range(len(found)), key=lambda i: (found[i].where != "title",
                                                     found[i].start < background,
                                                     found[i].start))
    for i in order:
        cue = _work_cue(abstract, found[i], settings)
        if cue or found[i].where == "title":
            return found[i], cue
    return found[order[0]], ""


def _work_cue(abstract: str, mention: Mention, settings: Settings) -> str:
    """The building cue ("fine-tune", "we") in an abstract mention's clause, if any."""
    if mention.where != "abstract":
        return ""
    return first_cue(settings.building_cues, "".join(clause(abstract, mention.start)))


def _standing_alone(abstract: str, mentions: list[Mention], taxonomy: Taxonomy) -> set[str]:
    """The families the abstract names as themselves, not as one of their generations by
    another name: with a size or version 1 of their own ("LLaMA-7B", "LLaMA 1"), or in a
    list beside one of their generations ("LLaMA and LLaMA-2")."""
    alone = set()
    for i, mention in enumerate(mentions):
        if not mention.counts:
            continue
        if _OWN_GENERATION.match(abstract, mention.end) or any(
                c.isdigit() for c in abstract[mention.start:mention.end]):
            alone.add(mention.family)
        for other in mentions[max(0, i - 1):i] + mentions[i + 1:i + 2]:  # list neighbours
            first, second = sorted((mention, other), key=lambda m: m.start)
            if mention.family in taxonomy.ancestors(other.family) and _LIST_GAP.fullmatch(
                    abstract, first.end, second.start):
                alone.add(mention.family)
    return alone


# A size or the first version right after a name: "LLaMA-7B", "LLaMA 1".
_OWN_GENERATION = re.compile(r"[- ]?(1(?!\d|\.\d)|\d+(\.\d+)?[bm]\b)")


def expand_versions(text: str, names: tuple[str, ...]) -> str:
    """`llama1/2/3` as `llama1 / llama 2 / llama 3`: each version of a list under its name."""
    pattern = _version_lists(names)
    if pattern is None or not _VERSION_AFTER_VERSION.search(text):  # most texts: no list
        return text
    return pattern.sub(_expanded, text)


# What every list of versions holds, found much sooner than the lists themselves.
_VERSION_AFTER_VERSION = re.compile(r"\d\s*(?:[/&,]|\band\b|\bor\b)\s*\d")


@functools.cache
def _version_lists(names: tuple[str, ...]) -> re.Pattern | None:
    if not names:
        return None
    joined = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    item = rf"\s*(?:/|&|,|\band\b|\bor\b)\s*{_VERSION}(?!\w|\.\d)"
    return re.compile(rf"\b({joined})[ ~-]?({_VERSION})((?:{item})+)")


_VERSIONS = re.compile(_VERSION)


def _expanded(found: re.Match) -> str:
    name, rest = found[1], found[3]
    return found[0][:len(found[0]) - len(rest)] + _VERSIONS.sub(lambda m: f"{name} {m[0]}", rest)


def _all_mentions(text: str, where: str, taxonomy: Taxonomy) -> list[Mention]:
    """Every mention of a family, by where it starts (then by family id, then where it
    ends)."""
    spans: dict[str, set[tuple[int, int]]] = {}
    for family_id, _, pattern in taxonomy.family_cues.possible(text):
        exclude = taxonomy.families[family_id].exclude
        for start, end in pattern.spans(text):
            window = text[max(0, start - 12): end + 12]
            if not _ANALOGY.match(text, end) and not any(ex.search(window) for ex in exclude):
                spans.setdefault(family_id, set()).add((start, end))
    return sorted((Mention(family_id, where, start, end, True)
                   for family_id in taxonomy.families if family_id in spans
                   for start, end in sorted(spans[family_id])),
                  key=lambda m: (m.start, m.family))


def _abstract_mentions(abstract: str, taxonomy: Taxonomy) -> list[Mention]:
    """The abstract's mentions; a mention in a list takes the role of the list's first."""
    judged: list[Mention] = []
    previous: Mention | None = None
    for mention in _all_mentions(abstract, "abstract", taxonomy):
        if _in_address(abstract, mention.start):
            continue
        if previous is not None and _LIST_GAP.fullmatch(abstract[previous.end:mention.start]):
            cue = previous.cue
        else:
            cue = passing_cue(abstract, mention.start, mention.end, taxonomy.settings)
        mention = Mention(mention.family, "abstract", mention.start, mention.end, not cue, cue)
        judged.append(mention)
        previous = mention
    return judged


def _background_end(abstract: str) -> int:
    """Where an abstract's background ends: at the sentence that first speaks of the paper
    itself ("We ...", "In this paper ..."). A family named only before it is the setting
    the paper starts from ("Since the advent of ChatGPT, ..."), not a model it works on."""
    found = _OWN_WORK.search(abstract)
    if found is None:
        return 0
    starts = [m.end() for m in _SENTENCE_START.finditer(abstract, 0, found.start())]
    return starts[-1] if starts else 0


_OWN_WORK = re.compile(r"\b(we|our|this (paper|work|report|study|article|evaluation|analysis|"
                       r"survey|review|research|thesis|project))\b")


def _in_address(text: str, start: int) -> bool:
    """Whether a position is inside a web address ("github.com/x/llama-factory")."""
    word = max(text.rfind(" ", max(0, start - SENTENCE), start) + 1, start - SENTENCE, 0)
    return _ADDRESS.search(text, word, start) is not None


_ADDRESS = re.compile(r"://|\bwww\.|\.[a-z]{2,6}/")


def _evidence(mention: Mention, text: str, cue: str) -> str:
    """The words around a mention, as a reviewer would read them, and the cue that says
    the paper works with the model."""
    start = text.find(" ", mention.start - 40) + 1 if mention.start > 40 else 0
    start = min(start, mention.start)
    end = text.rfind(" ", mention.end, mention.end + 30)
    end = end if end > mention.end and mention.end + 30 < len(text) else mention.end + 30
    shown = f'{mention.where}: "{text[start:end].strip()}"'
    return f'{shown} (cue: "{cue}")' if cue else shown
