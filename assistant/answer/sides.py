"""The stances read from single sentences, judged together.

A speaker's rebuttal of a claim they report, each holder's prevailing stance, and whether
holders disagree.
"""

from __future__ import annotations

import re

from assistant.answer.question import Question
from assistant.answer.select import candidate, coverage
from assistant.answer.stance import Stand
from assistant.types import Stance

_REBUTS = re.compile(
    r"^\W*(?:the fact is|in fact|in reality|the reality is|the truth is|on the contrary|contrary to|"
    r"that is not (?:true|the case)|nothing could be further)\b",
    re.IGNORECASE,
)
_CONTRASTS = re.compile(r"^\W*(?:but|yet|however|instead|still)\b", re.IGNORECASE)
_OPPOSITE: dict[Stance, Stance] = {"affirms": "denies", "denies": "affirms"}


def rebuttals(stands: list[Stand], weight: dict[str, float], question: Question) -> list[Stand]:
    """The speaker's answer to a claim they report, as the other side.

    "Bush said that al Qaeda is on the run. The fact is that attacks have increased."

    A sentence of the same speaker just after someone else's claim that opens with "The fact
    is", "In reality" ... takes the opposite stance; one that opens with "But" or "However"
    does when it is on the question's subject too.
    """
    out: list[Stand] = []
    for stand in stands:
        cand, reading = stand.candidate, stand.candidate.reading
        speaker = reading.speaker(cand.start)
        if stand.stance not in _OPPOSITE or not speaker or holder_key(speaker) == holder_key(stand.holder):
            continue
        for index in range(cand.index + 1, min(len(reading.spans), cand.index + 3)):
            if reading.speaker(reading.spans[index][0]) != speaker:
                break
            text = reading.text(index)
            nxt = candidate(reading, cand.evidence, index, weight)
            if _REBUTS.match(text) or (_CONTRASTS.match(text) and coverage(set(nxt.terms), weight) >= 0.3):
                out.append(Stand(nxt, speaker, _OPPOSITE[stand.stance], rebuttal=True))
                break
    return out


def holder_key(holder: str) -> str:
    """Holders that name the same party compare equal: 'the Taliban' ~ 'Taliban'."""
    bare = re.sub(r"\s*\(.*\)$", "", re.sub(r",\s*citing .*$", "", holder)).lower()
    bare = re.sub(r"^(?:the|a)\s+", "", bare)
    return bare.replace("’s", "").replace("'s", "").strip()


def settle(stands: list[Stand]) -> list[Stand]:
    """Keep each holder's prevailing stance.

    A rebuttal's, else a marked one's (a claim or a denial outweighs sentences that merely
    share the question's words: "we have no evidence of any other loss of life" over "the
    strike killed Zawahiri"), else that of most sentences (the best-ranked on a tie).
    Unmarked affirmations give way to a marked one of any holder.
    """
    votes: dict[str, list[Stand]] = {}
    for stand in stands:
        votes.setdefault(holder_key(stand.holder), []).append(stand)
    kept: list[Stand] = []
    for group in votes.values():
        counts = {s.stance: sum(1 for g in group if g.stance == s.stance) for s in group}
        winner = max(group, key=lambda s: (s.rebuttal, s.marked, counts[s.stance])).stance
        kept.extend(s for s in group if s.stance == winner)
    if any(s.marked and s.stance == "affirms" for s in kept):
        # Someone says so in as many words: a sentence that only shares them is no side.
        kept = [s for s in kept if s.marked or s.stance != "affirms"]
    return kept


def opposed(stands: list[Stand]) -> bool:
    """Whether some holder affirms what another denies (after :func:`settle`)."""
    stances = {s.stance for s in stands}
    return {"affirms", "denies"} <= stances
