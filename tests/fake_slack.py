"""Test doubles for the Slack bot: a fake Slack Web API and a fake Socket Mode server on 127.0.0.1.

``FakeSlackApi`` is a real HTTP server that records every call (Web API methods and
``response_url`` posts) and keeps the messages it was sent, so ``conversations.replies``
returns a real thread. The deterministic answerer is ``tests/seed_ask.py``; Slack's Block Kit
limits are checked by ``tests/block_kit_limits.py``.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from aiohttp import WSMsgType, web

BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
TEAM_ID = "T0TEAM"
BOT_TOKEN = "xoxb-test-token"

T = TypeVar("T")


@dataclass
class Call:
    """One request the fake received."""

    method: str
    args: dict[str, Any]
    token: str | None = None
    at: float = field(default_factory=time.monotonic)


class FakeSlackApi:
    """A fake Slack Web API (``/api/<method>``) plus ``response_url`` endpoints (``/response/<name>``)."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[str, list[dict[str, Any]]] = {}
        self.failures: dict[str, str] = {}
        self.socket_url: str | None = None
        self._ts = 0
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> FakeSlackApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def base_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/response/{name}"

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self.messages.clear()
            self.failures.clear()

    # -- what tests use ------------------------------------------------------------------
    def next_ts(self) -> str:
        with self._changed:
            self._ts += 1
            return f"1700000000.{self._ts:06d}"

    def add_user_message(
        self, channel: str, text: str, user: str = "U0ALICE", thread_ts: str | None = None
    ) -> str:
        """Store a message a person wrote (people do not go through the Web API)."""
        ts = self.next_ts()
        message = {"type": "message", "user": user, "text": text, "ts": ts}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._changed:
            self.messages.setdefault(channel, []).append(message)
        return ts

    def calls_to(self, method: str) -> list[Call]:
        with self._changed:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, probe: Callable[[FakeSlackApi], T | None], timeout: float = 10.0) -> T:
        """Wait until ``probe(self)`` returns something truthy, and return it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                result = probe(self)
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    methods = [c.method for c in self.calls]
                    raise AssertionError(f"timed out; calls so far: {methods}")
                self._changed.wait(remaining)

    # -- the fake methods ----------------------------------------------------------------
    def handle(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        with self._changed:
            self.calls.append(Call(method, args, token))
            self._changed.notify_all()
            if method in self.failures:
                return {"ok": False, "error": self.failures[method]}
            return self._respond(method, args)

    def _respond(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team_id": TEAM_ID,
                "user": "briefing",
            }
        if method == "chat.postMessage":
            self._ts += 1
            ts = f"1700000000.{self._ts:06d}"
            message = {
                "type": "message",
                "user": BOT_USER_ID,
                "bot_id": BOT_ID,
                "ts": ts,
                **_message_fields(args),
            }
            self.messages.setdefault(args["channel"], []).append(message)
            return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}
        if method == "chat.update":
            for message in self.messages.get(args["channel"], []):
                if message["ts"] == args["ts"]:
                    message.update(_message_fields(args))
                    return {"ok": True, "channel": args["channel"], "ts": args["ts"]}
            return {"ok": False, "error": "message_not_found"}
        if method == "conversations.replies":
            thread = [
                m
                for m in self.messages.get(args["channel"], [])
                if args["ts"] in (m["ts"], m.get("thread_ts"))
            ]
            return {"ok": True, "messages": sorted(thread, key=lambda m: m["ts"]), "has_more": False}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"1700000000.{self._ts:06d}"}
        if method == "apps.connections.open":
            return (
                {"ok": True, "url": self.socket_url}
                if self.socket_url
                else {"ok": False, "error": "no_socket"}
            )
        if method in ("reactions.add", "response_url"):
            return {"ok": True}
        return {"ok": False, "error": "unknown_method"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self._dispatch()

            def do_POST(self) -> None:  # noqa: N802
                self._dispatch()

            def _dispatch(self) -> None:
                parts = urlsplit(self.path)
                args = _parse_body(self.headers.get("Content-Type", ""), self._body())
                args.update({k: v[0] for k, v in parse_qs(parts.query).items()})
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ") or None
                if parts.path.startswith("/api/"):
                    result = fake.handle(parts.path.removeprefix("/api/"), args, token)
                elif parts.path.startswith("/response/"):
                    args["response_url_name"] = parts.path.removeprefix("/response/")
                    result = fake.handle("response_url", args, token)
                else:
                    self.send_error(404)
                    return
                payload = json.dumps(result).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    if "json" in content_type:
        parsed: dict[str, Any] = json.loads(body)
    else:
        parsed = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    if isinstance(parsed.get("blocks"), str):
        parsed["blocks"] = json.loads(parsed["blocks"])
    return parsed


def _message_fields(args: dict[str, Any]) -> dict[str, Any]:
    fields = {k: args[k] for k in ("text", "blocks", "thread_ts") if args.get(k) is not None}
    return fields


class FakeSocketMode:
    """A Socket Mode WebSocket endpoint: sends envelopes to the connected app, records its acks."""

    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self._loop = asyncio.new_event_loop()
        self._client: web.WebSocketResponse | None = None
        self._changed = threading.Condition()
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._port}/link"

    def start(self) -> FakeSocketMode:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def send(self, envelope: dict[str, Any], timeout: float = 10.0) -> None:
        """Send one envelope once the app is connected."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._client is not None, timeout):
                raise AssertionError("the app never connected over Socket Mode")
            client = self._client
        assert client is not None
        asyncio.run_coroutine_threadsafe(client.send_json(envelope), self._loop).result(timeout=10)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        with self._changed:
            found = self._changed.wait_for(
                lambda: [a for a in self.acks if a.get("envelope_id") == envelope_id], timeout
            )
        if not found:
            raise AssertionError(f"no ack for {envelope_id}; acks: {self.acks}")
        return found[0]

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_get("/link", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0BRIEF"}}
        )
        with self._changed:
            self._client = socket
            self._changed.notify_all()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                with self._changed:
                    self.acks.append(json.loads(message.data))
                    self._changed.notify_all()
        return socket
