"""Block quotes: the paragraphs a speaker reads out as someone else's words.

The Congressional Record is full of them: "General David Petraeus testified that:" and
then, indented, what Petraeus said. Those sentences are Petraeus's, not the senator's.
"""

from __future__ import annotations

import re

from assistant.answer.question import CALENDAR
from assistant.lexical import terms

_INTRO = re.compile(
    r"\b(?:testified|said|says|stated|states|told|tells|reported|reports|wrote|writes|warned|noted|"
    r"explained|declared|announced|had this to say|saying|put it)\b[^:]*:\s*$"
)
"""A sentence that hands over to a quotation: "... testified that:", "... saying:"."""
_BREAK = re.compile(r"[ \t\xa0]*\n(?:[ \t\xa0]*\n)+")
"""A paragraph break: the end of a line and at least one blank line."""
_QUOTED_START = " \t\xa0“\"‘'"
"""How a quoted paragraph opens: indented, or with a quotation mark."""
_RUN = re.compile(r"(?:(?:The|the)\s+)?[A-Z][\w.’'-]*(?:\s+(?:of\s+|for\s+)?[A-Z][\w.’'-]*)*")


def block_quotes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, who) of each block quote in ``text``.

    A quote follows a sentence ending in "testified that:", "said:" and the like, and runs
    over the paragraphs after it that are indented or open with a quotation mark, up to
    the first paragraph that starts flush. ``who`` is whoever the introducing sentence names
    last before its verb ("General David Petraeus", "The Government Accountability Office").
    """
    out: list[tuple[int, int, str]] = []
    for start, end in spans:
        sentence = text[start:end]
        if not sentence.rstrip().endswith(":"):
            continue
        intro = _INTRO.search(sentence)
        if intro is None:
            continue
        quote_end = _quote_end(text, end)
        who = _speaker(sentence[: intro.start()])
        if quote_end > end and who:
            out.append((end, quote_end, who))
    return out


def _quote_end(text: str, after: int) -> int:
    """Where the quoted paragraphs that follow offset ``after`` end (``after`` if none do)."""
    end = after
    while True:
        brk = _BREAK.match(text, end)
        if brk is None or brk.end() >= len(text) or text[brk.end()] not in _QUOTED_START:
            return end
        nxt = _BREAK.search(text, brk.end())
        end = nxt.start() if nxt else len(text)


def _speaker(head: str) -> str:
    """Who the text before the reporting verb names last.

    An appositive after the name is dropped ("Michael Braun, former Chief of Operations for
    DEA,"), and so are dates (``question.CALENDAR``) and the names of places the words before it run into
    ("... Committee Karl W. Eikenberry" keeps the last three words).
    """
    head = " ".join(head.split()).rstrip(" ,")
    if ", " in head:
        before, tail = head.rsplit(", ", 1)
        if len(tail.split()) <= 8 and re.search(r"\b[a-z]", tail) and not _VERB.search(tail):
            head = before  # a role after the name, not the name itself ("..., Antonio Maria Costa")
    runs = [m.group().split() for m in _RUN.finditer(head)]
    words = [w for w in runs[-1] if w not in _OPENERS and not CALENDAR & set(terms(w))] if runs else []
    keep = 4 if len(words) >= 4 and words[-4] in _TITLES else 3
    return " ".join(words[-keep:]) if len(" ".join(words)) > 2 else ""


_TITLES = frozenset("Attorney Secretary Deputy Vice Lieutenant Major Prime Foreign".split())


_VERB = re.compile(r"\b(?:was|is|were|are|has|had|have|be|been|being)\b")
_OPENERS = frozenset({"On", "In"})
"""The capitalized words that open a date ("On March 16 ...") rather than a name."""
