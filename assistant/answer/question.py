"""What a question asks: its terms, its kind, its names, its period.

A yes/no question's proposition is read in ``proposition``. Pure functions over strings;
no model, no index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.answer.lexicon import BRANCHES, in_plain_words
from assistant.lexical import terms, undotted

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
_YEAR_PART = r"(?:early|late|mid|the (?:spring|summer|autumn|fall|winter|start|end|beginning|middle) of)"
"""The part of a year a question confines itself to: "late 2006", "the start of 2007"."""
_FRAMING = re.compile(
    rf"\b{_YEAR_PART}[- ]?(?=\s*(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\b)|\b(?:going|judging) by\b"
    r"|\b(?:what|which)\s+(?:kinds?|types?|sorts?)\s+of\b",
    re.IGNORECASE,
)
"""'in late 2006', 'going by the Congressional Record', 'what kind of': when the question is
about, whose word it goes by and how it is put, not what it asks."""

_FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|but|so)\b"
    r"|\b(it|its|they|them|their|that|this|those|these|he|she|his|her)\b",
    re.IGNORECASE,
)
AUX = re.compile(r"^(does|do|did|is|are|was|were|has|have|had|can|could|will|would|should)\s+(.*)$", re.I)


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
    period_ends: bool = False
    """The period is the year's end ("in late 2006"): a statement of the next year's first
    months still speaks of it."""
    predicate: tuple[str, ...] = field(default=())
    """Terms of what a yes/no question asks of its subject ("harmed in the strike")."""
    speakers: tuple[str, ...] = field(default=())
    places: tuple[str, ...] = field(default=())
    """Capitals named as the place of something ("the Islamabad mosque attack"): an answer must
    say them, not only their country's name (which stands for the capital elsewhere)."""
    """Terms of whoever the question asks about as a speaker, with the country a capital or a
    people stands for ("What did New Delhi's leader warn?": india): retrieval looks in their
    speeches and ranks their sentences up."""


_ASKS_DATE = re.compile(r"(?:(?:on|in|at) )?(?:what|which) (?:dates?|days?|years?|time)\b")
"""'On which dates ...?', 'In what year ...?', 'At what time ...?'."""


def classify(text: str) -> Kind:
    """The kind of answer a question wants."""
    lowered = text.lower().strip()
    if re.match(r"^(how many|how much|what (?:is|was) the (?:number|death toll|toll|total))", lowered):
        return "howmany"
    if re.search(r"\bdeath toll\b|\bhow many\b", lowered):
        return "howmany"
    measure = r"how (?:long|far|big|large|old|often|wide|deep|high|much)\b"
    if re.match(rf"^(?:(?:for|by|to|over|within|in)\s+)?{measure}", lowered):
        return "howmany"  # a measure: "How long is the border?", "For how long did the truce hold?"
    if re.match(r"^(?:what|which)\s+(?:share|percentage|proportion|fraction|portion|number|amount|sum)\b",
                lowered):
        return "howmany"
    if lowered.startswith(("who ", "whom ", "which group", "which organization", "which organisation")):
        return "who"
    if lowered.startswith(("when ", "since when ", "until when ", "till when ")) or _ASKS_DATE.match(lowered):
        return "when"
    if lowered.startswith("where ") and not re.search(r"\bstand\b|\bposition\b|\bheaded\b", lowered):
        return "where"  # "Where does Islamabad stand on ...?" asks for a position, not a place
    if AUX.match(lowered):
        return "yesno"
    return "what"


def content_terms(text: str) -> tuple[str, ...]:
    """Index terms of ``text`` that carry meaning (no question scaffolding), in order, unique."""
    seen: dict[str, None] = {}
    for term in terms(in_plain_words(_FRAMING.sub(" ", _KNOWING.sub(" ", text)))):
        if term not in QUESTION_WORDS:
            seen.setdefault(term, None)
    return tuple(seen)


CAPITALIZED = re.compile(
    r"(?<!^)(?<![.?!]\s)\b(?:(?!(?:ex|pro|anti|non|post|pre|neo|pan|semi|former)-)\w+-)?[A-Z][\w’']*"
    r"(?:-[A-Z0-9][\w’']*)*|\b[A-Z]{2,}\w*(?:-[A-Z0-9]\w*)*"
)
"""A name: "al-Qaeda" with its article, "ISIS-K", "Alma-Ata"; "ex-US officials", "anti-Taliban
forces" and "ISIS-linked detainees" name the US, the Taliban and ISIS, not "ex", "anti" or "linked"."""


def name_terms(text: str) -> tuple[str, ...]:
    """All terms of the capitalized names and acronyms of a question (not its first word)."""
    return content_terms(" ".join(m.group() for m in CAPITALIZED.finditer(undotted(text.strip()))))


CALENDAR = frozenset(
    terms("January February March April May June July August September October November December "
          "Monday Tuesday Wednesday Thursday Friday Saturday Sunday")
)


_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def is_date_term(term: str) -> bool:
    """A month, a weekday or a year: what dates an event rather than says what happened."""
    return term in CALENDAR or bool(_YEAR.fullmatch(term))


YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
"""A year, as sentences and questions write it."""


def entity_terms(text: str, with_peoples: bool = False) -> tuple[str, ...]:
    """The name terms an answer must contain.

    Word parts, not compounds or single letters ("al-Qaeda" -> al, qaeda), since sources
    spell compounds differently; but a branch the lexicon knows is its own name ("ISIS-K",
    "ISIS-Khorasan" -> isis-k, not isis). Months and weekdays are dates, not names: a
    source dates an event in its metadata or in figures as often as by the month's name.
    A people's adjective before a noun only describes, unless ``with_peoples`` (for whom a
    question asks about as a speaker: "the American president").
    """
    untitled = _TITLE.sub("", text)  # "Senator Feinstein": the record calls her "Mrs. FEINSTEIN"
    untitled = _EVENT_CLAUSE.sub("", untitled)  # "after Kabul fell" dates it: a speech may say "Afghanistan"
    untitled = _WHEN_CLAUSE.sub("", untitled)  # "... hurt when the US strike hit his house in Kabul?"
    if not with_peoples:
        untitled = _DESCRIBED.sub("", untitled)  # "the West African country": a source names the country
    names = name_terms(untitled)
    branches = {BRANCHES[t] for t in names if t in BRANCHES}  # "ISIS-K" is its own name, not ISIS's
    parts = {p for name in BRANCHES for p in name.split("-")} if branches else set()  # isis, isil, k ...
    return tuple(
        t for t in names
        if len(t) > 1 and "-" not in t and t not in _NAME_PARTS and t not in CALENDAR and t not in parts
    ) + tuple(sorted(branches))


_NAME_PARTS = frozenset({"al", "new"})
"""Parts of names that are no name alone: "al Qaeda", "New Delhi" (which a speech of India's is by)."""
_EVENT_CLAUSE = re.compile(
    r"\b(?:after|since|before|until|when|once)\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*\s+"
    r"(?:fell|collapsed|was\s+\w+ed|were\s+\w+ed|was\s+taken)\b"
)
"""An event named only to date the question ("after Kabul fell"): not a name the answer must say."""
_DESCRIBED = re.compile(
    r"\b(?:(?:West|East|North|South|Central)\s+)?(?:American|African|Afghan|Pakistani|Indian|Russian|Chinese|"
    r"Iranian|Ukrainian|Syrian|Iraqi|Israeli|Palestinian|Asian|European|Arab|British|French|German|Turkish|"
    r"Saudi|Canadian|Austrian)\s+(?=[a-z])"
)
"""A people's adjective before a noun describes it ("the West African country", "American soldiers"):
the answer may name the country ("Niger") or not at all. The adjective still counts as a word."""
_SCENE = re.compile(r"\b(?:after|before|since|until|during|once)\s+[^,?]*", re.IGNORECASE)


def scene_terms(text: str) -> frozenset[str]:
    """The terms only a clause that sets the scene says, not the rest of the question.

    "... after the Soviets and the Americans walked away from Afghanistan in 1989?" asks what
    happened then, not that they walked away.
    """
    found: set[str] = set()
    for match in _SCENE.finditer(text):
        found |= set(terms(match.group())) - set(terms(text[: match.start()] + text[match.end() :]))
    return frozenset(found)


_WHEN_CLAUSE = re.compile(r"(?<=\w)(?<!\band)(?<!\bor)[\s,]+(?:when|while|once)\s[^?]*", re.IGNORECASE)
"""A clause that says when what is asked happened, after the question's own words: its names
set the scene ("Were his wife and daughter hurt when the strike hit his house in Kabul?")."""
_TITLE = re.compile(
    r"\b(?:Senator|Sen\.|Representative|Rep\.|Congressman|Congresswoman|Mr\.|Mrs\.|Ms\.|Dr\.|"
    r"President|Prime Minister|Foreign Minister|Minister|Secretary(?! General)|Ambassador)\s+(?=[A-Z])"
)
"""A title before a name: sources name the person without it."""


_PERIOD = re.compile(
    rf"\b(?:in|during|as of|by|at)\s+(?:(?P<part>{_YEAR_PART})[- ]?\s*)?"
    r"(?:[A-Z][a-z]+\s+)?(?P<year>(?:19|20)\d\d)\b",
)


def place_terms(text: str, capitals: frozenset[str]) -> tuple[str, ...]:
    """Capitals (of ``capitals``) used as the place of what follows: "the Kabul airport attack"."""
    return tuple(
        t for m in _ATTRIBUTIVE.finditer(text) for t in terms(m.group(1)) if t in capitals
    )


_ATTRIBUTIVE = re.compile(r"\b(?:the|a|an)\s+([A-Z][\w’'-]*)\s+(?=[a-z])")


def period_of(text: str) -> str | None:
    """The year ``text`` confines itself to: "in 2007", "at the start of 2007", "in August 2021".

    Not "the 2022 floods", which names the floods.
    """
    match = _PERIOD.search(text)
    return match.group("year") if match else None


_SHIFT = re.compile(
    r"\b(?:(?P<after>the (?:following|next|subsequent) year|a year later|the year after)"
    r"|(?P<before>the (?:previous|preceding|prior) year|a year (?:earlier|before)|the year before))\b",
    re.IGNORECASE,
)


_YEAR_END = frozenset({"late", "the end of", "the winter of"})


def period_ends(text: str) -> bool:
    """Whether ``text`` confines itself to the end of a year: "in late 2006", "by the end of 2021"."""
    match = _PERIOD.search(text)
    return match is not None and (match.group("part") or "").lower() in _YEAR_END


def shifted_period(text: str, earlier: str | None) -> str | None:
    """The year a follow-up means relative to the earlier question's.

    "And what did the following year's speech say?" after a question "in 2022" asks about 2023.
    """
    match = _SHIFT.search(text)
    if earlier is None or match is None:
        return earlier
    return str(int(earlier) + (1 if match.group("after") else -1))


def is_follow_up(text: str) -> bool:
    """Whether a question leans on an earlier one ('and what did the UN say about it?')."""
    return bool(_FOLLOW_UP.search(text)) or len(content_terms(text)) <= 2


