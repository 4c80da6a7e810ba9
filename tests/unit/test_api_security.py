"""Keys, scopes, origins, CORS, rate limits, size limits, error hygiene and the JSON log."""

from __future__ import annotations

import hmac
import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.api.auth import KeyConfigError, KeyRing, parse_keys
from assistant.api.deps import get_briefing
from assistant.api.limits import RateLimiter
from assistant.api.logs import JsonFormatter
from assistant.briefing import Briefing
from assistant.errors import RateLimited
from assistant.settings import Settings
from tests.api_support import (
    ADMIN_KEY,
    ASK_KEY,
    KEYS,
    WIDGET_KEY,
    WIDGET_ORIGIN,
    api_client,
    bearer,
    indexed_briefing,
)

QUESTION = {"question": "Who carried out the Kabul airport attack?"}
DOC = {"id": "note-1", "title": "Note", "text": "The convoy reached Herat on Tuesday."}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with api_client(tmp_path, api_keys=KEYS, cors_origins=[WIDGET_ORIGIN]) as test_client:
        yield test_client


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["request_id"] == response.headers["X-Request-ID"] != ""
    return error


# -- keys and scopes -------------------------------------------------------------------------
def test_no_key_is_401_with_bearer_challenge(client: TestClient) -> None:
    for method, path in (("post", "/v1/ask"), ("get", "/v1/documents"), ("post", "/v1/ask/stream")):
        response = client.request(method.upper(), path, json=QUESTION)
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_wrong_or_malformed_key_is_401(client: TestClient) -> None:
    assert_error(client.post("/v1/ask", json=QUESTION, headers=bearer("nope")), 401, "unauthorized")
    assert_error(client.post("/v1/ask", json=QUESTION, headers=bearer(ASK_KEY + "x")), 401, "unauthorized")
    basic = {"Authorization": f"Basic {ASK_KEY}"}
    assert_error(client.post("/v1/ask", json=QUESTION, headers=basic), 401, "unauthorized")


def test_ask_key_asks_and_reads_but_cannot_write(client: TestClient) -> None:
    assert client.post("/v1/ask", json=QUESTION, headers=bearer(ASK_KEY)).status_code == 200
    assert client.get("/v1/documents", headers=bearer(ASK_KEY)).json()["total"] == 3
    assert client.get("/v1/documents/c.txt", headers=bearer(ASK_KEY)).status_code == 200
    error = assert_error(client.post("/v1/documents", json=DOC, headers=bearer(ASK_KEY)), 403, "forbidden")
    assert "admin" in error["message"]
    assert_error(client.delete("/v1/documents/c.txt", headers=bearer(ASK_KEY)), 403, "forbidden")
    assert client.get("/v1/documents/c.txt", headers=bearer(ASK_KEY)).status_code == 200  # still there


def test_admin_key_implies_ask_and_can_upload_and_delete(client: TestClient) -> None:
    admin = bearer(ADMIN_KEY)
    assert client.post("/v1/ask", json=QUESTION, headers=admin).status_code == 200
    assert client.post("/v1/documents", json=DOC, headers=admin).json()["ids"] == ["note-1"]
    assert client.delete("/v1/documents/note-1", headers=admin).json() == {
        "id": "note-1",
        "outcome": "removed",
    }
    assert client.get("/v1/documents/note-1", headers=admin).status_code == 404


def test_origin_limited_key(client: TestClient) -> None:
    allowed = {**bearer(WIDGET_KEY), "Origin": WIDGET_ORIGIN}
    assert client.post("/v1/ask", json=QUESTION, headers=allowed).status_code == 200
    other = {**bearer(WIDGET_KEY), "Origin": "https://other.example"}
    assert client.post("/v1/ask", json=QUESTION, headers=other).status_code == 200
    elsewhere = {**bearer(WIDGET_KEY), "Origin": "https://evil.example"}
    assert (
        "origin"
        in assert_error(client.post("/v1/ask", json=QUESTION, headers=elsewhere), 403, "forbidden")["message"]
    )
    assert_error(client.post("/v1/ask", json=QUESTION, headers=bearer(WIDGET_KEY)), 403, "forbidden")
    # Keys without origins work from any page.
    anywhere = {**bearer(ASK_KEY), "Origin": "https://evil.example"}
    assert client.post("/v1/ask", json=QUESTION, headers=anywhere).status_code == 200


def test_keys_from_a_file_with_comments(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# operators\n{ADMIN_KEY}:admin  # ops team\n\n{ASK_KEY}:ask\n", encoding="utf-8")
    with api_client(tmp_path, api_keys=f"@{keys}") as client:
        assert client.get("/v1/documents", headers=bearer(ASK_KEY)).status_code == 200
        assert client.delete("/v1/documents/c.txt", headers=bearer(ADMIN_KEY)).status_code == 200
        assert client.get("/v1/documents").status_code == 401


@pytest.mark.parametrize("text", ["k1:root", "k1", ":ask", "k1:ask,k2:"])
def test_malformed_key_config_fails_at_startup_without_echoing_keys(tmp_path: Path, text: str) -> None:
    with pytest.raises(KeyConfigError) as info:
        create_app(Settings(index_dir=tmp_path / "idx", embedder="fake", api_keys=text))
    assert "k1" not in str(info.value) and "k2" not in str(info.value)


def test_missing_key_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(KeyConfigError, match="cannot read the API key file"):
        create_app(Settings(index_dir=tmp_path / "idx", embedder="fake", api_keys=f"@{tmp_path}/none"))


def test_keys_are_compared_against_every_key_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    ring = KeyRing(parse_keys(KEYS))
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)
    assert ring.find(ASK_KEY) is not None and ring.find(ASK_KEY).scope == "ask"  # type: ignore[union-attr]
    assert ring.find("unknown") is None
    assert len(calls) == 3 * len(ring.keys)  # no early exit on a match
    assert "secret" not in repr(ring.keys[0]) and ASK_KEY not in repr(ring.keys)


def test_open_mode_warns_at_startup_and_allows_everything(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.api.app"):
        with api_client(tmp_path) as client:
            assert client.post("/v1/ask", json=QUESTION).status_code == 200
            assert client.post("/v1/documents", json=DOC).status_code == 200
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "assistant.api.app"]
    assert len(warnings) == 1 and "OPEN" in warnings[0].getMessage()


def test_keys_never_reach_the_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        with api_client(tmp_path, api_keys=KEYS) as client:
            client.post("/v1/ask", json=QUESTION, headers=bearer(ASK_KEY))
            client.post("/v1/ask", json=QUESTION, headers=bearer(ADMIN_KEY + "-wrong"))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "3 API keys loaded" in text and '"caller": "key#1"' in text
    for key in (ASK_KEY, ADMIN_KEY, WIDGET_KEY):
        assert key not in text


# -- CORS ------------------------------------------------------------------------------------
def test_cors_preflight_from_allowed_and_disallowed_origins(client: TestClient) -> None:
    ask_preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    allowed = client.options("/v1/ask/stream", headers={"Origin": WIDGET_ORIGIN, **ask_preflight})
    assert allowed.status_code == 200
    assert allowed.headers["Access-Control-Allow-Origin"] == WIDGET_ORIGIN
    assert {"authorization", "content-type"} <= {
        h.strip().lower() for h in allowed.headers["Access-Control-Allow-Headers"].split(",")
    }
    denied = client.options("/v1/ask/stream", headers={"Origin": "https://evil.example", **ask_preflight})
    assert denied.status_code == 400
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_cors_errors_are_readable_and_expose_headers(client: TestClient) -> None:
    response = client.post("/v1/ask", json=QUESTION, headers={"Origin": WIDGET_ORIGIN})
    assert response.status_code == 401  # an error still carries the CORS headers
    assert response.headers["Access-Control-Allow-Origin"] == WIDGET_ORIGIN
    exposed = {h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "x-request-id"} <= exposed
    evil = client.post("/v1/ask", json=QUESTION, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil.headers


def test_cors_origins_parse_from_a_comma_separated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CORS_ORIGINS", "https://a.example, https://b.example/")
    assert Settings().cors_origins == ["https://a.example", "https://b.example"]


# -- rate limits -----------------------------------------------------------------------------
def test_per_key_rate_limit_is_429_with_retry_after(tmp_path: Path) -> None:
    briefing = indexed_briefing(tmp_path, api_keys=KEYS, rate_limit_per_minute=3)
    app = create_app(briefing.settings, briefing)
    # A new address for each request: only the key's bucket fills.
    responses = [
        TestClient(app, client=(f"10.0.1.{n}", 1)).get("/v1/documents", headers=bearer(ASK_KEY))
        for n in range(4)
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    error = assert_error(responses[-1], 429, "rate_limited")
    assert "API key" in error["message"]
    assert 1 <= int(responses[-1].headers["Retry-After"]) <= 20
    other_key = TestClient(app, client=("10.0.2.1", 1)).get("/v1/documents", headers=bearer(ADMIN_KEY))
    assert other_key.status_code == 200  # another key has its own bucket


def test_per_address_rate_limit_applies_before_authentication(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS, rate_limit_per_minute=2) as client:
        codes = [client.get("/v1/documents", headers=bearer(f"guess-{n}")).status_code for n in range(3)]
        assert codes == [401, 401, 429]  # guessing keys is throttled too
        limited = client.get("/v1/documents", headers=bearer(ASK_KEY))
        assert_error(limited, 429, "rate_limited")
        assert "address" in limited.json()["error"]["message"] and limited.headers["Retry-After"]
        assert client.get("/healthz").status_code == 200  # health is never limited


def test_token_bucket_refills_over_time() -> None:
    now = [100.0]
    limiter = RateLimiter(per_minute=60, clock=lambda: now[0])
    for _ in range(60):
        limiter.check("k", "k")
    with pytest.raises(RateLimited) as info:
        limiter.check("k", "k")
    assert info.value.retry_after == 1
    now[0] += 1.0
    limiter.check("k", "k")  # one token back after a second
    with pytest.raises(RateLimited):
        limiter.check("k", "k")
    limiter.check("other", "other")


# -- input limits ----------------------------------------------------------------------------
def test_question_and_history_limits_are_413(client: TestClient) -> None:
    key = bearer(ASK_KEY)
    long_question = {"question": "Kabul " * 400}  # 2,400 characters
    assert_error(client.post("/v1/ask", json=long_question, headers=key), 413, "question_too_long")
    assert_error(client.post("/v1/ask/stream", json=long_question, headers=key), 413, "question_too_long")
    history = [{"role": "user", "content": "Kabul?"}] * 21
    body = {**QUESTION, "history": history}
    assert_error(client.post("/v1/ask", json=body, headers=key), 413, "history_too_long")
    assert client.post("/v1/ask", json={**QUESTION, "history": history[:20]}, headers=key).status_code == 200


@pytest.mark.parametrize(
    "content",
    [
        '{"question": ',
        "[1, 2]",
        '{"question": 3}',
        '{"question": "x", "history": [{"role": "bot"}]}',
        "plain",
    ],
)
def test_malformed_bodies_are_422(client: TestClient, content: str) -> None:
    headers = {**bearer(ASK_KEY), "Content-Type": "application/json"}
    assert_error(client.post("/v1/ask", content=content, headers=headers), 422, "invalid_request")


def test_oversized_bodies_are_413_declared_or_chunked(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS, max_request_bytes=4096) as client:
        big = {"question": "Kabul?", "history": [{"role": "user", "content": "x" * 5000}]}
        error = assert_error(
            client.post("/v1/ask", json=big, headers=bearer(ASK_KEY)), 413, "payload_too_large"
        )
        assert "4096" in error["message"]

        def chunks():
            yield b'{"question": "Kabul?", "history": [{"role": "user", "content": "'
            for _ in range(10):
                yield b"x" * 1000
            yield b'"}]}'

        headers = {**bearer(ASK_KEY), "Content-Type": "application/json"}
        chunked = client.post("/v1/ask", content=chunks(), headers=headers)
        assert_error(chunked, 413, "payload_too_large")


# -- error hygiene and logs ------------------------------------------------------------------
def test_unexpected_error_has_no_traceback_and_is_logged_with_the_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(Briefing):
        def __init__(self) -> None:
            pass

        def ask(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            raise ZeroDivisionError("internal detail 42")

    client.app.dependency_overrides[get_briefing] = Broken  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR, logger="assistant.api.errors"):
        response = client.post(
            "/v1/ask", json=QUESTION, headers={**bearer(ASK_KEY), "X-Request-ID": "boom-1"}
        )
    assert_error(response, 500, "internal_error")
    assert response.headers["X-Request-ID"] == "boom-1"
    for leak in ("Traceback", "ZeroDivisionError", "internal detail", 'File "'):
        assert leak not in response.text
    logged = [r for r in caplog.records if "boom-1" in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the traceback stays in the server log


def test_access_log_line_is_json_with_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.api.access"):
        response = client.post("/v1/ask", json=QUESTION, headers=bearer(ASK_KEY))
    records = [r for r in caplog.records if r.name == "assistant.api.access"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert line["status"] == 200 and line["path"] == "/v1/ask" and line["level"] == "INFO"
    assert line["caller"] == "key#1" and ASK_KEY not in json.dumps(line)


def test_health_and_metrics_need_no_key(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code in {200, 503}  # 503 only while warming up, never 401/403
    assert client.get("/metrics").status_code == 200
