"""Whether a sentence fits a question.

Its names, the kind of thing asked for, its year, and what a follow-up adds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from assistant.answer.kinds import asks_who_said, has_answer_type
from assistant.answer.lexicon import TIMELESS
from assistant.answer.question import YEAR, Question
from assistant.answer.reading import Reading
from assistant.types import DocumentInfo

if TYPE_CHECKING:
    from assistant.answer.select import Candidate


def names_entities(
    question: Question,
    own: frozenset[str] | set[str],
    context: frozenset[str] | set[str],
    weight: dict[str, float],
    document: Callable[[], frozenset[str]] = frozenset,
    often: Callable[[str], bool] | None = None,
) -> bool:
    """Whether a sentence names the question's names.

    The sentence, the few before it or its document's metadata (``context``: its speaker,
    its source) must name the question's rarest name (or the document keep naming it:
    ``often``), and its document (``document()``, read only when needed) names the others
    (so a sentence about another place or group is no answer). In a follow-up, that is the
    rarest of its own names; the earlier question's names need only be in the document ("He
    received two life sentences" answers "What sentence did he get?" after a question on
    Senator Feinstein's DEA cases).
    """
    if not question.entities:
        return True
    nearby = own | context
    focus = [t for t in question.entities if t in question.own_terms]
    if focus:
        rarest = max(focus, key=lambda t: weight.get(t, 0.0))
        if rarest not in nearby and not (often and often(rarest)):
            return False
    return all(t in nearby or t in document() for t in question.entities)


def is_asked_kind(question: Question, cand: Candidate) -> bool:
    """Whether a sentence holds the kind of thing asked for.

    For "Who said senior Taliban figures knew?", a sentence with a known speaker does:
    "Senior Haqqani Taliban figures were aware of Zawahiri's presence" (the official said it).
    """
    if has_answer_type(question, cand.text):
        return True
    return asks_who_said(question) and bool(cand.reading.speaker(cand.start))


def in_period(question: Question, cand: Candidate) -> bool:
    """Whether a sentence is of the year a question is confined to.

    The year is in the sentence, the few before it or the document's date, and the sentence
    does not date itself later ("In December 2009 ... testified" is no answer for 2007;
    "since 2001" may be). For the end of a year ("in late 2006"), a document of the next
    year's first months may also speak of it.
    """
    if question.period is None:
        return True
    years = {int(y) for y in YEAR.findall(cand.text)}
    if years and question.period not in cand.terms and min(years) > int(question.period):
        return False
    if question.period_ends and _early_in(cand.reading.doc.metadata.get("date_lo"), int(question.period) + 1):
        return True  # said in January 2007 of how things stood in late 2006
    return question.period in cand.terms or question.period in cand.context


_EARLY_MONTHS = 3


def _early_in(day: object, year: int) -> bool:
    """Whether ``day`` (``YYYYMMDD``) falls in the first ``_EARLY_MONTHS`` months of ``year``."""
    return isinstance(day, int) and year * 10000 + 101 <= day <= year * 10000 + _EARLY_MONTHS * 100 + 31


def recency(question: Question, documents: list[DocumentInfo]) -> dict[str, float]:
    """How recent each dated document is, from 0 (the oldest) to 1 (the newest).

    Only when the question asks how things stand now ("Is al Qaeda still a threat?"); empty
    otherwise. An undated document gets nothing: the answer should come from the latest sources.
    """
    if not TIMELESS & set(question.own_terms):
        return {}
    dates = {d.id: d.metadata["date_hi"] for d in documents if isinstance(d.metadata.get("date_hi"), int)}
    ranks = {day: i for i, day in enumerate(sorted(set(dates.values())))}
    top = max(len(ranks) - 1, 1)
    return {doc: ranks[day] / top for doc, day in dates.items()}


def vocabulary_of(reading: Reading) -> Callable[[], frozenset[str]]:
    """A document's vocabulary, read only if asked for."""
    return lambda: reading.vocabulary


def new_terms(question: Question) -> set[str]:
    """The words a follow-up adds to the question it follows up on (none for a question alone)."""
    if question.own_terms == question.terms:
        return set()
    return set(question.own_terms) - set(question.terms[len(question.own_terms) :])


def says_all_new(question: Question, cand: Candidate) -> bool:
    """Whether a sentence says all that a follow-up adds, if that is two words or more.

    "None of his family members were hurt" for "Were any of his relatives hurt?" after a
    question on the strike: it may share little of the earlier question.
    """
    new = new_terms(question)
    return len(new) >= 2 and new <= cand.terms
