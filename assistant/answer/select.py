"""Pick the sentences that answer a question, or decide that none does.

Each sentence of the retrieved passages is scored by how much of the question's
weighted terms it covers (IDF weights from the index, acronyms expanded from the
documents themselves, a few policy-verb synonyms) plus its passage's dense
similarity. A sentence must cover most of the question and contain the kind of
thing asked for (a number for "how many", a date for "when", a name for "who").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from assistant.answer.lexicon import IMPLIES, PLACES, REPORTING, SYNONYMS
from assistant.answer.question import CALENDAR, Question
from assistant.answer.reading import Reading
from assistant.lexical import terms
from assistant.types import Evidence

MIN_COVERAGE = 0.6
SEMANTIC_MATCH = 0.5
STRONG_MATCH = 0.6
NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"dozens?|hundreds?|thousands?|millions?)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:19|20)\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\b\d{1,2}:\d{2}\b|\b(?:yesterday|today|tonight|last (?:week|month|year))\b",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"\d\s*(?:%|percent|per cent)|\b(?:half|third|thirds|quarter|quarters|fifth|tenth|majority|"
    r"one in \w+)\b",
    re.IGNORECASE,
)
"""A share: '90 percent', 'a third', 'the majority'."""
_ASKS_SHARE = re.compile(r"\b(?:share|percentage|proportion|fraction|portion|what part)\b", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|at|near|from|inside|outside|on|via|through)\s+(?:[a-z]+\s+){0,4}([A-Z][\w’'-]*)")
_WHICH = re.compile(r"^(?:which|what)\s+((?:[a-z]+\s+){0,3}?[a-z]+)\s+(?:did|does|do|was|were|is|are|has|have|had|[a-z]+ed)\b")
_WHO_ROLE = re.compile(
    r"^who\s+(?:(?:is|was|are|were|has been)\s+(?:the\s+|its\s+|their\s+)?(?:new\s+|current\s+|former\s+)?"
    r"(leader|chief|head|emir|founder|commander|spokes(?:man|person|woman)|president|prime minister|minister)\b"
    r"|(?:now\s+|currently\s+)?(lead|head|command|found|run)(?:s|ed)?\b)"
)
"""'Who is the leader of X?' and 'Who leads X?' want a sentence about a leader."""
_ENTITY = re.compile(r"\b[A-Z][A-Za-z]*(?:[-‑][A-Z][A-Za-z]*)*\b")


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage, scored against the question."""

    reading: Reading
    evidence: Evidence
    index: int
    start: int
    end: int
    coverage: float
    score: float
    terms: frozenset[str]
    context: frozenset[str]
    similarity: float = 0.0

    @property
    def text(self) -> str:
        """The sentence, exactly as in the document."""
        return self.reading.doc.text[self.start : self.end]


def expand(found: set[str], reading: Reading) -> set[str]:
    """Add the synonyms and the document's own acronyms of the terms a sentence contains."""
    out = set(found)
    out.update(IMPLIES[t] for t in found if t in IMPLIES)
    for group in SYNONYMS:
        if out & group:
            out |= group
    if {"unit", "state"} <= found:
        found = found | {"us"}
    for group in PLACES:
        if found & group:
            out |= group
    for long_form, short in reading.aliases:
        if short <= out:
            out |= long_form
        if long_form and long_form <= out:
            out |= short
    return out


def sentence_terms(reading: Reading, index: int) -> frozenset[str]:
    """Sentence ``index``'s terms, expanded (worked out once per document version)."""
    found = reading.term_cache.get(index)
    if found is None:
        found = reading.term_cache[index] = frozenset(expand(set(terms(reading.text(index))), reading))
    return found


def weights(question: Question, idf: dict[str, float]) -> dict[str, float]:
    """Each question term's weight: its IDF.

    In a follow-up, the earlier question's terms count half (they are the context, the new
    question is the focus).
    """
    top = max(idf.values(), default=1.0)
    out: dict[str, float] = {}
    for term in question.terms:
        known = idf.get(term) or 0.0
        if not known:  # not in any passage: decisive if it is a name ("Peru"), noise if a word
            known = top + 1.0 if term in question.entities else 1.0
        out[term] = known * (0.3 if term in REPORTING else 1.0)
    if question.own_terms != question.terms:
        for term in out:
            if term not in question.own_terms:
                out[term] *= 0.5
    return out


def coverage(sentence_terms: set[str], weight: dict[str, float]) -> float:
    """Weighted share of the question's terms found among ``sentence_terms``."""
    total = sum(weight.values())
    if not total:
        return 0.0
    return sum(w for t, w in weight.items() if t in sentence_terms) / total


def has_answer_type(question: Question, text: str) -> bool:
    """Whether a sentence holds every kind of thing the question asks for.

    "Which report did he cite, and when was it published?" needs a name and a date.
    """
    asked = question.text.lower()
    if question.kind == "howmany" and not NUMBER.search(text):
        return False
    if question.kind == "howmany" and _ASKS_SHARE.search(asked) and not _SHARE.search(text):
        return False  # "What share ...?" wants "90 percent", not "1.8 metric tons"
    if (question.kind == "when" or re.search(r"\bwhen\b|\bwhat (?:year|date)\b", asked)) and not _DATE.search(text):
        return False
    if question.kind == "where" and not any(
        not set(terms(m.group(1))) & (set(question.entities) | CALENDAR) for m in _PLACE.finditer(text)
    ):  # a place, not the subject ("fired at Ayman al-Zawahiri") nor a day ("on Saturday")
        return False
    if _unnamed(question, text):
        return False
    role = _WHO_ROLE.match(asked)
    if role:  # "Who is the leader of ISIS-K?" wants a sentence about its leader (or chief, emir)
        wanted = set(terms(role.group(1) or role.group(2)))
        wanted |= {"leader", "lead", "led"} if wanted & {"lead", "head", "command", "run"} else set()
        wanted |= {"founder"} if "found" in wanted else set()
        for group in SYNONYMS:
            if wanted & group:
                wanted |= group
        if not wanted & set(terms(text)):
            return False
    if question.kind == "who" or (
        question.kind == "what" and re.match(r"^(?:which|what)\s+(?!is\b|are\b|was\b|were\b|do\b|does\b|did\b)\w+", asked)
    ):  # "Which group ...?" wants a name; "What share ...?" a figure (above)
        known = set(question.terms)
        return any(set(terms(m.group())) - known for m in _ENTITY.finditer(text) if m.start() > 0)
    return True


def _unnamed(question: Question, text: str) -> bool:
    """Whether ``text`` mentions what a which-question asks for without naming it.

    "Which media outlet ...?" - "in an interview with a media outlet".
    """
    which = _WHICH.match(question.text.lower())
    if which is None:
        return False
    head = re.escape(which.group(1))
    return bool(re.search(rf"\b(?:an?|some|one|certain|another|unnamed|unidentified)\s+{head}\b", text, re.I))


Similarity = Callable[[list[tuple[Reading, int]]], np.ndarray]
_SEMANTIC_POOL = 8
_SIDES_POOL = 12
"""A yes/no question reads more sentences by meaning: a side may say it in other words."""


def candidates(
    question: Question,
    evidence: list[tuple[Evidence, Reading]],
    weight: dict[str, float],
    similarity: Similarity | None = None,
) -> list[Candidate]:
    """Every sentence of the retrieved passages, scored, best first.

    The lexical score ranks all sentences; the best ``_SEMANTIC_POOL`` are then compared
    with the question by embedding (``similarity``), which catches paraphrases.
    """
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for item, reading in evidence:
        first = reading.sentence_at(item.passage.start)
        last = reading.sentence_at(max(item.passage.start, item.passage.end - 1))
        for index in range(first, last + 1):
            if (reading.doc.id, index) not in seen:
                seen.add((reading.doc.id, index))
                out.append(candidate(reading, item, index, weight))
    defining = definition_of(question)
    bonus = {id(c): DEFINES if defining and defining.search(c.text) else 0.0 for c in out}
    out = sorted((replace(c, score=c.score + bonus[id(c)]) for c in out), key=lambda c: -c.score)
    if similarity is not None and out:
        size = _SIDES_POOL if question.kind == "yesno" else _SEMANTIC_POOL
        pool = out[:size]
        sims = similarity([(c.reading, c.index) for c in pool])
        pool = [
            replace(c, similarity=float(sim),
                    score=c.coverage + 1.2 * float(sim) + (DEFINES if defining and defining.search(c.text) else 0.0))
            for c, sim in zip(pool, sims, strict=True)
        ]
        out = sorted(pool, key=lambda c: -c.score) + out[size:]
    return out


DEFINES = 0.2
"""What a sentence that says what the subject is ('Zawahiri was bin Laden's deputy') adds
for 'Who was Zawahiri?' or 'What is the TTP?'."""
_DEFINITIONAL = re.compile(r"^(?:who|what)\s+(?:is|was|are|were)\s+(?:the\s+)?(?P<subject>[^?]+?)\s*\??$", re.I)


def definition_of(question: Question) -> re.Pattern[str] | None:
    """For 'Who was Ayman al-Zawahiri?', a pattern for sentences that say who he was.

    'Zawahiri was ...', 'Zawahiri, the ...', 'the emir of al Qaeda, Ayman al-Zawahiri', and
    'Tehreek-e-Taliban Pakistan (TTP)'.
    """
    match = _DEFINITIONAL.match(question.text.strip())
    if match is None or question.kind not in ("who", "what") or _WHO_ROLE.match(question.text.lower()):
        return None
    words = match.group("subject").split()
    if not words or not words[-1][:1].isupper():
        return None  # "What is the situation?" names nothing to define
    name = re.escape(words[-1].rstrip("’'s"))
    return re.compile(
        rf"\b{name}(?:’s|'s)?\s+(?:is|was|are|were|has been|had been)\s+(?:a|an|the|one|also|now)\b"
        rf"|\b{name}\b\s*(?:,|—|–|\()\s*(?:a|an|the|who|which|one|its|his|her|their|an?)\b"
        rf"|\b(?:the|a|an|its|his|her|[A-Z][\w-]*(?:’s|'s))\s+[^,.;]{{3,80}},\s+(?:[A-Z][\w’'-]*\s+){{0,3}}{name}\b"
        rf"|\([^)]*\b{name}\b[^)]*\)",
        re.IGNORECASE,
    )


def candidate(reading: Reading, item: Evidence, index: int, weight: dict[str, float]) -> Candidate:
    """Sentence ``index`` scored.

    Its own coverage, plus a little for what the sentences just before it and the
    document's metadata add.
    """
    start, end = reading.spans[index]
    own = sentence_terms(reading, index)
    context = set(reading.header) | expand(set(reading.about), reading)
    for back in range(max(0, index - 3), index):
        context |= sentence_terms(reading, back)
    cover = coverage(own | reading.header, weight) + 0.4 * coverage(context - own, weight)
    return Candidate(reading, item, index, start, end, min(cover, 1.0), cover + 0.5 * item.dense_score,
                     frozenset(own), frozenset(context))


def names_entities(
    question: Question,
    own: frozenset[str] | set[str],
    context: frozenset[str] | set[str],
    weight: dict[str, float],
    document: Callable[[], frozenset[str]] = frozenset,
) -> bool:
    """Whether a sentence names the question's names.

    The sentence, the few before it or its document's metadata (``context``: its speaker,
    its source) must name the question's rarest name, and its document (``document()``,
    read only when needed) names the others (so a sentence about another place or group is
    no answer).
    """
    if not question.entities:
        return True
    rarest = max(question.entities, key=lambda t: weight.get(t, 0.0))
    nearby = own | context
    return rarest in nearby and all(t in nearby or t in document() for t in question.entities)


def in_period(question: Question, cand: Candidate) -> bool:
    """A question confined to a year is answered by sentences of that year: the year is in
    the sentence, the few before it or the document's date."""
    return question.period is None or question.period in cand.terms or question.period in cand.context


def _names_focus(question: Question, cand: Candidate) -> bool:
    """In a follow-up, the names the new question brings in are its focus: a sentence must
    name them ("Did the Taliban know?" after questions about al-Zawahiri)."""
    if question.own_terms == question.terms:
        return True
    nearby = cand.terms | cand.context
    return all(t in nearby for t in question.entities if t in question.own_terms)


MARGIN = 0.08
"""A sentence scoring this far below the best one is context, not answer, and is left out."""
_FACTOID = {"who", "when", "where", "howmany"}


def answering(
    question: Question, scored: list[Candidate], weight: dict[str, float], limit: int | None = None,
    margin: float = 0.0,
) -> list[Candidate]:
    """The sentences that answer.

    Enough support, the asked-for kind of thing, within ``MARGIN`` (or ``margin``) of the
    best one, no near-duplicates. Factoid questions get at most two,
    others three (or ``limit``).
    """
    limit = limit or (2 if question.kind in _FACTOID else 3)
    margin = margin or (MARGIN / 2 if question.kind in _FACTOID else MARGIN)
    if any(c.coverage >= 0.8 and _unnamed(question, c.text) for c in scored[:5]):
        return []  # the sources speak of it but do not say which: that is not an answer
    chosen: list[Candidate] = []
    for cand in scored:
        if chosen and cand.score < chosen[0].score - margin:
            break
        if not _supported(cand) or not has_answer_type(question, cand.text) or not _statement(cand.text):
            continue
        if not _names_focus(question, cand) or not in_period(question, cand):
            continue
        strong = cand.similarity >= STRONG_MATCH and cand.coverage >= 0.45  # "Washington" for "we"
        if not strong and not names_entities(question, cand.terms, cand.context, weight, _vocabulary(cand.reading)):
            continue
        if any(_similar(cand, other) for other in chosen):
            continue
        chosen.append(cand)
        if len(chosen) >= limit:
            break
    return chosen


def _vocabulary(reading: Reading) -> Callable[[], frozenset[str]]:
    """A document's vocabulary, read only if asked for."""
    return lambda: reading.vocabulary


def _statement(text: str) -> bool:
    """A sentence that can answer: not a question, not a fragment."""
    return not text.rstrip("”’\"' )").endswith("?") and len(text.split()) >= 5


def _supported(cand: Candidate) -> bool:
    """Enough of the question is in the sentence: by words, or by meaning with some words."""
    if cand.coverage >= MIN_COVERAGE or (cand.similarity >= SEMANTIC_MATCH and cand.coverage >= 0.3):
        return True
    return cand.similarity >= 0.4 and cand.coverage + cand.similarity >= 1.0  # near on both counts


def _similar(a: Candidate, b: Candidate) -> bool:
    """Near-duplicates say the same with the same figures (different figures may be a conflict)."""
    if set(NUMBER.findall(a.text)) != set(NUMBER.findall(b.text)):
        return False
    return bool(a.terms and b.terms) and len(a.terms & b.terms) / len(a.terms | b.terms) > 0.6
