"""The lines of a listing's page that are not its papers' titles and abstracts: the page's
own chrome, and what a paper's card prints around its title (votes, comments, authors,
who submitted it, when it was published).

Chrome is passed over wherever it stands (`strip_chrome`), but for words of the site's
navigation that may end a title ("Models"), which count only beside chrome and never
after a title that does not end a sentence. A line of names between a title
and its abstract (the authors, as a paper's page prints them) is passed over there only
(`between_lines`), where a listing has nothing else to put; a title that a narrow
copy cut into two lines is joined back there; and so is an abstract's short last
paragraph that links to its code, before the next title.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from sitegen.ingest.unwrap import Lines

# Page chrome, as the listing pages print it: "new" (in lower case: a paper may be titled
# "New"), the invitation to subscribe, the byline and the day listed ("Mar 13", "Published
# on Mar 13, 2024", "Published on 13 Mar 2024"), named by a month's name or abbreviation
# only ("Octopus 2" is a title), and a paper's count of votes or comments alone on its line
# ("42", "1.2k", "12,345"), or with what it counts ("· 12 authors", "7 comments"); what a
# paper's card and page print around it ("Upvote", "Submitted by akhaliq", "Abstract",
# "arXiv Page", "#1 Paper of the day", its sidebar, the bot's comment), and the site's
# navigation and footer, as a browser copies the whole page.
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DAY = (rf"(?:{_MONTH}\.? \d{{1,2}}(?:, \d{{4}})?|\d{{1,2}} {_MONTH}\.?(?:,? \d{{4}})?)")
_LONGEST_CHROME = 160  # characters: no chrome line is longer (abstracts are not looked at)
_COUNT = r"(?:\d{1,6}|\d{1,3}(?:\.\d)?k|\d{1,3}(?:,\d{3})+)"  # 42, 1.2k, 12,345
_CHROME = re.compile(
    r"(?-i:new)|get trending papers in your email inbox.*|subscribe|"
    rf"by\s*ak and the research community|\+?{_COUNT}|[·•]|"
    rf"(?:[·•] ?)?{_COUNT} (?:authors?|upvotes?|comments?|likes?|stars?)|"
    rf"(?:upvote[ds]?|github|stars?|comments?)(?: {_COUNT})?|"
    r"#\d{1,4} paper of the (?:day|week|month)|"
    rf"submitted by(?: @?[\w.-]+)?|(?:(?:(?:published|submitted)(?: on)?|[·•]? ?on) )?{_DAY}|"
    r"abstract:?|authors:?|arxiv page|view arxiv page|paper page|add to collection|"
    r"papers|daily papers|hugging face's logo|hugging face|project page|view pdf|pdf|"
    r"log in|sign up|,|view pdf html \(experimental\)|html \(experimental\)|"
    r"(?:no )?(?:models?|datasets?|spaces?|collections?) (?:citing|linking|including) this "
    r"paper(?: \d{1,6})?|cite arxiv\.org/abs/\S+ in an? \w+ readme\.md to link it from "
    r"this page\.|\d{1,3} (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?) ago|"
    r"daily|weekly|monthly|previous|next|system theme|company|tos|privacy|about|jobs|"
    r"website|reply|sign up or log in to comment|librarian-bot|ai-generated summary|"
    r"this is an automated message from the librarian bot\..*|"
    r"the following papers were recommended by the semantic scholar api|"
    r"please give a thumbs up to this comment if you found it helpful!|"
    r"if you want recommendations for any paper on hugging face checkout this space|"
    r"you can directly ask librarian bot for paper recommendations.*",
    re.IGNORECASE,
)
# Words a page's navigation or a card's links print alone on a line: chrome only beside
# chrome, and not after a title that does not end a sentence, where a word may be the end of
# the title, cut in two ("...Large Language" then "Models"; `_TITLE_END`).
_NEAR_CHROME = re.compile(
    r"code|community|models|datasets|spaces|docs|pricing|collections|posts|enterprise|"
    r"solutions", re.IGNORECASE)
_TITLE_END = re.compile(r"code|models|datasets|spaces|collections|community", re.IGNORECASE)
_HANDLE = re.compile(r"@?[\w.-]{1,40}")
_CITED_YEAR = re.compile(r".*\(\d{4}\)")  # a recommended paper: "Lawma: ... (2024)"
# The invitation's button, glued to a page's first title when the page text was flattened:
# right below the invitation, "Subscribe" is the button, whatever follows it ("SubscribexLSTM");
# anywhere else after chrome, where no word goes on ("Subscribers" is a word, "xLSTM" a
# title that starts in lower case).
_BUTTON = "Subscribe"
_GLUED_SUBSCRIBE = re.compile(r"^Subscribe(?!(?:rs?|d|s|rships?)\b)(?=\S)")
# Every listing page prints this invitation, right below the line it opens with: the longer
# invitation, or "new" (the invitation is then its next non-blank line).
INVITATION = "Get trending papers in your email inbox!"
_PAGE_OPENINGS = ("Get trending papers in your email inbox once a day!", "new")

# A person's name as a byline prints it: two to four words (one before "et al."), each
# capitalised (or an initial), but for particles ("van", "de la") before the last; a line
# of two or more set apart by commas, semicolons or middle dots, or one with "et al.",
# perhaps after "Authors: ", with footnote marks, or "+65 authors" at its end.
_PARTICLE_LENGTH = 3
_IN_NAMES = frozenset(" .,;·&-'\u2019")
_NAME_SEPARATOR = re.compile(r"[,;·&]|\band\b")
_LISTED_BY = (",", ";", "·")
_ET_AL = ("et al.", "et al")
_AUTHORS = "Authors: "
_FOOTNOTES = re.compile(r"(?<=\w)[0-9*\u2020\u2021\u00a7]+")  # Touvron1, Martin*, Stone†
_MORE_AUTHORS = re.compile(r",? \+?\d{1,4} (?:more )?(?:authors|others)$")  # ", +65 authors"
# A title cut in two: its second half starts with a word that only goes on from another.
_GOES_ON = re.compile(r"(?:of|for|with|and|in|on|to|via|from|by|using|the|a|an|at|as|or|"
                      r"towards?|through|without|into|over|under|beyond|across)\b")
_CUT_AFTER = (":", "-", "\u2013", "\u2014", ",")
# A list of papers: each title after its number or bullet ("1. ", "12) ", "• ").
_LIST_MARK = re.compile(r"(?:\d{1,3}[.)]|[•·▪‣◦]) ")
_LISTED_AT_LEAST, _LISTED_SHARE = 3, 0.5  # of the titles, marked: a list (headings aside)
# How a sentence ends (. ! ?, or a stop that needs no space after it: ideographic, full-
# width, Devanagari, Arabic); its full stops (how a one-sentence abstract ends); and how
# short a paragraph after an abstract is to be its last one, not an abstract of its own.
SPACELESS_STOPS = "\u3002\uff01\uff1f\u0964\u0965\u061f\u06d4"
FINAL = (".", "!", "?", *SPACELESS_STOPS, "\u2026")
STATED, SHORT_PARAGRAPH = (".", "\u3002", "\u0964", "\u06d4"), 250


def is_chrome(line: str) -> bool:
    return len(line) < _LONGEST_CHROME and bool(_CHROME.fullmatch(line))


def strip_chrome(lines: Lines) -> Lines:
    """The lines without the chrome of every listing page in the dump, wherever a page
    starts: its opening line may be glued to the end of the line before it (a page saved
    without a final newline, with another after it), and "Subscribe" to its first title."""
    kept = []
    after_chrome = True  # the dump's start is a page's start too
    following: Callable[[str], bool] | None = None  # what the chrome before brings with it
    chrome = [is_chrome(line) for _, line in lines]
    near = _near_chrome(lines, chrome)
    for k, (number, line) in enumerate(lines):
        if chrome[k] or near[k] or (following is not None and following(line)) or (
                following is _byline and _listed(lines, k)):
            after_chrome = True
            if chrome[k] or near[k]:  # (a byline's commas keep it going)
                following = _FOLLOWERS.get(line.casefold(),
                                           None if following in _ONCE else following)
            elif following in _ONCE:
                following = None
            continue
        following = None
        if k + 1 < len(lines) and lines[k + 1][1] == INVITATION:
            line = _unglued(line)
        if k and lines[k - 1][1] == INVITATION and line.startswith(_BUTTON):
            line = line.removeprefix(_BUTTON)  # the button under it: whatever the title is
        elif after_chrome:
            line = _GLUED_SUBSCRIBE.sub("", line)
        kept.append((number, line))
        after_chrome = False
    return kept


def _handle(line: str) -> bool:
    return bool(_HANDLE.fullmatch(line))


def _any_line(line: str) -> bool:
    return True


def _recommended(line: str) -> bool:
    return len(line) < SHORT_PARAGRAPH and bool(_CITED_YEAR.fullmatch(line))


def _byline(line: str) -> bool:
    return line == "," or looks_like_names(line)


def _listed(lines: Lines, k: int) -> bool:
    """Whether line k is a name in a byline copied one name a line, between commas."""
    return _is_name(lines[k][1], least=1) and (
        lines[k - 1][1] == "," or (k + 1 < len(lines) and lines[k + 1][1] == ","))


# The lines a chrome line brings after it, which are no paper's: the submitter's name, an
# AI-generated summary (the next line), the papers a bot recommends, and authors one per
# line; the first two are one line, the others as many as follow.
_FOLLOWERS: dict[str, Callable[[str], bool]] = {
    "submitted by": _handle, "ai-generated summary": _any_line,
    "the following papers were recommended by the semantic scholar api": _recommended,
    "authors:": _byline, "authors": _byline}
_ONCE = (_handle, _any_line)


def _near_chrome(lines: Lines, chrome: list[bool]) -> list[bool]:
    """Whether each line is a word of a page's navigation or a card's links with chrome, or
    another such word, beside it, and no title before it that it may end."""
    words = [len(line) < _LONGEST_CHROME and bool(_NEAR_CHROME.fullmatch(line))
             for _, line in lines]
    either = [a or b for a, b in zip(chrome, words, strict=True)]
    return [words[k] and ((k > 0 and either[k - 1]) or (k + 1 < len(lines) and either[k + 1]))
            and not (k > 0 and not either[k - 1] and not lines[k - 1][1].endswith(FINAL)
                     and bool(_TITLE_END.fullmatch(lines[k][1])))
            for k in range(len(lines))]


def _unglued(line: str) -> str:
    """A line that the next page's invitation follows, without that page's opening line
    glued to its end."""
    for opening in _PAGE_OPENINGS:
        if line.endswith(opening):
            return line.removesuffix(opening).rstrip()
    return line


def looks_like_names(line: str) -> bool:
    """Whether a line is a list of people's names ("H. Touvron, L. Martin, K. Stone"), set
    apart by commas, semicolons or middle dots (a title's "A and B" is no list), or one name
    and "et al.", perhaps after "Authors:" and with footnote marks: of letters, initials'
    stops, hyphens and apostrophes (a title's colon is no name's)."""
    listed = _FOOTNOTES.sub("", _MORE_AUTHORS.sub("", line.removeprefix(_AUTHORS))).rstrip()
    if len(listed) > 2000 or not all(c.isalpha() or c in _IN_NAMES for c in listed):
        return False
    alone = listed.endswith(_ET_AL)
    if alone:
        listed = listed[:listed.rindex("et al")].rstrip(" ,")
    elif not any(mark in listed for mark in _LISTED_BY):
        return False
    names = [name for part in _NAME_SEPARATOR.split(listed) if (name := part.strip())]
    if alone and len(names) == 1:
        return _is_name(names[0], least=1)
    return len(names) >= 2 and all(_is_name(name) for name in names)


def _is_name(name: str, least: int = 2) -> bool:
    words = name.split(" ")
    return least <= len(words) <= 4 and words[-1][:1].isupper() and all(
        word[:1].isupper() or (word.isalpha() and word.islower()
                               and len(word) <= _PARTICLE_LENGTH) for word in words)


def between_lines(lines: Lines, is_abstract: Callable[[str], bool]
                  ) -> tuple[Lines, list[bool]]:
    """The lines with what stands between a title and its abstract set right: a line of
    names passed over, then a title cut in two lines joined back (the second half goes on
    from the first). Only where an abstract follows and the lines before it do not look
    like one: elsewhere a short line is a title of its own. With whether each line kept
    looks like an abstract (each line is judged once)."""
    abstract = [is_abstract(line) for _, line in lines]
    lines, abstract = _without_names(_unnumbered(lines, abstract), abstract)
    kept: Lines = []
    judged: list[bool] = []
    k = 0
    while k < len(lines):
        number, line = lines[k]
        if abstract[k] and k + 1 < len(lines) and _last_paragraph(lines, k, abstract):
            kept.append((number, f"{line} {lines[k + 1][1]}"))
            judged.append(True)
            k += 2
            continue
        if (k + 2 < len(lines) and abstract[k + 2] and _title_of(lines, k, abstract)
                and not abstract[k + 1] and lines[k + 1][0] == number + 1
                and _cut_title(line, lines[k + 1][1])):  # (no blank line between halves)
            kept.append((number, f"{line} {lines[k + 1][1]}"))
            judged.append(is_abstract(kept[-1][1]))
            k += 2
            continue
        kept.append((number, line))
        judged.append(abstract[k])
        k += 1
    return kept, judged


def _unnumbered(lines: Lines, abstract: list[bool]) -> Lines:
    """The lines without the marks of a list of papers ("1. ", "2) ", "• ") before their
    titles, where most titles have one (a heading or two may not): a list's numbers are
    no title's."""
    titles = sum(1 for flag in abstract if not flag)
    marked = sum(1 for _, line in lines if _LIST_MARK.match(line))
    if marked < _LISTED_AT_LEAST or marked < _LISTED_SHARE * titles:
        return lines
    return [(number, _LIST_MARK.sub("", line, count=1)) for number, line in lines]


def _without_names(lines: Lines, abstract: list[bool]) -> tuple[Lines, list[bool]]:
    """The lines but each line of names between a title and its abstract (initials may look
    like sentences' ends), unless it goes on from the title ("APOLLO:" then "SGD-like
    Memory, AdamW-level Performance")."""
    dropped = {k + 1 for k in range(len(lines) - 2)
               if abstract[k + 2] and _title_of(lines, k, abstract)
               and looks_like_names(lines[k + 1][1])
               and not _cut_title(lines[k][1], lines[k + 1][1])}
    if not dropped:
        return lines, abstract
    return ([line for k, line in enumerate(lines) if k not in dropped],
            [flag for k, flag in enumerate(abstract) if k not in dropped])


def _title_of(lines: Lines, k: int, abstract: list[bool]) -> bool:
    """Whether line k may be the title of the abstract on line k+2: short, and shorter than
    it ("LLMs vs. Humans: Who Writes Better Code?" counts sentences, as abstracts do)."""
    line, far = lines[k][1], lines[k + 2][1]
    return abstract[k + 2] and (not abstract[k] or len(line) < min(SHORT_PARAGRAPH, len(far)))


def _last_paragraph(lines: Lines, k: int, abstract: list[bool]) -> bool:
    """Whether line k+1 is the last paragraph of the abstract on line k: a short one that
    holds a link ("Code is at https://..."), shorter than the abstract, with the next paper
    after it (a title, then its abstract) or nothing. Other short lines there may be a
    title whose abstract is lost, or an abstract whose title is: they are not joined."""
    line, following = lines[k][1], lines[k + 1][1]
    after = abstract[k + 2:k + 4]
    return (abstract[k] and line.endswith(FINAL) and "://" in following
            and len(following) < min(SHORT_PARAGRAPH, len(line))
            and (not after or after == [False, True]))


def _cut_title(first: str, second: str) -> bool:
    """Whether `second` goes on from `first`, as the second half of one title: the first
    ends where no title ends (a colon, a hyphen, a word such as "for"), the second starts
    with a word that only goes on from another, or it is a word a title may end with and no
    title is alone ("...Language" then "Models")."""
    last = first.rsplit(" ", 1)[-1]
    return (first.endswith(_CUT_AFTER) or bool(_GOES_ON.fullmatch(last.casefold()))
            or bool(_GOES_ON.match(second)) or bool(_TITLE_END.fullmatch(second)))
