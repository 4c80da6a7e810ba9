"""What tells who or what someone is, who did something, and why.

"Who was Zawahiri?" is answered best by a sentence that says what he was ("Zawahiri was
bin Laden's deputy"), "What is the TTP?" by the one that spells it out, "Who killed
Zawahiri?" by the one where the killing is done to him, and "Why did the US abstain?" by
one that gives a reason ("The reason we abstained is because ...").
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.answer.kinds import WHO_ROLE
from assistant.answer.question import Question
from assistant.lexical import stem, terms

DEFINES = 0.2
"""What a sentence that says what the subject is ('Zawahiri was bin Laden's deputy') adds
for 'Who was Zawahiri?' or 'What is the TTP?'."""
_DEFINITIONAL = re.compile(
    r"^(?:who|what)\s+(?:is|was|are|were)\s+(?:the\s+)?(?P<subject>[^?]+?)\s*\??$", re.I
)


_ROLE_WORDS = (
    r"(?:spokes(?:man|woman|person)|minister|president|leader|chief|commander|secretary|ambassador|envoy|"
    r"director|emir|founder|head|official|advi[sc]er|general|senator|governor)"
)


def defined_name(question: Question) -> str | None:
    """The name 'Who was Ayman al-Zawahiri?' or 'What is the TTP?' asks to define ("al-Zawahiri", "TTP")."""
    match = _DEFINITIONAL.match(question.text.strip())
    if match is None or question.kind not in ("who", "what") or WHO_ROLE.match(question.text.lower()):
        return None
    words = match.group("subject").split()
    if not words or not words[-1][:1].isupper():
        return None  # "What is the situation?" names nothing to define
    return words[-1].rstrip("’'s")


def definition_of(question: Question) -> re.Pattern[str] | None:
    """For 'Who was Ayman al-Zawahiri?', a pattern for sentences that say who he was.

    'Zawahiri was ...', 'Zawahiri, the ...', 'the emir of al Qaeda, Ayman al-Zawahiri',
    'Tehreek-e-Taliban Pakistan (TTP)', and 'Taliban spokesperson Zabihullah Mujahid'.
    """
    defined = defined_name(question)
    if defined is None:
        return None
    name = re.escape(defined)
    return re.compile(
        rf"\b{name}(?:’s|'s)?\s+(?:is|was|are|were|has been|had been)\s+(?:a|an|the|one|also|now)\b"
        rf"|\b{name}\b\s*(?:,|—|–|\()\s*(?:a|an|the|who|which|one|its|his|her|their|an?)\b"
        rf"|\b(?:the|a|an|its|his|her|[A-Z][\w-]*(?:’s|'s))\s+[^,.;]{{3,80}},\s+(?:[A-Z][\w’'-]*\s+){{0,3}}{name}\b"
        rf"|\([^)]*\b{name}\b[^)]*\)"
        rf"|\b{_ROLE_WORDS}\s+(?:(?-i:[A-Z])[\w’'.-]*\s+){{0,3}}{name}\b",  # "spokesperson Karl Dorn"
        re.IGNORECASE,
    )


DOES = 0.3
"""What a sentence that says someone did to its object what "Who killed X?" asks adds."""
_WHO_DID = re.compile(
    r"^who\s+(?P<verb>[a-z]+ed)\s+(?P<object>[^?]+)"
    r"|^(?:when|where|how)\s+(?:was|were)\s+(?P<done_to>[^?]+?)\s+(?P<done>[a-z]+ed)\b",
    re.IGNORECASE,
)
_PASSIVE = frozenset({"was", "were", "been", "is", "are", "be"})


def does_the_asked(question: Question, text: str) -> bool:
    """Whether ``text`` says someone did to its object what "Who killed Zawahiri?" asks.

    "... the United States ... killed Zawahiri", "Zawahiri was killed by ...": the verb
    before its object, or the object before a passive verb (with "by" for who did it: "he
    was killed on the balcony" does not say who). Not "following bin Laden's death", which
    only shares the words. "When was Zawahiri killed?" asks the same of him.
    """
    asked = _done_to(question.text, question.entities)
    if asked is None:
        return False
    verb, wanted, who = asked
    words = [stem(w) for w in re.findall(r"[\w’'-]+", text.lower())]
    for i, word in enumerate(words):
        if word != verb:
            continue
        after = {t for w in words[i + 1 : i + 10] for t in terms(w)}
        before = {t for w in words[max(0, i - 8) : i] for t in terms(w)}
        passive = (words[i - 1] in _PASSIVE if i else False) and not who  # "who" wants the doer: "... by"
        if wanted & after or (wanted & before and (passive or words[i + 1 : i + 2] == ["by"])):
            return True
    return False


@lru_cache(maxsize=1024)
def _done_to(text: str, entities: tuple[str, ...]) -> tuple[str, frozenset[str], bool] | None:
    """The verb of "Who killed Zawahiri?", whom it is done to, and whether it asks who did it.

    "When was Zawahiri killed?" asks about the same verb and the same man, not who did it.
    """
    asked = _WHO_DID.match(text.strip())
    if not asked:
        return None
    verb = asked.group("verb") or asked.group("done")
    done_to = asked.group("object") or asked.group("done_to")
    return stem(verb.lower()), frozenset(terms(done_to)) & frozenset(entities), bool(asked.group("verb"))


GIVES_REASON = 0.2
"""What a sentence that gives a reason ("because", "the reason", "due to") adds for a why-question."""
_WHY = re.compile(r"(?:^|,\s*(?:(?:and|but)\s+)?|\band\s+)why\b", re.IGNORECASE)
_REASON = re.compile(
    r"\b(?:because|the reason|reasons?\s+(?:is|was|are|were|why)|due to|owing to|so that|in order to|"
    r"as a result of|that(?:’|')?s why|which is why|is why|was why|for fear)\b",
    re.IGNORECASE,
)


def gives_reason(question: Question, text: str) -> bool:
    """Whether ``text`` gives a reason, for a question that asks why (also "..., and why?")."""
    return _asks_why(question.text) and bool(_REASON.search(text))


@lru_cache(maxsize=512)
def _asks_why(text: str) -> bool:
    return bool(_WHY.search(text.strip()))
