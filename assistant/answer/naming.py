"""The names a sentence gives: whole names, people's names, organisations' names.

"Who ...?", "Which group ...?" and "What is the name of ...?" are answered by a name the
question does not hold already.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.lexicon import PLACES
from assistant.answer.question import CALENDAR
from assistant.lexical import terms


def names_new(asked: str, text: str, known: set[str]) -> bool:
    """Whether ``text`` names something of the kind ``asked`` (lowercased) wants, not in ``known``.

    A person for "the name of the Pakistani national arrested ...", an organisation for
    "Which group ...?", else any whole name but a date's.
    """
    known = known - _PARTICLES  # "al Qaeda" in the question does not make "Saif al-Adel" known
    if _ASKS_PERSON.search(asked):
        return any(not set(terms(name)) & known for name in _people_named(text))
    leading = bool(_SUBJECT_NAME.match(text))
    runs = [m.group() for m in _NAME_RUN.finditer(text) if m.start() > 0 or " " in m.group() or leading]
    runs = [run for run in runs if len(run) > 1]  # "the platform X" is no answer to "Which report ...?"
    if _GROUP.match(asked):  # an organisation's name, not a person's or a country's
        runs = [run for run in runs if _organisation(run)]
    if _AGENCY.match(asked):  # an institution's, "the CIA", "the Central Intelligence Agency" for
        # "Which U.S. agency ...?": it may share the question's words, not be all of them
        return any(_institution(run) and not set(terms(run)) <= known for run in runs)
    return any(
        not set(terms(run)) & known and set(terms(run)) - CALENDAR and not _abbreviated(run, known)
        for run in runs
    )


_PARTICLES = frozenset({"al", "bin", "ibn", "el", "abu", "de", "van", "von"})


def _abbreviated(name: str, known: set[str]) -> bool:
    """Whether some words of ``name`` are what the question abbreviates ("United Nations" for "UN")."""
    words = [w for w in re.split(r"[\s‑-]+", name) if w[:1].isupper()]
    for size in range(2, len(words) + 1):
        for first in range(len(words) - size + 1):
            if "".join(w[0] for w in words[first : first + size]).lower() in known:
                return True
    return False


_GROUP = re.compile(
    r"^(?:which|what)\s+(?:[a-z]+\s+)?"
    r"(?:groups?|organi[sz]ations?|factions?|movements?|networks?|militias?|outfits?)\b"
)
_AGENCY = re.compile(
    r"^(?:which|what)\s+(?:[a-z.]+\s+){0,2}?"
    r"(?:agenc(?:y|ies)|departments?|ministr(?:y|ies)|bureaus?|administrations?|institutions?)\b"
)
_ACRONYM = re.compile(r"[A-Z]{2,5}")
_INSTITUTION_WORDS = frozenset(
    terms("agency department ministry bureau administration service office command council committee "
          "intelligence police army navy air force directorate institute commission authority")
)
"""Words that name an agency ("Which agency ...?"). Narrower than ``_INSTITUTION``, the words
that keep a capitalised run from being a person's name: "United States" is no agency."""


def _institution(name: str) -> bool:
    """Whether a name can be an institution's: it says so ("... Agency") or is an acronym ("CIA")."""
    return bool(_ACRONYM.fullmatch(name)) or bool(set(terms(name)) & _INSTITUTION_WORDS)


_TITLES = frozenset(
    terms("president mr mrs ms dr senator secretary minister general ambassador governor chairman")
)
_PLACE_TERMS = frozenset(t for group in PLACES for t in group)


def _organisation(name: str) -> bool:
    """Whether a name can be an organisation's: not a titled person's, not only a country or its people."""
    named = set(terms(name))
    return not named & _TITLES and bool(named - _PLACE_TERMS)


_NAME_RUN = re.compile(
    r"(?!(?:The|A|An|This|That|These|Those|In|On|At|But|And)\b)"
    r"[A-Z][\w’'‑-]*(?:\s+(?:(?:al|bin|ibn|el)[\s‑-])?[A-Z][\w’'‑-]*)*"
)
"""A name, however many words: "Ayman al-Zawahiri" is the question's Zawahiri, not a new name."""
_SUBJECT_NAME = re.compile(
    r"(?!(?:He|She|It|We|They|I|You|Here|There|Today|Yesterday|Now|Then|Also|Still|However|Meanwhile)\b)"
    r"[A-Z][a-z’'‑-]+\s+(?:was|is|were|are|has|had|became|remains|remained)\b"
)
"""A sentence's first word is a name when it is the subject of "was", "is" ...: "Zawahiri was
Osama bin Laden's deputy" (otherwise a capital at the start says nothing)."""


_ASKS_PERSON = re.compile(
    r"\bnames? of (?:the |this |that )?(?:[\w-]+ ){0,2}(?:national|man|woman|person|suspect|individual|"
    r"attacker|bomber|gunman|official|officer|successor|soldier|agent|emir|leader|chief|commander|deputy|"
    r"spokes(?:man|woman|person)|operator|pilot|informant)s?\b"
)
_CAPITALISED_RUN = re.compile(
    r"(?<![\w’'])(?:[A-Z][a-z]+(?:[-‑][A-Z][a-z]+)?\s){1,3}[A-Z][a-z]+(?:[-‑][A-Z][a-z]+)?\b"
)
_INSTITUTION = frozenset(
    "department ministry council center centre committee agency office court party army group community "
    "house nations states republic union".split()
)


def _people_named(text: str) -> list[str]:
    """People's names, as far as capitals tell: runs of two to four capitalised words.

    Not an institution's ("a Jewish Community Center"), nor a name after "the" ("the
    Department of Justice").
    """
    out = []
    for m in _CAPITALISED_RUN.finditer(text):
        words = m.group().split()
        while words and words[0] in _OPENERS:  # "In August", "But Karl Dorn"
            words = words[1:]
        if len(words) < 2 or set(terms(" ".join(words))) & CALENDAR:
            continue
        if not {w.lower() for w in words} & _INSTITUTION and not text[: m.start()].endswith(("the ", "The ")):
            out.append(" ".join(words))
    return out


_OPENERS = frozenset("In On At By For From With As But And Since After Before During Then When While".split())


def names_another(asked: str, text: str) -> bool:
    """Whether ``text`` names someone else with the words of a name ``asked`` gives.

    "Mohammed Siddique Khan" is not "Khan Mohammed": the same words in another order. The
    words in the same order, with more between them, are the same person ("Ayman
    Mohammed al-Zawahiri" for "Ayman al-Zawahiri").
    """
    names = _multiword_names(asked)
    if not names:
        return False
    runs = [_name_words(m.group()) for m in _NAME_RUN.finditer(text)]
    for wanted in names:
        holding = [run for run in runs if set(wanted) <= set(run)]
        if holding and not any(_in_order(wanted, run) for run in holding):
            return True
    return False


@lru_cache(maxsize=1024)
def _multiword_names(asked: str) -> tuple[list[str], ...]:
    """The names of two words or more in a question ("Who ..." opens it; one word has no order)."""
    found = ((m.start(), _name_words(m.group())) for m in _NAME_RUN.finditer(asked))
    return tuple(words for start, words in found if start > 0 and len(words) >= 2)


def _name_words(name: str) -> list[str]:
    return [w.lower() for w in re.split(r"[\s‑-]+", name) if w]


def _in_order(words: list[str], run: list[str]) -> bool:
    rest = iter(run)
    return all(word in rest for word in words)
