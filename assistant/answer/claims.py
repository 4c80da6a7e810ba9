"""Who says what in a sentence: holders, reporting verbs, and denials.

A shallow, rule-based reading that is fast enough to run on every answer: reporting
verbs ("alleged", "rejected", "emphasized", "according to") split a sentence into
claims, each with a holder (the noun phrase before the verb, with pronouns resolved
from the document) and a polarity (asserting or denying what follows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Polarity = Literal["assert", "deny"]

_ASSERT = (
    r"said|says|say|stated|states|state|claimed|claims|claim|claiming|alleged|alleges|allege|alleging|"
    r"accused|accuses|accuse|accusing|emphasi[sz]ed|emphasi[sz]es|emphasi[sz]e|stressed|stresses|stress|"
    r"mentioned|mentions|noted|notes|argued|argues|"
    r"insisted|insists|asserted|asserts|warned|warns|reiterated|reiterates|confirmed|confirms|confirm|"
    r"reported|reports|maintained|maintains|added|explained|told|announced|believes|believe|assessed|"
    r"assesses|acknowledged|acknowledges|charged|suggested|suggests|demonstrates|demonstrated|shows|showed|show|"
    r"pointed to|points to|pointed out|blamed|blames|blaming|attributed|recogni[sz]ed|highlighted|underscored|"
    r"concluded|found|finds|knew|revealed|indicated|indicates|"
    r"saying|stating|reporting|insisting|asserting|arguing|maintaining|suggesting|confirming"
)
_DENY = (
    r"rejected|rejects|reject|rejecting|dismissed|dismisses|dismiss|dismissing|denied|denies|deny|denying|"
    r"refuted|refutes|disputed|disputes|repudiated|contested|contests"
)
VERB = re.compile(rf"\b(?:(?P<deny>{_DENY})|(?P<assert>{_ASSERT}))\b", re.IGNORECASE)
ACCORDING = re.compile(
    r"\b(?:according to\s+(?P<agent>[^,]{1,80})|in (?P<own>his|her|their) view|as per\s+(?P<per>[^,]{1,80})),",
    re.IGNORECASE,
)
BY_AGENT = re.compile(
    r"\b(?:allegations?|claims?|accusations?|charges?|remarks?|statements?)\s+(?:made\s+|levell?ed\s+|raised\s+)?by\s+",
    re.IGNORECASE,
)
_PASSIVE = re.compile(r"\b(?:been|was|were|is|are|being|be)\s+(?:\w+ly\s+)?$", re.IGNORECASE)
BLAMED_BY = re.compile(
    r"\b(?:been|was|were|is|are|being)\s+(?:\w+ly\s+)?(?:blamed|accused|criticized|criticised|faulted|"
    r"condemned|held responsible)\b[^.;]*?,?\s+by\s+(?P<agent>[^.;]{2,100}?)\s*(?:[.;]|$)",
    re.IGNORECASE,
)
"""'Pakistan has been blamed for the turn of events by politicians in the United States':
the agent holds the claim, and the claim is the sentence up to 'by'."""
_DISMISSING = r"baseless|unfounded|false|fabricated|propaganda|disinformation|misinformation"
DISMISSIVE = re.compile(rf"\b(?:{_DISMISSING})\b", re.IGNORECASE)
"""Words that deny whatever a sentence speaks of: "just more Kremlin propaganda"."""
NEGATION = re.compile(
    rf"\b(?:not(?!\s+only)|cannot|no|zero|never|none|nor|neither|nobody|nothing|hardly|scarcely|{_DISMISSING}|"
    r"without\s+(?:any\s+)?(?:basis|evidence)|lack(?:s|ed|ing)?\s+of|absence\s+of|fail(?:s|ed|ure)?\s+to|"
    r"deteriorat\w*|un(?:harmed|hurt|injured|scathed)|(?:minimi[sz]|reduc)\w*\s+(?:\w+\s+)?(?:the\s+)?(?:risk|chance|likelihood)\s+of)\b|n[’']t\b",
    re.IGNORECASE,
)
_SKIP = frozenset(
    "has have had is are was were be been being also further strongly repeatedly simultaneously "
    "categorically clearly firmly again then once publicly recently had already would will did does do "
    "obviously apparently reportedly openly now "
    "not only consistently long".split()
)
_CLAUSE_EDGE = re.compile(r"(?:^|[;:(]|,\s+(?=and\b|but\b|while\b|whereas\b)|\bthat\b|\bwhile\b|\band\b|\bbut\b)")
PRONOUNS = frozenset({"he", "she", "they", "his", "her", "him", "their", "them", "it"})
_NAME = re.compile(r"\b[A-Z][\w’'.-]+(?:\s+(?:al-|bin\s+|de\s+|)[A-Z][\w’'-]+)+")
_SPEAKER_LABEL = re.compile(
    r"^(?:([A-Z][A-Z .’'-]{1,60}):\s"  # transcripts: "THE PRESIDENT:", "MR. KIRBY:"
    r"|(M(?:r|rs|s)\.\s[A-Z][A-Z’'-]+(?:\sof\s[A-Z][a-z]+)?)\.\s"  # Congressional Record: "Mr. PALLONE."
    r"|(Q)(?::|[\s\xa0]{2,}|\xa0))",  # a reporter's question in a White House transcript: "Q   Hey, John."
    re.MULTILINE,
)
REPORTER = "A reporter"
"""Who a transcript's "Q" turn is: questions are attributed to the one who asked them."""


@dataclass(frozen=True)
class Claim:
    """One claim made in a sentence."""

    holder: str
    """Who makes it, as the sentence names them (pronouns resolved)."""
    polarity: Polarity
    """Whether the holder asserts or denies what follows."""
    start: int
    """Start of what is claimed, relative to the sentence."""
    end: int
    """End of what is claimed, relative to the sentence."""


_DETERMINER = re.compile(r"(?:\b(?:the|these|those|this|that|his|her|their|its|such|recent|UN|official)|[’']s)\s+$", re.I)
_DESCRIBE_DENY = re.compile(
    r"\b(?:described|called|termed|labell?ed|branded)\b[^.]{0,80}?\b(?:baseless|unfounded|false|fabricated|"
    r"propaganda|absurd|lies)\b",
    re.IGNORECASE,
)
_POSSESSED = re.compile(
    r"(?P<holder>(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)[’']s\s+(?P<noun>claims?|allegations?|assertions?|"
    r"accusations?|narrative|denials?)\b\s*(?:that\s+)?"
)
_CLAUSE_SUBJECT = re.compile(
    r"(?:^|that\s+|,\s+)(?P<np>(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)\s+"
    r"(?:are|is|was|were|has|have|had|continues?|continued|keeps?|kept)\b"
)


def _holder_before(sentence: str, verb_start: int, names: dict[str, str]) -> str:
    """The noun phrase that governs a verb: a known name, a pronoun, or the clause subject.

    Returns "" for a verb coordinated with an earlier one ("accused X and alleged"),
    whose holder is the earlier verb's.
    """
    head = sentence[:verb_start]
    if re.search(r"\b(?:and|but|or)\s*$", head):
        return ""
    cut = 0
    for match in _CLAUSE_EDGE.finditer(head):
        if match.end() < len(head.rstrip()):
            cut = match.end()
    clause = head[cut:]
    known = [m for m in _NAME_OR_SHORT.finditer(clause) if m.group().split()[-1] in names]
    if known:
        return known[-1].group()
    segment = clause.rstrip().rstrip(",").rsplit(",", 1)[-1]
    words = segment.split()
    while words and words[-1].lower() in _SKIP:
        words.pop()
    if words and words[-1].lower() in PRONOUNS:
        return words[-1]
    while words and words[0].lower() in {"as", "so", "and", "but", "while", "when", "if"}:
        words.pop(0)
    phrase = _PERCEIVED.sub("", " ".join(words[-6:]))  # "I've seen Afghan journalists [reporting]"
    if not phrase or (VERB.search(phrase) and not _SOURCES.fullmatch(phrase)):
        subject = list(_CLAUSE_SUBJECT.finditer(head))
        return subject[-1].group("np") if subject else ""
    return phrase


_NEGATED_VERB = re.compile(
    r"(?:\b(?:do|does|did|have|has|had)\s+not|\b(?:do|does|did)n[’']t|\bnever|"
    r"\b(?:have|has|had|see|saw)\s+no\s+(?:reason|grounds?|basis)\s+to)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
_BELIEF = re.compile(r"believ|assess|find|found", re.IGNORECASE)
"""A belief its holder negates denies what it is about: "we do not believe that ...", "we have
no reason to believe". (Not having said or confirmed something is not denying it.)"""
_SOURCES = re.compile(r"(?:[\w-]+\s+){0,3}(?:reports|findings|assessments|records|studies)", re.IGNORECASE)
"""Documents that report ("as reports show that ..."), though "reports" may be a verb."""
_PERCEIVED = re.compile(r"^.*\b(?:seen|heard|saw|see|hear|read|noticed|watched)\s+(?=\S)", re.IGNORECASE)
"""Who was seen or heard doing the reporting holds the claim, not who saw them."""
_NAME_OR_SHORT = re.compile(r"\b[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*")


def read_claims(sentence: str, names: dict[str, str] | None = None) -> list[Claim]:
    """Every attributed claim of a sentence, in order of where its content starts."""
    names = names or {}
    claims: list[Claim] = []
    for match in ACCORDING.finditer(sentence):
        agent = match.group("agent") or match.group("own") or match.group("per") or ""
        claims.append(Claim(agent.strip(), "assert", match.end(), len(sentence)))
    for match in BY_AGENT.finditer(sentence):
        rest = sentence[match.end() :]
        name = re.match(
            r"(?:(?:[a-z]+\s+){0,3}(?=[A-Z]))?(?:[A-Z][\w’'-]*\s*)+(?:(?:[a-z]+\s+){1,2}(?:[A-Z][\w’'-]*\s*)+)?", rest
        )
        if name:
            claims.append(Claim(name.group().strip(), "assert", match.end() + name.end(), len(sentence)))
    for match in _POSSESSED.finditer(sentence):
        polarity: Polarity = "deny" if match.group("noun").lower().startswith("denial") else "assert"
        claims.append(Claim(match.group("holder"), polarity, match.end(), len(sentence)))
    for match in _DESCRIBE_DENY.finditer(sentence):
        holder = _holder_before(sentence, match.start(), names)
        obj = re.match(r"\w+\s+(.*?)\s+as\b", match.group())
        if holder and obj:
            start = match.start() + obj.start(1)
            claims.append(Claim(holder, "deny", start, start + len(obj.group(1))))
    for match in BLAMED_BY.finditer(sentence):
        claims.append(Claim(match.group("agent"), "assert", 0, match.start("agent")))
    previous = ""
    for match in VERB.finditer(sentence):
        if _DETERMINER.search(sentence[: match.start()]) or _followed_by_verb(sentence, match.end()):
            continue  # a noun ("the claims", "UN reports confirm"), not a reporting verb
        if match.group()[0].isupper() and match.start() > 0:
            continue  # a name ("United States"), not a verb
        if match.group().lower().endswith("ed") and _PASSIVE.search(sentence[: match.start()]):
            continue  # "Pakistan has been blamed": the subject is not who blames
        negated = _BELIEF.match(match.group()) and _NEGATED_VERB.search(sentence[: match.start()])
        holder = _holder_before(sentence, negated.start() if negated else match.start(), names)
        if match.group().lower().endswith("ing") and sentence[: match.start()].rstrip().endswith(","):
            earlier = [c for c in claims if c.start <= match.start()]
            holder = max(earlier, key=lambda c: c.start).holder if earlier else holder
        if not holder or not any(c.isalpha() for c in holder):
            holder = previous
        if not holder:
            continue
        polarity = "deny" if bool(match.group("deny")) != bool(negated) else "assert"
        claims.append(Claim(holder, polarity, match.end(), len(sentence)))
        previous = holder
    claims.sort(key=lambda c: c.start)
    return claims


def _followed_by_verb(sentence: str, end: int) -> bool:
    nxt = re.match(r"\s+(\w+)", sentence[end:])
    return bool(nxt and VERB.fullmatch(nxt.group(1)) and not nxt.group(1).lower().endswith("ed"))


def is_negated(text: str) -> bool:
    """Whether a claim's content is negated ('does not operate', 'baseless')."""
    return bool(NEGATION.search(text))


_NOT_NAMES = frozenset(
    """the a an according responding in on at despite however prime minister president secretary general
    council security united nations states assembly government ministry islamic republic state mr mrs ms
    dr his her their this that these those new east west north south white house""".split()
)


def people(text: str) -> dict[str, str]:
    """Full names of people in a document, keyed by last name: {'Zaidi': 'Musharraf Zaidi'}."""
    found: dict[str, str] = {}
    for match in _NAME.finditer(text):
        parts = match.group().split()
        if "\n" in match.group() or not 2 <= len(parts) <= 4:
            continue
        bare = [p.rstrip("’'s").lower() if p.endswith(("’s", "'s")) else p.lower() for p in parts]
        if any(b in _NOT_NAMES or "-" in b or b.isupper() for b in bare) or any(p.isupper() for p in parts):
            continue
        found.setdefault(parts[-1], match.group())
    return found


_ROLE_BEFORE = re.compile(
    r"((?:[A-Z][\w’']*\s+)?(?:spokesperson|spokesman|minister|president|official|envoy|ambassador|leader|"
    r"chief|adviser|advisor))\s+$",
    re.IGNORECASE,
)
_APPOSITIVE = re.compile(r"(?:^|[.]\s+)(?:The\s+)?([^,.]{5,80}),\s+$")


def roles(text: str, names: dict[str, str]) -> dict[str, str]:
    """Roles stated next to names: 'Taliban spokesperson Zabihullah Mujahid' -> 'Taliban spokesperson'."""
    out: dict[str, str] = {}
    for full in set(names.values()):
        position = text.find(full)
        while position >= 0 and full not in out:
            window = text[max(0, position - 120) : position]
            appositive = _APPOSITIVE.search(window) if text.startswith(",", position + len(full)) else None
            before = _ROLE_BEFORE.search(window)
            if appositive or before:
                out[full] = (appositive or before).group(1).strip()  # type: ignore[union-attr]
            position = text.find(full, position + len(full))
    return out


def speaker_turns(text: str) -> list[tuple[int, str]]:
    """Transcript speaker labels ('THE PRESIDENT:', 'Q') as (offset, label), in order."""
    return [(m.start(), (m.group(1) or m.group(2) or m.group(3)).strip()) for m in _SPEAKER_LABEL.finditer(text)]


def without_label(sentence: str) -> str:
    """A sentence without the transcript label it opens with ("THE PRESIDENT: My fellow ...")."""
    match = _SPEAKER_LABEL.match(sentence)
    return sentence[match.end() :].lstrip(" \xa0") if match else sentence


def pretty_label(label: str) -> str:
    """'THE PRESIDENT' -> 'The President'; 'MR. KIRBY' -> 'Mr. Kirby'; 'Q' -> 'A reporter'."""
    if label == "Q":
        return REPORTER
    return " ".join(w.capitalize() if w.isupper() else w for w in label.split())


_TITLED = re.compile(
    r"^(?:(?:prepared|opening|closing|keynote)\s+)?(?:remarks|statement|address|speech|testimony)\s+(?:by|of)\s+"
    r"(?P<who>[^()—–:]+?)(?=\s+(?:for|on|at|to|in|before|during|regarding|about|upon)\s|\s*[()—–:]|\s*$)",
    re.IGNORECASE,
)
"""A speech's title that names who gives it: "Remarks by Dr. Liz Sherwood-Randall for the ..."."""


def titled_speaker(title: str) -> str | None:
    """Who gives the speech ``title`` names: "Remarks by President Biden on ..." -> "President Biden".

    None for a title of anything else (a press call, a news report), or of two speakers.
    """
    match = _TITLED.match(title.strip())
    if not match or re.search(r"\band\b|&", match.group("who")):
        return None
    who = match.group("who").strip()
    return who[:1].upper() + who[1:]
