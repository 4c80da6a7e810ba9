"""What denies a yes/no question's proposition: a negation of what it asks, or its opposite.

"There was no linkage to Ukraine", "we don't see any credible threat", "weaker today" for
"gaining strength", "violated the ceasefire" for "honoured the ceasefire"; and what does not:
a negation of something else, or a cause put on someone else.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from assistant.answer.claims import DISMISSIVE, NEGATION, is_negated
from assistant.answer.holders import sentence_holder
from assistant.answer.lexicon import BLAME, opposite_terms
from assistant.answer.proposition import (
    asked_weights,
    predicate_head_terms,
    subject_head_terms,
    subject_terms,
)
from assistant.answer.question import Question
from assistant.answer.select import Candidate, coverage, expand
from assistant.lexical import terms


def says_opposite(text: str, weight: dict[str, float], question: Question) -> bool:
    """Whether ``text`` says the opposite of a word of the question's predicate, not the word.

    "weaker today" for "gaining strength".
    """
    said = set(terms(text))
    opposed = opposite_terms(said) & set(asked_weights(weight, question))
    return bool(opposed) and not said & opposed  # "violated the ceasefire" for "honour the ceasefire"


def opposes(cand: Candidate, weight: dict[str, float], question: Question) -> bool:
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
    predicate = asked_weights(weight, question)
    opposed = opposite_terms(set(terms(cand.text))) & predicate.keys()
    # What it opposes must be much of what is asked: "eliminated the emir of al Qaeda" does
    # not answer whether keeping al Qaeda from regrouping was the reason the US went in.
    return coverage(opposed, predicate) >= _OPPOSED and says_opposite(cand.text, weight, question)


_OPPOSED = 0.4
"""How much of a yes/no question's predicate a sentence must say the opposite of to deny it."""


CAUSE = re.compile(
    r"\b(?:because of|due to|(?:the )?result of|caused by|owing to|thanks to|blamed? \w+ on)\s+"
    r"(?P<cause>(?:(?!\b(?:that|which|who)\b)[^,.;:]){1,80})",
    re.IGNORECASE,
)


def blames_another(text: str, cand: Candidate, question: Question) -> bool:
    """Whether a sentence puts the cause the question asks about on someone else.

    "It is because of this neglect that the Taliban has made a resurgence in Pakistan" does
    not say that Pakistan is to blame for the Taliban's comeback.
    """
    if not BLAME & set(question.predicate):
        return False
    subject = subject_terms(question.text)
    causes = [expand(set(terms(m.group("cause"))), cand.reading) for m in CAUSE.finditer(text)]
    return bool(causes) and not any(cause & subject for cause in causes)


_SCOPE = 10
"""Words after a negation that it governs: "we don't see any sort of credible threat"."""


def negates(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool | None:
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
        return says_opposite(text, weight, question)
    if DISMISSIVE.search(text):
        return True
    subject = subject_head_terms(question.text)
    predicate = set(asked_weights(weight, question))
    speaker = expand(set(terms(sentence_holder(cand.reading, cand.index) or "")), cand.reading)
    asked = {*question.terms, *subject, *predicate}
    of_subject = False
    for match in NEGATION.finditer(text):
        before, following = text[: match.start()], text[match.end() :].split()
        if _of_another(before, asked, cand):
            continue  # "These ISIS terrorists will not win": not whether the United States won
        if _FIRST_PERSON.search(before) and not speaker & subject:
            following = following[2:]  # "we are not aware of ...": the speaker's own knowing
        preceding = before.split()
        said_not = preceding[-_COPULA_SCOPE:] if preceding and preceding[-1].lower() in _COPULA else []
        scope_words = _until_contrast(following[:_SCOPE])  # "did not disappear, but rather jumped the border"
        said = " ".join([*said_not, match.group(), *scope_words])  # "... is not", "unharmed"
        scope = expand(set(terms(said)), cand.reading)
        if scope & predicate:
            return True
        after = expand(set(terms(" ".join(scope_words))), cand.reading)  # "no linkage to Ukraine"; not
        of_subject = of_subject or bool(after & subject)  # "drone attacks are not that precise"
    if of_subject and not expand(set(terms(text)), cand.reading) & predicate:
        return True  # "There was no linkage to Ukraine"
    return None


_ONLY = re.compile(r"\bonly\s+(?:the\s+)?(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)")
_NO_OTHER = re.compile(r"\b(?:no\s+other|no\s*one\s+else|nobody\s+else|none\s+other)\b", re.IGNORECASE)
_ANOTHER_ASKED = re.compile(
    r"\b(?:also|other\s+than|besides|apart\s+from|anyone|anybody|any\s+of)\b", re.IGNORECASE
)
"""A question on someone besides whom a strike was aimed at: "Did it also kill his son?"."""
_AVOIDED = re.compile(r"\b(?:avoid|avoided|avoiding|prevent|prevented|spare|spared|without)\b", re.IGNORECASE)


def excludes(text: str, cand: Candidate, weight: dict[str, float], question: Question) -> bool:
    """Whether ``text`` says its predicate of one party alone, and so denies it of the one asked.

    "Only Zawahiri died in the strike" and "no other loss of life" deny that the strike
    also killed a son of the interior minister; "only Zawahiri died" does not deny that
    the strike killed Zawahiri (he is what the question asks about).
    """
    verb = expand(set(predicate_head_terms(question.text)), cand.reading)  # "died" says "killed", not "hurt"
    if question.kind != "yesno" or not verb & expand(set(terms(text)), cand.reading):
        return False
    if _AVOIDED.search(question.text):
        return False  # "precise enough to avoid killing people other than the target": alone affirms it
    only = _ONLY.search(text)
    if only:
        besides = rf"\b(?:other\s+than|besides|apart\s+from)\s+{re.escape(only.group('name'))}"
        if re.search(besides, question.text):
            return True  # "anyone other than Zawahiri"
        core = subject_head_terms(question.text) | predicate_head_terms(question.text)
        return not set(terms(only.group("name"))) & expand(set(core), cand.reading)
    return bool(_ANOTHER_ASKED.search(question.text) and _NO_OTHER.search(text))


_SELF = frozenset({"i", "we", "us", "our"})
_CLAUSE = re.compile(r"[,;:—()“”\"]|\b(?:that|and|but|which|who|whom|because|while|if|when)\b", re.IGNORECASE)
_NAMED = re.compile(r"(?<=\w )[A-Z][\w’'-]+|\b[A-Z]{2,}[\w-]*")


def _of_another(before: str, asked: AbstractSet[str], cand: Candidate) -> bool:
    """Whether the clause a negation is in is said of a party the question does not ask about.

    Its subject names someone ("These ISIS terrorists will not win") and says nothing of the
    question ("settling the Estland border is not ..." denies what it says, and "the rise of
    the Red Brigade is not because of Sylvania" speaks of what is asked); a clause of "we"
    or "I" is the speaker's, whose side the question may be.
    """
    clause = _CLAUSE.split(before)[-1]
    names = set(terms(" ".join(_NAMED.findall(clause)))) - _SELF
    said = expand(set(terms(clause)), cand.reading)
    return bool(names) and not said & asked


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


_NAME_AFTER = 4
"""How close after a negation a name must come for the negation to be of it ("no linkage to Ukraine")."""


def denies_a_name(cand: Candidate, question: Question) -> bool:
    """A denial of what the question names: "No connection to Ukraine", "just more Kremlin propaganda".

    Without the predicate's words, a negation says nothing of the question unless a name it
    asks about follows it closely: "I have never been of the view that we should be sacrificing
    American lives to try to establish a democratic government in Afghanistan" does not deny
    that the United States won the war there.
    """
    text = cand.text
    if DISMISSIVE.search(text):
        return True  # dismissing whatever the sentence speaks of
    names = set(question.entities)
    for match in NEGATION.finditer(text):
        after = text[match.end() :].split()[:_NAME_AFTER]
        if names & expand(set(terms(" ".join(after))), cand.reading):
            return True
    return False
