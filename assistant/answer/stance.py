"""Who affirms and who denies the question's proposition, sentence by sentence.

For each answering sentence, the claims it reports are read innermost first: a
nested claim decides its own holder's stance (polarity, flipped by negation); a
denial that wraps someone else's relevant claim ("Zaidi rejected allegations made
by Mujahid that ...") gives the wrapper the opposite stance; an assertion that wraps
a denial is only reporting it. Sentences without a reported claim speak for the
document's speaker, when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from assistant.answer.claims import PRONOUNS, Claim, is_negated
from assistant.answer.denial import (
    CAUSE,
    blames_another,
    denies_a_name,
    excludes,
    negates,
    opposes,
    says_opposite,
)
from assistant.answer.holders import describe, holder_of, sentence_holder
from assistant.answer.lexicon import BLAME, CAPITALS, opposite_terms, phrase_terms
from assistant.answer.proposition import asked_weights, at_stake, described_terms, subject_terms
from assistant.answer.question import Question
from assistant.answer.referring import (
    WHOLE,
    aimed_elsewhere,
    is_said_of_the_asked,
    owned_by_others,
    placed_otherwise,
    referred,
)
from assistant.answer.select import Candidate, coverage, expand, sentence_terms
from assistant.lexical import terms
from assistant.types import Stance

RELEVANT = 0.65
ANAPHOR = re.compile(
    r"^\s*(?:these|those|the|such|this|that)\s+(?:allegations?|claims?|accusations?|charges?|narrative)",
    re.IGNORECASE,
)

_COMMITMENT = re.compile(
    r"\b(?:will|would|must|should|shall|cannot|can[’']t|won[’']t)\s+(?:not\s+|never\s+)?(?:again\s+)?"
    r"(?:allow|let|permit|tolerate)\b|\bnever\s+again\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Stand:
    """One holder's stance, as one sentence shows it."""

    candidate: Candidate
    holder: str
    stance: Stance
    rebuttal: bool = False
    """Said in answer to a reported claim: it outweighs the holder's other sentences."""
    marked: bool = True
    """Shown by a reporting verb, a denial or a rebuttal; not by plainly saying the question's
    words, which a sentence on the subject may do without meaning to affirm it."""
    prompt: Candidate | None = None
    """The reporter's question a bare "No" or "Yes" answers: said before it, so it reads."""


def _relevant(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Whether claimed ``text`` bears on the question's proposition.

    The question's names must be in the sentence (the holder may be one of them:
    "Russia is blaming Ukraine"), and the question's predicate in what is claimed, in its
    words or, in a sentence as close to the question as ``SAYS_IT``, in other words.
    """
    found = expand({*terms(text), *phrase_terms(text)}, cand.reading)  # "kept its word": fulfilled
    nearby = cand.terms | cand.context  # "They will have ..." names the Taliban a sentence earlier
    asked = {t for i in cand.reading.asked(cand.index) for t in sentence_terms(cand.reading, i)}
    nearby |= asked  # an official's "there's no change in our policy here" is on what the reporter asked
    nearby |= referred(text, cand, question)  # "None of his family members were hurt": Zawahiri's
    # The predicate matters too: "operate independently" is not "operate", and "Kabul's
    # support" is Kabul's, not the subject's.
    predicate = asked_weights(weight, question)
    found -= aimed_elsewhere(text, question, cand, set(predicate))  # "supporting ISIS", asked of the Taliban
    if not question.entities or set(question.entities) & found:  # said of it, not of another:
        found |= opposite_terms(found) & set(predicate)  # "weaker" speaks to "gaining strength"
    if CAUSE.search(text):
        found |= BLAME & set(predicate)  # "not because of Pakistan" speaks to blame
    if is_said_of_the_asked(text, found, asked, cand, predicate, at_stake(weight, question)):
        return True  # "There's no reason for it to be any kind of escalation", to "Is this an escalation?"
    if not _of_subject(found | nearby, cand, question):
        return False
    if placed_otherwise(text, question, cand, set(predicate)):
        return False  # "winning the war on terror", for the war in Afghanistan
    said = coverage(found - owned_by_others(text, question, cand), predicate) if predicate else 1.0
    named = all(t in cand.reading.vocabulary for t in question.entities)
    if said >= WHOLE and len(predicate) >= _WHOLE_TERMS and named:
        return True  # "no inclusive Government has been formed", in a speech on the Taliban's Afghanistan
    if coverage(found | nearby, at_stake(weight, question)) < RELEVANT:
        return False
    described = described_terms(question.text)  # names in "for the Taliban's comeback" need only be in it
    if all(t in nearby or (t in described and _in_document(t, cand)) for t in question.entities):
        return _says_it(cand, question) or said >= 0.5
    # The whole predicate, said of a name of the question, in a document that names the rest.
    return said >= WHOLE and named and any(t in found or t in asked for t in question.entities)


def _excludes(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Says the predicate of another party alone, near most of the question's names (see ``excludes``)."""
    named = sum(t in cand.terms or t in cand.context for t in question.entities)
    return 2 * named >= len(question.entities) and excludes(text, cand, weight, question)


def _of_subject(said: AbstractSet[str], cand: Candidate, question: Question) -> bool:
    """Whether ``said`` (a sentence's terms and those near it) speaks of the question's subject.

    Its words besides names ("family members" of "Zawahiri's family members"): "killing 224
    and wounding 4,500 others" says nothing of his family.
    """
    subject = set(subject_terms(question.text)) - set(question.entities)
    return not subject or bool(expand(subject, cand.reading) & said)


def _in_document(name: str, cand: Candidate) -> bool:
    """Whether the document names ``name``, or the country whose capital it is."""
    vocabulary = cand.reading.vocabulary
    return name in vocabulary or CAPITALS.get(name, "") in vocabulary


_WHOLE_TERMS = 3
"""A predicate this long, said whole, takes a side without the question's names nearby."""


def _own_text(sentence: str, claim: Claim, claims: list[Claim]) -> str:
    """A claim's content up to where a nested claim begins."""
    nested = [c.start for c in claims if claim.start < c.start < claim.end]
    end = min(nested) if nested else claim.end
    return sentence[claim.start : end]


_PERSONAL = re.compile(r"^\s*(?:that\s+)?(?:he|she|they|it)\b", re.IGNORECASE)


def _of_the_same(own: str, weight: dict[str, float], question: Question) -> bool:
    """Whether a claim says the predicate of whom its pronoun refers to.

    "We have no reason to believe that he was killed", after a question on the son.
    """
    return bool(_PERSONAL.match(own)) and bool(set(terms(own)) & set(asked_weights(weight, question)))


def _antecedent_relevant(cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Whether 'these allegations' refers to a relevant claim a sentence or two before."""
    for back in range(cand.index - 1, max(-1, cand.index - 3), -1):
        if _relevant(cand.reading.text(back), cand, weight, question):
            return True
    return False


def stands_of(cand: Candidate, weight: dict[str, float], question: Question) -> list[Stand]:
    """The stances a sentence shows on the question's proposition."""
    reading, sentence = cand.reading, cand.text
    if sentence.rstrip("”’\"' )").endswith("?"):
        return []  # a question asserts nothing
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
        elif _COMMITMENT.search(own):
            continue  # "we will not allow Afghanistan to become a safe haven": a pledge, not a finding
        elif (alone := _excludes(own, cand, weight, question)) or _relevant(own, cand, weight, question) or (
            (ANAPHOR.match(own) or _of_the_same(own, weight, question))
            and _antecedent_relevant(cand, weight, question)
        ):
            denied = alone or (  # "only Zawahiri died"
                is_negated(own) and negates(own, cand, weight, question) is True  # and of it
            )
            negative = (claim.polarity == "deny") != (denied != says_opposite(own, weight, question))
            stance = "denies" if negative else "affirms"
        else:
            continue
        decided[i] = stance
        holder = holder_of(reading, cand.index, claim.holder)
        if not holder or holder.lower() in PRONOUNS:  # "they" the document does not resolve
            continue
        cited = _cited_source(reading.names, claims, i, decided, stands=out)
        named = describe(reading, holder)
        relayed = _relayed(holder, reading.speaker(cand.start))
        out.append(Stand(cand, f"{named}, citing {cited}" if cited else relayed or named, stance))
    if claims or _COMMITMENT.search(sentence):
        return out
    alone = _excludes(sentence, cand, weight, question)  # "we killed Zawahiri and no other individuals"
    predicate = set(asked_weights(weight, question))
    elsewhere = aimed_elsewhere(sentence, question, cand, predicate)
    if elsewhere and not alone and not (predicate & expand(set(terms(sentence)), reading)) - elsewhere:
        return out  # close in meaning, but of another party: "supporting the Green Front"
    if alone or _relevant(sentence, cand, weight, question) or _close(cand, question, weight) or opposes(
        cand, weight, question
    ):
        speaker = sentence_holder(reading, cand.index)
        negated = True if alone else negates(sentence, cand, weight, question)
        if negated is False and blames_another(sentence, cand, question):
            negated = None  # "because of this neglect ...": a cause, but not the subject
        if speaker and negated is not None:
            out.append(Stand(cand, speaker, "denies" if negated else "affirms", marked=negated))
    return out


SEMANTIC_COVERAGE = 0.3
"""How much of a yes/no question a sentence close in meaning must share to take a side
without a word of its predicate or a denial (the same floor answers have)."""
SEMANTIC_STANCE = 0.5
"""A yes/no question's proposition is at stake in a sentence this close to it in meaning
(and naming its subject), even when the words differ: "There was no linkage to Ukraine."."""
SAYS_IT = 0.65
"""A sentence this close to a yes/no question says its predicate in other words."""


def _says_it(cand: Candidate, question: Question) -> bool:
    """Close enough in meaning to say the question's predicate in other words.

    Not in a follow-up: its similarity is to the earlier question too ("Were any of his
    relatives hurt?" after one on the strike is close to every sentence on the strike).
    """
    return cand.similarity >= SAYS_IT and question.own_terms == question.terms


_PREDICATE_SHARE = 0.4
"""How much of the predicate a sentence close in meaning must say: "the war" is not "win the war"."""


def _close(cand: Candidate, question: Question, weight: dict[str, float]) -> bool:
    """Close in meaning to a yes/no question, naming its names, and saying something of it.

    Much of its predicate, a denial, or enough of its words: a sentence that shares only
    the question's names ("... make clear to the Taliban that ...") takes no side.
    """
    asks = cand.text.rstrip("”’\"' )").endswith("?")
    if question.kind != "yesno" or cand.similarity < SEMANTIC_STANCE or asks:
        return False
    if not _of_subject(cand.terms | cand.context, cand, question):
        return False
    named = [t in cand.terms or t in cand.context for t in question.entities]
    denial = _says_it(cand, question) and is_negated(cand.text)  # very close, and a denial
    if not all(named) and not (denial and 2 * sum(named) >= len(named)):
        return False
    predicate = asked_weights(weight, question)
    if not predicate or coverage(set(cand.terms), predicate) >= _PREDICATE_SHARE or _says_it(cand, question):
        return True
    # Neither its predicate nor very close: only a denial takes a side ("There was no
    # linkage to Ukraine"); "Pakistan shares the concern about terrorist groups in
    # Afghanistan" does not affirm that Pakistan is to blame for the Taliban.
    return denies_a_name(cand, question) and cand.coverage >= SEMANTIC_COVERAGE


_DOCUMENTS = re.compile(
    r"\b(?:reports?|documentation|findings|documents?|assessments?|data|studies|records)\b", re.IGNORECASE
)


_UNNAMED_DOCUMENT = re.compile(
    r"^(?:(?:the|their|its|his|her|our|press|media|news|official|recent|these|those|some|many)\s+)*"
    r"(?:reports?|documentation|findings|documents?|assessments?|data|studies|records)$",
    re.IGNORECASE,
)


def _relayed(holder: str, speaker: str | None) -> str | None:
    """"Mr. Pallone, citing reports" for a claim of unnamed "reports" in Mr. Pallone's statement."""
    if speaker and _UNNAMED_DOCUMENT.match(holder.strip()):
        return f"{speaker}, citing {holder[:1].lower()}{holder[1:]}"
    return None


def _cited_source(
    names: dict[str, str], claims: list[Claim], outer: int, decided: dict[int, Stance], stands: list[Stand]
) -> str | None:
    """The document an asserting holder relays ("according to him, UN documentation shows").

    Holder and document then take one position ("Zaidi, citing UN documentation"), not two.
    """
    claim = claims[outer]
    if claim.polarity != "assert":
        return None
    for j in decided:
        inner = claims[j]
        if claim.start < inner.start < claim.end and _DOCUMENTS.search(inner.holder):
            if not any(short in inner.holder for short in names):
                stands[:] = [s for s in stands if s.holder != inner.holder]
                return re.sub(r"^(?:the|official)\s+", "", inner.holder, flags=re.I)
    return None
