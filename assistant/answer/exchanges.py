"""A press briefing's exchanges: what a bare "No" answers, what an official denies or cannot confirm.

* A bare answer: "THE PRESIDENT: No, I don't." takes the side of the reporter's question
  it answers ("Do you feel like there was a mistake made in that regard?"), when that
  question, with what the reporter said before asking it, bears on the question asked.
* A challenge: a reporter who puts a proposition to an official ("the language on Rafah
  was 'we need to see a credible plan', and the language in the last few days is 'we do
  not believe a ground offensive is the right course of action'") holds the other side of
  the official's answer ("Again, no shift in our policy."). The reporter's framing is a
  position of its own, kept apart and cited, never the official's.
* An unconfirmed claim: a claim put to an official ("can you clarify reports in Israel that
  Israel has now accepted the hostage release outline?"), or one they relay ("I've seen
  some early press reporting ..."), that the official then cannot confirm ("No, I'm not
  able to confirm any specifics"): the claim's holder affirms, the official qualifies.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.claims import REPORTER, is_negated, without_label
from assistant.answer.denial import says_opposite
from assistant.answer.holders import holder_key, holder_of
from assistant.answer.proposition import asked_weights, at_stake
from assistant.answer.question import Question
from assistant.answer.reading import Reading
from assistant.answer.select import Candidate, Similarity, candidate, coverage, expand
from assistant.answer.stance import RELEVANT, Stand, stands_of
from assistant.lexical import terms

_BARE = re.compile(
    r"^\W*(?:(?P<no>no|not at all|absolutely not|of course not)|(?P<yes>yes|absolutely))"
    r"(?:\s*[.!]|\s*,\s+(?:I|we|it|they|he|she|that|there)\b)",
    re.IGNORECASE,
)
"""A direct answer: "No, I don't.", "Yes, it was." ("Yeah, look, there's not going to be any
..." only opens an answer)."""
_PUT_BACK = re.compile(
    r"^\W*(?:(?:and|so|but|now|again|okay|well|look)\W+)*(?:as\s+)?you(?:[’']\w+)?\s+(?!know\b)",
    re.IGNORECASE,
)
"""The official's words put back to them: "And you mentioned we don't see any credible threat"."""
_ASKED_SENTENCES = 4
"""How much of a reporter's turn before the question mark is read with it."""
_PREDICATE = 0.5
"""How much of the question's predicate a reporter's question must say to be answered by "No"."""
_FRAMING, _FRAMING_STAKE = 0.4, 0.3
"""How close in meaning, and how much of the question's words, a reporter's framing must say."""
_UNCONFIRMED = re.compile(
    r"\b(?:(?:can(?:no|[’'])?t|cannot|not\s+able\s+to|unable\s+to|not\s+in\s+a\s+position\s+to)\s+confirm"
    r"|(?:do\s+not|don[’']t|not)\s+have\s+(?:any\s+)?(?:information|confirmation)\s+(?:that|on|about)\b"
    r"|no\s+(?:information|confirmation)\s+(?:that|on|about)\b)",
    re.IGNORECASE,
)
"""An official who neither confirms nor denies: "I can't confirm it.", "I don't have any
information that we've been notified ..." (not "we have no evidence that ...", a denial)."""
_AHEAD = 4
"""How many sentences after a claim an official's "I can't confirm" may follow it."""


def bare_answers(scored: list[Candidate], weight: dict[str, float], question: Question) -> list[Stand]:
    """Officials' "No" or "Yes" to a reporter's question on the question's proposition."""
    out: list[Stand] = []
    for cand in scored:
        reading = cand.reading
        match = _BARE.match(without_label(cand.text))
        turn = reading.turn_at(cand.start)
        if not match or turn is None or reading.turn_sentences(turn)[0] != cand.index:
            continue
        questions = [i for i in reading.asked(cand.index) if _asks(reading.text(i))]
        if not questions or questions[-1] + 1 != cand.index:
            continue  # the answer to the question just before it
        last = questions[-1]
        said = _said_up_to(reading, last)
        prompt = candidate(reading, cand.evidence, last, weight)
        if not _bears_on(said, prompt, weight, question):
            continue
        yes = bool(match.group("yes")) != says_opposite(reading.text(last), weight, question)
        out.append(Stand(cand, reading.label(turn), "affirms" if yes else "denies", prompt=prompt))
    return out


def challenges(
    stands: list[Stand], weight: dict[str, float], question: Question, similarity: Similarity
) -> list[Stand]:
    """The reporter's framing that an official's denial answers, as the other side.

    The official's denial must open their answer to the reporter (a turn in between that
    only asks to repeat the question is skipped). The framing is the reporter's statement
    in that turn closest in meaning to the question: not a question, not a restatement of
    what the official said ("You're saying it's not a shift"), nor itself a denial, and on
    the question's words.
    """
    out: list[Stand] = []
    sided = {(s.candidate.reading.doc.id, s.candidate.index) for s in stands}
    for stand in stands:
        cand, reading = stand.candidate, stand.candidate.reading
        turn = reading.turn_at(cand.start)
        if stand.stance != "denies" or not stand.marked or turn is None:
            continue  # a reporter who puts it to an official who agrees is no other side
        if holder_key(stand.holder) != holder_key(reading.label(turn)):
            continue  # a stance the official reports of someone else is not theirs to defend
        asked = reading.asked(cand.index)
        framing = [i for i in asked if (reading.doc.id, i) not in sided and _framing(reading, i)]
        if not framing:
            continue
        close = similarity([(reading, i) for i in framing])
        best, sim = max(zip(framing, close, strict=True), key=lambda p: float(p[1]))
        said = candidate(reading, cand.evidence, best, weight)
        if sim < _FRAMING or coverage(set(said.terms), at_stake(weight, question)) < _FRAMING_STAKE:
            continue
        if any(s.stance == "denies" for s in stands_of(said, weight, question)):
            continue  # the reporter says it too: "Russia's claims have no basis, as you said"
        sided.add((reading.doc.id, best))  # and the answer to it comes first among the official's
        out += [Stand(said, REPORTER, "affirms", rebuttal=True), replace(stand, rebuttal=True)]
    return out


def unconfirmed(
    read: list[Candidate], stands: list[Stand], weight: dict[str, float], question: Question
) -> list[Stand]:
    """Claims on the question's proposition that an official then cannot confirm, and the official.

    The claim is a reporter's sentence of ``read`` that bears on the question (a question
    too: "can you clarify reports that ...?"), or one that affirms it among ``stands`` (a
    claim, not a sentence that only shares the question's words); the official's "I can't
    confirm" follows within ``_AHEAD`` sentences, in their own turn, with no other
    reporter's turn in between.
    """
    out: list[Stand] = []
    taken: set[tuple[str, int]] = set()
    claimants = {(s.candidate.reading.doc.id, s.candidate.index): s.holder
                 for s in stands if s.stance == "affirms" and s.marked}
    for cand in read:
        reading = cand.reading
        turn = reading.turn_at(cand.start)
        if turn is None:
            continue
        if reading.label(turn) == REPORTER:
            holder = REPORTER if _puts(cand, turn, weight, question) else None
        else:
            holder = claimants.get((reading.doc.id, cand.index))
        if holder is None:
            continue
        for index in range(cand.index + 1, min(len(reading.spans), cand.index + 1 + _AHEAD)):
            at = reading.turn_at(reading.spans[index][0])
            official = reading.label(at) if at is not None else REPORTER
            if official == REPORTER:
                if at != turn:
                    break  # a reporter's next question: the answer is to that one
                continue
            if not _UNCONFIRMED.search(reading.text(index)) or holder_key(official) == holder_key(holder):
                continue
            if (reading.doc.id, index) not in taken:
                taken.add((reading.doc.id, index))
                qualifier = candidate(reading, cand.evidence, index, weight)
                out += [Stand(cand, holder, "affirms", rebuttal=True),
                        Stand(qualifier, official, "qualifies", rebuttal=True)]
            break
    return out


def _puts(cand: Candidate, turn: int, weight: dict[str, float], question: Question) -> bool:
    """Whether a reporter's sentence, with what they said before it in that turn, puts a claim on it."""
    reading = cand.reading
    said = _said_up_to(reading, cand.index, reading.turn_sentences(turn)[0])
    return _bears_on(said, cand, weight, question) and not is_negated(cand.text)


def _said_up_to(reading: Reading, index: int, first: int = 0) -> str:
    """Sentence ``index`` with the few before it (from ``first`` on): what a reporter put."""
    return " ".join(reading.text(i) for i in range(max(first, index - _ASKED_SENTENCES + 1), index + 1))


def _bears_on(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Whether a reporter's question, with what they said before asking it, bears on the question.

    Most of its predicate, and its names, near it or in the document.
    """
    found = expand(set(terms(text)), cand.reading)
    if coverage(found | cand.context, at_stake(weight, question)) < RELEVANT:
        return False
    predicate = asked_weights(weight, question)
    named = all(t in found or t in cand.context or t in cand.reading.vocabulary for t in question.entities)
    return named and (not predicate or coverage(found, predicate) >= _PREDICATE)


def _asks(text: str) -> bool:
    return text.rstrip("”’\"' )").endswith("?")


def _framing(reading: Reading, index: int) -> bool:
    """A reporter's own statement.

    Not a question, nor the official's words put back to them ("You're saying it's not a
    shift"), nor someone else's claim relayed ("Russia is blaming Ukraine"): that is the
    party's own position.
    """
    text = without_label(reading.text(index))
    if _asks(text) or len(text.split()) < 6 or _PUT_BACK.match(text):
        return False
    return all(holder_of(reading, index, c.holder) in ("", REPORTER) for c in reading.claims(index))
