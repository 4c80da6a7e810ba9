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
from dataclasses import dataclass

from assistant.answer.claims import DISMISSIVE, NEGATION, PRONOUNS, Claim, is_negated
from assistant.answer.lexicon import BLAME, CAPITALS, REPORTING, TIMELESS, opposite_terms
from assistant.answer.proposition import described_terms, subject_terms
from assistant.answer.question import Question, is_date_term, name_terms
from assistant.answer.reading import describe, holder_of, sentence_holder
from assistant.answer.select import Candidate, coverage, expand
from assistant.lexical import terms
from assistant.types import Stance

RELEVANT = 0.65
WHOLE = 0.99
"""All of the predicate: what a claim must say when the question's names are not all near it."""
_ANAPHOR = re.compile(
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


def _relevant(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Whether claimed ``text`` bears on the question's proposition.

    The question's names must be in the sentence (the holder may be one of them:
    "Russia is blaming Ukraine"), and the question's predicate in what is claimed, in its
    words or, in a sentence as close to the question as ``SAYS_IT``, in other words.
    """
    found = expand(set(terms(text)), cand.reading)
    nearby = cand.terms | cand.context  # "They will have ..." names the Taliban a sentence earlier
    # The predicate matters too: "operate independently" is not "operate", and "Kabul's
    # support" is Kabul's, not the subject's.
    predicate = _predicate(weight, question)
    found |= opposite_terms(found) & set(predicate)  # "weaker" speaks to "gaining strength"
    if _CAUSE.search(text):
        found |= BLAME & set(predicate)  # "not because of Pakistan" speaks to blame
    said = coverage(found - _owned_by_others(text, question, cand), predicate) if predicate else 1.0
    named = all(t in cand.reading.vocabulary for t in question.entities)
    if said >= WHOLE and len(predicate) >= _WHOLE_TERMS and named:
        return True  # "no inclusive Government has been formed", in a speech on the Taliban's Afghanistan
    if coverage(found | nearby, _at_stake(weight, question)) < RELEVANT:
        return False
    described = described_terms(question.text)  # names in "for the Taliban's comeback" need only be in it
    if all(t in nearby or (t in described and _in_document(t, cand)) for t in question.entities):
        return _says_it(cand, question) or said >= 0.5
    # The whole predicate, said of a name of the question, in a document that names the rest.
    return said >= WHOLE and named and any(t in found for t in question.entities)


def _in_document(name: str, cand: Candidate) -> bool:
    """Whether the document names ``name``, or the country whose capital it is."""
    vocabulary = cand.reading.vocabulary
    return name in vocabulary or CAPITALS.get(name, "") in vocabulary


_WHOLE_TERMS = 3
"""A predicate this long, said whole, takes a side without the question's names nearby."""


_POSSESSIVE = re.compile(r"\b([A-Z][\w-]*)[’']s\s+(\w+)")


def _owned_by_others(text: str, question: Question, cand: Candidate) -> set[str]:
    """Terms of the words another party possesses: "support" in "sought Kabul's support"."""
    out: set[str] = set()
    for match in _POSSESSIVE.finditer(text):
        owner = expand(set(terms(match.group(1))), cand.reading)
        if not owner & set(question.entities):
            out |= expand(set(terms(match.group(2))), cand.reading)
    return out


def _predicate(weight: dict[str, float], question: Question) -> dict[str, float]:
    """What the question asks of its names.

    Its terms that are neither names, dates nor reporting verbs, and, when it can be told,
    not in its subject: "Were Zawahiri's family members harmed?" asks "harmed", which a
    sentence about his family need not say.
    """
    names = set(name_terms(question.text))
    said = {
        t: w for t, w in _at_stake(weight, question).items() if t not in names | REPORTING | TIMELESS
    }
    asked = {t: w for t, w in said.items() if t in question.predicate}
    return asked or said


def _at_stake(weight: dict[str, float], question: Question) -> dict[str, float]:
    """The weights of what a side must speak to: without the question's dates and descriptions.

    "the March 2024 attack" dates the subject, and a side need not repeat it ("Russia
    blames Ukraine for the attack"); nor need it say that the government "they promised"
    was promised.
    """
    described = described_terms(question.text)
    return {
        t: w for t, w in weight.items()
        if not is_date_term(t) and not _DAY.fullmatch(t) and t not in described
    }


_DAY = re.compile(r"[0-3]?\d")


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
    return bool(_PERSONAL.match(own)) and bool(set(terms(own)) & set(_predicate(weight, question)))


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
        elif _relevant(own, cand, weight, question) or (
            (_ANAPHOR.match(own) or _of_the_same(own, weight, question))
            and _antecedent_relevant(cand, weight, question)
        ):
            denied = is_negated(own) and _negates(own, cand, weight, question) is True  # and of it
            negative = (claim.polarity == "deny") != (denied != _contrary(own, weight, question))
            stance = "denies" if negative else "affirms"
        else:
            continue
        decided[i] = stance
        holder = holder_of(reading, cand.index, claim.holder)
        if not holder or holder.lower() in PRONOUNS:  # "they" the document does not resolve
            continue
        cited = _cited_source(reading.names, claims, i, decided, stands=out)
        named = describe(reading, holder)
        out.append(Stand(cand, f"{named}, citing {cited}" if cited else named, stance))
    if not claims and not _COMMITMENT.search(sentence) and (
        _relevant(sentence, cand, weight, question)
        or _close(cand, question, weight)
        or _opposes(cand, weight, question)
    ):
        speaker = sentence_holder(reading, cand.index)
        negated = _negates(sentence, cand, weight, question)
        if negated is False and _blames_another(sentence, cand, question):
            negated = None  # "because of this neglect ...": a cause, but not the subject
        if speaker and negated is not None:
            out.append(Stand(cand, speaker, "denies" if negated else "affirms", marked=negated))
    return out


def _contrary(text: str, weight: dict[str, float], question: Question) -> bool:
    """Whether ``text`` says the opposite of a word of the question's predicate, not the word.

    "weaker today" for "gaining strength".
    """
    said = set(terms(text))
    opposed = opposite_terms(said) & set(_predicate(weight, question))
    return bool(opposed) and not said & opposed  # "violated the ceasefire" for "honour the ceasefire"


def _opposes(cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Whether a sentence says the opposite of a yes/no question's predicate of one of its names.

    "... a reign of fear and violence against India's 200 million Muslims" (oppression) for
    "Is India an inclusive democracy?", in another speaker's speech. Most of the question's
    names must be in it or near it.
    """
    names = set(question.entities)
    if question.kind != "yesno" or not cand.terms & names:
        return False
    if 2 * len(names & (cand.terms | cand.context)) < len(names):
        return False  # "al Qaeda's network of affiliates" says nothing of ISIS-K and the TTP
    predicate = _predicate(weight, question)
    opposed = opposite_terms(set(terms(cand.text))) & predicate.keys()
    # What it opposes must be much of what is asked: "eliminated the emir of al Qaeda" does
    # not answer whether keeping al Qaeda from regrouping was the reason the US went in.
    return coverage(opposed, predicate) >= _OPPOSED and _contrary(cand.text, weight, question)


_OPPOSED = 0.4
"""How much of a yes/no question's predicate a sentence must say the opposite of to deny it."""


_CAUSE = re.compile(
    r"\b(?:because of|due to|(?:the )?result of|caused by|owing to|thanks to|blamed? \w+ on)\s+"
    r"(?P<cause>(?:(?!\b(?:that|which|who)\b)[^,.;:]){1,80})",
    re.IGNORECASE,
)


def _blames_another(text: str, cand: Candidate, question: Question) -> bool:
    """Whether a sentence puts the cause the question asks about on someone else.

    "It is because of this neglect that the Taliban has made a resurgence in Pakistan" does
    not say that Pakistan is to blame for the Taliban's comeback.
    """
    if not BLAME & set(question.predicate):
        return False
    subject = subject_terms(question.text)
    causes = [expand(set(terms(m.group("cause"))), cand.reading) for m in _CAUSE.finditer(text)]
    return bool(causes) and not any(cause & subject for cause in causes)


_SCOPE = 10
"""Words after a negation that it governs: "we don't see any sort of credible threat"."""


def _negates(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool | None:
    """Whether ``text`` denies the question's proposition (None: its negation is about something else).

    A negation counts when a word of the question's predicate follows it closely ("we
    don't see any credible threat") or comes just before its "is not" ("determining the
    border is not the subject of those documents"); when the question's subject follows it
    and the sentence does not say the predicate elsewhere ("There was no linkage to
    Ukraine"); or when the sentence dismisses what it speaks of ("just more Kremlin
    propaganda"). "A new wave of refugees, whom none of Afghanistan's neighbours is in a
    position to accommodate" does not deny that Pakistan still hosts refugees, nor "no
    other loss of life in this strike that was a precise ... strike" that it was precise.
    """
    if not is_negated(text):
        return _contrary(text, weight, question)
    if DISMISSIVE.search(text):
        return True
    subject = subject_terms(question.text)
    predicate = set(_predicate(weight, question))
    speaker = expand(set(terms(sentence_holder(cand.reading, cand.index) or "")), cand.reading)
    of_subject = False
    for match in NEGATION.finditer(text):
        before, following = text[: match.start()], text[match.end() :].split()
        if _FIRST_PERSON.search(before) and not speaker & subject:
            following = following[2:]  # "we are not aware of ...": the speaker's own knowing
        preceding = before.split()
        said_not = preceding[-_COPULA_SCOPE:] if preceding and preceding[-1].lower() in _COPULA else []
        scope_words = _until_contrast(following[:_SCOPE])  # "did not disappear, but rather jumped the border"
        scope = expand(set(terms(" ".join([*said_not, *scope_words]))), cand.reading)  # "... is not"
        if scope & predicate:
            return True
        of_subject = of_subject or bool(scope & subject)
    if of_subject and not expand(set(terms(text)), cand.reading) & predicate:
        return True  # "There was no linkage to Ukraine"
    return None


def _until_contrast(words: list[str]) -> list[str]:
    """``words`` up to a contrastive conjunction or a semicolon, where a negation's scope ends."""
    for i, word in enumerate(words):
        if word.lower().strip(",;—") in _CONTRAST or word.endswith(";"):
            return words[: i + 1] if word.endswith(";") else words[:i]
    return words


_CONTRAST = frozenset("but rather however yet whereas instead".split())
_COPULA = frozenset("is are was were be been isn".split())
_COPULA_SCOPE = 6
"""Words before "is not" that it also governs: what is said not to be."""
_FIRST_PERSON = re.compile(r"\b(?:we|I)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


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
    named = [t in cand.terms or t in cand.context for t in question.entities]
    denial = _says_it(cand, question) and is_negated(cand.text)  # very close, and a denial
    if not all(named) and not (denial and 2 * sum(named) >= len(named)):
        return False
    predicate = _predicate(weight, question)
    if not predicate or coverage(set(cand.terms), predicate) >= _PREDICATE_SHARE or _says_it(cand, question):
        return True
    # Neither its predicate nor very close: only a denial takes a side ("There was no
    # linkage to Ukraine"); "Pakistan shares the concern about terrorist groups in
    # Afghanistan" does not affirm that Pakistan is to blame for the Taliban.
    return is_negated(cand.text) and cand.coverage >= SEMANTIC_COVERAGE


_DOCUMENTS = re.compile(
    r"\b(?:reports?|documentation|findings|documents?|assessments?|data|studies|records)\b", re.IGNORECASE
)


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
