"""How a cited sentence reads in an answer: who said it, pronouns resolved, marker placed."""

from __future__ import annotations

import re

from assistant.answer.claims import PRONOUNS, REPORTER, without_label
from assistant.answer.reading import holder_of, sentence_holder
from assistant.answer.select import Candidate

_ANAPHOR = re.compile(r"\b(these|those|such)\s+(allegations|claims|accusations|charges)\b", re.IGNORECASE)


def holder_for(cand: Candidate) -> str | None:
    """Who a cited sentence speaks for."""
    return sentence_holder(cand.reading, cand.index)


def plain(cand: Candidate) -> str:
    """The sentence with pronouns resolved and whitespace tidied, no marker."""
    text = re.sub(r"^[-*•]\s+", "", " ".join(without_label(cand.text).split()))  # a label, a list bullet
    claims = cand.reading.claims(cand.index)
    for claim in claims[:1]:
        word = claim.holder.strip()
        if word.lower() in PRONOUNS:
            name = holder_of(cand.reading, cand.index, word)
            if name and name != word:
                text = re.sub(rf"\b{re.escape(word)}\b", name, text, count=1)
    opening = re.match(r"(His|Her)\s", text)
    if opening and not cand.reading.speaker(cand.start):  # "His remarks came after ..." in a report
        name = holder_of(cand.reading, cand.index, "he")
        if name and name != "he":
            text = f"{name}’s{text[len(opening.group(1)) :]}"
    match = _ANAPHOR.search(text)
    if match:
        earlier = _earlier_holder(cand)
        if earlier:
            text = f"{text[: match.end()]} [by {earlier}]{text[match.end() :]}"
    speaker = cand.reading.speaker(cand.start)
    if speaker:
        asks = speaker == REPORTER and cand.text.rstrip("”’\"' )").endswith("?")
        text = f"{speaker} {'asked' if asks else 'said'}: “{text}”"
    return text


def _earlier_holder(cand: Candidate) -> str | None:
    """Who made the allegations a sentence calls 'these allegations'."""
    own = {c.holder for c in cand.reading.claims(cand.index)}
    for back in range(cand.index - 1, max(-1, cand.index - 3), -1):
        for claim in cand.reading.claims(back):
            name = holder_of(cand.reading, back, claim.holder)
            if claim.polarity == "assert" and name and name not in own and name.lower() not in PRONOUNS:
                own_names = {holder_of(cand.reading, cand.index, h) for h in own}
                if name not in own_names:
                    return name
    return None


def render(cand: Candidate, n: int) -> str:
    """The answer sentence for ``cand``, with its marker before the final punctuation."""
    text = plain(cand)
    if text.endswith("”"):  # a quoted sentence: the marker goes after the closing quote
        inner = re.sub(r"\.+((?:''|[\"'’”])*)$", r"\1", text[:-1])  # "... Pakistan.''" -> "... Pakistan''"
        return f"{inner}” [{n}]."  # a period also after a quoted question keeps the marker in its sentence
    match = re.search(r"([.!?…]+[\"'”’)]*)$", text)
    if match:
        return f"{text[: match.start()]} [{n}]{match.group(1)}"
    return f"{text} [{n}]."
