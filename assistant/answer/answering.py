"""Decide which scored sentences answer a question, or that none does.

A sentence must cover most of the question (or be close to it in meaning and share some of
its words), contain the kind of thing asked for (a number for "how many", a date for
"when", a name for "who"), name the question's names, and score near the best sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from assistant.answer.claims import REPORTER
from assistant.answer.counting import NUMBER
from assistant.answer.fit import (
    in_period,
    is_asked_kind,
    names_entities,
    new_terms,
    says_all_new,
    vocabulary_of,
)
from assistant.answer.kinds import unnamed
from assistant.answer.naming import names_another
from assistant.answer.question import Question
from assistant.answer.select import STRONG_COVERAGE, Candidate, said_by_asked
from assistant.answer.values import amounts
from assistant.lexical import terms

MIN_COVERAGE = 0.6
SEMANTIC_MATCH = 0.5
STRONG_MATCH = 0.6
MARGIN = 0.05
"""A sentence scoring this far below the best one is context, not answer, and is left out."""
_FACTOID = {"who", "when", "where", "howmany"}
_PLACE_BACK = 3
"""How many sentences before an answer may say the place it is about."""
_ABOUT_PLACE, _ABOUT_NAME = 2, 3
"""How often a document must name a place (a name) to be about it."""
_FOCUS_SCAN = 20
"""How far down a follow-up looks for a sentence that says all it adds."""
SPEAKER_COVERAGE = 0.25
SPEAKER_MATCH = 0.35
"""Support enough for a sentence of whom the question asks about as a speaker."""
PARAPHRASE = 0.42
"""With no sentence supported by words, the one closest in meaning answers if it is this close."""
_PARAPHRASE_FLOOR, VERY_CLOSE, _VERY_CLOSE_FLOOR = 0.15, 0.65, 0.1
"""... and shares this much of the question's words; a sentence ``VERY_CLOSE`` may share less."""
_CORROBORATING = 2
_CORROBORATION_SCAN = 16
"""How many sentences of other sources restating an answer's figure are cited, found how far down."""


def answering(
    question: Question, scored: list[Candidate], weight: dict[str, float], limit: int | None = None,
    margin: float = 0.0,
) -> list[Candidate]:
    """The sentences that answer.

    Enough support, the asked-for kind of thing, within ``MARGIN`` (or ``margin``) of the
    best one, no near-duplicates. Factoid questions get at most two,
    others three (or ``limit``).
    """
    limit = limit or (2 if question.kind in _FACTOID else 3)
    margin = margin or (MARGIN / 2 if question.kind in _FACTOID else MARGIN)
    if any(c.coverage >= 0.8 and unnamed(question, c.text) for c in scored[:12]):
        return []  # the sources speak of it but do not say which: that is not an answer
    new = new_terms(question)
    focused = any(says_all_new(question, c) for c in scored[:_FOCUS_SCAN])
    chosen: list[Candidate] = []
    for cand in scored:
        if chosen and cand.score < chosen[0].score - margin:
            break
        supported = _supported(cand) or says_all_new(question, cand) or _said_on_it(question, cand)
        if not supported or not is_asked_kind(question, cand) or not _statement(cand.text):
            continue
        if not _names_focus(question, cand) or not _in_place(question, cand):
            continue
        if focused and not new & cand.terms:
            continue  # some sentence says what the follow-up adds: the strike again is no answer
        strong = cand.similarity >= STRONG_MATCH and cand.coverage >= STRONG_COVERAGE
        vocabulary = vocabulary_of(cand.reading)
        named = names_entities(question, cand.terms, cand.context, weight, vocabulary, _about(cand))
        if not strong and not named:
            continue
        if any(_similar(cand, other) for other in chosen):
            continue
        chosen.append(cand)
        if len(chosen) >= limit:
            break
    return chosen or _paraphrased(question, scored, weight)


def corroborating(
    question: Question, chosen: list[Candidate], scored: list[Candidate], weight: dict[str, float]
) -> list[Candidate]:
    """Sentences of other documents that state the same figure as an answer, and answer too.

    "Some 80,000 Pakistanis died." answers; "we have suffered more than 80,000 casualties",
    said at another session, and "80,000 martyrs", at a third, show that the figure is not
    one source's. They must answer on their own (support, kind, names), at any score.
    """
    figures = {value for c in chosen for value, text in amounts(c.text) if any(ch.isdigit() for ch in text)}
    if not figures:
        return []
    documents = {c.reading.doc.id for c in chosen}
    out: list[Candidate] = []
    for cand in scored[:_CORROBORATION_SCAN]:
        if cand.reading.doc.id in documents or not figures & {v for v, _ in amounts(cand.text)}:
            continue
        if not _supported(cand) or not _fits(question, cand, weight):
            continue
        documents.add(cand.reading.doc.id)  # one restatement per source
        out.append(cand)
        if len(out) >= _CORROBORATING:
            break
    return out


def _paraphrased(question: Question, scored: list[Candidate], weight: dict[str, float]) -> list[Candidate]:
    """The sentence closest in meaning, when the question shares almost no words with it.

    "Did American intelligence help head off a plot against a big pop concert?" for
    "... shared information ... to enable the disruption of a threat to Taylor Swift's
    concerts". It must still be the asked-for kind of thing and name the question's names.
    """
    best = max(scored, key=lambda c: c.similarity, default=None)
    floor = _VERY_CLOSE_FLOOR if best is not None and best.similarity >= VERY_CLOSE else _PARAPHRASE_FLOOR
    if best is None or best.similarity < PARAPHRASE or best.coverage < floor:
        return []
    if not _fits(question, best, weight):
        return []
    if question.own_terms != question.terms and not set(question.own_terms) & (best.terms | best.context):
        return []  # a follow-up's own words must be in it ("What does the budget say about it?")
    return [best]


def _fits(question: Question, cand: Candidate, weight: dict[str, float]) -> bool:
    """Whether a sentence can answer, whatever its support.

    A statement of the asked-for kind, of the year and place asked, naming the question's names.
    """
    return (
        is_asked_kind(question, cand) and _statement(cand.text) and _in_place(question, cand)
        and names_entities(
            question, cand.terms, cand.context, weight, vocabulary_of(cand.reading), _about(cand)
        )
    )


def _in_place(question: Question, cand: Candidate) -> bool:
    """Of the year and place asked, said by whom it asks about, of the person it names."""
    return (
        in_period(question, cand) and _says_where(question, cand) and not _asked_by_reporter(question, cand)
        and not names_another(question.text, cand.text)
    )


def _statement(text: str) -> bool:
    """A sentence that can answer: not a question, not a fragment."""
    return not text.rstrip("”’\"' )").endswith("?") and len(text.split()) >= 5


def _supported(cand: Candidate) -> bool:
    """Enough of the question is in the sentence: by words, or by meaning with some words."""
    if cand.coverage >= MIN_COVERAGE or (cand.similarity >= SEMANTIC_MATCH and cand.coverage >= 0.3):
        return True
    return cand.similarity >= 0.4 and cand.coverage + cand.similarity >= 1.0  # near on both counts


def _said_on_it(question: Question, cand: Candidate) -> bool:
    """Whom the question asks about as a speaker says it, on its subject, if in other words.

    "We also need to ensure that no country tries to take advantage of the delicate situation
    there" for "What did New Delhi's leader warn about outside powers exploiting the chaos?".
    """
    if question.own_terms != question.terms:
        return False  # a follow-up inherits its speaker and is closer to every sentence of theirs
    close = cand.coverage >= SPEAKER_COVERAGE and cand.similarity >= SPEAKER_MATCH
    return close and said_by_asked(question, cand)


def _asked_by_reporter(question: Question, cand: Candidate) -> bool:
    """A reporter's words in a briefing, when the question asks what someone else said.

    "What did Biden say about the Taliban?" is not answered by the reporter's "There has
    been some criticism ... about the dependence on the Taliban".
    """
    return bool(question.speakers) and cand.reading.speaker(cand.start) == REPORTER and not said_by_asked(
        question, cand
    )


def _says_where(question: Question, cand: Candidate) -> bool:
    """Whether a sentence, or one just before it, says the place the question names as such.

    "the Islamabad mosque attack" is answered by a sentence on Islamabad, not by a Pakistani
    prime minister's on attacks in general (his country's name stands for Islamabad elsewhere).
    A document that keeps naming the place is about it: a reporter's question on "the
    perimeter" in remarks on the attack in Kabul is about Kabul's airport.
    """
    if not question.places:
        return True
    said: set[str] = set()
    for index in range(max(0, cand.index - _PLACE_BACK), cand.index + 1):
        said.update(terms(cand.reading.text(index)))
    if all(place in said for place in question.places):
        return True
    text = cand.reading.doc.text  # only questions that name a place as such get here
    return all(place in said or _mentions(text, place) >= _ABOUT_PLACE for place in question.places)


def _about(cand: Candidate) -> Callable[[str], bool]:
    """Whether the sentence's document keeps naming a name.

    A press call on the strike in Kabul is about Kabul, though its sentence on the missiles
    does not say "Kabul".
    """
    return lambda name: _mentions(cand.reading.doc.text, name) >= _ABOUT_NAME


@lru_cache(maxsize=64)
def _mentions(text: str, place: str) -> int:
    """How often a document names a place (counted once per document, not per sentence)."""
    return text.lower().count(place)


def _similar(a: Candidate, b: Candidate) -> bool:
    """Near-duplicates say the same with the same figures (different figures may be a conflict)."""
    if set(NUMBER.findall(a.text)) != set(NUMBER.findall(b.text)):
        return False
    return bool(a.terms and b.terms) and len(a.terms & b.terms) / len(a.terms | b.terms) > 0.6


def _names_focus(question: Question, cand: Candidate) -> bool:
    """Whether a sentence names what a follow-up brings in.

    Those names are its focus ("Did the Taliban know?" after questions about al-Zawahiri).
    """
    if question.own_terms == question.terms:
        return True
    nearby = cand.terms | cand.context
    return all(t in nearby for t in question.entities if t in question.own_terms)
