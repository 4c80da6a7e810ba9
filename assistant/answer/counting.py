"""Figures and what they count: "40 civilians" does not say how many soldiers died.

A figure's sort is read from the noun after it (civilians, combatants, things); dates and
document symbols count nothing, and a figure followed by "years" or "days" counts time.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.lexicon import PLACES
from assistant.answer.question import CALENDAR, YEAR
from assistant.lexical import terms

NUMBER = re.compile(
    r"(?<![\w/])\d[\d,.]*\b(?!/\d)|"
    r"\b(?:(?<!no )one(?!\s+(?:of|another|day|hand|side|way)\b)|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"dozens?|hundreds?|thousands?|millions?)\b",
    re.IGNORECASE,
)
"""A figure, in digits or words ("one" unless "one of", "one another", ...); not "9/11" or "3/25"."""


_COUNTED = {
    "civilian": frozenset(terms("civilians noncombatants bystanders")),
    "combatant": frozenset(
        terms("soldiers troops marines servicemembers fighters militants terrorists insurgents police guards")
    ),
    "thing": frozenset(terms("attacks strikes airstrikes missiles drones bombs labs raids operations")),
    "measure": frozenset(
        terms("kilometres kilometers km miles metres meters percent dollars tonnes tons hectares")
    ),
    "person": frozenset(terms("people persons citizens nationals residents individuals")),
}
_OF_PERSONS = frozenset({"person", "civilian", "combatant"})
"""Persons of any sort may be the people asked for, and people those of a sort ("How many
citizens ...?": "40 civilians"; "How many soldiers ...?": "40 people, all of them soldiers")."""
_ASKED_COUNT = re.compile(r"\bhow many(?P<after>(?:\s+[a-z’'-]+){1,3})")
_AFTER = re.compile(r"(?:\s+[A-Za-z’'-]+){1,3}")


def counts_otherwise(asked: str, text: str) -> bool:
    """Whether no figure of ``text`` may count what "how many N" asks, N of a known sort or people.

    "40 civilians" does not say how many soldiers died, nor "480 drone attacks" how many
    civilians were killed, nor "40 civilians of Tajikistan" how many Kyrgyz citizens, nor
    "On 20 September" anything. Figures whose noun is of no known sort may answer.
    """
    sort, people = _asked_sort(asked), _asked_people(asked)
    if sort is None and people is None:
        return False
    found: list[tuple[str | None, int | None]] = []
    for words in counts(text):
        elided = _ELIDED.match(words) and found  # "40 civilians ..., and 140 were wounded"
        found.append(found[-1] if elided else (_sort_of(words), _people_of(words)))
    return all(
        (sort is not None and _other_sort(of, sort)) or (people is not None and whose not in (None, people))
        for of, whose in found
    )


def counts(text: str) -> list[str]:
    """The words after each figure of ``text`` that may count something ("40 civilians": " civilians").

    Dates count nothing ("Between 2004 and 2014", "On 20 September"), nor a document's
    symbol ("A/77/PV.4").
    """
    found = []
    for match in NUMBER.finditer(text):
        after = _AFTER.match(text, match.end())
        words = after.group() if after else ""
        if YEAR.fullmatch(match.group()) or set(terms(words)[:1]) & CALENDAR:
            continue
        before = text[max(0, match.start() - 1) : match.start()]
        if before in ("/", ".") or text[match.end() :].startswith("/"):
            continue
        found.append(words)
    return found


_ELIDED = re.compile(r"\s+(?:were|was|are|is|have|had|died|killed|wounded|injured)\b", re.IGNORECASE)


@lru_cache(maxsize=1024)
def _asked_sort(asked: str) -> str | None:
    wanted = _ASKED_COUNT.search(asked)
    return _sort_of(wanted.group("after")) if wanted else None


def _other_sort(found: str | None, asked: str) -> bool:
    """Whether a figure of sort ``found`` counts something else than ``asked`` (unknown: no)."""
    if found is None or found == asked:
        return False
    return not ("person" in (asked, found) and {asked, found} <= _OF_PERSONS)


@lru_cache(maxsize=1024)
def _asked_people(asked: str) -> int | None:
    wanted = _ASKED_COUNT.search(asked)
    return _people_of(wanted.group("after")) if wanted else None


def _people_of(words: str) -> int | None:
    """The people a figure's noun is of: "Tajik civilians", "civilians of Tajikistan".

    Not "soldiers in Tajikistan", which says where they are.
    """
    tokens = words.split()
    named = tokens[:1] + (tokens[2:3] if tokens[1:2] in (["of"], ["from"]) else [])
    for token in named:
        for term in terms(token):
            for i, group in enumerate(PLACES):
                if term in group:
                    return i
    return None


def _sort_of(words: str) -> str | None:
    """The sort of the first word of ``words`` that has one ("Tajik soldiers": combatant)."""
    for term in terms(words):
        for sort, nouns in _COUNTED.items():
            if term in nouns:
                return sort
    return None


_TIME_UNITS = r"(?:years?|months?|weeks?|days?|hours?|minutes?|decades?|centuries)\b"
_TIME_ASKED = re.compile(rf"\bhow\s+(?:long|many\s+{_TIME_UNITS})", re.IGNORECASE)
"""A how-many question that counts time ("How many days did the truce last?")."""


def counts_time(figure: str, text: str) -> bool:
    """Whether ``figure`` counts time in ``text``: "20 years", "a three-day period"."""
    return bool(re.search(rf"{re.escape(figure)}[\s-]+{_TIME_UNITS}", text))


def asks_time(question: str) -> bool:
    """Whether a how-many question counts time ("How many days did the truce last?", "How long ...?")."""
    return bool(_TIME_ASKED.search(question))
