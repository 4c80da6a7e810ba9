"""Test doubles for the Slack bot: a fake Slack Web API on 127.0.0.1, and a deterministic ``ask``.

``FakeSlackApi`` is a real HTTP server that records every call (Web API methods and
``response_url`` posts) and keeps the messages it was sent, so ``conversations.replies``
returns a real thread. ``SeedAsk`` answers from exact spans of the seed article (found with
``str.find``, so every quote is ``text[start:end]``) and records the history it received.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from aiohttp import WSMsgType, web

from assistant.types import Answer, Citation, Conflict, Position, Turn

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


# -- the deterministic answerer --------------------------------------------------------------

SEED_PATH = Path(__file__).resolve().parents[1] / "seeds" / "000_e8fa8a199500442e.txt"
SEED_ID = "seeds/000_e8fa8a199500442e.txt"
SEED_TITLE = "Pakistan rejects Taliban allegations & cites UN reports"

AFFIRM_QUOTE = (
    "He emphasized that official UN reports confirm the presence and operational activities of multiple "
    "terrorist organizations inside Afghanistan, including TTP, Al-Qaeda, and ISIS-Khorasan (ISIS-K)."
)
DENY_QUOTE = (
    "Zaidi stressed that the Taliban are attempting to attribute ongoing violence to ISIS while "
    "simultaneously denying the presence of TTP within Afghanistan."
)
UN_QUOTE = (
    "According to him, UN documentation clearly demonstrates that these groups not only operate within "
    "Afghanistan but are expanding their footprint, effectively turning the country into a safe haven for "
    "terrorist organizations."
)


class SeedAsk:
    """``ask(question, history)`` answering from the seed article, deterministically.

    Questions mentioning TTP get the cited answer with the Taliban/Zaidi conflict; "UN" gets the
    UN answer; "long" gets an answer too big for one Slack message; "boom" raises; anything
    else abstains. A question containing a word registered with :meth:`hold` waits until
    :meth:`release` is called.
    """

    def __init__(self) -> None:
        self.text = SEED_PATH.read_text(encoding="utf-8")
        self.calls: list[tuple[str, list[Turn]]] = []
        self._gates: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def hold(self, word: str) -> None:
        self._gates[word] = threading.Event()

    def release(self, word: str) -> None:
        self._gates.pop(word).set()

    def __call__(self, question: str, history: list[Turn]) -> Answer:
        with self._lock:
            self.calls.append((question, list(history)))
        for word, gate in list(self._gates.items()):
            if word in question:
                gate.wait(timeout=20)
        if "boom" in question:
            raise RuntimeError("Traceback: index shard 7 is corrupt at /srv/secret/path")
        if "TTP" in question:
            return self.ttp_answer()
        if "UN" in question:
            return self.un_answer()
        if "long" in question:
            return self.long_answer()
        return Answer(answer="", abstained=True, notes=["no passage answers the question"])

    def cite(self, n: int, quote: str, holder: str | None = None) -> Citation:
        start = self.text.find(quote)
        assert start >= 0, f"not in the seed: {quote!r}"
        return Citation(
            n=n,
            document_id=SEED_ID,
            title=SEED_TITLE,
            published="2025-02-10",
            start=start,
            end=start + len(quote),
            quote=self.text[start : start + len(quote)],
            holder=holder,
        )

    def ttp_answer(self) -> Answer:
        citations = [
            self.cite(1, AFFIRM_QUOTE, "Musharraf Zaidi"),
            self.cite(2, DENY_QUOTE, "the Taliban"),
            self.cite(3, UN_QUOTE, "Musharraf Zaidi"),
        ]
        conflict = Conflict(
            topic="whether TTP operates from Afghanistan",
            positions=[
                Position(
                    holder="Musharraf Zaidi, spokesperson for Pakistan's Prime Minister",
                    stance="affirms",
                    summary="UN reports confirm TTP operates inside Afghanistan.",
                    citations=[1, 3],
                ),
                Position(
                    holder="the Taliban",
                    stance="denies",
                    summary="They deny the presence of TTP within Afghanistan.",
                    citations=[2],
                ),
            ],
        )
        return Answer(
            answer=(
                "Pakistan's Prime Minister's spokesperson, citing UN reports, says TTP operates from "
                "Afghanistan [1][3]. The Taliban deny that TTP is present in Afghanistan [2]."
            ),
            abstained=False,
            citations=citations,
            conflicts=[conflict],
            verification={"checked": 3, "removed": 0},
        )

    def un_answer(self) -> Answer:
        citations = [self.cite(1, AFFIRM_QUOTE, "Musharraf Zaidi"), self.cite(2, UN_QUOTE, "Musharraf Zaidi")]
        return Answer(
            answer="Zaidi says UN reports confirm TTP, Al-Qaeda and ISIS-K are in Afghanistan [1][2].",
            abstained=False,
            citations=citations,
        )

    def long_answer(self) -> Answer:
        """Every sentence of the seed, cited, three times over: far beyond one message."""
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", self.text) if len(s.strip()) > 20]
        citations = [self.cite(n, s) for n, s in enumerate(sentences * 3, start=1)]
        answer = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        return Answer(answer=answer, abstained=False, citations=citations)


# -- Slack's documented Block Kit limits, checked independently of the renderer ---------------
# https://docs.slack.dev/reference/block-kit/blocks and .../block-elements/button-element

LIMITS = {
    "blocks_per_message": 50,
    "section_text": 3000,
    "section_fields": 10,
    "field_text": 2000,
    "context_elements": 10,
    "actions_elements": 25,
    "button_text": 75,
    "button_value": 2000,
    "action_id": 255,
    "block_id": 255,
    "header_text": 150,
    "message_text": 40_000,
    "blocks_total_text": 12_000,  # msg_blocks_too_long, slackapi/bolt-js#2509
}


def _texts(item: Any) -> list[str]:
    if isinstance(item, dict):
        own = [item["text"]] if isinstance(item.get("text"), str) else []
        return own + [t for v in item.values() for t in _texts(v)]
    if isinstance(item, list):
        return [t for v in item for t in _texts(v)]
    return []


def block_kit_violations(payload: dict[str, Any]) -> list[str]:
    """Every way ``payload`` (``text`` and ``blocks``) breaks Slack's limits; empty when none."""
    problems: list[str] = []
    blocks = payload.get("blocks") or []
    if len(blocks) > LIMITS["blocks_per_message"]:
        problems.append(f"{len(blocks)} blocks")
    if len(payload.get("text") or "") > LIMITS["message_text"]:
        problems.append("text too long")
    if sum(len(t) for t in _texts(blocks)) > LIMITS["blocks_total_text"]:
        problems.append("blocks carry too much text")
    action_ids: list[str] = []
    for block in blocks:
        kind = block["type"]
        if len(block.get("block_id", "")) > LIMITS["block_id"]:
            problems.append("block_id too long")
        if kind == "section":
            if len(block.get("text", {}).get("text", "")) > LIMITS["section_text"]:
                problems.append(f"section text {len(block['text']['text'])}")
            fields = block.get("fields", [])
            too_long = any(len(f["text"]) > LIMITS["field_text"] for f in fields)
            if len(fields) > LIMITS["section_fields"] or too_long:
                problems.append("section fields")
            if not block.get("text") and not fields:
                problems.append("empty section")
        elif kind == "context" and not 0 < len(block["elements"]) <= LIMITS["context_elements"]:
            problems.append("context elements")
        elif kind == "header" and len(block["text"]["text"]) > LIMITS["header_text"]:
            problems.append("header text")
        elif kind == "actions":
            elements = block["elements"]
            if not 0 < len(elements) <= LIMITS["actions_elements"]:
                problems.append("actions elements")
            for element in elements:
                action_ids.append(element["action_id"])
                if len(element["text"]["text"]) > LIMITS["button_text"]:
                    problems.append("button text")
                if len(element.get("value", "")) > LIMITS["button_value"]:
                    problems.append("button value")
                if len(element["action_id"]) > LIMITS["action_id"]:
                    problems.append("action_id")
    if len(action_ids) != len(set(action_ids)):
        problems.append("duplicate action_id")
    return problems
