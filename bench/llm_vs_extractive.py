"""`briefing eval` in both answering modes, side by side (for the README).

    python bench/llm_vs_extractive.py tests/gold/dev.jsonl --llm llamacpp:gemma3-270m --index-from seeds

The index is the one the environment names (BRIEFING_INDEX_DIR, ...); ``--index-from``
ingests a folder into it first (idempotent). The same gold file is scored with the
extractive answerer and with the LLM answerer (``--llm``, default BRIEFING_LLM), and
what verification removed in LLM mode is totalled.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import _corpus  # noqa: F401 - puts the repository on sys.path, offline switches

from assistant.briefing import Briefing
from assistant.eval import EvalReport, Metrics, evaluate
from assistant.settings import get_settings
from assistant.types import Answer, Document, Turn

ROWS = [
    ("items", "items"),
    ("span exactness", "span_exactness"),
    ("citation precision", "citation_precision"),
    ("evidence recall", "evidence_recall"),
    ("abstention accuracy", "abstention_accuracy"),
    ("conflict F1", "conflict_f1"),
    ("both sides cited", "both_sides_cited"),
    ("latency p50 (s)", "latency_p50_s"),
    ("latency p95 (s)", "latency_p95_s"),
]


class Recording:
    """A Briefing that keeps every answer it gives (for the verification totals)."""

    def __init__(self, briefing: Briefing) -> None:
        self.briefing = briefing
        self.answers: list[Answer] = []

    def ask(
        self, question: str, history: Sequence[Turn] | None = None, filters: dict[str, Any] | None = None
    ) -> Answer:
        answer = self.briefing.ask(question, history, filters)
        self.answers.append(answer)
        return answer

    def document(self, doc_id: str, content_hash: str = "") -> Document:
        return self.briefing.document(doc_id, content_hash)


def cell(value: float | int | None) -> str:
    if value is None:
        return "n/a"
    return str(value) if isinstance(value, int) else f"{value:.2f}"


def table(extractive: Metrics, llm: Metrics) -> str:
    lines = ["| metric | extractive | llm |", "|---|---:|---:|"]
    for label, field in ROWS:
        lines.append(f"| {label} | {cell(getattr(extractive, field))} | {cell(getattr(llm, field))} |")
    return "\n".join(lines)


def totals(answers: list[Answer]) -> str:
    keys = ["checked", "removed", "unsupported_sentences", "stripped_markers", "reanchored"]
    sums = {k: sum(a.verification.get(k, 0) for a in answers) for k in keys}
    in_llm = sum(a.mode == "llm" for a in answers)
    fallbacks = [a.notes[-1] for a in answers if a.mode == "extractive" and a.notes]
    lines = [
        f"LLM mode answers: {in_llm} of {len(answers)} (the rest fell back to the extractive answer)",
        "verification: " + ", ".join(f"{k}={v}" for k, v in sums.items()),
    ]
    reasons: dict[str, int] = {}
    for note in fallbacks:
        reasons[note] = reasons.get(note, 0) + 1
    lines.extend(
        f"  fallback x{count}: {note}" for note, count in sorted(reasons.items(), key=lambda kv: -kv[1])
    )
    return "\n".join(lines)


def limited(gold: Path, limit: int | None, folder: Path) -> Path:
    if not limit:
        return gold
    lines = [line for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()][:limit]
    path = folder / gold.name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold", type=Path)
    parser.add_argument(
        "--llm", default=None, help="BRIEFING_LLM for the LLM run (default: the environment's)"
    )
    parser.add_argument("--index-from", type=Path, default=None, help="ingest this folder first")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N gold items")
    args = parser.parse_args()
    settings = get_settings()
    spec = args.llm or settings.llm
    if not spec:
        parser.error("name a model with --llm or BRIEFING_LLM")
    base = Briefing(settings.model_copy(update={"llm": None}))
    if args.index_from:
        from ingest.pipeline import Indexer, ingest_paths

        summary = ingest_paths(Indexer(base.store, base.embedder, settings.passage_tokens), [args.index_from])
        print(f"index: {summary.line()}")
        base.retriever.invalidate()
    with tempfile.TemporaryDirectory() as tmp:
        gold = limited(args.gold, args.limit, Path(tmp))
        extractive: EvalReport = evaluate(base, gold)
        recording = Recording(Briefing(settings.model_copy(update={"llm": spec}), embedder=base.embedder))
        llm = evaluate(recording, gold)
    print(f"gold: {args.gold} ({extractive.overall.items} items), LLM: {spec}\n")
    print(table(extractive.overall, llm.overall))
    print()
    print(totals(recording.answers))


if __name__ == "__main__":
    main()
