"""The HTTP API with FastAPI's TestClient over a real embedded Chroma and the fake embedder."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.deps import get_briefing
from assistant.briefing import Briefing
from assistant.settings import Settings
from assistant.types import Answer
from ingest.pipeline import Indexer, ingest_paths

TEXTS = {
    "a.txt": "The Kabul airport attack was carried out by ISIS-K. It killed thirteen American service "
    "members.\n\nThe Taliban denied any role in the attack.\n",
    "sub/b.txt": "Two Hellfire missiles were fired at Ayman al-Zawahiri, who was killed. "
    "The strike happened in Kabul.\n",
    "c.txt": "Tajikistan shares a border of 1,344 kilometres with Afghanistan.\n",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    corpus = tmp_path / "corpus"
    for name, text in TEXTS.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "idx", embedder="fake")
    briefing = Briefing(settings)
    summary = ingest_paths(Indexer(briefing.store, briefing.embedder, settings.passage_tokens), [corpus])
    assert not summary.failures
    with TestClient(create_app(settings, briefing)) as test_client:
        yield test_client


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    # Ready once the background warm-up has loaded the model and the index snapshot.
    deadline = time.monotonic() + 60  # a bound for a busy machine, not a speed target
    while client.get("/readyz").status_code != 200:
        assert time.monotonic() < deadline, "/readyz never became ready"
        time.sleep(0.05)


def test_readyz_is_503_when_not_ready(client: TestClient) -> None:
    class NotReady:
        def ready(self) -> bool:
            return False

    client.app.dependency_overrides[get_briefing] = lambda: NotReady()  # type: ignore[attr-defined]
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "index_unavailable"


def test_documents_list_is_sorted_and_paged(client: TestClient) -> None:
    body = client.get("/v1/documents").json()
    assert body["total"] == 3 and body["offset"] == 0 and body["limit"] == 50
    assert [d["id"] for d in body["documents"]] == ["a.txt", "c.txt", "sub/b.txt"]
    first = body["documents"][0]
    assert set(first) == {"id", "title", "source", "published", "metadata", "passages", "content_hash"}
    assert first["passages"] >= 1
    page = client.get("/v1/documents", params={"offset": 1, "limit": 1}).json()
    assert [d["id"] for d in page["documents"]] == ["c.txt"] and page["total"] == 3


def test_documents_bad_paging_is_422(client: TestClient) -> None:
    response = client.get("/v1/documents", params={"limit": 0})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_document_read_returns_exact_text_for_nested_id(client: TestClient) -> None:
    body = client.get("/v1/documents/sub/b.txt").json()
    assert body["id"] == "sub/b.txt"
    assert body["text"] == TEXTS["sub/b.txt"]
    assert body["passages"] >= 1


def test_unknown_document_is_404_json(client: TestClient) -> None:
    response = client.get("/v1/documents/missing.txt")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "missing.txt" in error["message"]
    assert error["request_id"] == response.headers["X-Request-ID"]


def test_unknown_route_uses_the_error_shape(client: TestClient) -> None:
    response = client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_ask_quotes_equal_document_text(client: TestClient) -> None:
    for question in (
        "How many Hellfire missiles were fired at Zawahiri?",
        "Who carried out the Kabul airport attack?",
    ):
        response = client.post("/v1/ask", json={"question": question})
        assert response.status_code == 200
        answer = Answer.model_validate(response.json())
        assert not answer.abstained and answer.citations
        for c in [*answer.citations, *answer.near_misses]:
            text = client.get(f"/v1/documents/{c.document_id}").json()["text"]
            assert text[c.start : c.end] == c.quote


def test_ask_out_of_scope_abstains(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "What is the capital of Peru?", "history": []})
    assert response.status_code == 200
    assert response.json()["abstained"] is True


def test_ask_empty_question_is_422(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "  ?  "})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "empty_question"
    missing = client.post("/v1/ask", json={})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "invalid_request"


def test_ask_too_long_question_is_413(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "Kabul " * 1000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "question_too_long"


def test_ask_bad_filter_is_422(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "Kabul?", "filters": {"published_from": "soon"}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = client.get("/healthz", headers={"X-Request-ID": "req-123"})
    assert echoed.headers["X-Request-ID"] == "req-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["X-Request-ID"] not in ("", "bad id with spaces")
    assert len(generated.headers["X-Request-ID"]) == 32


def test_unexpected_error_is_generic_500_with_request_id(client: TestClient) -> None:
    class Broken:
        def ask(self, *args: object, **kwargs: object) -> Answer:
            raise RuntimeError("secret internals")

    client.app.dependency_overrides[get_briefing] = lambda: Broken()  # type: ignore[attr-defined]
    response = client.post("/v1/ask", json={"question": "Kabul?"}, headers={"X-Request-ID": "r-500"})
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error" and error["request_id"] == "r-500"
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.headers["X-Request-ID"] == "r-500"


def test_one_json_access_log_line_per_request(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.api.access"):
        client.get("/v1/documents/missing.txt", headers={"X-Request-ID": "log-1"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "assistant.api.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "log-1" and line["method"] == "GET" and line["status"] == 404
    assert line["path"] == "/v1/documents/missing.txt" and line["duration_ms"] >= 0


def test_openapi_documents_the_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/ask", "/v1/documents", "/v1/documents/{doc_id}", "/healthz", "/readyz"} <= set(paths)
    assert client.get("/docs").status_code == 200
