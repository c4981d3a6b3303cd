"""What the words around a family's mention say of its role: a baseline the paper
compares with, a tool it uses on the side, a passing example, or (none of these) a
model it works on. Every window read is bounded, so that an abstract of many mentions
is read in linear time; the cues themselves are the taxonomy's settings.
"""

from __future__ import annotations

import re

from sitegen.catalogue.taxonomy import Settings, possible

# Where a sentence's clause ends: "..., while models such as GPT-4 remain ahead".
_CLAUSE_START = re.compile(r"[.!?;]\s|,\s+(?:while|whereas|but|although|though|yet)\b")
# Where a clause of its own, with its own subject, follows: "..., and we study ...".
_NEXT_CLAUSE = re.compile(r",\s+and\s+(?=we\b)", re.IGNORECASE)
_TOOL_NEAR = 30  # characters on each side of a mention in which a tool cue is read
_NEAR = 90  # characters before a mention in which a passing cue makes it a baseline
# The most of a sentence read on each side of a mention: so that the work done for a
# mention is bounded, and a whole abstract of mentions is read in linear time.
SENTENCE = 300


def clause(text: str, start: int) -> tuple[str, str]:
    """The clause around a position, before and after it, read within a bounded window."""
    before = _CLAUSE_START.split(text[max(0, start - SENTENCE): start])[-1]
    return before, _CLAUSE_START.split(text[start: start + SENTENCE])[0]


def passing_cue(text: str, start: int, end: int, settings: Settings) -> str:
    """Why a mention is a baseline, a tool or a passing example, or '' when it counts.

    A comparison cue just before it makes it a baseline, unless the mention is what the
    comparison is made on ("by 4% on LLaMA-7B") or among ("comparing three models:").
    A tool cue right around it ("judged by", "as an annotator", "-generated") makes it a
    tool the paper uses on the side; so does a cue right after it ("GPT-4 evaluation"),
    which may also say it is a baseline ("LLaMA as a baseline"). An
    example cue ("such as", "like") before it in its clause makes it a baseline when a
    comparison introduces the examples ("outperforms systems such as"), else a passing
    example, unless the clause also says the paper works with it (a building cue: "we",
    "fine-tune", before it, or after it in the same clause).
    """
    near = _CLAUSE_START.split(text[max(0, start - _NEAR): start])[-1]
    cue = first_cue(settings.passing_cues, near)
    if cue and not _compared_there(near, cue):
        return cue
    before, after = clause(text, start)
    cue = first_cue(settings.tool_cues, before[-_TOOL_NEAR:] + after[:end - start
                                                                     + _TOOL_NEAR])
    if cue:
        return cue
    cue = _use_after(text, end, settings)
    if cue:
        return cue
    example = first_cue(settings.example_cues, before)
    if not example:
        return ""
    compared = _comparison_before(before[:before.rfind(example)], settings)
    if compared:
        return compared
    # After the mention, only up to a clause of its own ("LLMs such as LLaMA have changed
    # NLP, and we study ..." says what the paper does, not what it does with LLaMA).
    return "" if first_cue(settings.building_cues,
                           before + _NEXT_CLAUSE.split(after, 1)[0]) else example


# A mention that a preposition makes the setting of a comparison, not its other side:
# "outperforms the best method by 4% on 3-bit LLaMA-7B", "by 40% for Llama2-7B"; but
# "outperforms agents built on GPT-4" names what the baselines are made of.
_SETTING = re.compile(r"(?<!based )(?<!built )(?<!trained )\b(on|for|across|using|in)\s+"
                      r"(\S+\s+){0,2}$")


def _compared_there(near: str, cue: str) -> bool:
    """Whether a mention after a comparison cue is what the comparison is made on or among,
    not its other side: "by 4% on LLaMA-7B", "comparing three models: Llama, GPT-4"."""
    between = near[near.rfind(cue) + len(cue):]
    return _SETTING.search(between) is not None or (
        cue.startswith("compar") and _MODELS_COMPARED.match(between) is not None)


# "comparing three models:", "a comparison of multiple LLMs (namely ...": models compared
# with one another, which the paper evaluates.
_MODELS_COMPARED = re.compile(r"\s*(of |between |among )?(the )?(\d+|two|three|four|five|six|"
                              r"several|different|multiple|various|many)\b[^.;]{0,40}"
                              r"\b(models|llms|lms|vlms|mllms)\b")


def _comparison_before(text: str, settings: Settings) -> str:
    """The passing cue of a clause's comparison that examples follow: "outperforms many
    systems, including GPT-4" names baselines. Not when the comparison holds "across" a
    range the examples fill ("outperforms other methods across model families, including
    Llama-2"): those are the models the paper works on."""
    cue = first_cue(settings.passing_cues, text)
    return cue if cue and _ACROSS.search(text, text.rfind(cue)) is None else ""


_ACROSS = re.compile(r"\bacross\b")


# The rest of a mention's word ("-70b", "-0613", "-based") and the spaces after it; a
# full stop only inside a version ("gpt-3.5"), not at the end of a sentence.
_WORD_REST = re.compile(r"(?:[\w-]|\.(?=\w))*\s*")


def _use_after(text: str, end: int, settings: Settings) -> str:
    """An `after_cues` cue that starts right after a mention ("GPT-4-based metrics") or
    after the rest of its word ("GPT-4-0613 evaluation", "LLaMA-7B as a baseline"): the
    model used as a tool, or compared with as a baseline."""
    rest = _WORD_REST.match(text, end, end + _TOOL_NEAR)  # bounded: linear
    for start in dict.fromkeys((end, rest.end() if rest else end)):
        window = text[start:start + _TOOL_NEAR]
        for cue in possible(settings.after_cues, window):
            found = cue.spans(window)
            if found and found[0][0] == 0:
                return window[:found[0][1]]
    return ""


def first_cue(cues: tuple, text: str) -> str:
    for cue in possible(cues, text):
        found = cue.spans(text)
        if found:
            return text[found[-1][0]:found[-1][1]]
    return ""
