"""Prometheus metrics of the HTTP service, on the default registry.

The default registry is shared with the Slack bot's counters (:mod:`assistant.slack.metrics`),
so ``GET /metrics`` shows both. Labels use the route template (``/v1/documents/{doc_id:path}``),
never the raw path, so that the number of series stays bounded.
"""

from __future__ import annotations

from fastapi import Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

from assistant.types import Answer

REQUESTS = Counter(
    "briefing_http_requests",
    "HTTP requests answered, by route template, method and status code.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "briefing_http_request_duration_seconds",
    "Time to the response headers (for streams: to the first byte), by route template and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
ANSWERS = Counter("briefing_answers", "Answers served (ask and stream), by answerer mode.", ["mode"])
ABSTAINED = Counter("briefing_answers_abstained", "Answers that abstained: the sources did not answer.")
CONFLICTS = Counter("briefing_conflicts_reported", "Conflicts between sources reported in answers.")
CITATIONS = Counter("briefing_citations_served", "Verified citations served in answers.")


def route_label(request: Request) -> str:
    """The matched route's template, or ``unmatched`` (404s must not create a series per path)."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"


def observe_request(request: Request, status: int, seconds: float) -> None:
    """Count one answered request and its latency."""
    route = route_label(request)
    REQUESTS.labels(route=route, method=request.method, status=str(status)).inc()
    LATENCY.labels(route=route, method=request.method).observe(seconds)


def record_answer(answer: Answer) -> None:
    """Count what an answer served: abstention, conflicts, citations."""
    ANSWERS.labels(mode=answer.mode).inc()
    if answer.abstained:
        ABSTAINED.inc()
    CONFLICTS.inc(len(answer.conflicts))
    CITATIONS.inc(len(answer.citations))


def metrics_response() -> Response:
    """The default registry in the Prometheus text format."""
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
