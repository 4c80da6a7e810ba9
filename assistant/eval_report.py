"""``briefing eval``'s report as a table: overall, per kind, then the failing items."""

from __future__ import annotations

from assistant.eval import EvalReport

_COLUMNS = [
    ("n", "items"),
    ("exact", "span_exactness"),
    ("prec", "citation_precision"),
    ("+also", "citation_precision_with_also"),
    ("1st", "first_citation_precision"),
    ("recall", "evidence_recall"),
    ("abstain", "abstention_accuracy"),
    ("conf P", "conflict_precision"),
    ("conf R", "conflict_recall"),
    ("conf F1", "conflict_f1"),
    ("2 sides", "both_sides_cited"),
    ("+also", "both_sides_cited_with_also"),
    ("p50 s", "latency_p50_s"),
    ("p95 s", "latency_p95_s"),
]


def _cell(value: float | int | None) -> str:
    if value is None:
        return "n/a"
    return str(value) if isinstance(value, int) else f"{value:.2f}"


def format_report(report: EvalReport) -> str:
    """The report as a table (overall, then per kind) and a list of failing items."""
    width = max([len("overall"), *(len(k) for k in report.per_kind)]) + 2
    header = "".join(f"{name:>9}" for name, _ in _COLUMNS)
    lines = [f"gold: {report.gold_path}", f"{'':<{width}}{header}"]
    for label, m in [("overall", report.overall), *report.per_kind.items()]:
        lines.append(f"{label:<{width}}" + "".join(f"{_cell(getattr(m, f)):>9}" for _, f in _COLUMNS))
    failing = report.failing
    lines.append(f"\n{len(failing)} of {len(report.items)} items failing")
    for r in failing:
        lines.append(f"  {r.id} [{r.kind}] {r.question}")
        lines.extend(f"      - {why}" for why in r.failures)
    return "\n".join(lines)
