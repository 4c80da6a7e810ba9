"""Helpers for the answer tests: invented documents, read and scored without an index or a model."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.answering import answering
from assistant.answer.conversation import understand
from assistant.answer.follow import continued
from assistant.answer.reading import Reading, read_document
from assistant.answer.select import Candidate, candidate, weights
from assistant.answer.sides import settle
from assistant.answer.stance import stands_of
from assistant.types import Document, DocumentInfo, Evidence, MetadataValue, Passage, Turn


def make_reading(text: str, **metadata: MetadataValue) -> Reading:
    """``text`` as a document (``title`` and other metadata as given), read for answering."""
    return read_document(
        Document(
            id=f"d{abs(hash((text, tuple(metadata.items()))))}.txt",
            title=str(metadata.pop("title", "Doc")),
            text=text,
            metadata=metadata,
        )
    )


def whole(reading: Reading) -> Evidence:
    """The whole of ``reading``'s document as one retrieved passage."""
    doc = reading.doc
    return Evidence(
        passage=Passage(document_id=doc.id, start=0, end=len(doc.text), text=doc.text),
        document=DocumentInfo(id=doc.id, title=doc.title),
        score=1.0,
    )


def score_sentences(
    question: str, reading: Reading, similarity: float = 0.0, history: list[str] | None = None
) -> list[Candidate]:
    """Every sentence of ``reading`` scored for ``question``, best first, at ``similarity``."""
    q = understand(question, [Turn(role="user", content=h) for h in history or []])
    weight = weights(q, {})
    item = whole(reading)
    out = [
        replace(candidate(reading, item, i, weight), similarity=similarity) for i in range(len(reading.spans))
    ]
    return sorted(out, key=lambda c: -c.score)


def answered(
    question: str, text: str, history: list[str] | None = None, **metadata: MetadataValue
) -> list[str]:
    """The sentences the extractive answerer picks (and completes) from one document."""
    q = understand(question, [Turn(role="user", content=h) for h in history or []])
    weight = weights(q, {})
    scored = score_sentences(question, make_reading(text, **metadata), history=history)
    sides = {(s.candidate.reading.doc.id, s.candidate.index)  # as the answerer does: yes/no questions only
             for c in scored if q.kind == "yesno" for s in stands_of(c, weight, q)}
    return [c.text for c in continued(q, answering(q, scored, weight), weight, sides)]


def stands(question: str, speeches: dict[str, str], similarity: float) -> list[tuple[str, str]]:
    """(holder, stance) of each speaker's sentence, at a given similarity to the question."""
    q = understand(question, [])
    weight = weights(q, {})
    return [
        (s.holder, s.stance)
        for speaker, text in speeches.items()
        for c in score_sentences(question, make_reading(text, speaker=speaker), similarity=similarity)
        for s in settle(stands_of(c, weight, q))
    ]


STRIKE = (
    "Two missiles were fired at Karl Dorn, who was killed on Sunday.\n"
    "Dorn had been living in a house in Port Lyle for a year.\n"
    "Sylvania's officials were aware of Dorn's presence in the house.\n"
)
