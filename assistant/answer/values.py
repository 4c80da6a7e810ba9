"""Values and referents: when sources give different figures, and when one name means several things.

* A value conflict: answering sentences from different sources give different numbers
  for a how-many question, or different years for a when question ("killed 1.700 people"
  against "more than 1,500 of my people have left the world"). Each side keeps its value.
* An ambiguous subject: the question's definite description ("the emir", "Pakistan's
  prime minister") names different things in different sentences ("the emir of al Qaeda",
  "the emir of ISIS"; two prime ministers). Each is answered apart and never set against
  the others as a conflict.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answer.counting import asks_time, counts_time
from assistant.answer.holders import holder_key
from assistant.answer.question import YEAR, Question
from assistant.answer.select import Candidate

_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_LOWER = ("more than", "over", "at least", "above", "exceeding", "upwards of")
_UPPER = ("almost", "nearly", "under", "less than", "fewer than", "up to", "below")
_ABOUT = ("about", "around", "roughly", "some", "approximately", "an estimated")
_AMOUNT = re.compile(
    r"(?:\b(" + "|".join(_LOWER + _UPPER + _ABOUT) + r")\s+)?"
    r"(?<![\w.,/])(\d{1,3}(?:[,.]\d{3})+(?!/\d)|\d+(?:\.\d+)?(?!/\d)|"
    + "|".join(_WORDS)
    + r")(?:\s+(thousand|million|billion|trillion))?\b",
    re.IGNORECASE,
)
_ROLE_NOUNS = (
    "emir",
    "leader",
    "chief",
    "head",
    "prime minister",
    "president",
    "spokesman",
    "spokesperson",
    "foreign minister",
    "commander",
    "founder",
)


def amounts(text: str, skip: frozenset[float] | set[float] = frozenset()) -> list[tuple[float, str]]:
    """Numbers a sentence states, as (value, text): "1.700" and "1,700" are 1700, "two" is 2.

    Years and the numbers in ``skip`` (those the question itself gives) are left out.
    """
    out = []
    for match in _AMOUNT.finditer(text):
        raw, scale = match.group(2), match.group(3)
        if raw.lower() in _WORDS:
            value = float(_WORDS[raw.lower()])
        elif re.fullmatch(r"\d{1,3}(?:[,.]\d{3})+", raw):
            value = float(re.sub(r"[,.]", "", raw))
        else:
            value = float(raw)
        if scale:
            value *= _SCALE[scale.lower()]
        if YEAR.fullmatch(raw) and not scale or value in skip:
            continue
        out.append((value, match.group(0)))
    return out


def interval(text: str, value: float) -> tuple[float, float]:
    """What a stated figure allows, as an interval.

    "more than 1,500" is [1500, inf), "almost 200" (-inf, 200], "about 50" [45, 55],
    "1,700" exactly 1700.
    """
    lowered = text.lower()
    if lowered.startswith(_LOWER):
        return value, float("inf")
    if lowered.startswith(_UPPER):
        return float("-inf"), value
    if lowered.startswith(_ABOUT):
        return 0.9 * value, 1.1 * value
    return value, value


def value_of(question: Question, cand: Candidate) -> tuple[float, str] | None:
    """The one value a sentence gives for the question (None when it gives none or several)."""
    if question.kind == "howmany":
        found = amounts(cand.text, {v for v, _ in amounts(question.text)})
        counted = _counted(question.text)
        if counted:  # "how many people": the number that counts people ("killed 1.700 people")
            near = [
                (v, t)
                for v, t in found
                if re.search(rf"{re.escape(t)}(?:\s+\S+){{0,3}}?\s+(?:{counted})", cand.text, re.IGNORECASE)
            ]
            found = near or found
        if not asks_time(question.text):  # "20 years of conflict" is no amount of aid
            found = [(v, t) for v, t in found if not counts_time(t, cand.text)]
    elif question.kind == "when":
        asked = set(YEAR.findall(question.text))
        found = [(float(y), y) for y in dict.fromkeys(YEAR.findall(cand.text)) if y not in asked]
    else:
        return None
    distinct = {v for v, _ in found}
    return found[0] if len(distinct) == 1 else None


def _counted(question: str) -> str | None:
    r"""What a how-many question counts, as a pattern: "How many people ..." -> "peopl\w*"."""
    match = re.search(r"\bhow many\s+(?:\w+\s+)?([a-z]+)", question, re.IGNORECASE)
    if not match:
        return None
    words = match.group(0).split()[2:]
    return "|".join(re.escape(w.lower()[:5]) + r"\w*" for w in words if w.lower() not in {"of", "the"})


def compared_values(
    question: Question, chosen: list[Candidate], holder: Callable[[Candidate], str | None]
) -> tuple[list[tuple[Candidate, str]], list[Candidate]]:
    """The values ``chosen`` give for the question: a disagreement, or one holder's updates.

    A disagreement is one sentence per distinct value, when different holders give different
    values that cannot all be true. Updates are one holder's different values in documents
    of different dates, oldest first: Pakistan's prime minister backs the UN's appeal for
    "$4.2 billion" in 2022 and its call for "$3 billion" in 2024; each answers for its time.
    Both are empty when the values agree or cannot be compared.
    """
    found, holders = _distinct_values(question, chosen, holder)
    if holders == 1:
        return [], sorted((cand for cand, _ in found), key=lambda c: c.reading.doc.published or "~")
    return found, []


def _distinct_values(
    question: Question, chosen: list[Candidate], holder: Callable[[Candidate], str | None]
) -> tuple[list[tuple[Candidate, str]], int]:
    """One sentence per distinct value of ``chosen``, if they may not all be true, and how many hold them.

    Empty when fewer than two values, when one document's holder gives them all (several
    figures of one source), or when they can all be true ("more than 1,500" and "1,700").
    """
    seen: dict[float, tuple[Candidate, str]] = {}
    sources: dict[float, set[str]] = {}
    holders: set[str] = set()
    for cand in chosen:
        value = value_of(question, cand)
        if value is None:
            continue
        seen.setdefault(value[0], (cand, value[1]))
        said_by = holder(cand)
        sources.setdefault(value[0], set()).add(f"{cand.reading.doc.id}|{said_by}")
        holders.add(holder_key(said_by) if said_by else cand.reading.doc.id)
    groups = list(sources.values())
    if len(seen) < 2 or all(groups[0] == g for g in groups[1:]):
        return [], 0
    ranges = [interval(text, value) for value, (_, text) in seen.items()]
    if max(lo for lo, _ in ranges) <= min(hi for _, hi in ranges):
        return [], 0
    return list(seen.values()), len(holders)


def role_noun(question: Question) -> str | None:
    """The role a question's subject is named by: "the emir" -> "emir"."""
    lowered = question.text.lower()
    for noun in _ROLE_NOUNS:
        if re.search(rf"\b(?:the|[a-z]+['’]s)\s+{noun}\b", lowered):
            return noun
    return None


def referent(noun: str, cand: Candidate) -> str | None:
    """Which one a sentence speaks of: "the emir of al Qaeda" -> "emir of al Qaeda".

    Else the speaker, when the speaker holds that role ("Imran Khan, Prime Minister of
    Pakistan").
    """
    match = re.search(
        rf"\b{noun}\s+of\s+((?:the\s+)?(?:al[\s-])?[A-Z][\w’'-]*(?:[\s-](?:al[\s-])?[A-Z][\w’'-]*)*)",
        cand.text.replace("\n", " "),
        re.IGNORECASE,
    )
    if match:
        return f"{noun} of {match.group(1)}"
    owner = re.search(rf"\b((?:al[\s-])?[A-Z][\w-]*)[’']s\s+{noun}\b", cand.text, re.IGNORECASE)
    if owner:  # "ISIS’s emir"
        return f"{noun} of {owner.group(1)}"
    titled = _titled(noun, cand.text)  # "President Bush said that ..."
    if titled:
        return titled
    speaker = str(cand.reading.doc.metadata.get("speaker", ""))
    if noun in speaker.lower():
        return speaker
    label = cand.reading.speaker(cand.start)  # a transcript's "THE PRESIDENT:", named by the title
    if label and noun in label.lower():
        return speaker or _titled(noun, cand.reading.doc.title) or label
    return None


def _titled(noun: str, text: str) -> str | None:
    """'President Bush' in "... President Bush said ...", for the role noun 'president'."""
    match = re.search(rf"\b(?i:{noun})\s+((?:[A-Z][\w’'.-]+\s+){{0,2}}[A-Z][\w’'-]+)", text)
    if match is None or match.group(1).split()[0] in {"The", "A", "An", "Of"}:
        return None
    return f"{noun.title()} {match.group(1)}"


def referents(question: Question, chosen: list[Candidate]) -> dict[str, list[Candidate]]:
    """The sentences grouped by what the question's role noun refers to in each.

    Only when it refers to more than one thing; empty otherwise.
    """
    noun = role_noun(question)
    if noun is None:
        return {}
    groups: dict[str, list[Candidate]] = {}
    for cand in chosen:
        label = referent(noun, cand)
        if label is None:
            return {}  # a sentence we cannot place: do not split the answer
        groups.setdefault(label, []).append(cand)
    keys = {re.sub(r"[\s-]+", " ", k.lower()) for k in groups}
    return groups if len(keys) > 1 else {}
