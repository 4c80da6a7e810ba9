"""Who did it, by whose account: a who-question whose sources name different perpetrators.

"Who was behind the attack in Russia?" The White House says ISIS bears sole responsibility;
Russia blames Ukraine. Names that share a word agree ("ISIS" and its branch "ISIS-K"); names
that share none, given by different holders, disagree, so long as one of them is an
accusation ("blames", "accuses"), where such disputes are: sentences naming a group and its
leader do not disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.question import Question
from assistant.answer.select import Candidate
from assistant.lexical import terms

_ASKS_AGENT = re.compile(
    r"^who\s+(?:(?:was|were|is|are)\s+(?:behind|responsible\s+for)|carried\s+out|perpetrated|orchestrated|"
    r"masterminded|committed|attacked|bombed)\b",
    re.IGNORECASE,
)
"""'Who was behind ...?', 'Who carried out ...?': a question for the perpetrator."""
_NAME = r"(?:[Tt]he\s+)?(?P<agent>[A-Z][\w’'-]*(?:\s+(?:al-|bin\s+)?[A-Z][\w’'-]*)*)"
_ACCUSES = r"\b(?:blam(?:e|es|ed|ing)|accus(?:e|es|ed|ing))\s+"
_AGENT = [
    re.compile(_ACCUSES + _NAME + r"\s+(?:for|of)\b"),  # "Russia is blaming Ukraine for this attack"
    re.compile(_NAME + r"\s+(?:bears?|bore|(?:has\s+)?claimed|took|accepted)\s+(?:\w+\s+)?responsibility\b"),
    re.compile(
        r"\b(?:carried\s+out|perpetrated|committed|orchestrated|masterminded)\s+by\s+"
        r"(?:a\s+group\s+known\s+as\s+)?" + _NAME
    ),
    re.compile(
        _NAME + r"\s+(?:carried\s+out|perpetrated|orchestrated|masterminded|(?:was|were|is|are)\s+behind)\b"
    ),
]
_ACCUSER = re.compile(r"(?P<who>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+(?:\w+\s+){0,3}?" + _ACCUSES)
_SCAN = 16
"""How far down the ranking sentences are read for the names they give."""
_ABOUT_IT = 0.5
"""How much of the question a sentence must say to name its perpetrator."""


def agent_named(text: str) -> str | None:
    """The perpetrator a sentence names ("ISIS-K" in "an attack carried out by ISIS-K operatives")."""
    for pattern in _AGENT:
        match = pattern.search(text)
        if match:
            return match.group("agent")
    return None


def accuser(text: str) -> str | None:
    """Who a sentence says is blaming or accusing ("Russia" in "Russia is blaming Ukraine")."""
    match = _ACCUSER.search(text)
    return match.group("who") if match else None


def value_holder(cand: Candidate, holder: Callable[[Candidate], str | None]) -> str | None:
    """Whose value a sentence gives: the accuser's ("Russia is blaming Ukraine"), else its holder's."""
    return accuser(cand.text) or holder(cand)


def differing_agents(
    question: Question, scored: list[Candidate], holder: Callable[[Candidate], str | None]
) -> list[tuple[Candidate, str]]:
    """One sentence per perpetrator named, when holders name different ones; else empty."""
    if not _ASKS_AGENT.match(question.text.strip()):
        return []
    asked = set(question.terms)
    named: list[tuple[Candidate, str, str | None]] = []
    for cand in scored[:_SCAN]:
        agent = agent_named(cand.text)
        if agent is None or cand.coverage < _ABOUT_IT or set(terms(agent)) & asked:
            continue  # a name the question gives ("Russia") is not who did it
        named.append((cand, agent, value_holder(cand, holder)))
    distinct: list[tuple[Candidate, str, str | None]] = []
    for item in named:
        if not any(set(terms(item[1])) & set(terms(other[1])) for other in distinct):
            distinct.append(item)
    holders = {who for _, _, who in distinct}
    accused = any(accuser(cand.text) for cand, _, _ in distinct)
    if len(distinct) < 2 or len(holders) < 2 or not accused:
        return []
    return [(cand, agent) for cand, agent, _ in distinct]
