"""The sentences that complete an answering sentence.

What it introduces, what its holder goes on to say, what it adds or what the next sentence
says of it, and the figures that itemise it.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from assistant.answer.counting import NUMBER
from assistant.answer.question import Question
from assistant.answer.select import Candidate, candidate, coverage

_ADDING = re.compile(
    r"^\W*(?:and|also|in addition|moreover|furthermore|besides|what is more)\b|^\W*(?:\w+\s+){1,4}also\b",
    re.IGNORECASE,
)
_ELABORATING = re.compile(
    r"^\W*(?:in (?:his|her|their) (?:view|words)|according to (?:him|her|them)|"
    r"(?:he|she|they)\s+(?:\w+ly\s+)?(?:added|noted|stressed|argued|explained|warned|emphasi[sz]ed|described|"
    r"called|dismissed|rejected|insisted|maintained|said)\b)",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"\b(?:cost|costs|toll|damage|damages|losses|how badly|price)\b"
    r"|\bhow much\b(?!\s+(?:[\w-]+\s+){0,6}?(?:rise|rose|risen|increase|increased|grow|grew|grown|"
    r"fall|fell|fallen|drop|dropped|decline|declined|change|changed)\b)",
    re.IGNORECASE,
)
"""What a cost is: its figures itemise it. Not how much one thing rose or fell: a figure after
that is of something else ("roadside bombs doubled" after "suicide attacks rose")."""
_ANNOUNCING = re.compile(
    r"\b(?:I|we)\s+(?:now\s+)?(?:want|wish|would like|intend|turn)\s+(?:to\s+)?"
    r"(?:talk|speak|turn|say a few words|address|touch|dwell|focus|comment|raise)\b"
    r"|\blet me (?:now\s+)?(?:turn|talk|speak|address|say a word|touch|comment|raise)\b"
    r"|^\W*turning (?:now\s+)?to\b",
    re.IGNORECASE,
)
"""'I want to talk about Afghanistan': what follows is what was said about it."""
_REFERRING = re.compile(r"^\W*(?:his|her|their|its|this|these|those|he|she|they)\b", re.IGNORECASE)
"""A sentence that opens by referring back: "His concerns and warnings ... fell on deaf ears"."""
_MAX_FOLLOWING = 3
_ON_IT = 0.25
"""How much of the question a sentence that goes on must name to be on it."""


def continued(
    question: Question, chosen: list[Candidate], weight: dict[str, float],
    sides: AbstractSet[tuple[str, int]] = frozenset(),
) -> list[Candidate]:
    """``chosen`` with the sentences that complete each one.

    What follows "testified that:" or "I want to talk about Afghanistan.", an "In his view,
    ..." that goes on with the same holder's claim (on the question's subject, or after a
    sentence among ``sides``, those that take a side on a yes/no question), an "And we also
    ..." that adds to it on the question's subject, a "His warnings fell on deaf ears" that
    refers back to it and says a word of the question it did not, and the short figures that
    itemise a cost ("Some 80,000 Pakistanis died.").
    """
    out: list[Candidate] = []
    taken = {(c.reading.doc.id, c.index) for c in chosen}
    for cand in chosen:
        out.append(cand)
        reading, prev = cand.reading, cand
        speaker = reading.speaker(cand.start)
        for index in range(cand.index + 1, min(len(reading.spans), cand.index + 1 + _MAX_FOLLOWING)):
            if (reading.doc.id, index) in taken:
                break
            said_by = reading.speaker(reading.spans[index][0])
            if said_by != speaker and not prev.text.rstrip().endswith(":"):
                break  # another speaker, unless the sentence before hands over to their words
            speaker = said_by
            nxt = candidate(reading, cand.evidence, index, weight)
            announced = index <= cand.index + 2 and _announces(cand.text)
            took_side = (reading.doc.id, cand.index) in sides
            if not (announced or _completes(question, prev, nxt, weight, took_side)):
                break
            taken.add((reading.doc.id, index))
            out.append(nxt)
            prev = nxt
    return out


def _announces(text: str) -> bool:
    """A short sentence that only opens a topic ("And now I want to talk about Afghanistan.")."""
    return len(text.split()) <= 15 and bool(_ANNOUNCING.search(text))


def _completes(
    question: Question, prev: Candidate, nxt: Candidate, weight: dict[str, float], took_side: bool
) -> bool:
    if nxt.text.rstrip("”’\"' )").endswith("?"):
        return False  # a question completes nothing
    if prev.text.rstrip().endswith(":"):
        return True
    text = nxt.text
    on_it = coverage(set(nxt.terms), weight) >= _ON_IT
    if _ELABORATING.search(text):  # "In his view, ...": the same holder goes on, on the question
        return on_it or took_side  # or on the side the sentence it follows takes
    if _QUANTITY.search(question.text) and NUMBER.search(text) and len(text.split()) <= 16:
        return True
    if _REFERRING.match(text) and question.kind != "yesno":  # what became of it, who did it ...
        return any(t in nxt.terms and t not in prev.terms and t not in question.entities for t in weight)
    return bool(_ADDING.search(text)) and on_it
