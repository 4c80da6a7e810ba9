"""The stances read from single sentences, judged together.

A speaker's rebuttal of a claim they report, a rejection of "these allegations" near one,
each holder's prevailing stance, and whether holders disagree.
"""

from __future__ import annotations

import re

from assistant.answer.holders import holder_key, holder_of
from assistant.answer.question import Question
from assistant.answer.reading import Reading
from assistant.answer.select import candidate, coverage
from assistant.answer.stance import ANAPHOR, Stand
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


_NEAR = 3
"""How many sentences from a reported claim a rejection of "these allegations" may be."""


def rejections(stands: list[Stand], weight: dict[str, float]) -> list[Stand]:
    """Who rejects a claim the document reports, as the other side.

    "Mujahid further claimed that the attack was the result of Pakistan's support for
    ISIS. ... Zaidi dismissed these allegations": Zaidi denies what Mujahid claims, though
    his sentence says none of it. A rejection of "these allegations" or "the claims" near
    the claim counts when the claim's holder is the last one the document reports making
    a claim before it.
    """
    out: list[Stand] = []
    for stand in stands:
        cand, reading = stand.candidate, stand.candidate.reading
        if stand.stance not in _OPPOSITE or not _claims(reading, cand.index, stand.holder):
            continue
        for index in range(max(0, cand.index - _NEAR), min(len(reading.spans), cand.index + _NEAR + 1)):
            rejecter = _rejecter(reading, index)
            if index == cand.index or not rejecter or holder_key(rejecter) == holder_key(stand.holder):
                continue
            if holder_key(_last_claimant(reading, index, rejecter) or "") == holder_key(stand.holder):
                rejecting = candidate(reading, cand.evidence, index, weight)
                out.append(Stand(rejecting, rejecter, _OPPOSITE[stand.stance]))
    return out


def _claims(reading: Reading, index: int, holder: str) -> bool:
    """Whether sentence ``index`` reports ``holder`` claiming something."""
    key = holder_key(holder)
    return any(
        claim.polarity == "assert" and holder_key(holder_of(reading, index, claim.holder) or "") == key
        for claim in reading.claims(index)
    )


def _rejecter(reading: Reading, index: int) -> str | None:
    """Who sentence ``index`` says rejects "these allegations" (or "the claims" ...), if anyone."""
    text = reading.text(index)
    for claim in reading.claims(index):
        if claim.polarity == "deny" and ANAPHOR.match(text[claim.start : claim.end]):
            return holder_of(reading, index, claim.holder)
    return None


def _last_claimant(reading: Reading, index: int, rejecter: str) -> str | None:
    """Whose claim the few sentences before ``index`` report last, leaving out ``rejecter``'s."""
    for back in range(index - 1, max(-1, index - _NEAR - 1), -1):
        holders = [holder_of(reading, back, c.holder) for c in reading.claims(back) if c.polarity == "assert"]
        others = [h for h in holders if h and holder_key(h) != holder_key(rejecter)]
        if others:
            return others[-1]
    return None


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
    """Whether some holder affirms what another denies or cannot confirm (after :func:`settle`)."""
    stances = {s.stance for s in stands}
    return {"affirms", "denies"} <= stances or {"affirms", "qualifies"} <= stances
