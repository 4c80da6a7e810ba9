"""Bolt listeners: translate Slack payloads into ``Responder`` calls, and nothing more.

Mentions answer in a thread, direct messages in the DM, ``/brief`` privately with a share
button; feedback clicks are counted and logged. Bolt already drops the bot's own events; the
listeners also drop other bots' messages and edits, so the bot can never answer itself in a
loop. A global middleware drops a second delivery of the same event (Slack's retries).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from assistant.slack._layout import escape, truncate
from assistant.slack._memory import SeenEvents
from assistant.slack.history import fetch_thread_history, plain_text
from assistant.slack.metrics import DUPLICATES, FEEDBACK, FEEDBACK_VALUES
from assistant.slack.render import (
    FEEDBACK_ACTION_PREFIX,
    PLACEHOLDER_TEXT,
    SHARE_ACTION,
    render_answer,
    render_usage,
)
from assistant.slack.replies import Responder

logger = logging.getLogger("assistant.slack")

COMMAND = "/brief"
"""The slash command (also in ``slack/manifest.yml``)."""

Event = dict[str, Any]


def _event_keys(body: dict[str, Any]) -> list[str]:
    """Keys that identify one delivery: the event id, and the message it is about."""
    keys = [f"event:{body['event_id']}"] if body.get("event_id") else []
    event = body.get("event") or {}
    if event.get("type") in ("app_mention", "message") and event.get("channel") and event.get("ts"):
        keys.append(f"message:{event['channel']}:{event['ts']}")
    return keys


def deduplicate(seen: SeenEvents) -> Callable[..., Awaitable[BoltResponse]]:
    """Global middleware: acknowledge a repeated event without handling it again.

    Covers Slack's retries (``X-Slack-Retry-Num``) and one message delivered as two events.
    """

    async def drop_repeats(
        body: dict[str, Any], resp: BoltResponse, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse:
        keys = _event_keys(body)
        if keys and not seen.first_time(keys):
            DUPLICATES.inc()
            logger.info("slack duplicate event ignored event_id=%s", body.get("event_id"))
            return BoltResponse(status=200, body="")
        await next()
        return resp  # Bolt's next() returns nothing; keep the 200 the chain started with

    return drop_repeats


def _from_a_bot(event: Event) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile")) or event.get("subtype") == "bot_message"


async def _history(client: AsyncWebClient, context: AsyncBoltContext, event: Event, limit: int) -> list[Any]:
    if not event.get("thread_ts") or event.get("thread_ts") == event.get("ts"):
        return []
    return await fetch_thread_history(
        client,
        channel=event["channel"],
        thread_ts=event["thread_ts"],
        current_ts=event["ts"],
        bot_user_id=context.bot_user_id,
        bot_id=context.bot_id,
        limit=limit,
    )


def register_conversations(app: AsyncApp, responder: Responder, max_history: int) -> None:
    """Answer mentions (in a thread) and direct messages (in the DM)."""

    async def answer(event: Event, client: AsyncWebClient, context: AsyncBoltContext, surface: str) -> None:
        question = plain_text(str(event.get("text") or ""), bot_user_id=context.bot_user_id)
        thread_ts = event.get("thread_ts") or (event["ts"] if surface == "mention" else None)
        if not question:
            await client.chat_postMessage(
                channel=event["channel"], thread_ts=thread_ts, **render_usage(COMMAND).payload()
            )
            return
        history = await _history(client, context, event, max_history)
        await responder.reply_in_conversation(
            client,
            channel=event["channel"],
            thread_ts=thread_ts,
            question=question,
            history=history,
            surface=surface,
        )

    @app.event("app_mention")
    async def on_mention(event: Event, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        if not _from_a_bot(event):
            await answer(event, client, context, "mention")

    @app.event("message")
    async def on_message(event: Event, client: AsyncWebClient, context: AsyncBoltContext) -> None:
        # Edits, deletions, joins and every bot message have a subtype or a bot id: never answered.
        if event.get("channel_type") == "im" and not event.get("subtype") and not _from_a_bot(event):
            await answer(event, client, context, "dm")


def register_command(app: AsyncApp, responder: Responder) -> None:
    """``/brief QUESTION``: a private answer (with a share button, see :func:`register_share`)."""

    @app.command(COMMAND)
    async def on_brief(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        question = plain_text(str(command.get("text") or ""))
        if not question:
            await ack(text=render_usage(COMMAND).text, response_type="ephemeral")
            return
        await ack(text=f"{PLACEHOLDER_TEXT}\n> {escape(truncate(question, 300))}", response_type="ephemeral")
        for message in await responder.answer(question, [], surface="command", share=True):
            await respond(response_type="ephemeral", replace_original=False, **message.payload())


def register_share(app: AsyncApp, responder: Responder) -> None:
    """The "Share in channel" button under a private ``/brief`` answer."""

    @app.action(SHARE_ACTION)
    async def on_share(
        ack: AsyncAck,
        action: dict[str, Any],
        body: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        await ack()
        pending = responder.shares.get(str(action.get("value")))
        if pending is None:
            await respond(
                text=f"That answer has expired; run `{COMMAND}` again.",
                response_type="ephemeral",
                replace_original=False,
            )
            return
        user = body["user"]["id"]
        preface = f"<@{user}> shared an answer to: \u201c{escape(truncate(pending.question, 500))}\u201d"
        messages = render_answer(pending.answer, public_url=responder.public_url, preface=preface)
        channel = (body.get("channel") or {}).get("id") or body["container"]["channel_id"]
        try:
            posted = await client.chat_postMessage(channel=channel, **messages[0].payload())
            await responder.post_in_thread(
                client, channel=channel, thread_ts=str(posted["ts"]), messages=messages[1:]
            )
        except SlackApiError as error:
            # The bot is not in this conversation: the response URL can still post there.
            logger.info(
                "slack share via response_url channel=%s error=%s", channel, error.response.get("error")
            )
            for message in messages:
                await respond(response_type="in_channel", replace_original=False, **message.payload())
        await respond(text="Shared in the channel.", replace_original=True)


def register_feedback(app: AsyncApp) -> None:
    """Count and log clicks on the helpful / not helpful buttons."""

    @app.action(re.compile(f"^{re.escape(FEEDBACK_ACTION_PREFIX)}"))
    async def on_feedback(
        ack: AsyncAck, action: dict[str, Any], body: dict[str, Any], respond: AsyncRespond
    ) -> None:
        await ack()
        value = str(action.get("value"))
        if value not in FEEDBACK_VALUES:
            return
        FEEDBACK.labels(value=value).inc()
        container = body.get("container") or {}
        logger.info(
            "slack feedback value=%s user=%s channel=%s message_ts=%s",
            value,
            (body.get("user") or {}).get("id"),
            container.get("channel_id"),
            container.get("message_ts"),
        )
        await respond(text="Thanks for the feedback.", response_type="ephemeral", replace_original=False)
