"""What a sentence's words refer to: its "he" and "it", and what its nouns are of.

* "None of his family members were hurt", a few sentences after the strike on Zawahiri:
  "his" may be Zawahiri's.
* "There's no reason for it to actually be any kind of escalation of tensions here", in
  answer to a reporter's "does the White House see this as some sort of escalation ...?":
  "it" is what the exchange is about.
* "sought Kabul's support" is Kabul's support, and "winning the war on terror" is not
  winning the war in Afghanistan: the words are of something else than what is asked.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

from assistant.answer.lexicon import CAPITALS, PLACES, with_broader, with_synonyms
from assistant.answer.question import Question
from assistant.answer.select import Candidate, coverage, expand, sentence_terms
from assistant.lexical import terms

_HIS = re.compile(r"\b(?:he|him|his|she|her)\b", re.IGNORECASE)
_BACK = 6
"""How far back "he" or "his" may refer to a name the question asks about."""
_IT_IS = re.compile(
    r"\b(?:for\s+(?:this|it)\s+to|(?:this|it)\s+(?:is|was|will|would|has|had|does|did)(?:n[’']t)?)\b",
    re.IGNORECASE,
)
""""it" or "this" as what a sentence is about: "for this to be seen as", "it wasn't" (not "this strike")."""
WHOLE = 0.99
"""All of the predicate: what a claim must say when the question's names are not all near it."""
_ASKED = 0.5
"""How much of the predicate the reporter's question must have put to the official."""


def referred(text: str, cand: Candidate, question: Question) -> set[str]:
    """The question's names that "he", "his" or "her" in ``text`` may refer to: named just before."""
    if not _HIS.search(text):
        return set()
    back = range(max(0, cand.index - _BACK), cand.index)
    before = {t for i in back for t in sentence_terms(cand.reading, i)}
    return set(question.entities) & before


def is_said_of_the_asked(
    text: str, found: AbstractSet[str], asked: AbstractSet[str], cand: Candidate,
    predicate: dict[str, float], stake: dict[str, float],
) -> bool:
    """Whether ``text`` says the question's whole predicate of an "it" the reporter asked about.

    The reporter's question before it must have put the predicate (at least half of it), and
    the document must name everything at stake, so "it" can be the question's subject.
    """
    if not predicate or not asked or not _IT_IS.search(text):
        return False
    if coverage(found, predicate) < WHOLE or coverage(asked, predicate) < _ASKED:
        return False
    return all(t in cand.reading.vocabulary for t in stake)


_AIM = r"\b(\w+)\s+(?:(?:and|or)\s+\w+\s+)?(?:(?:of|for|to|with)\s+)?"
"""A word and how it reaches what it is aimed at: "supporting", "support and facilitation of"."""
_AIMED = re.compile(_AIM + r"(?:the\s+)?([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)")
"""A word and the name it is aimed at: "supporting ISIS", "support and facilitation of ISIS"."""
_THE_GROUP = re.compile(_AIM + r"(?:the|this|that)\s+(?:group|organi[sz]ation|network|outfit|movement)\b")
"""A word aimed at "the group": which one, the sentence said before."""
_NAME_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*")
"""Capitalized words in a row: a one-word run is how groups are called ("ISIS", "Hamas")."""
_POSSESSIVE = re.compile(r"\b([A-Z][\w-]*)[’']s\s+(\w+)")
_MODIFIED = re.compile(r"\b(\w+)\s+(?:in|on|against)\s+(?:the\s+)?([\w’'-]+(?:\s+[\w’'-]+)?)", re.IGNORECASE)
"""A noun and where or what it is in, on or against: "war in Afghanistan", "war on terror"."""


def owned_by_others(text: str, question: Question, cand: Candidate) -> set[str]:
    """Terms of the words another party possesses: "support" in "sought Kabul's support"."""
    out: set[str] = set()
    for match in _POSSESSIVE.finditer(text):
        owner = expand(set(terms(match.group(1))), cand.reading)
        if not owner & set(question.entities):
            out |= expand(set(terms(match.group(2))), cand.reading)
    return out


def placed_otherwise(text: str, question: Question, cand: Candidate, predicate: AbstractSet[str]) -> bool:
    """Whether ``text`` places a word of the predicate otherwise than the question does.

    "winning the war on terror" is not winning the war the question places with one of its
    names ("Did America win its war in Afghanistan?").
    """
    placed: dict[str, set[str]] = {}
    for match in _MODIFIED.finditer(question.text):
        where = set(terms(match.group(2)))
        for term in terms(match.group(1)):
            if term in predicate and where & set(question.entities):
                placed.setdefault(term, set()).update(expand(where, cand.reading))
    if not placed:
        return False
    return any(
        term in placed and not expand(set(terms(match.group(2))), cand.reading) & placed[term]
        for match in _MODIFIED.finditer(text)
        for term in terms(match.group(1))
    )


_PLACE_TERMS = frozenset({*CAPITALS, *(t for group in PLACES for t in group)})


def aimed_elsewhere(text: str, question: Question, cand: Candidate, predicate: AbstractSet[str]) -> set[str]:
    """The predicate's words that ``text`` aims at another name than the question does.

    "accusing Pakistan of supporting ISIS" does not say that Pakistan supports the Taliban,
    though the accuser is a "Taliban spokesperson", nor does "providing support and funding to
    the group" when the group the sentence named before is ISIS. A word also aimed at the
    question's name stays.
    """
    asked = _aimed_in_question(question.text, question.entities, frozenset(predicate))
    if not asked:
        return set()
    aimed = {term: expand(set(names), cand.reading) for term, names in asked}
    targets = [(m.group(1), m.group(2)) for m in _AIMED.finditer(text)]
    before = cand.text[: max(0, cand.text.find(text))]
    for match in _THE_GROUP.finditer(text):  # "... support and funding to the group", ISIS said before
        runs = [m.group() for m in _NAME_RUN.finditer(before + text[: match.start()]) if m.start() > 0]
        groups = [r for r in runs if " " not in r and not expand(set(terms(r)), cand.reading) & _PLACE_TERMS]
        if groups:
            targets.append((match.group(1), groups[-1]))
    elsewhere: set[str] = set()
    kept: set[str] = set()
    for word, name in targets:
        for term in expand(set(terms(word)), cand.reading) & aimed.keys():
            (kept if expand(set(terms(name)), cand.reading) & aimed[term] else elsewhere).add(term)
    return elsewhere - kept


@lru_cache(maxsize=256)
def _aimed_in_question(
    text: str, entities: tuple[str, ...], predicate: frozenset[str]
) -> tuple[tuple[str, frozenset[str]], ...]:
    """The predicate's words (with synonyms) the question aims at its names: "support the Taliban"."""
    aimed: dict[str, set[str]] = {}
    for match in _AIMED.finditer(text):
        at = set(terms(match.group(2))) & set(entities)
        for term in with_synonyms(with_broader(set(terms(match.group(1))))) & predicate if at else set():
            aimed.setdefault(term, set()).update(at)
    return tuple((term, frozenset(names)) for term, names in aimed.items())
