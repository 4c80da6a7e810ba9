"""Shared pieces of the Slack integration tests: signed Slack requests, the bot's server on
127.0.0.1 against the fake Slack Web API (``tests/fake_slack.py``), and readers of what the bot
sent. The fixtures are in ``tests/integration/slack/conftest.py``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import httpx

from assistant.slack.render import PLACEHOLDER_TEXT
from tests.fake_slack import (
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    Call,
    FakeSlackApi,
)

SECRET = "test-signing-secret-0123456789abcdef"
PUBLIC_URL = "https://briefing.example.org"
CHANNEL = "C0NEWS"
DM = "D0ALICE"
USER = "U0ALICE"
TTP_QUESTION = "Does TTP operate from Afghanistan?"


# -- signed requests ---------------------------------------------------------------------------


def signed(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def post(
    url: str, body: bytes, content_type: str, headers: dict[str, str] | None = None, **sign: Any
) -> httpx.Response:
    all_headers = {"Content-Type": content_type, **signed(body, **sign), **(headers or {})}
    return httpx.post(url, content=body, headers=all_headers, timeout=10)


def event_body(event: dict[str, Any], event_id: str | None = None) -> bytes:
    envelope = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0BRIEF",
        "type": "event_callback",
        "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
        "event_time": int(time.time()),
        "event": event,
        "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
    }
    return json.dumps(envelope).encode()


def send_event(url: str, event: dict[str, Any], **kwargs: Any) -> httpx.Response:
    event_id = kwargs.pop("event_id", None)
    return post(url, event_body(event, event_id), "application/json", **kwargs)


def mention(fake: FakeSlackApi, question: str, thread_ts: str | None = None) -> dict[str, Any]:
    text = f"<@{BOT_USER_ID}> {question}"
    ts = fake.add_user_message(CHANNEL, text, user=USER, thread_ts=thread_ts)
    event = {"type": "app_mention", "user": USER, "text": text, "ts": ts, "channel": CHANNEL, "event_ts": ts}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(fake: FakeSlackApi, question: str) -> dict[str, Any]:
    ts = fake.add_user_message(DM, question, user=USER)
    return {"type": "message", "channel_type": "im", "channel": DM, "user": USER, "text": question, "ts": ts}


def slash_command(url: str, fake: FakeSlackApi, text: str, name: str, **extra: str) -> httpx.Response:
    """``/brief text`` from USER in CHANNEL, its response URL named ``name``."""
    form = {"command": "/brief", "text": text, "user_id": USER, "channel_id": CHANNEL, "team_id": TEAM_ID,
            "response_url": fake.response_url(name), **extra}
    return post(url, urlencode(form).encode(), "application/x-www-form-urlencoded")


def interaction(url: str, payload: dict[str, Any]) -> httpx.Response:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return post(url, body, "application/x-www-form-urlencoded")


def button_click(fake: FakeSlackApi, action_id: str, value: str, name: str) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID},
        "user": {"id": USER},
        "api_app_id": "A0BRIEF",
        "token": "legacy-verification-token",
        "trigger_id": "1.2.3",
        "channel": {"id": CHANNEL},
        "container": {
            "type": "message",
            "channel_id": CHANNEL,
            "message_ts": "1700000000.000001",
            "is_ephemeral": True,
        },
        "response_url": fake.response_url(name),
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "b", "value": value, "action_ts": "1"}
        ],
    }


# -- reading what the bot sent -----------------------------------------------------------------


def texts(call: Call, *, fallback: bool = True) -> str:
    """All the text a recorded message carries (the top-level text, unless not asked, and every block)."""
    found: list[str] = [call.args.get("text") or ""] if fallback else []
    stack: list[Any] = list(call.args.get("blocks") or [])
    while stack:
        item = stack.pop(0)
        if isinstance(item, dict):
            if isinstance(item.get("text"), str):
                found.append(item["text"])
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return "\n".join(found)


def action_values(call: Call) -> dict[str, str]:
    blocks = call.args.get("blocks") or []
    return {e["action_id"]: e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]}


def placeholders(fake: FakeSlackApi, channel: str) -> list[Call]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.args["channel"] == channel and c.args["text"] == PLACEHOLDER_TEXT
    ]


def bot_message_ts(fake: FakeSlackApi, channel: str, thread_ts: str | None) -> list[str]:
    return [
        m["ts"]
        for m in fake.messages.get(channel, [])
        if m.get("bot_id") == BOT_ID and m.get("thread_ts") == thread_ts
    ]


def updates_of(fake: FakeSlackApi, channel: str) -> list[Call]:
    return [c for c in fake.calls_to("chat.update") if c.args["channel"] == channel]
