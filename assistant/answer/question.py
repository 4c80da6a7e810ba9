"""What a question asks: its terms, its kind, its proposition, and follow-up resolution.

Pure functions over strings; no model, no index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.answer.lexicon import CAPITALS, PLACES
from assistant.lexical import terms
from assistant.types import Turn

Kind = Literal["yesno", "who", "when", "howmany", "where", "what"]

# Words that shape a question but say nothing about its subject.
QUESTION_WORDS = frozenset(
    terms(
        "what which who whom whose when where why how many much does did do is are was were has have had "
        "can could should would will tell me please say said says about source sources document documents "
        "according think"
    )
)
_KNOWING = re.compile(
    r"\b(?:(?:do|does|did) (?:we|you|they|the sources?) know|(?:is|was) (?:it )?known|tell me)\b", re.I
)
"""'Do we know who ...?', 'What is known about ...?': how a question is put, not its subject.

(In 'Did the Taliban know?', knowing is the subject.)
"""
_RESPONSE = re.compile(r"\b(?:respond|responded|react|reacted|reply|replied|answer|answered)\b", re.I)
_FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|but|so)\b|\b(it|its|they|them|their|that|this|those|these|he|she|his|her)\b",
    re.IGNORECASE,
)
_ELLIPTICAL = re.compile(
    r"^(?:and|but|or|what about|how about)\b"
    r"(?!\s+(?:what|how|who|where|when|why|did|does|do|is|are|was|were)\b)",
    re.I,
)
"""'And ISIS?', 'What about Pakistan?': the same question about something else."""
_AUX = re.compile(r"^(does|do|did|is|are|was|were|has|have|had|can|could|will|would|should)\s+(.*)$", re.I)


@dataclass(frozen=True)
class Question:
    """A question made ready for retrieval and sentence selection."""

    text: str
    """The question as asked."""
    query: str
    """What is searched: the question, plus the earlier question it follows up on."""
    terms: tuple[str, ...]
    """Content terms of the question (and of the question it follows up on)."""
    kind: Kind
    """What sort of answer is wanted."""
    topic: str
    """The proposition, phrased for a conflict's topic line."""
    own_terms: tuple[str, ...] = field(default=())
    """Terms of this question alone (a follow-up's new focus, e.g. 'UN')."""
    entities: tuple[str, ...] = field(default=())
    """Terms of the names in the question ('TTP', 'Kabul'): an answer must mention them."""
    period: str | None = None
    """The year a question is confined to ("Was al Qaeda on the run in early 2007?")."""


def classify(text: str) -> Kind:
    """The kind of answer a question wants."""
    lowered = text.lower().strip()
    if re.match(r"^(how many|how much|what (?:is|was) the (?:number|death toll|toll|total))", lowered):
        return "howmany"
    if re.search(r"\bdeath toll\b|\bhow many\b", lowered):
        return "howmany"
    if re.match(r"^how (?:long|far|big|large|old|often|wide|deep|high|much)\b", lowered):
        return "howmany"  # a measure: "How long is Tajikistan's border with Afghanistan?"
    if re.match(r"^(?:what|which)\s+(?:share|percentage|proportion|fraction|portion|number|amount|sum)\b",
                lowered):
        return "howmany"
    if lowered.startswith(("who ", "whom ", "which group", "which organization", "which organisation")):
        return "who"
    if lowered.startswith(("when ", "what date", "what year", "on what date", "in what year")):
        return "when"
    if lowered.startswith("where ") and not re.search(r"\bstand\b|\bposition\b|\bheaded\b", lowered):
        return "where"  # "Where does Islamabad stand on ...?" asks for a position, not a place
    if _AUX.match(lowered):
        return "yesno"
    return "what"


def content_terms(text: str) -> tuple[str, ...]:
    """Index terms of ``text`` that carry meaning (no question scaffolding), in order, unique."""
    seen: dict[str, None] = {}
    for term in terms(_KNOWING.sub(" ", text)):
        if term not in QUESTION_WORDS:
            seen.setdefault(term, None)
    return tuple(seen)


def topic_of(text: str) -> str:
    """'Does TTP operate in Afghanistan?' -> 'Whether TTP operates in Afghanistan'."""
    body = text.strip().rstrip("?").strip()
    match = _AUX.match(body)
    if not match:
        return body[:1].upper() + body[1:]
    aux, rest = match.group(1).lower(), match.group(2)
    words = rest.split()
    if aux in {"does", "do", "did"}:
        for i, word in enumerate(words):
            if i > 0 and word.islower() and word.isalpha():
                words[i] = _inflect(word) if aux == "does" else word if aux == "do" else word
                if aux == "did":
                    words.insert(i, "did")
                break
        return "Whether " + " ".join(words)
    for i, word in enumerate(words):
        if i > 0 and (word.islower() or word.endswith("ing")):
            words.insert(i, aux)
            break
    else:
        words.append(aux)
    return "Whether " + " ".join(words)


def _inflect(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


_CAPITALIZED = re.compile(r"(?<!^)(?<![.?!]\s)\b(?:\w+-)?[A-Z][\w’'-]*|\b[A-Z]{2,}[\w-]*")


def name_terms(text: str) -> tuple[str, ...]:
    """All terms of the capitalized names and acronyms of a question (not its first word)."""
    return content_terms(" ".join(m.group() for m in _CAPITALIZED.finditer(text.strip())))


CALENDAR = frozenset(
    terms("January February March April May June July August September October November December "
          "Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
)
_HOLDER = re.compile(
    r"^(?:and\s+|but\s+|so\s+)?(?:what|how|why|where|when)\s+(?:did|does|do|has|have|had|is|was|were)\s+"
    r"(?P<holder>.+?)\s+(?:say|said|tell|told|claim|claimed|allege|alleged|respond|responded|react|"
    r"reacted|think|state|stated|mean|describe|argue|warn|add|announce|reply|replied|answer)\b",
    re.IGNORECASE,
)


def entity_terms(text: str) -> tuple[str, ...]:
    """The name terms an answer must contain.

    Word parts, not compounds or single letters ("al-Qaeda" -> al, qaeda; "ISIS-K" -> isis),
    since sources spell compounds differently. Months and weekdays are dates, not names: a
    source dates an event in its metadata or in figures as often as by the month's name.
    """
    return tuple(
        t for t in name_terms(text) if len(t) > 1 and "-" not in t and t != "al" and t not in CALENDAR
    )


_PERIOD = re.compile(
    r"\b(?:in|during|as of|by)\s+"
    r"(?:(?:early|late|mid|the (?:spring|summer|autumn|fall|winter|start|end) of)[- ]?\s*)?"
    r"(?:[A-Z][a-z]+\s+)?((?:19|20)\d\d)\b",
)


def period_of(text: str) -> str | None:
    """The year ``text`` confines itself to: "in 2007", "in early 2007", "in August 2021".

    Not "the 2022 floods", which names the floods.
    """
    match = _PERIOD.search(text)
    return match.group(1) if match else None


def holder_terms(text: str) -> tuple[str, ...]:
    """The names of whoever a question asks about as a speaker ("What did Zaidi say ...?")."""
    match = _HOLDER.match(text.strip())
    if not match:
        return ()
    holder = set(terms(match.group("holder")))
    return tuple(t for t in entity_terms(text) if t in holder)


def is_follow_up(text: str) -> bool:
    """Whether a question leans on an earlier one ('and what did the UN say about it?')."""
    return bool(_FOLLOW_UP.search(text)) or len(content_terms(text)) <= 2


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
    r"\b(?:he|she|him|his|her|they|them|their|(?:that|this|the) (?:group|man|woman|person|organi[sz]ation|leader))\b",
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
    own = content_terms(text)
    return Question(
        text=text, query=text, terms=own, kind=classify(text), topic=topic_of(text), own_terms=own,
        entities=entity_terms(text), period=period_of(text),
    )


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
    return Question(
        text=text,
        query=f"{text} {_without(previous.query, replaced)}",
        terms=tuple(t for t in dict.fromkeys(own + previous.terms) if t not in replaced or t in own),
        kind=previous.kind if kind == "what" and len(own) <= 2 else kind,
        topic=topic_of(text) if len(own) > 2 and kind != "what" else _swapped(previous.topic, replaced, text),
        own_terms=own,
        entities=tuple(dict.fromkeys(entities)),
        period=period_of(text) or previous.period,
    )


_PLACE_TERMS = frozenset().union(*PLACES, CAPITALS)


def _is_place(term: str) -> bool:
    return term in _PLACE_TERMS


def _swapped(topic: str, replaced: set[str], text: str) -> str:
    """The earlier topic about the new name: 'Whether TTP operates in Afghanistan' and
    'And ISIS?' give 'Whether ISIS operates in Afghanistan'."""
    names = " ".join(m.group() for m in _CAPITALIZED.finditer(text.strip()) if m.group().lower() != "and")
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
