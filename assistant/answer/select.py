"""Score every sentence of the retrieved passages against a question.

Each sentence is scored by how much of the question's weighted terms it covers (IDF
weights from the index, acronyms expanded from the documents themselves, a few
policy-verb synonyms) plus its passage's dense similarity; the best few are then compared
with the question by meaning. ``answering`` decides which of them answer.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from assistant.answer.defining import DEFINES, DOES, GIVES_REASON, definition_of, does_the_asked, gives_reason
from assistant.answer.fit import (
    in_period,
    is_asked_kind,
    names_entities,
    recency,
    says_all_new,
    vocabulary_of,
)
from assistant.answer.lexicon import (
    CAPITALS,
    COMPOUNDS,
    IMPLIES,
    PLACES,
    REPORTING,
    TIMELESS,
    phrase_terms,
    with_synonyms,
)
from assistant.answer.question import Question, is_date_term, scene_terms
from assistant.answer.reading import Reading
from assistant.lexical import terms
from assistant.types import Evidence

OWN = 0.15
"""Ranking weight of what a sentence names itself: in a speech on "the attack at the
airport", the sentence that says who attacked outranks one that only shares the title."""
SAID_BY = 0.3
"""Ranking bonus of a sentence said by whom the question asks about as a speaker, or that
says all that a follow-up adds to the question before it."""
RECENT = 0.15
"""Ranking bonus of a sentence from the newest source read, for a question on how things
stand now (less for older sources; see ``recency``)."""
SCENE = 0.5
"""Weight of a question's word that only its scene-setting clause says ("after ...", "since ...")."""
STRONG_COVERAGE = 0.45
"""A sentence this close in meaning and covering this much answers without naming the
question's names ("Washington" for "we")."""


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
    own: float = 0.0
    """Coverage by the sentence's own words, without its document's title or neighbours."""

    @property
    def text(self) -> str:
        """The sentence, exactly as in the document."""
        return self.reading.doc.text[self.start : self.end]


def expand(found: set[str], reading: Reading) -> set[str]:
    """Add what the terms a sentence contains also name.

    The document's own aliases ("Tehreek-e-Taliban Pakistan (TTP)", "al Qaeda's leader,
    Ayman al-Zawahiri"), synonyms, a capital's country, and a country's people and capital.
    """
    out = set(found)
    index = reading.alias_index
    for i in sorted({i for t in out if t in index for i in index[t]}):  # only pairs it touches
        long_form, short = reading.aliases[i]
        if short <= out:
            out |= long_form
        if long_form and long_form <= out:
            out |= short
    out.update(*(IMPLIES[t] for t in found if t in IMPLIES))
    for city in out & CAPITALS.keys():
        out |= {"capital", CAPITALS[city]}
    out = with_synonyms(out)
    for words, place in COMPOUNDS:
        if words <= out:
            out.add(place)
    for group in PLACES:
        if out & group:
            out |= group
    return out


ABOUT = -1
"""``sentence_terms(reading, ABOUT)``: the terms of what the document is by and about."""
HEADER = -2
"""``sentence_terms(reading, HEADER)``: its title's and speaker's terms ("Prime Minister of
Pakistan" speaks for Islamabad)."""


def sentence_terms(reading: Reading, index: int) -> frozenset[str]:
    """Sentence ``index``'s terms, expanded (worked out once per document version).

    ``ABOUT`` gives the document's header and metadata terms, ``HEADER`` its title's and
    speaker's, expanded.
    """
    found = reading.term_cache.get(index)
    if found is None:
        if index == ABOUT:
            found = sentence_terms(reading, HEADER) | frozenset(expand(set(reading.about), reading))
        elif index == HEADER:
            found = frozenset(expand(set(reading.header), reading))
        else:
            text = reading.text(index)
            found = frozenset(expand({*terms(text), *phrase_terms(text)}, reading))
        reading.term_cache[index] = found
    return found


def weights(question: Question, idf: dict[str, float]) -> dict[str, float]:
    """Each question term's weight: its IDF.

    A term no passage has takes its synonyms' best IDF: the sources say "ceasefire" where
    the question says "truce".

    A word only a scene-setting clause says ("after the Soviets walked away") counts
    ``SCENE``: a sentence that sets the same scene is not the answer. In a follow-up, the
    earlier question's terms count half (they are the context, the new question is the focus).
    """
    top = max(idf.values(), default=1.0)
    out: dict[str, float] = {}
    for term in question.terms:
        known = idf.get(term) or max((idf.get(t, 0.0) for t in with_synonyms({term}) - {term}), default=0.0)
        if not known:  # in no passage, nor its synonyms: decisive if a name ("Peru"), noise if a word
            known = top + 1.0 if term in question.entities else 1.0
        out[term] = known * (0.3 if term in REPORTING or term in TIMELESS or is_date_term(term) else 1.0)
    for term in scene_terms(question.text) & out.keys():
        out[term] *= SCENE
    if question.own_terms != question.terms:
        for term in out:
            if term not in question.own_terms:
                out[term] *= 0.5
    return out


def coverage(sentence_terms: AbstractSet[str], weight: dict[str, float]) -> float:
    """Weighted share of the question's terms found among ``sentence_terms``."""
    total = sum(weight.values())
    if not total:
        return 0.0
    return sum(w for t, w in weight.items() if t in sentence_terms) / total


Similarity = Callable[[list[tuple[Reading, int]]], np.ndarray]
_SEMANTIC_POOL = 6
_SIDES_POOL = 12
"""A yes/no question reads more sentences by meaning: a side may say it in other words."""
_SCANNED = 2
"""The pool is filled from this many times its size of the best sentences by words: those
that are not the kind of thing asked for make room for the next ones."""


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
    defines = {(c.reading.doc.id, c.index) for c in out if defining and defining.search(c.text)}
    newest = recency(question, [item.document for item, _ in evidence])

    def bonus(c: Candidate) -> float:
        defined = DEFINES if (c.reading.doc.id, c.index) in defines else 0.0
        defined += DOES if does_the_asked(question, c.text) else 0.0
        defined += GIVES_REASON if gives_reason(question, c.text) else 0.0
        focused = SAID_BY if said_by_asked(question, c) or says_all_new(question, c) else 0.0
        return defined + focused + RECENT * newest.get(c.reading.doc.id, 0.0)

    out = sorted((replace(c, score=c.score + bonus(c)) for c in out), key=lambda c: -c.score)
    if similarity is not None and out:
        size = _SIDES_POOL if question.kind == "yesno" else _SEMANTIC_POOL
        pool: list[Candidate] = []
        rest: list[Candidate] = []
        for c in out[: _SCANNED * size]:  # the best that may count, looking a little further down
            (pool if len(pool) < size and _may_count(question, c, weight) else rest).append(c)
        rest += out[_SCANNED * size :]
        sims = similarity([(c.reading, c.index) for c in pool]) if pool else np.zeros(0, dtype=np.float32)
        pool = [
            replace(c, similarity=float(sim), score=c.coverage + OWN * c.own + 1.2 * float(sim) + bonus(c))
            for c, sim in zip(pool, sims, strict=True)
        ]
        out = sorted(pool, key=lambda c: -c.score) + rest
    return out


def said_by_asked(question: Question, cand: Candidate) -> bool:
    """Whether a sentence is said by whom the question asks about, or reports their words.

    "What did New Delhi's leader warn?": a sentence of India's prime minister, not one of
    Pakistan's on New Delhi.
    """
    if not question.speakers:
        return False
    said_by = set(_speaker_terms(cand.reading, cand.start))  # its speaker, not the title it is under
    for claim in cand.reading.claims(cand.index):  # or whom it reports: "President Ward said that ..."
        said_by |= _terms_of(claim.holder)
    return bool(set(question.speakers) & expand(said_by, cand.reading))


def _may_count(question: Question, cand: Candidate, weight: dict[str, float]) -> bool:
    """Whether a sentence could answer or take a side, however close in meaning it is.

    One that names too little of the question and not its names can do neither (see
    ``answering`` and ``stance``), so it is not embedded.
    """
    if not in_period(question, cand) or not is_asked_kind(question, cand):
        return False  # not the kind of thing asked for ("9:48 p.m." for "At what time ...?")
    return cand.coverage >= STRONG_COVERAGE or names_entities(
        question, cand.terms, cand.context, weight, vocabulary_of(cand.reading)
    )


def candidate(reading: Reading, item: Evidence, index: int, weight: dict[str, float]) -> Candidate:
    """Sentence ``index`` scored.

    Its coverage with the document's title and speaker, plus a little for what the
    sentences just before it and the rest of the metadata add (the title's words count
    once: a sentence that repeats them is not behind one that does not). The ranking
    score adds what the sentence names itself (``OWN``).
    """
    start, end = reading.spans[index]
    own = sentence_terms(reading, index)
    context = set(sentence_terms(reading, ABOUT))
    for back in range(max(0, index - 3), index):
        context |= sentence_terms(reading, back)
    header = sentence_terms(reading, HEADER) | _speaker_terms(reading, start)
    cover = coverage(own | header, weight) + 0.4 * coverage(context - own - header, weight)
    mine = coverage(own, weight)
    score = cover + OWN * mine + 0.5 * item.dense_score
    return Candidate(reading, item, index, start, end, min(cover, 1.0), score,
                     frozenset(own), frozenset(context), own=mine)


def _speaker_terms(reading: Reading, offset: int) -> frozenset[str]:
    """The terms of whoever says the sentence at ``offset``.

    "Mr. Kirby", a quoted "General David Petraeus": "What did Kirby say about Rafah?" is
    about Kirby's sentences.
    """
    speaker = reading.speaker(offset)
    return _terms_of(speaker) if speaker else frozenset()


@lru_cache(maxsize=4096)
def _terms_of(text: str) -> frozenset[str]:
    return frozenset(terms(text))
