"""Check each generated sentence against the passages and re-anchor its citations.

A generated sentence survives only if a sentence of a shown passage supports it:
most of its content terms are in that sentence (and nearly all in it, the sentences
just before it and the document's title), the embedding model finds them similar, its
numbers appear there, it does not flip a negation, and it keeps attribution (a claim a
source only reports someone making must be reported, not stated as fact). Each kept
citation points at the exact supporting sentence, never at the model's wording.
This module never trusts the model's ``[n]``: it only uses it as the first place to look.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answer.claims import ACCORDING, BY_AGENT, VERB
from assistant.answer.holders import sentence_holder
from assistant.answer.lexicon import REPORTING
from assistant.answer.reading import Reading
from assistant.answer.select import expand
from assistant.lexical import terms
from assistant.llm.evidence import Shown

MIN_OWN = 0.5
"""Share of a sentence's content terms that the supporting sentence itself must hold."""
MIN_CONTEXT = 0.75
"""Share it must hold together with the three sentences before it and the document title."""
MIN_SIMILARITY = 0.3
"""Cosine similarity (embedding model) below which a sentence is not supported."""
PARTIAL = 0.3
"""With several markers, a passage whose best sentence holds less than this is dropped."""
_CONTEXT_SENTENCES = 3
_GENERIC = frozenset(terms("according passage passages source sources document documents text states"))
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_NEGATIVE = re.compile(
    r"\b(?:not|never|no longer|den(?:y|ies|ied|ying)|reject\w*|dismiss\w*|refut\w*)\b|n[’']t\b", re.IGNORECASE
)
_ATTRIBUTION = re.compile(
    r"\b(?:allegations?|accusations?|claims?|statements?|remarks?|view|instructs?)\b", re.I
)

Embed = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class Source:
    """A sentence of a shown passage."""

    shown: Shown
    """The passage it belongs to."""
    index: int
    """Its index among the document's sentences."""

    @property
    def reading(self) -> Reading:
        """The analysed document."""
        return self.shown.reading

    @property
    def span(self) -> tuple[int, int]:
        """``(start, end)`` of the sentence in the document text."""
        return self.reading.spans[self.index]

    @property
    def text(self) -> str:
        """The sentence, exactly as in the document."""
        return self.reading.text(self.index)


@dataclass(frozen=True)
class Checked:
    """The verdict on one generated sentence."""

    text: str
    """The sentence without its markers."""
    sources: tuple[Source, ...]
    """The sentences that support it, one per kept citation; empty when unsupported."""
    stripped: int = 0
    """Markers naming a passage that was never shown."""
    reanchored: int = 0
    """Markers moved to (or replaced by) a passage that does support the sentence."""

    @property
    def supported(self) -> bool:
        """Whether the sentence may be shown."""
        return bool(self.sources)


@dataclass(frozen=True)
class _Terms:
    own: frozenset[str]
    context: frozenset[str]


def content_terms(text: str) -> frozenset[str]:
    """The terms a sentence claims something with (no reporting verbs, no 'the passage says')."""
    return frozenset(terms(text)) - REPORTING - _GENERIC


def numbers(text: str) -> set[str]:
    """The numbers written in ``text``, without thousands separators."""
    return {m.group().replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)}


def is_reported(text: str) -> bool:
    """Whether a sentence reports what someone says rather than stating it."""
    return bool(
        VERB.search(text) or ACCORDING.search(text) or BY_AGENT.search(text) or _ATTRIBUTION.search(text)
    )


def _source_terms(source: Source) -> _Terms:
    reading = source.reading
    own = expand(set(terms(source.text)), reading)
    context = set(own) | set(reading.header)
    for back in range(max(0, source.index - _CONTEXT_SENTENCES), source.index):
        context |= expand(set(terms(reading.text(back))), reading)
    holder = holder_at(source)
    if holder:
        context |= set(terms(holder))
    return _Terms(frozenset(own), frozenset(context))


def _share(claim: frozenset[str], found: set[str] | frozenset[str]) -> float:
    return len(claim & found) / len(claim) if claim else 0.0


class Verifier:
    """Support checks of generated sentences against one prompt's passages."""

    def __init__(self, shown: Sequence[Shown], embed: Embed) -> None:
        """Index every sentence of the shown passages."""
        self.shown = {item.n: item for item in shown}
        self.sources = [Source(item, index) for item in shown for index in item.sentences]
        self._terms = {id(s): _source_terms(s) for s in self.sources}
        self._embed = embed
        self._vectors = embed([s.text for s in self.sources]) if self.sources else None

    def check(self, text: str, markers: Sequence[int]) -> Checked:
        """The verdict on sentence ``text`` (markers removed) that cited ``markers``."""
        claim = content_terms(text)
        sims = self._similarities(text)
        valid = list(dict.fromkeys(n for n in markers if n in self.shown))
        stripped = len(markers) - len([n for n in markers if n in self.shown])
        anchors = []
        for n in valid:
            best = max((s for s in self.sources if s.shown.n == n), key=lambda s: self._score(claim, s, sims))
            if _share(claim, self._terms[id(best)].own) >= PARTIAL:
                anchors.append(best)
        if anchors and self._supports(text, claim, anchors, sims):
            return Checked(text, tuple(anchors), stripped, len(valid) - len(anchors))
        passing = [s for s in self.sources if self._supports(text, claim, [s], sims)]
        if not passing:
            return Checked(text, (), stripped, 0)
        best = max(passing, key=lambda s: self._score(claim, s, sims))
        moved = len([n for n in valid if n != best.shown.n]) or int(not valid)
        return Checked(text, (best,), stripped, moved)

    def _similarities(self, text: str) -> dict[int, float]:
        if self._vectors is None:
            return {}
        vector = self._embed([text])[0]
        values = self._vectors @ vector
        return {id(s): float(v) for s, v in zip(self.sources, values, strict=True)}

    def _score(self, claim: frozenset[str], source: Source, sims: dict[int, float]) -> float:
        return _share(claim, self._terms[id(source)].own) + sims.get(id(source), 0.0)

    def _supports(
        self, text: str, claim: frozenset[str], sources: list[Source], sims: dict[int, float]
    ) -> bool:
        """Whether ``sources`` together support the sentence ``text``."""
        if not claim:
            return False
        own = set().union(*(self._terms[id(s)].own for s in sources))
        context = set().union(*(self._terms[id(s)].context for s in sources))
        if _share(claim, own) < MIN_OWN or _share(claim, context) < MIN_CONTEXT:
            return False
        if max(sims.get(id(s), 0.0) for s in sources) < MIN_SIMILARITY:
            return False
        if not numbers(text) <= set().union(*(numbers(s.text) for s in sources)):
            return False
        negative = bool(_NEGATIVE.search(text))
        if all(bool(_NEGATIVE.search(s.text)) != negative for s in sources):
            return False
        return not (any(is_reported(s.text) for s in sources) and not is_reported(text))


def holder_at(source: Source) -> str | None:
    """Who makes the claim of a source sentence, as the extractive answerer names them."""
    return sentence_holder(source.reading, source.index)
