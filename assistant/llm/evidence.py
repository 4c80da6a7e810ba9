"""The passages shown to the language model: numbered, attributed and clearly delimited.

Document text is data, never instructions: every passage sits inside one
``<evidence>`` block, and anything in a document that looks like our delimiters or
like a ``[n]`` marker is defused before it reaches the prompt. Which passages are shown
comes from the same retrieval as the extractive answer, with the passages that answer
cites (conflict sides included) placed first, so the model sees both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answer.reading import Reading, read_document
from assistant.filters import Filters
from assistant.types import Answer, Evidence

if TYPE_CHECKING:
    from assistant.briefing import Briefing

EVIDENCE_CHARS = 5000
"""Most characters of passage text put into one prompt (with the instructions, fits 4k tokens)."""
_DELIMITER = re.compile(r"<\s*/?\s*(evidence|passage)\b[^>]*>?", re.IGNORECASE)
_MARKER_LIKE = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Shown:
    """A retrieved passage as numbered in the prompt."""

    n: int
    """Its number: the model cites it as ``[n]``."""
    evidence: Evidence
    """The retrieved passage and its document's details."""
    reading: Reading
    """The analysed document it belongs to."""

    @property
    def sentences(self) -> range:
        """Indices of the document sentences the passage covers."""
        first = self.reading.sentence_at(self.evidence.passage.start)
        last = self.reading.sentence_at(max(self.evidence.passage.start, self.evidence.passage.end - 1))
        return range(first, last + 1)


def show_passages(
    briefing: Briefing, query: str, filters: Filters, extractive: Answer, budget: int = EVIDENCE_CHARS
) -> list[Shown]:
    """The passages to put into the prompt, numbered from 1.

    Args:
        briefing: Where to retrieve and read documents.
        query: What to search for (the question, or its standalone rewrite).
        filters: The caller's metadata filters.
        extractive: The extractive answer; the passages holding its citations go first.
        budget: Most characters of passage text in total (at least one passage is shown).
    """
    found = briefing.retriever.search(query, briefing.settings.top_k, filters)
    cited = [*extractive.citations, *extractive.near_misses]

    def first_citation(item: Evidence) -> int:
        spans = [
            i
            for i, c in enumerate(cited)
            if c.document_id == item.passage.document_id and item.passage.start <= c.start < item.passage.end
        ]
        return min(spans, default=len(cited))

    order = sorted(range(len(found)), key=lambda i: (first_citation(found[i]), i))
    shown: list[Shown] = []
    used = 0
    for i in order:
        item = found[i]
        size = len(item.passage.text)
        if shown and used + size > budget:
            continue
        doc = briefing.document(item.document.id, item.document.content_hash)
        shown.append(Shown(n=len(shown) + 1, evidence=item, reading=read_document(doc)))
        used += size
    return shown


def defuse(text: str) -> str:
    """Document text made safe to put between our delimiters: no tags, no ``[n]`` markers."""
    text = _DELIMITER.sub(lambda m: m.group().replace("<", "‹").replace(">", "›"), text)
    return _MARKER_LIKE.sub(r"(\1)", text)


def _attribute(value: object) -> str:
    return defuse(" ".join(str(value).split())).replace('"', "'")


def format_evidence(shown: list[Shown]) -> str:
    """The passages as the prompt's evidence block body: one attributed ``<passage>`` each."""
    blocks = []
    for item in shown:
        doc = item.evidence.document
        details = {"n": item.n, "title": doc.title, "source": doc.source, "published": doc.published}
        speaker = doc.metadata.get("speaker")
        if speaker:
            details["speaker"] = speaker
        attributes = " ".join(f'{key}="{_attribute(value)}"' for key, value in details.items() if value != "")
        body = defuse(" ".join(item.evidence.passage.text.split()))
        blocks.append(f"<passage {attributes}>\n{body}\n</passage>")
    return "\n".join(blocks)
