"""Who affirms and who denies the question's proposition, and where they disagree.

For each answering sentence, the claims it reports are read innermost first: a
nested claim decides its own holder's stance (polarity, flipped by negation); a
denial that wraps someone else's relevant claim ("Zaidi rejected allegations made
by Mujahid that ...") gives the wrapper the opposite stance; an assertion that wraps
a denial is only reporting it. Sentences without a reported claim speak for the
document's speaker, when there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.claims import Claim, is_negated
from assistant.answer.reading import describe, holder_of
from assistant.answer.question import Question
from assistant.answer.select import Candidate, coverage, expand, names_entities
from assistant.lexical import terms
from assistant.types import Stance

RELEVANT = 0.65
_ANAPHOR = re.compile(r"^\s*(?:these|those|the|such|this|that)\s+(?:allegations?|claims?|accusations?|charges?|narrative)",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Stand:
    """One holder's stance, as one sentence shows it."""

    candidate: Candidate
    holder: str
    stance: Stance


def _relevant(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    found = expand(set(terms(text)), cand.reading)
    return coverage(found, weight) >= RELEVANT and names_entities(
        question, found, cand.context, weight, cand.reading.vocabulary
    )


def _own_text(sentence: str, claim: Claim, claims: list[Claim]) -> str:
    """A claim's content up to where a nested claim begins."""
    nested = [c.start for c in claims if claim.start < c.start < claim.end]
    end = min(nested) if nested else claim.end
    return sentence[claim.start : end]


def _antecedent_relevant(cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Whether 'these allegations' refers to a relevant claim a sentence or two before."""
    for back in range(cand.index - 1, max(-1, cand.index - 3), -1):
        if _relevant(cand.reading.text(back), cand, weight, question):
            return True
    return False


def stands_of(cand: Candidate, weight: dict[str, float], question: Question) -> list[Stand]:
    """The stances a sentence shows on the question's proposition."""
    reading, sentence = cand.reading, cand.text
    claims = reading.claims(cand.index)
    out: list[Stand] = []
    decided: dict[int, Stance] = {}
    for i in range(len(claims) - 1, -1, -1):
        claim = claims[i]
        own = _own_text(sentence, claim, claims)
        inner = [decided[j] for j in decided if claim.start < claims[j].start < claim.end]
        if inner:
            if claim.polarity == "deny":
                stance: Stance = "denies" if inner[0] == "affirms" else "affirms"
            elif inner[0] == "affirms":
                stance = "affirms"
            else:
                continue  # only reporting someone else's denial
        elif _relevant(own, cand, weight, question) or (
            _ANAPHOR.match(own) and _antecedent_relevant(cand, weight, question)
        ):
            negative = (claim.polarity == "deny") != is_negated(own)
            stance = "denies" if negative else "affirms"
        else:
            continue
        decided[i] = stance
        holder = holder_of(reading, cand.index, claim.holder)
        if holder:
            out.append(Stand(cand, describe(reading, holder), stance))
    if not claims and _relevant(sentence, cand, weight, question):
        speaker = reading.speaker(cand.start)
        if speaker:
            out.append(Stand(cand, speaker, "denies" if is_negated(sentence) else "affirms"))
    return out


def holder_key(holder: str) -> str:
    """Holders that name the same party compare equal: 'the Taliban' ~ 'Taliban'."""
    bare = re.sub(r"\s*\(.*\)$", "", holder).lower()
    bare = re.sub(r"^(?:the|a)\s+", "", bare)
    return bare.replace("’s", "").replace("'s", "").strip()


def opposed(stands: list[Stand]) -> bool:
    """Whether different holders take opposite stances."""
    affirm = {holder_key(s.holder) for s in stands if s.stance == "affirms"}
    deny = {holder_key(s.holder) for s in stands if s.stance == "denies"}
    return bool(affirm and deny and (affirm - deny or deny - affirm) and (affirm | deny) - (affirm & deny))
