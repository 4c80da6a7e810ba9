"""What kind of thing a question asks for, and whether a sentence holds it.

A number for "how many" (of the sort asked: soldiers are not civilians, see ``counting``), a
date for "when", a place for "where", a share for "what share", a name for "which group", a
leader for "who leads". What says who someone is ("Who was ...?") is in ``defining``.
"""

from __future__ import annotations

import re

from assistant.answer.counting import NUMBER, asks_time, counts, counts_otherwise
from assistant.answer.lexicon import phrase_terms, with_broader, with_synonyms
from assistant.answer.naming import names_new
from assistant.answer.question import CALENDAR, Question
from assistant.lexical import terms

_DATE = re.compile(
    r"\b(?:19|20)\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:yesterday|today|tonight|last (?:week|month|year))\b",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"\d\s*(?:%|percent|per cent)|\b(?:half|third|thirds|quarter|quarters|fifth|tenth|majority|"
    r"one in \w+)\b",
    re.IGNORECASE,
)
"""A share: '90 percent', 'a third', 'the majority'."""
_ASKS_SHARE = re.compile(
    r"\b(?:what|which|the|a|its|their|how (?:large|big) a)\s+(?:\w+\s+)?share\b|\bshare of\b"
    r"|\b(?:percentage|proportion|fraction|portion|what part)\b",
    re.IGNORECASE,
)
"""A share asked for, not the verb: "How many kilometres of border does it share with X?"."""
_PLACE = re.compile(
    r"\b(?:in|at|near|from|inside|outside|on|via|through|to|into)\s+(?:[a-z]+\s+){0,4}([A-Z][\w’'-]*)"
)
_WHICH = re.compile(
    r"^(?:which|what)\s+((?:[a-z]+\s+){0,3}?[a-z]+)\s+(?:did|does|do|was|were|is|are|has|have|had|[a-z]+ed)\b"
)
WHO_ROLE = re.compile(
    r"^who\s+(?:(?:is|was|are|were|has been|took over as|became|succeeded \S+ as)\s+"
    r"(?:the\s+|its\s+|their\s+)?"
    r"(?:new\s+|current\s+|former\s+)?(?:[a-z.]+\s+){0,2}?"  # "the US ambassador", "the group's leader"
    r"(leader|chief|head|emir|founder|commander|spokes(?:man|person|woman)|president|prime minister|minister|"
    r"ambassador|envoy|director|secretary|governor|deputy)"
    r"\b"
    r"|(?:now\s+|currently\s+)?(lead|head|command|found|run)(?:s|ed)?\b)"
)
"""'Who is the leader of X?' and 'Who leads X?' want a sentence about a leader."""
_ASKS_SUCCESSOR = re.compile(
    r"^who\s+(?:(?:has\s+)?(?:replaced|succeeded|took over|taken over)|(?:is|was|became)\s+(?:the\s+)?"
    r"(?:new|next)\b)"
)
_SUCCESSION = re.compile(
    r"\b(?:succe(?:eded|eds|ed|ssor|ssion)|replac\w*|appoint\w*|assumed|t(?:ook|aken|akes) over|"
    r"(?:new|next)\s+(?:leader|emir|chief|head|commander|president|minister))\b",
    re.IGNORECASE,
)
"""'Who replaced X?' wants a sentence that tells of a succession, not one about X's rule."""
_SUCCEEDING = re.compile(
    r"\b(?P<who>[A-Z][\w’'-]+)\b(?:,[^,.;]{1,60},)?\s+(?:was|became|had been|has been)\b[^.;]{0,80}?"
    r"\b(?:his|her|its|the)\s+successor\b"
    r"|\b(?P<agent>[A-Z][\w’'-]+)\s+(?:succeeded|replaced|took over from)\b"
)


def _succeeds_himself(question: Question, text: str) -> bool:
    """Whether the one a "Who replaced X?" asks about is the successor in ``text``, not the one succeeded.

    "Zawahiri was bin Laden's deputy and his successor in 2011" tells whom Zawahiri replaced.
    """
    named = set(question.entities)
    return any(set(terms(m.group("who") or m.group("agent"))) & named for m in _SUCCEEDING.finditer(text))
_WHICH_NOUN = re.compile(
    r"^(?:which|what)\s+(?!is\b|are\b|was\b|were\b|do\b|does\b|did\b|kinds?\b|types?\b|sorts?\b|"
    r"has\b|have\b|had\b|can\b|could\b|will\b|would\b|should\b|may\b|might\b|must\b|"
    r"happen(?:s|ed)?\b|caus(?:e|es|ed)\b|led\b|leads?\b|prompt(?:s|ed)?\b|trigger(?:s|ed)?\b|made\b|makes?\b)\w+"
)
"""'Which group ...?', 'What report ...?' (a noun that wants a name); not 'What happened ...?'."""


_WHO_SAID = re.compile(
    r"^who\s+(?:has\s+|had\s+)?(?:said|says|claimed|claims|stated|states|warned|warns|believes|believed|"
    r"argued|argues|assessed|assesses|thinks|thought|told|tells|described|describes|called|calls|denied|"
    r"denies|rejected|rejects|noted|notes|insisted|insists|asserted|asserts|alleged|alleges)\b",
    re.IGNORECASE,
)
""""Who said ...?": the answer is whoever says the sentence, even if it names no one."""


def asks_who_said(question: Question) -> bool:
    """Whether the question asks who says something: its answer is a sentence's speaker."""
    return bool(_WHO_SAID.match(question.text.strip()))


_AGENT = re.compile(
    r"\b(?P<verbs>\w+(?:ed|en)(?:\s+and\s+\w+(?:ed|en))?)(?:\s+(?:out|up|off|down))?\s+by\s+"
    r"(?:the|our|their|its|his|her|a|an)\s+\w+",
    re.IGNORECASE,
)


def _agent_of_asked(question: Question, text: str) -> bool:
    """Whether ``text`` names who did what the question asks about by a description.

    "Who does Pakistan accuse of sponsoring the attacks?": "sponsored and financed by our
    regional adversary"; not "condemned by the government" for "Who carried it out?".
    """
    asked = with_synonyms(set(question.terms))
    for match in _AGENT.finditer(text):
        if with_synonyms({*terms(match.group("verbs")), *phrase_terms(match.group())}) & asked:
            return True
    return False


_ASKS_COST = re.compile(r"\bhow much\b.*\b(?:cost|costs|spend|spent|pay|paid|worth)\b|\bhow much money\b")
_MONEY = re.compile(
    r"[$£€]\s?\d|\b\d[\d,.]*\s*(?:million|billion|trillion)?\s*(?:dollars|euros|pounds|rupees|usd)\b"
    r"|\b(?:million|billion|trillion)\b",
    re.IGNORECASE,
)


_CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)|\b\d{1,2}:\d{2}\b", re.IGNORECASE)


def has_answer_type(question: Question, text: str) -> bool:
    """Whether a sentence holds every kind of thing the question asks for.

    "Which report did he cite, and when was it published?" needs a name and a date.
    """
    asked = question.text.lower()
    if question.kind == "howmany" and (not NUMBER.search(text) or counts_otherwise(asked, text)):
        return False
    if question.kind == "howmany" and not asks_time(asked) and not counts(text):
        return False  # "How much of the border ...?" is not answered by "On 20 September" alone
    if _ASKS_COST.search(asked) and not _MONEY.search(text):
        return False  # "How much did the strike cost?" wants an amount of money, not "at 9:48 p.m."
    if question.kind == "howmany" and _ASKS_SHARE.search(asked) and not _SHARE.search(text):
        return False  # "What share ...?" wants "90 percent", not "1.8 metric tons"
    wanted = asked_attribute(question.text)
    if wanted and not wanted & with_synonyms(with_broader(set(terms(text)))):
        return False  # "the population of Tajikistan" needs a sentence about its population
    wants_date = question.kind == "when" or re.search(r"\bwhen\b|\bwhat (?:year|date)\b", asked)
    if wants_date and not _DATE.search(text):
        return False
    if re.search(r"\bwhat time\b", asked) and not _CLOCK.search(text):
        return False  # "At what time ...?" wants "9:48 p.m.", not "on Saturday"
    if question.kind == "where" and not any(
        not set(terms(m.group(1))) & (set(question.entities) | CALENDAR) for m in _PLACE.finditer(text)
    ):  # a place, not the subject ("fired at Ayman al-Zawahiri") nor a day ("on Saturday")
        return False
    if unnamed(question, text):
        return False
    if _ASKS_SUCCESSOR.match(asked) and (not _SUCCESSION.search(text) or _succeeds_himself(question, text)):
        return False  # "Who took over after Zawahiri?" is not "Zawahiri has been the leader"
    role = WHO_ROLE.match(asked)
    if role:  # "Who is the leader of ISIS-K?" wants a sentence about its leader (or chief, emir)
        wanted = set(terms(role.group(1) or role.group(2)))
        wanted |= {"leader", "lead", "led"} if wanted & {"lead", "head", "command", "run"} else set()
        wanted |= {"founder"} if "found" in wanted else set()
        if not with_synonyms(wanted) & set(terms(text)):
            return False
    wants_name = question.kind == "what" and (_WHICH_NOUN.match(asked) or asks_name(question))
    if question.kind == "who" or wants_name:
        # "Which group ...?" and "What is it called?" want a name; "What share ...?" a figure (above)
        known = set(question.terms)
        if question.kind == "who" and _agent_of_asked(question, text):
            return True  # "sponsored and financed by our regional adversary"
        return names_new(asked, text, known)
    return True


_ATTRIBUTE = re.compile(
    r"^what (?:is|was|are|were) (?:the |its |their )?(?P<attr>[a-z]+) of "
    r"(?:the |a |an )?(?P<what>[a-z’' -]+?)"
    r"(?= in | of | at | for | on | who | that | during | against | by | from | with | (?-i:[A-Z])|\?|$)",
    re.IGNORECASE,
)
"""The end of the thing named: a preposition, a clause, or a name ("the campaign Sharif announced")."""
_NAMING = frozenset({"name", "names", "identity"})
_DESCRIBED = frozenset(
    "position view views stance opinion response reaction attitude role situation status state impact effect "
    "purpose goal aim outcome result significance meaning nature cause reason future".split()
)
"""Attributes a sentence gives without naming them: "What is the position of X?"."""


_MEASURED = re.compile(
    r"^how (?:large|big|long|high|wide|deep|old) (?:is|was|are|were) (?:the |its |their |a |an )?"
    r"(?P<what>(?:[a-z’'-]+ )*?[a-z’'-]+?)(?= (?:in|of|at|for|on|with|by|from|to|between|that|which|"
    r"[a-z]+ed)\b| (?-i:[A-Z])|\?|$)",
    re.IGNORECASE,
)


_CALLED = re.compile(
    r"^what (?:is|was|are|were) (?:the |its |their )?(?P<what>[\w’' -]+?)"
    r"(?= in | of | at | for | on | during | against | by | from | with | called\b)"
    r".*\b(?:called|named|known as)\W*$",
    re.IGNORECASE,
)
"""'What is Islamabad's national campaign against the TTP called?': a name, for the campaign."""


def asks_name(question: Question) -> bool:
    """Whether the question asks what something is called ("What is the name of ...?")."""
    return bool(_CALLED.match(question.text.strip()) or _NAME_OF.match(question.text.strip()))


_NAME_OF = re.compile(r"^(?:what|which)(?:[’']s| is| was| are| were) the names? of\b", re.IGNORECASE)


_KIND_OF = re.compile(
    r"^(?:what|which)\s+(?:kinds?|types?|sorts?|forms?)\s+of\s+(?P<what>[a-z]+)", re.IGNORECASE
)
"""'What kind of weapon ...?' wants a weapon (a missile is one: ``lexicon.IMPLIES``)."""


def asked_attribute(asked: str) -> set[str]:
    """The terms a sentence must have to answer "What is the <attribute> of ...?" (as typed).

    "What is the population of X?" needs "population"; "What was the name of the drone
    operator?" needs "operator"; "How large was the reward offered ...?" needs "reward".
    """
    measured = _MEASURED.match(asked.strip()) or _CALLED.match(asked.strip()) or _KIND_OF.match(asked.strip())
    if measured:
        return set(terms(measured.group("what").split()[-1]))
    match = _ATTRIBUTE.match(asked.strip())
    if match is None:
        return set()
    attr = match.group("attr").lower()
    if attr in _DESCRIBED:
        return set()
    if attr in _NAMING:
        return set(terms(match.group("what").split()[-1]))
    return set(terms(attr))


def unnamed(question: Question, text: str) -> bool:
    """Whether ``text`` mentions what a which-question asks for without naming it.

    "Which media outlet ...?" - "in an interview with a media outlet"; not "a group known as
    ISIS-K", which names it.
    """
    which = _WHICH.match(question.text.lower())
    if which is None:
        return False
    head = re.escape(which.group(1))
    named = r"(?!\s+(?:known as|called|named|dubbed)\b|\s*[,(—–-]+\s*(?-i:[A-Z]))"  # "... known as ISIS-K"
    return bool(
        re.search(rf"\b(?:an?|some|one|certain|another|unnamed|unidentified)\s+{head}\b{named}", text, re.I)
    )
