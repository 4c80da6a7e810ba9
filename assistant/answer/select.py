"""Pick the sentences that answer a question, or decide that none does.

Each sentence of the retrieved passages is scored by how much of the question's
weighted terms it covers (IDF weights from the index, acronyms expanded from the
documents themselves, a few policy-verb synonyms) plus its passage's dense
similarity. A sentence must cover most of the question and contain the kind of
thing asked for (a number for "how many", a date for "when", a name for "who").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.question import Question
from assistant.answer.reading import Reading
from assistant.lexical import terms
from assistant.types import Evidence

MIN_COVERAGE = 0.6
_SYNONYMS = [
    {"support", "back", "sponsor", "fund", "financ", "facilitat", "aid", "harbor", "harbour", "shelter"},
    {"operat", "presenc", "present", "activ", "base", "haven", "sanctuari"},
    {"attack", "bomb", "bombing", "blast", "assault", "strike"},
    {"kill", "kil", "dead", "death", "die", "slain"},
    {"deni", "reject", "dismiss", "refut"},
    {"us", "american", "america", "unit"},
    {"un", "nation", "unit"},
]
_NUMBER = re.compile(
    r"\b\d[\d,.]*\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"dozens?|hundreds?|thousands?|millions?)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b(?:19|20)\d{2}\b|\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|\b\d{1,2}:\d{2}\b|\b(?:yesterday|today|tonight|last (?:week|month|year))\b",
    re.IGNORECASE,
)
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

    @property
    def text(self) -> str:
        """The sentence, exactly as in the document."""
        return self.reading.doc.text[self.start : self.end]


def expand(found: set[str], reading: Reading) -> set[str]:
    """Add the synonyms and the document's own acronyms of the terms a sentence contains."""
    out = set(found)
    for group in _SYNONYMS:
        if out & group:
            out |= group
    for long_form, short in reading.aliases:
        if short <= out:
            out |= long_form
        if long_form and long_form <= out:
            out |= short
    return out


def weights(question: Question, idf: dict[str, float]) -> dict[str, float]:
    """Each question term's weight: its IDF, doubled for a follow-up's new focus."""
    top = max(idf.values(), default=1.0)
    out = {t: idf.get(t) or top + 1.0 for t in question.terms}
    for term in question.own_terms:
        if question.own_terms != question.terms and term in out:
            out[term] *= 2.0
    return out


def coverage(sentence_terms: set[str], weight: dict[str, float]) -> float:
    """Weighted share of the question's terms found among ``sentence_terms``."""
    total = sum(weight.values())
    if not total:
        return 0.0
    return sum(w for t, w in weight.items() if t in sentence_terms) / total


def has_answer_type(question: Question, text: str) -> bool:
    """Whether a sentence holds the kind of thing the question asks for."""
    if question.kind == "howmany":
        return bool(_NUMBER.search(text))
    if question.kind == "when":
        return bool(_DATE.search(text))
    if question.kind == "who":
        asked = set(question.terms)
        return any(set(terms(m.group())) - asked for m in _ENTITY.finditer(text) if m.start() > 0)
    return True


def candidates(question: Question, evidence: list[tuple[Evidence, Reading]], idf: dict[str, float]) -> list[Candidate]:
    """Every sentence of the retrieved passages, scored, best first."""
    weight = weights(question, idf)
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for item, reading in evidence:
        first = reading.sentence_at(item.passage.start)
        last = reading.sentence_at(max(item.passage.start, item.passage.end - 1))
        for index in range(first, last + 1):
            if (reading.doc.id, index) in seen:
                continue
            seen.add((reading.doc.id, index))
            start, end = reading.spans[index]
            own = expand(set(terms(reading.text(index))), reading)
            context = expand(set(terms(reading.text(index - 1))), reading) if index else set()
            context |= reading.header
            cover = coverage(own | reading.header, weight) + 0.3 * coverage(context - own - reading.header, weight)
            score = cover + 0.5 * item.dense_score
            out.append(Candidate(reading, item, index, start, end, min(cover, 1.0), score, frozenset(own),
                                 frozenset(context)))
    out.sort(key=lambda c: -c.score)
    return out


def names_entities(
    question: Question,
    own: frozenset[str] | set[str],
    context: frozenset[str] | set[str],
    weight: dict[str, float],
    header: frozenset[str] = frozenset(),
) -> bool:
    """Whether a sentence (or its document's title/speaker) names the question's rarest name,
    and its context names the others."""
    if not question.entities:
        return True
    rarest = max(question.entities, key=lambda t: weight.get(t, 0.0))
    return (rarest in own or rarest in header) and all(t in own or t in context for t in question.entities)


def answering(
    question: Question, scored: list[Candidate], weight: dict[str, float], limit: int = 4
) -> list[Candidate]:
    """The sentences that answer: enough coverage, the asked-for kind of thing, no near-duplicates."""
    chosen: list[Candidate] = []
    for cand in scored:
        if cand.coverage < MIN_COVERAGE or not has_answer_type(question, cand.text):
            continue
        if not names_entities(question, cand.terms, cand.context, weight, cand.reading.header):
            continue
        if any(_similar(cand.terms, other.terms) for other in chosen):
            continue
        chosen.append(cand)
        if len(chosen) >= limit:
            break
    return chosen


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) > 0.6
