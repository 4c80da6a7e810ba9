"""Fluent briefings from a language model, verified before anything reaches a user.

The extractive answer is always made first: it is the fallback (model error, timeout,
nothing verifiable) and the source of ``conflicts``, which are kept whatever the model
writes. The model sees numbered passages (:mod:`assistant.llm.evidence`); each of its
sentences is then checked and re-anchored (:mod:`assistant.llm.verify`); unsupported
sentences are removed and counted in ``Answer.verification``. This module never lets
model text through unchecked, and never raises for a model failure.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from assistant.answer import CANNOT_ANSWER, compose_answer, verify_answer
from assistant.answer.conversation import understand
from assistant.answer.verify import LEAD_INS, answer_sentences
from assistant.filters import Filters
from assistant.llm.evidence import Shown, format_evidence, show_passages
from assistant.llm.models import GenerationTimeout, make_chat_model, stream_text
from assistant.llm.prompts import Prompts, default_prompts
from assistant.llm.verify import Checked, Embed, Source, Verifier, holder_at
from assistant.settings import Settings
from assistant.types import Answer, Citation, Conflict, Turn

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.briefing import Briefing

MAX_SENTENCES = 5
"""Most sentences the prompt asks for (and verification reads)."""
MAX_OUTPUT_CHARS = 4000
"""Generation is cut off after this much text."""
_REWRITE_CHARS = 300
_CITES = re.compile(r"\[\s*(?:passages?\s*)?(\d+(?:\s*[,;]\s*\d+)*)\s*\]", re.IGNORECASE)
_TRAILING_CITES = re.compile(
    r"([.!?…]+[\"'”’)]*)((?:\s*\[\s*(?:passages?\s*)?\d[\d,;\s]*\])+)", re.IGNORECASE
)
_END = re.compile(r"([.!?…]+[\"'”’)]*)$")
log = logging.getLogger(__name__)


class LLMAnswerer:
    """Answers with the configured chat model; falls back to the extractive answer."""

    def __init__(
        self, settings: Settings, model: BaseChatModel | None = None, prompts: Prompts | None = None
    ) -> None:
        """Keep the settings; the model is built on first use unless one is given."""
        self.settings = settings
        self._model = model
        self._prompts = prompts
        self._lock = threading.Lock()

    @property
    def model(self) -> BaseChatModel:
        """The chat model, built once from ``settings.llm``."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    self._model = make_chat_model(self.settings)
        return self._model

    def answer(
        self, question: str, history: list[Turn], filters: Filters, briefing: Briefing, *, debug: bool = False
    ) -> Answer:
        """The verified answer (see :meth:`stream`), without the deltas."""
        final = list(self.stream(question, history, filters, briefing, debug=debug))[-1]
        assert isinstance(final, Answer)
        return final

    def stream(
        self, question: str, history: list[Turn], filters: Filters, briefing: Briefing, *, debug: bool = False
    ) -> Iterator[str | Answer]:
        """Text deltas as the model writes them, then the verified Answer (authoritative).

        The deltas are the model's raw words; the final Answer is what verification kept,
        so it can differ from their concatenation. A model failure or timeout yields no
        more deltas and ends with the extractive answer, with a note saying why.
        """
        extractive = compose_answer(question, history, filters, briefing, debug=debug)
        deadline = time.monotonic() + self.settings.llm_timeout_s
        try:
            prompts = self._prompts or default_prompts()
            asked = self._standalone(question, history, prompts, deadline)
            shown = show_passages(briefing, asked, filters, extractive)
            if not shown:
                yield _fallback(extractive, "Nothing was retrieved, so the language model was not asked.")
                return
            messages = prompts.answer.render(
                question=asked,
                evidence=format_evidence(shown),
                cannot_answer=CANNOT_ANSWER,
                max_sentences=MAX_SENTENCES,
            )
            parts: list[str] = []
            for delta in stream_text(self.model, messages, deadline, MAX_OUTPUT_CHARS):
                parts.append(delta)
                yield delta
            final = finish("".join(parts), shown, extractive, briefing.embedder.embed)
        except GenerationTimeout:
            log.warning("language model timed out after %.1f s", self.settings.llm_timeout_s)
            final = _fallback(
                extractive,
                f"The language model did not answer within {self.settings.llm_timeout_s:g} s; "
                "this is the extractive answer.",
            )
        except Exception as exc:  # noqa: BLE001 - any model failure falls back; never a 500
            log.warning("language model failed: %s: %s", type(exc).__name__, exc)
            final = _fallback(
                extractive,
                f"The language model failed ({type(exc).__name__}); this is the extractive answer.",
            )
        yield final

    def _standalone(self, question: str, history: list[Turn], prompts: Prompts, deadline: float) -> str:
        """A follow-up rewritten to stand alone (the question itself when there is no history)."""
        if not history:
            return question
        turns = "\n".join(f"{t.role}: {' '.join(t.content.split())[:500]}" for t in history[-6:])
        text = "".join(
            stream_text(self.model, prompts.rewrite.render(history=turns, question=question), deadline, 600)
        )
        line = next((part.strip() for part in text.splitlines() if part.strip()), "")
        line = re.sub(r"^standalone question:\s*", "", line, flags=re.IGNORECASE).strip(" \"“”'")
        if not any(ch.isalnum() for ch in line):
            return understand(question, history).query
        return line[:_REWRITE_CHARS]


def _fallback(extractive: Answer, note: str, verification: dict[str, int] | None = None) -> Answer:
    return extractive.model_copy(
        update={"notes": [*extractive.notes, note], "verification": verification or extractive.verification}
    )


def split_markers(sentence: str) -> tuple[str, list[int]]:
    """``'TTP is active [1][2].'`` -> ``('TTP is active.', [1, 2])``."""
    markers = [int(n) for group in _CITES.findall(sentence) for n in re.split(r"\s*[,;]\s*", group)]
    text = _CITES.sub("", sentence)
    text = re.sub(r"\s+([.,;:!?…])", r"\1", " ".join(text.split()))
    return text.strip(), markers


def render(text: str, markers: list[int]) -> str:
    """The sentence with its markers before the final punctuation."""
    tags = "".join(f"[{n}]" for n in markers)
    match = _END.search(text)
    if match:
        return f"{text[: match.start()]} {tags}{match.group(1)}"
    return f"{text} {tags}."


def finish(text: str, shown: list[Shown], extractive: Answer, embed: Embed) -> Answer:
    """Verify the model's text and build the Answer: re-anchored citations, kept conflicts."""
    verifier = Verifier(shown, embed)
    kept: list[Checked] = []
    counts = {"checked": 0, "removed": 0, "unsupported_sentences": 0, "stripped_markers": 0, "reanchored": 0}
    abstained = False
    # Markers after the full stop ("... Kabul. [2]") belong to the sentence before them.
    text = _TRAILING_CITES.sub(lambda m: f"{m.group(2)}{m.group(1)}", text.strip())
    for sentence in answer_sentences(text)[: MAX_SENTENCES * 2]:
        plain, markers = split_markers(sentence)
        if CANNOT_ANSWER.rstrip(".").lower() in plain.lower():
            abstained = True
            continue
        if not any(ch.isalnum() for ch in plain) or plain.startswith(LEAD_INS):
            continue  # the lead-in is the extractive one, added when there are conflicts
        verdict = verifier.check(plain, markers)
        counts["checked"] += 1
        counts["stripped_markers"] += verdict.stripped
        counts["reanchored"] += verdict.reanchored
        if verdict.supported:
            kept.append(verdict)
        else:
            counts["removed"] += 1
            counts["unsupported_sentences"] += 1
    notes = (
        [f"Verification removed {counts['removed']} sentence(s) the sources do not support."]
        if counts["removed"]
        else []
    )
    if not kept:
        if extractive.abstained:
            return Answer(
                answer=CANNOT_ANSWER,
                abstained=True,
                near_misses=extractive.near_misses,
                mode="llm",
                notes=notes,
                verification=counts,
                retrieval=extractive.retrieval,
            )
        why = "declined to answer" if abstained else "wrote nothing the sources support"
        return _fallback(extractive, f"The language model {why}; this is the extractive answer.", counts)
    return verify_answer(_assemble(kept, extractive, notes, counts))


def _assemble(kept: list[Checked], extractive: Answer, notes: list[str], counts: dict[str, int]) -> Answer:
    citations: list[Citation] = []
    index: dict[tuple[str, int, int], int] = {}

    def cite(citation: Citation) -> int:
        key = (citation.document_id, citation.start, citation.end)
        if key not in index:
            index[key] = len(citations) + 1
            citations.append(citation.model_copy(update={"n": index[key]}))
        return index[key]

    lines = []
    lead = answer_sentences(extractive.answer)[:1] if extractive.conflicts else []
    if lead and lead[0].startswith(LEAD_INS):
        lines.append(lead[0])
    for verdict in kept:
        markers = list(dict.fromkeys(cite(_citation(source)) for source in verdict.sources))
        lines.append(render(verdict.text, markers))
    by_n = {c.n: c for c in extractive.citations}
    conflicts = [
        Conflict(
            topic=conflict.topic,
            kind=conflict.kind,
            positions=[
                p.model_copy(update={"citations": list(dict.fromkeys(cite(by_n[n]) for n in p.citations))})
                for p in conflict.positions
            ],
        )
        for conflict in extractive.conflicts
    ]
    return Answer(
        answer=" ".join(lines),
        abstained=False,
        citations=citations,
        conflicts=conflicts,
        mode="llm",
        notes=notes,
        verification=counts,
        retrieval=extractive.retrieval,
    )


def _citation(source: Source) -> Citation:
    doc = source.reading.doc
    start, end = source.span
    return Citation(
        n=0,
        document_id=doc.id,
        title=doc.title,
        source=doc.source,
        published=doc.published,
        start=start,
        end=end,
        quote=doc.text[start:end],
        holder=holder_at(source),
    )
