"""``POST /v1/ask/stream``: event order, deltas, the final answer, errors, pings; and /metrics."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api.deps import get_briefing
from assistant.api.schemas import AskRequest
from assistant.api.streaming import answer_deltas, sse_events
from assistant.briefing import Briefing
from assistant.errors import IndexUnavailable
from assistant.types import Answer
from tests.api_support import api_client, indexed_briefing, parse_sse

QUESTION = "Who carried out the Kabul airport attack?"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with api_client(tmp_path) as test_client:
        yield test_client


class Failing(Briefing):
    """A real Briefing whose answering raises ``error`` (input checks still work)."""

    def __init__(self, base: Briefing, error: Exception) -> None:
        self.__dict__.update(base.__dict__)
        self.error = error

    def ask(self, *args: object, **kwargs: object) -> Answer:  # type: ignore[override]
        raise self.error

    def stream(self, *args: object, **kwargs: object) -> Iterator[str | Answer]:  # type: ignore[override]
        raise self.error
        yield  # a generator, like the real one


class Slow(Briefing):
    """A real Briefing whose answering waits for ``release`` first."""

    def __init__(self, base: Briefing) -> None:
        self.__dict__.update(base.__dict__)
        self.release = threading.Event()

    def stream(self, *args: object, **kwargs: object) -> Iterator[str | Answer]:  # type: ignore[override]
        self.release.wait(5)
        yield from super().stream(*args, **kwargs)  # type: ignore[arg-type]


class Tokens(Briefing):
    """A Briefing that streams like the LLM answerer: text deltas, then an Answer that differs."""

    def __init__(self, base: Briefing) -> None:
        self.__dict__.update(base.__dict__)

    def stream(self, *args: object, **kwargs: object) -> Iterator[str | Answer]:  # type: ignore[override]
        yield from ["ISIS-K ", "carried out ", "the attack [1]. Unverified claim [9]."]
        yield Answer(answer="ISIS-K carried out the attack [1].", abstained=False, mode="llm")


def stream(client: TestClient, body: dict, **headers: str) -> tuple[object, list]:
    response = client.post("/v1/ask/stream", json=body, headers=headers)
    return response, parse_sse(response.text)


def test_events_come_in_order_and_the_answer_equals_ask(client: TestClient) -> None:
    response, events = stream(client, {"question": QUESTION})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache" and response.headers["X-Request-ID"]
    names = [name for name, _ in events]
    assert names[:2] == ["status", "status"]
    assert [data["stage"] for _, data in events[:2]] == ["retrieving", "composing"]
    assert names[-1] == "answer" and set(names[2:-1]) == {"delta"}
    final = events[-1][1]
    assert final == client.post("/v1/ask", json={"question": QUESTION}).json()
    assert not final["abstained"] and final["citations"]
    deltas = [data["text"] for name, data in events if name == "delta"]
    assert deltas and "".join(deltas) == final["answer"]
    Answer.model_validate(final)


def test_the_stream_is_the_documented_wire_format(client: TestClient) -> None:
    text = client.post("/v1/ask/stream", json={"question": QUESTION}).text
    assert text.startswith('event: status\ndata: {"stage": "retrieving"}\n\n')
    blocks = [b for b in text.split("\n\n") if b]
    assert all(re.fullmatch(r"event: [a-z]+\ndata: \{.*\}", b, re.S) for b in blocks)


def test_abstention_streams_as_an_answer(client: TestClient) -> None:
    _, events = stream(client, {"question": "What is the capital of Peru?"})
    assert events[-1][0] == "answer" and events[-1][1]["abstained"] is True


def test_unexpected_failure_ends_the_stream_with_a_generic_error_event(
    client: TestClient, tmp_path: Path
) -> None:
    base = client.app.state.briefing  # type: ignore[attr-defined]
    client.app.dependency_overrides[get_briefing] = lambda: Failing(base, RuntimeError("secret internals"))  # type: ignore[attr-defined]
    response, events = stream(client, {"question": QUESTION}, **{"X-Request-ID": "sse-1"})
    assert response.status_code == 200
    assert [name for name, _ in events] == ["status", "error"]
    assert events[1][1] == {
        "error": {
            "code": "internal_error",
            "message": "internal error; quote the request id when reporting it",
            "request_id": "sse-1",
        }
    }
    assert "secret" not in response.text and "Traceback" not in response.text


def test_a_briefing_error_keeps_its_code_in_the_event(client: TestClient) -> None:
    base = client.app.state.briefing  # type: ignore[attr-defined]
    error = IndexUnavailable("the index cannot be reached; start Chroma")
    client.app.dependency_overrides[get_briefing] = lambda: Failing(base, error)  # type: ignore[attr-defined]
    _, events = stream(client, {"question": QUESTION})
    assert events[-1][0] == "error"
    assert events[-1][1]["error"]["code"] == "index_unavailable"
    assert events[-1][1]["error"]["message"] == "the index cannot be reached; start Chroma"


def test_model_deltas_are_passed_on_and_the_answer_is_authoritative(client: TestClient) -> None:
    base = client.app.state.briefing  # type: ignore[attr-defined]
    client.app.dependency_overrides[get_briefing] = lambda: Tokens(base)  # type: ignore[attr-defined]
    _, events = stream(client, {"question": QUESTION})
    assert [name for name, _ in events] == ["status", "status", "delta", "delta", "delta", "answer"]
    assert [data["text"] for name, data in events if name == "delta"] == [
        "ISIS-K ",
        "carried out ",
        "the attack [1]. Unverified claim [9].",
    ]
    assert events[-1][1]["answer"] == "ISIS-K carried out the attack [1]." and events[-1][1]["mode"] == "llm"


def test_a_stream_without_an_answer_ends_with_an_error_event(client: TestClient) -> None:
    class NoAnswer(Tokens):
        def stream(self, *args: object, **kwargs: object) -> Iterator[str | Answer]:  # type: ignore[override]
            yield "partial "

    base = client.app.state.briefing  # type: ignore[attr-defined]
    client.app.dependency_overrides[get_briefing] = lambda: NoAnswer(base)  # type: ignore[attr-defined]
    _, events = stream(client, {"question": QUESTION})
    assert [name for name, _ in events] == ["status", "status", "delta", "error"]
    assert events[-1][1]["error"]["code"] == "internal_error"


def test_bad_input_fails_before_the_stream_starts(client: TestClient) -> None:
    empty = client.post("/v1/ask/stream", json={"question": "  "})
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "empty_question"
    missing = client.post("/v1/ask/stream", json={})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid_request"


def test_answer_deltas_are_sentences_that_rebuild_the_text() -> None:
    text = "ISIS-K carried out the attack [1]. The Taliban denied any role [2][3].  It killed 13 people [1]."
    pieces = answer_deltas(text)
    assert "".join(pieces) == text
    assert len(pieces) == 3 and pieces[0].startswith("ISIS-K") and pieces[2].startswith("It killed")
    assert answer_deltas("") == [] and answer_deltas("One sentence [1].") == ["One sentence [1]."]


async def _collect(briefing: Briefing, **kwargs: float) -> list[str]:
    return [event async for event in sse_events(briefing, AskRequest(question=QUESTION), "r-1", **kwargs)]


def test_pings_while_waiting_then_the_answer(tmp_path: Path) -> None:
    slow = Slow(indexed_briefing(tmp_path))
    threading.Timer(0.35, slow.release.set).start()
    events = asyncio.run(_collect(slow, ping_s=0.1, timeout_s=10))
    pings = [e for e in events if e == ": ping\n\n"]
    assert len(pings) >= 2
    assert events[0].startswith("event: status") and events[-1].startswith("event: answer")
    assert events.index(pings[0]) < next(i for i, e in enumerate(events) if "composing" in e)


def test_a_hung_answer_times_out_with_an_error_event(tmp_path: Path) -> None:
    slow = Slow(indexed_briefing(tmp_path))
    try:
        events = asyncio.run(_collect(slow, ping_s=0.05, timeout_s=0.3))
    finally:
        slow.release.set()
    parsed = parse_sse("".join(events))
    assert parsed[-1][0] == "error"
    assert parsed[-1][1]["error"]["code"] == "answerer_unavailable"
    assert parsed[-1][1]["error"]["request_id"] == "r-1"
    assert "answer" not in [name for name, _ in parsed]


def _sample(metrics: str, name: str, **labels: str) -> float:
    for line in metrics.splitlines():
        if line.startswith(name + ("{" if labels else " ")) and all(
            f'{k}="{v}"' in line for k, v in labels.items()
        ):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_answers_and_citations(client: TestClient) -> None:
    before = client.get("/metrics").text
    answer = client.post("/v1/ask", json={"question": QUESTION}).json()
    client.post("/v1/ask/stream", json={"question": "What is the capital of Peru?"})
    client.get("/v1/documents/missing.txt")
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain")
    after = response.text

    def grew(name: str, **labels: str) -> float:
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert grew("briefing_http_requests_total", route="/v1/ask", method="POST", status="200") == 1
    assert grew("briefing_http_requests_total", route="/v1/documents/{doc_id:path}", status="404") == 1
    assert grew("briefing_http_request_duration_seconds_count", route="/v1/ask", method="POST") == 1
    assert grew("briefing_citations_served_total") == len(answer["citations"]) > 0
    assert grew("briefing_conflicts_reported_total") == len(answer["conflicts"])
    assert grew("briefing_answers_abstained_total") == 1  # the streamed out-of-scope question
    assert grew("briefing_answers_total", mode="extractive") == 2
    assert "briefing_slack_feedback" in after  # the Slack bot's counters share the registry
