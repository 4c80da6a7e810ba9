"""``briefing eval``: score answers against a gold JSONL file (format: tests/gold/README.md).

Each gold evidence quote is located in the stored document text, each question is
asked through the same facade as every front end, and the citations are compared with
the gold spans by overlap. Scoring only: nothing here changes how answers are made.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from pydantic import BaseModel, Field, ValidationError

from assistant.answer.verify import check_quotes
from assistant.errors import BriefingError
from assistant.types import Answer, Citation, Document, Turn


class GoldFileError(BriefingError):
    """The gold file cannot be read or a line is malformed."""

    status_code = 422
    code = "bad_gold_file"


class Answerer(Protocol):
    """What evaluation needs of a ``Briefing``."""

    def ask(
        self, question: str, history: Sequence[Turn] | None = None, filters: dict[str, Any] | None = None
    ) -> Answer:
        """Answer a question."""
        ...

    def document(self, doc_id: str, content_hash: str = "") -> Document:
        """A stored document."""
        ...


class GoldEvidence(BaseModel):
    """One gold evidence quote and where it sits in the stored text (-1 when not found)."""

    document_id: str = Field(description="Document the quote is from.")
    quote: str = Field(description="Exact text a correct answer should cite.")
    side: str | None = Field(default=None, description="Conflict items: affirms, denies or qualifies.")
    start: int = Field(default=-1, description="Start of the quote in the stored text, -1 if not found.")
    end: int = Field(default=-1, description="End (exclusive) of the quote in the stored text.")


class GoldItem(BaseModel):
    """One gold question."""

    id: str
    question: str
    history: list[Turn] = Field(default_factory=list)
    kind: str = "direct"
    abstain: bool = False
    conflict: bool = False
    evidence: list[GoldEvidence] = Field(default_factory=list)
    also: list[GoldEvidence] = Field(
        default_factory=list,
        description="Other sentences that make the same point as the evidence: citing one is right, "
        "but recall does not ask for them.",
    )


class ItemResult(BaseModel):
    """How one item fared."""

    id: str = Field(description="Gold item id.")
    kind: str = Field(description="Gold item kind.")
    question: str = Field(description="The question asked.")
    seconds: float = Field(description="Time ask took.")
    abstain_ok: bool = Field(description="Answer.abstained == gold abstain.")
    gold_conflict: bool = Field(description="The gold item expects a conflict.")
    predicted_conflict: bool = Field(description="The answer reported at least one conflict.")
    both_sides: bool | None = Field(
        default=None, description="Gold conflict found: citations cover two sides."
    )
    both_sides_with_also: bool | None = Field(
        default=None, description="The same, counting the gold's alternative sentences for each side."
    )
    quotes: int = Field(default=0, description="Citations and near misses checked against the text.")
    exact_quotes: int = Field(default=0, description="Of those, quotes equal to text[start:end].")
    scored_citations: int = Field(default=0, description="Citations counted for precision.")
    on_evidence: int = Field(default=0, description="Of those, citations overlapping a gold span.")
    first_on_evidence: bool | None = Field(
        default=None, description="The first citation overlaps a gold span (None: no citation scored)."
    )
    on_evidence_or_also: int = Field(
        default=0, description="Citations overlapping a gold span or one of the gold's alternatives."
    )
    gold_spans: int = Field(default=0, description="Resolved gold evidence spans (recall denominator).")
    gold_hit: int = Field(default=0, description="Gold spans overlapped by a citation.")
    failures: list[str] = Field(default_factory=list, description="What went wrong.")


class Metrics(BaseModel):
    """Aggregate scores; None where nothing was there to score."""

    items: int = Field(description="Items scored.")
    span_exactness: float | None = Field(description="Share of quotes equal to the document text span.")
    citation_precision: float | None = Field(description="Share of citations overlapping gold evidence.")
    citation_precision_with_also: float | None = Field(
        default=None, description="Share of citations overlapping gold evidence or its alternatives."
    )
    first_citation_precision: float | None = Field(
        default=None, description="Share of answers whose first citation (their lead) is on gold evidence."
    )
    evidence_recall: float | None = Field(description="Share of gold spans cited.")
    abstention_accuracy: float | None = Field(description="Share of items abstained on correctly.")
    conflict_precision: float | None = Field(description="Predicted conflicts that are gold conflicts.")
    conflict_recall: float | None = Field(description="Gold conflicts that were predicted.")
    conflict_f1: float | None = Field(description="Harmonic mean of conflict precision and recall.")
    both_sides_cited: float | None = Field(description="Detected gold conflicts citing two sides.")
    both_sides_cited_with_also: float | None = Field(
        default=None, description="The same, counting the gold's alternatives."
    )
    latency_p50_s: float | None = Field(description="Median seconds per ask.")
    latency_p95_s: float | None = Field(description="95th percentile seconds per ask.")


class EvalReport(BaseModel):
    """What ``briefing eval`` prints."""

    gold_path: str = Field(description="The gold file scored.")
    overall: Metrics = Field(description="Scores over all items.")
    per_kind: dict[str, Metrics] = Field(description="Scores per gold kind.")
    items: list[ItemResult] = Field(description="Per-item results.")

    @property
    def failing(self) -> list[ItemResult]:
        """Items with at least one failure."""
        return [r for r in self.items if r.failures]


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def load_gold(path: Path) -> list[GoldItem]:
    """Parse a gold JSONL file.

    Raises:
        GoldFileError: The file is unreadable or a line is not a gold item.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFileError(f"cannot read gold file {path}: {exc}") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(GoldItem.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise GoldFileError(f"{path}:{number}: not a gold item ({str(exc).splitlines()[0]})") from exc
    return items


def resolve_evidence(item: GoldItem, get_document: Callable[[str], Document]) -> GoldItem:
    """Locate each evidence and alternative quote in the stored text (``text.find(quote)``)."""

    def located(ev: GoldEvidence) -> GoldEvidence:
        try:
            start = get_document(ev.document_id).text.find(ev.quote)
        except BriefingError:
            start = -1
        return ev.model_copy(update={"start": start, "end": start + len(ev.quote) if start >= 0 else -1})

    return item.model_copy(update={"evidence": [located(e) for e in item.evidence],
                                   "also": [located(e) for e in item.also]})


def _overlaps(c: Citation, ev: GoldEvidence) -> bool:
    return ev.start >= 0 and c.document_id == ev.document_id and c.start < ev.end and ev.start < c.end


def score_item(
    item: GoldItem, answer: Answer, seconds: float, get_document: Callable[[str], Document]
) -> ItemResult:
    """Compare one answer with its (resolved) gold item."""
    spans = [ev for ev in item.evidence if ev.start >= 0]
    wider = spans + [ev for ev in item.also if ev.start >= 0]
    quotes = len(answer.citations) + len(answer.near_misses)
    result = ItemResult(
        id=item.id,
        kind=item.kind,
        question=item.question,
        seconds=seconds,
        abstain_ok=answer.abstained == item.abstain,
        gold_conflict=item.conflict,
        predicted_conflict=bool(answer.conflicts),
        quotes=quotes,
        exact_quotes=quotes - len(check_quotes(answer, get_document)),
    )
    fails = result.failures
    fails.extend(
        f"evidence quote not found in {ev.document_id}" for ev in [*item.evidence, *item.also] if ev.start < 0
    )
    if not item.abstain:
        result.gold_spans = len(spans)
        result.gold_hit = sum(any(_overlaps(c, ev) for c in answer.citations) for ev in spans)
        if not answer.abstained:
            result.scored_citations = len(answer.citations)
            right = [any(_overlaps(c, ev) for ev in spans) for c in answer.citations]
            result.on_evidence = sum(right)
            result.first_on_evidence = right[0] if right else None
            result.on_evidence_or_also = sum(any(_overlaps(c, ev) for ev in wider) for c in answer.citations)
    if item.conflict and answer.conflicts:
        result.both_sides = len(_sides_cited(answer, spans)) >= 2
        result.both_sides_with_also = len(_sides_cited(answer, wider)) >= 2
    if not result.abstain_ok:
        fails.append("abstained but should answer" if answer.abstained else "answered but should abstain")
    if item.conflict != result.predicted_conflict:
        fails.append("missed the conflict" if item.conflict else "reported a conflict that is not there")
    if result.both_sides is False:
        fails.append("conflict found but gold evidence of two sides is not cited")
    if spans and not item.abstain and not answer.abstained and result.gold_hit == 0:
        fails.append("cites none of the gold evidence")
    if result.exact_quotes < quotes:
        fails.append(f"{quotes - result.exact_quotes} quote(s) differ from the document text")
    return result


def _sides_cited(answer: Answer, spans: list[GoldEvidence]) -> set[str]:
    return {ev.side for ev in spans for c in answer.citations if ev.side and _overlaps(c, ev)}


def _percentile(values: list[float], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def aggregate(results: Sequence[ItemResult]) -> Metrics:
    """Micro-averaged scores over ``results``."""
    tp = sum(r.gold_conflict and r.predicted_conflict for r in results)
    fp = sum(r.predicted_conflict and not r.gold_conflict for r in results)
    fn = sum(r.gold_conflict and not r.predicted_conflict for r in results)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision and recall
        else (0.0 if precision is not None and recall is not None else None)
    )
    judged = [r.both_sides for r in results if r.both_sides is not None]
    judged_wider = [r.both_sides_with_also for r in results if r.both_sides_with_also is not None]
    cited = sum(r.scored_citations for r in results)
    firsts = [r.first_on_evidence for r in results if r.first_on_evidence is not None]
    seconds = [r.seconds for r in results]
    return Metrics(
        items=len(results),
        span_exactness=_ratio(sum(r.exact_quotes for r in results), sum(r.quotes for r in results)),
        citation_precision=_ratio(sum(r.on_evidence for r in results), cited),
        citation_precision_with_also=_ratio(sum(r.on_evidence_or_also for r in results), cited),
        first_citation_precision=_ratio(sum(firsts), len(firsts)),
        evidence_recall=_ratio(sum(r.gold_hit for r in results), sum(r.gold_spans for r in results)),
        abstention_accuracy=_ratio(sum(r.abstain_ok for r in results), len(results)),
        conflict_precision=precision,
        conflict_recall=recall,
        conflict_f1=f1,
        both_sides_cited=_ratio(sum(judged), len(judged)),
        both_sides_cited_with_also=_ratio(sum(judged_wider), len(judged_wider)),
        latency_p50_s=_percentile(seconds, 50),
        latency_p95_s=_percentile(seconds, 95),
    )


def evaluate(briefing: Answerer, gold_path: Path) -> EvalReport:
    """Ask every gold question and score the answers.

    Raises:
        GoldFileError: The gold file is unreadable or malformed.
    """
    results = []
    for raw in load_gold(gold_path):
        item = resolve_evidence(raw, briefing.document)
        started = time.perf_counter()
        try:
            answer = briefing.ask(item.question, item.history)
        except BriefingError as exc:
            empty = Answer(answer="", abstained=False)
            result = score_item(item, empty, time.perf_counter() - started, briefing.document)
            result.abstain_ok = False
            result.failures = [f"ask failed: {exc}"]
        else:
            result = score_item(item, answer, time.perf_counter() - started, briefing.document)
        results.append(result)
    kinds = sorted({r.kind for r in results})
    return EvalReport(
        gold_path=str(gold_path),
        overall=aggregate(results),
        per_kind={k: aggregate([r for r in results if r.kind == k]) for k in kinds},
        items=results,
    )
