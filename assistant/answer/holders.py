"""Who holds a claim: a holder phrase resolved to a party of the document.

"He emphasized" is Musharraf Zaidi, "I would just say" the speaker, "You said yesterday
that", in a reporter's question, the official who answers.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from assistant.answer.claims import PRONOUNS, REPORTER, pretty_label
from assistant.answer.reading import Reading
from assistant.lexical import terms


def holder_of(reading: Reading, index: int, phrase: str) -> str:
    """Resolve a holder phrase of sentence ``index`` to a name, with a role when known."""
    words = [_CONTRACTED.sub("", w) for w in phrase.strip().split()]  # "I’ve [said]" is "I"
    if not words:
        return ""
    offset = reading.spans[index][0]
    if words[-1].lower() == "you":  # "You said that ...": whom the speaker addresses
        return _addressee(reading, offset) or reading.speaker(offset) or ""
    if words[-1].lower() in {"i", "we", "us"} or words[0].lower() in {"i", "we"}:
        return reading.speaker(offset) or ""  # "I would just [say]"
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        if words[0].lower() in {"they", "them", "their", "it"}:
            return phrase
        person = _previous_person(reading, index)
        return person or phrase
    for short, full in reading.names.items():
        if short in words or full in phrase:
            return full
    lowered = phrase.lower().replace("’s", "").replace("'s", "")
    for full, role in reading.roles.items():
        role_words = {w for w in terms(role) if len(w) > 2}
        if role_words and len(role_words & set(terms(lowered))) >= min(2, len(role_words)):
            return full
    if _NOT_A_PARTY.search(phrase) or re.search(r"[.!?]\s|^(?:and|but|so)\b", phrase, re.I):
        return ""  # "are probably tired of hearing me [say]", "Kabul.  And [says]" are no one
    return re.sub(r"^(?:the|The)\s+(?=[A-Z])", "", phrase.strip())



def _addressee(reading: Reading, offset: int) -> str | None:
    """Whom the speaker of a transcript turn addresses as "you".

    A reporter, the official who answers next ("You said yesterday that ..."); anyone else,
    whoever spoke before them ("As you said").
    """
    turn = bisect_right(reading.turn_starts, offset) - 1
    if turn < 0:
        return None
    here = pretty_label(reading.turns[turn][1])
    order = range(turn + 1, len(reading.turns)) if here == REPORTER else range(turn - 1, -1, -1)
    for i in order:
        other = pretty_label(reading.turns[i][1])
        if other != here and other.lower() != "moderator":
            return other
    return None


_CONTRACTED = re.compile(r"[’'](?:ve|d|ll|m|re)$", re.IGNORECASE)
_NOT_A_PARTY = re.compile(
    r"\b(?:am|is|are|was|were|be|been|would|will|can|could|should|must|to|have|has|had|do|does|did|me|you)\b",
    re.IGNORECASE,
)
"""A holder is a noun phrase: a verb or an infinitive in it means the reading went wrong."""


def _previous_person(reading: Reading, index: int) -> str | None:
    """The person most recently named as a holder before sentence ``index``."""
    for back in range(index, max(-1, index - 6), -1):
        claims = reading.claims(back) if back != index else []
        for claim in claims:
            for short, full in reading.names.items():
                if short in claim.holder.split() or full in claim.holder:
                    return full
        if back != index:
            mentioned = [full for short, full in reading.names.items() if short in reading.text(back)]
            if len(mentioned) == 1:
                return mentioned[0]
    return None


def describe(reading: Reading, name: str) -> str:
    """'Musharraf Zaidi' -> 'Musharraf Zaidi (spokesperson for the Prime Minister of Pakistan)'."""
    role = reading.roles.get(name)
    return f"{name} ({role})" if role else name


def sentence_holder(reading: Reading, index: int) -> str | None:
    """Who sentence ``index`` speaks for.

    The speaker of a speech or transcript turn, else the holder its first reported claim
    names (a news report's "Zaidi stressed that").
    """
    speaker = reading.speaker(reading.spans[index][0])
    if speaker:
        return speaker
    claims = reading.claims(index)
    if claims:
        name = holder_of(reading, index, claims[0].holder)
        return describe(reading, name) if name else None
    return None


def holder_key(holder: str) -> str:
    """Holders that name the same party compare equal: 'the Taliban' ~ 'Taliban'."""
    bare = re.sub(r"\s*\(.*\)$", "", re.sub(r",\s*citing .*$", "", holder)).lower()
    bare = re.sub(r"^(?:the|a)\s+", "", bare)
    return bare.replace("’s", "").replace("'s", "").strip()
