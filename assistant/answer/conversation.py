"""A question resolved against the conversation it is asked in.

A follow-up leans on the user's earlier questions ("And what did the UN say about it?"),
each resolved against the ones before it, and on the names the last answer gave ("Where
was he killed?"). New names replace the earlier ones in the same role.
"""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.answer.lexicon import CAPITALS, COMPOUNDS, PLACES
from assistant.answer.proposition import predicate_terms, topic_of
from assistant.answer.question import (
    CAPITALIZED,
    Question,
    classify,
    content_terms,
    entity_terms,
    is_follow_up,
    period_ends,
    period_of,
    place_terms,
    shifted_period,
)
from assistant.lexical import terms
from assistant.types import Turn

_RESPONSE = re.compile(r"\b(?:respond|responded|react|reacted|reply|replied|answer|answered)\b", re.I)
_ELLIPTICAL = re.compile(
    r"^(?:and|but|or|what about|how about)\b"
    r"(?!\s+(?:what|how|who|where|when|why|did|does|do|is|are|was|were)\b)",
    re.I,
)
"""'And ISIS?', 'What about Pakistan?': the same question about something else."""
_ACTION = re.compile(r"\bwhat\s+(?:did|does|do|has|have|had|will|would)\b.*\b(?:do|done|doing)\b", re.I)
"""'What did the Taliban do after the strike?' asks what was done, whatever the last question asked."""
_HOLDER = re.compile(
    r"^(?:and\s+|but\s+|so\s+)?(?:what|how|why|where|when)\s+(?:did|does|do|has|have|had|is|was|were)\s+"
    r"(?P<holder>.+?)\s+(?:say|said|tell|told|claim|claimed|allege|alleged|respond|responded|react|"
    r"reacted|think|state|stated|mean|describe|argue|warn|add|announce|reply|replied|answer|insist|stress|"
    r"emphasi[sz]e|urge|pledge|promise|call|demand|propose|suggest|acknowledge|admit|concede|want|"
    r"expect|ask|seek|hope|accuse|blame)\b",
    re.IGNORECASE,
)


_POSITION_OF = re.compile(
    r"^(?:and\s+)?(?:what|how)\s+(?:is|was|are|were)\s+(?:the\s+)?(?P<holder>[\w .’'-]+?)(?:’s|'s)\s+"
    r"(?:official\s+)?(?:position|stance|view|views|response|reaction|attitude)\b"
    r"|^(?:and\s+)?where\s+(?:does|do|did)\s+(?P<stands>.+?)\s+stand\b",
    re.IGNORECASE,
)
"""'What is Pakistan's position on ...?', 'Where does Islamabad stand on ...?': what they say."""


def holder_terms(text: str) -> tuple[str, ...]:
    """The names of whoever a question asks about as a speaker ("What did Zaidi say ...?")."""
    match = _HOLDER.match(text.strip()) or _POSITION_OF.match(text.strip())
    if not match:
        return ()
    named = match.groupdict()  # "Where does X stand" names X as "stands"
    holder = set(terms(named.get("holder") or named.get("stands") or ""))
    return tuple(t for t in entity_terms(text, with_peoples=True) if t in holder)


_ASKED_IF_SAID = re.compile(
    r"(?:^|,\s*)(?:did|does|do|has|have|had)\s+(?P<holder>.+?)\s+(?:say|tell|claim|allege|warn|state|"
    r"argue|announce|admit|deny|acknowledge)\b",
    re.IGNORECASE,
)
"""'In his first address, did the American president say ...?' asks about the president's words."""


def _speakers(text: str) -> tuple[str, ...]:
    """Who ``text`` asks about as a speaker, a capital or a people as its country.

    "What did New Delhi's leader warn?" asks India's speaker; "did the American president
    say" the speaker of the United States (whose terms are "unit" and "stat").
    """
    holders = holder_terms(text)
    asked = _ASKED_IF_SAID.search(text.strip())
    if not holders and asked:
        named = set(terms(asked.group("holder")))
        holders = tuple(t for t in entity_terms(text, with_peoples=True) if t in named)
    countries = {CAPITALS[t] for t in holders if t in CAPITALS}
    for group in PLACES:
        if group & (set(holders) | countries):
            countries |= group
    for words, place in COMPOUNDS:
        if place in countries:
            countries |= words
    return tuple(dict.fromkeys([*holders, *sorted(countries)]))


def understand(text: str, history: list[Turn]) -> Question:
    """Analyse ``text``, resolving it against the user's earlier questions.

    Each earlier question is resolved against the ones before it, so a chain of follow-ups
    ("Who killed al-Zawahiri?" - "Where was he living?" - "Did the Taliban know?") keeps
    its subject.
    """
    context: Question | None = None
    answer = ""
    for turn in history:
        if turn.role == "user" and turn.content.strip():
            context, answer = _resolve(turn.content, context), ""
        elif turn.role == "assistant":
            answer = turn.content
    resolved = _resolve(text, context)
    if context is None or resolved.query == text or not _ANAPHORIC.search(text):
        return resolved
    # "Where was he killed?" after an answer naming Ayman al-Zawahiri: he may be in the answer.
    named = [n for n in answer_names(answer) if not set(terms(n)) <= set(resolved.terms)]
    if not named:
        return resolved
    extra = tuple(t for n in named for t in content_terms(n) if t not in resolved.terms)
    return replace(resolved, query=f"{resolved.query} {' '.join(named)}", terms=resolved.terms + extra)


_ANAPHORIC = re.compile(
    r"\b(?:he|she|him|his|her|they|them|their"
    r"|(?:that|this|the) (?:group|man|woman|person|organi[sz]ation|leader))\b",
    re.I,
)
"""Words for someone an earlier answer may have named ("Where was he killed?")."""
_QUOTED = re.compile(r"(?:^|(?<=\]\.)|(?<=\]))\s*[^“\]]{0,160}?\b(?:said|asked):\s*“|”|\[\d+\]")
"""A cited sentence's speaker ('The President said: “'), closing quote and marker."""


def answer_names(answer: str, limit: int = 3) -> list[str]:
    """The names an earlier answer mentions most, the speakers who said them left out."""
    body = _QUOTED.sub(" . ", " ".join(answer.split()))
    counts: dict[str, int] = {}
    for match in _NAME_RUN.finditer(body):
        words = [w for w in match.group().split() if w not in _LEAD_WORDS]
        name = re.sub(r"[’']s$", "", " ".join(words))
        if len(name) > 2:
            counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: -counts[n])[:limit]  # most mentioned, then first mentioned


_NAME_RUN = re.compile(r"\b(?:al-)?[A-Z][\w’'-]*(?:\s+(?:al-|al\s+|bin\s+)?[A-Z][\w’'-]*)*")
_LEAD_WORDS = frozenset("The This That These Those It They He She We In On At A An And But So".split())


def _standalone(text: str) -> Question:
    own = _joined(content_terms(text))
    return Question(
        text=text, query=text, terms=own, kind=classify(text), topic=topic_of(text), own_terms=own,
        entities=_joined(entity_terms(text)), period=period_of(text), speakers=_speakers(text),
        period_ends=period_ends(text),
        places=place_terms(text, _CAPITALS),
        predicate=_joined(predicate_terms(text)),
    )


def _joined(found: tuple[str, ...]) -> tuple[str, ...]:
    """Two words that name one party as one term: "United States" is "us", as sentences read it.

    ``select.expand`` gives a sentence saying "the United States" or "the White House" the
    term "us"; the question's words must meet it there, or "Was the United States winning
    ...?" asks a Congressman's "we are winning" for "unit" and "stat".
    """
    out = list(found)
    for words, place in COMPOUNDS:
        if words <= set(out):
            out = [place if t in words else t for t in out]
    return tuple(dict.fromkeys(out))


def _resolve(text: str, previous: Question | None) -> Question:
    """``text`` alone, or merged with ``previous`` when it follows up on it.

    A question that names nothing after one that did leans on it too ("How many service
    members were killed?" after "What happened at Kabul airport?").
    """
    new = entity_terms(text)
    if previous is None or not (is_follow_up(text) or (not new and previous.entities)):
        return _standalone(text)
    own = content_terms(text)
    # New names replace the earlier names in the same role: "And what did Modi say?" after
    # "What did Imran Khan say about Afghanistan?" asks about Modi, on Afghanistan; "What
    # about ISIS?" swaps the subject. Otherwise they join it: "Did the Taliban know?"
    holders, earlier_holders = holder_terms(text), holder_terms(previous.text)
    topics = tuple(t for t in new if t not in holders)
    earlier_topics = tuple(t for t in previous.entities if t not in earlier_holders)
    if not (topics and _ELLIPTICAL.match(text.strip())):
        topics = earlier_topics + topics
    else:  # a place replaces a place, anything else the rest: "What about India's?" keeps "Security Council"
        swapped = {_is_place(t) for t in topics}
        topics = tuple(t for t in earlier_topics if _is_place(t) not in swapped) + topics
    if holders and _RESPONSE.search(text):  # "How did Pakistan respond?" - to the earlier holder
        topics = tuple(t for t in previous.entities if t in earlier_holders) + topics
        earlier_holders = ()
    entities = (holders or tuple(t for t in previous.entities if t in earlier_holders)) + topics
    replaced = set(previous.entities) - set(entities)
    kind = classify(text)
    earlier, asked = _asked_of(previous, kind, own)
    return Question(
        text=text,
        query=f"{text} {_without(earlier, replaced)}",
        terms=tuple(t for t in dict.fromkeys(own + previous.terms) if t not in replaced | asked or t in own),
        kind=previous.kind if kind == "what" and len(own) <= 2 and not _ACTION.search(text) else kind,
        topic=topic_of(text) if _states_itself(text, own, kind) else _swapped(previous.topic, replaced, text),
        own_terms=own,
        entities=tuple(dict.fromkeys(entities)),
        period=period_of(text) or shifted_period(text, previous.period),
        period_ends=period_ends(text) if period_of(text) else (
            previous.period_ends and shifted_period(text, previous.period) == previous.period
        ),
        speakers=_speakers(text) or previous.speakers,
        predicate=predicate_terms(text) or previous.predicate,
        places=place_terms(text, _CAPITALS),  # not the earlier question's: its answer was there
    )


_WH_LEAD = re.compile(
    r"^\s*(?i:who|what|which|when|where|how\s+many|how\s+much)\b(?:\s+[\w’'-]+){1,3}?\s+"
    r"(?=(?:the|a|an|this|that)\b|[A-Z])"
)
""""Who carried out " of "Who carried out the Kabul airport attack?": what it asks of its subject."""


def _asked_of(previous: Question, kind: str, own: tuple[str, ...]) -> tuple[str, set[str]]:
    """The earlier question as a follow-up of another kind reads it, and the terms it leaves out.

    "How many people were killed in it?" after "Who carried out the Kabul airport attack?"
    is about the attack, not about who carried it out: the earlier question's own asking
    ("Who carried out") would find another strike "carried out" by someone.
    """
    lead = _WH_LEAD.match(previous.text)
    if not lead or kind == previous.kind or previous.kind == "yesno" or len(own) < 2:
        return previous.query, set()
    return previous.query[lead.end() :], set(content_terms(lead.group()))


def _states_itself(text: str, own: tuple[str, ...], kind: str) -> bool:
    """Whether a follow-up states what it asks: "Were any civilians hurt?", not "And ISIS?"."""
    return (len(own) > 2 and kind != "what") or (kind == "yesno" and bool(predicate_terms(text)))


_PLACE_TERMS = frozenset().union(*PLACES, CAPITALS)
_CAPITALS = frozenset(CAPITALS)


def _is_place(term: str) -> bool:
    return term in _PLACE_TERMS


def _swapped(topic: str, replaced: set[str], text: str) -> str:
    """The earlier topic about the new name.

    'Whether TTP operates in Afghanistan' and 'And ISIS?' give 'Whether ISIS operates in
    Afghanistan'.
    """
    names = " ".join(m.group() for m in CAPITALIZED.finditer(text.strip()) if m.group().lower() != "and")
    words = topic.split()
    hits = [i for i, w in enumerate(words) if set(terms(w)) & replaced]
    if not names or not hits or hits != list(range(hits[0], hits[-1] + 1)):
        return topic
    return " ".join(words[: hits[0]] + [names] + words[hits[-1] + 1 :])


def _without(text: str, names: set[str]) -> str:
    """``text`` without the words that name ``names``."""
    if not names:
        return text
    return " ".join(w for w in text.split() if not set(terms(w)) & names)
