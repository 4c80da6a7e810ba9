"""The invariants every answer keeps, checked before it leaves the answerer.

* every ``[n]`` in the answer and in the conflicts exists in ``citations``;
* every sentence of a non-abstaining answer carries a marker, except a short lead-in
  ("The sources disagree on ...") that is followed by cited sentences;
* citation numbers are 1..N in order, each used.

Quotes are checked against document texts by :func:`check_quotes`, which needs the
documents and so runs where they are at hand (tests, ``briefing eval``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.sentences import sentence_spans
from assistant.types import Answer, Document

MARKER = re.compile(r"\[(\d+)\]")
AMBIGUOUS_LEAD = "The sources speak of more than one"
LEAD_INS = ("The sources disagree", AMBIGUOUS_LEAD)


class InvalidAnswer(AssertionError):
    """An answer broke one of the invariants (a bug, never a user error)."""


def answer_sentences(text: str) -> list[str]:
    """Split answer text into sentences (markers stay with their sentence, also after a
    quoted question: '... “What happened?” [2].').
    """
    out: list[str] = []
    for start, end in sentence_spans(text, wrapped=False):
        piece = text[start:end]
        if out and _ONLY_MARKERS.fullmatch(piece):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


_ONLY_MARKERS = re.compile(r"(?:\[\d+\])+[.!?]?")


def verify_answer(answer: Answer) -> Answer:
    """Return ``answer`` unchanged if it keeps the invariants, else raise InvalidAnswer."""
    numbers = {c.n for c in answer.citations}
    if [c.n for c in answer.citations] != list(range(1, len(answer.citations) + 1)):
        raise InvalidAnswer("citations must be numbered 1..N in order")
    used = {int(n) for n in MARKER.findall(answer.answer)}
    for conflict in answer.conflicts:
        if len(conflict.positions) < 2:
            raise InvalidAnswer("a conflict needs at least two positions")
        for position in conflict.positions:
            if not position.citations:
                raise InvalidAnswer(f"position of {position.holder!r} has no citation")
            used.update(position.citations)
    if used - numbers:
        raise InvalidAnswer(f"markers {sorted(used - numbers)} have no citation")
    if not answer.abstained:
        if numbers - used:
            raise InvalidAnswer(f"citations {sorted(numbers - used)} are never used")
        for sentence in answer_sentences(answer.answer):
            if not MARKER.search(sentence) and not sentence.startswith(LEAD_INS):
                raise InvalidAnswer(f"uncited sentence: {sentence[:80]!r}")
    return answer


def check_quotes(answer: Answer, get_document: Callable[[str], Document]) -> list[str]:
    """Problems with quotes: each must equal ``document.text[start:end]``."""
    problems = []
    for citation in [*answer.citations, *answer.near_misses]:
        text = get_document(citation.document_id).text
        if text[citation.start : citation.end] != citation.quote:
            problems.append(f"[{citation.n}] quote differs from {citation.document_id}[{citation.start}:{citation.end}]")
    return problems
