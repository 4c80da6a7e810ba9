"""Sentence boundaries as exact character spans, for plain and hard-wrapped text.

A span is ``(start, end)`` with ``text[start:end]`` the sentence, stripped of the
surrounding whitespace. Transcripts wrap lines mid-sentence, while speeches put one
paragraph on each line, so a document is first classified: in wrapped text only a
blank line ends a paragraph; otherwise every line break does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen sen rep gov lt col capt sgt st jr sr no nos vs etc e.g i.e al
    jan feb mar apr jun jul aug sep sept oct nov dec u.s u.n u.k e.u a.m p.m amb pres adm maj
    messrs mt ft fig op cf approx dept corp inc ltd co""".split()
)
# An end mark, then any closing quotes or brackets, then whitespace.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_OPENERS = "\"'“‘([—–-"


def is_hard_wrapped(text: str) -> bool:
    """Whether line breaks fall inside sentences (fixed-width transcripts)."""
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    if len(lines) < 6:
        return False
    widths = sorted(len(line) for line in lines)
    p75 = widths[len(widths) * 3 // 4]
    if not 50 <= p75 <= 100:
        return False
    near = sum(1 for w in widths if p75 - 20 <= w <= p75 + 2)
    unterminated = sum(1 for line in lines if len(line) >= p75 - 20 and line[-1].isalnum())
    return near / len(lines) >= 0.4 and unterminated / len(lines) >= 0.2


def paragraphs(text: str, wrapped: bool | None = None) -> list[tuple[int, int]]:
    """Paragraph spans, whitespace-trimmed."""
    if wrapped is None:
        wrapped = is_hard_wrapped(text)
    splitter = _BLANK_LINE if wrapped else re.compile(r"\n")
    spans: list[tuple[int, int]] = []
    pos = 0
    for match in splitter.finditer(text):
        spans.extend(_trimmed(text, pos, match.start()))
        pos = match.end()
    spans.extend(_trimmed(text, pos, len(text)))
    return _rejoined(text, spans)


def _rejoined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Paragraphs put back together where a break falls inside a sentence.

    A double-spaced quotation in a transcript puts a blank line after every line, and a
    page break in a verbatim record splits a line: a paragraph that does not end a sentence
    and a next one that starts lower-case are one sentence.
    """
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and _runs_on(text[max(out[-1][0], out[-1][1] - 20) : out[-1][1]], text[start]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


_DANGLING = re.compile(
    r"\b(?:and|or|but|nor|of|the|a|an|to|in|on|at|by|for|with|from|between|among|against|into|than|that)$",
    re.IGNORECASE,
)


def _runs_on(tail: str, first: str) -> bool:
    """Whether a paragraph ending in ``tail`` goes on in one starting with ``first``.

    It does when it does not end a sentence and the next starts lower-case, or when it ends
    on a word no sentence ends on ("peace between" / "Pakistan and India.").
    """
    if tail[-1] in ".!?…:":
        return False
    return first.islower() or bool(_DANGLING.search(tail))


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield (start, end)


def _is_boundary(text: str, mark_start: int, after: int, para_end: int) -> bool:
    """Whether the end mark at ``mark_start`` really ends a sentence."""
    nxt = after
    while nxt < para_end and text[nxt].isspace():
        nxt += 1
    if nxt >= para_end:
        return True
    follower = text[nxt]
    if not (follower.isupper() or follower.isdigit() or follower in _OPENERS):
        return False
    if text[mark_start] != ".":
        return True
    word_start = mark_start
    while word_start > 0 and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:mark_start].lower()
    if word in _ABBREVIATIONS:
        return False
    # Initials ("J. Biden", "U.S. forces" when followed by a capitalized noun is ambiguous;
    # a single letter is almost always an initial).
    return not (len(word) == 1 and word.isalpha())


def sentence_spans(text: str, wrapped: bool | None = None) -> list[tuple[int, int]]:
    """Every sentence of ``text`` as a trimmed ``(start, end)`` span, in order."""
    spans: list[tuple[int, int]] = []
    for p_start, p_end in paragraphs(text, wrapped):
        pos = p_start
        for match in _END.finditer(text, p_start, p_end):
            if _is_boundary(text, match.start(), match.end(), p_end):
                spans.extend(_trimmed(text, pos, match.end()))
                pos = match.end()
        spans.extend(_trimmed(text, pos, p_end))
    return spans
