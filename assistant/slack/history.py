"""From Slack messages to the answerer's input: the question as typed, the thread as ``history``.

``plain_text`` and ``thread_turns`` are pure; ``fetch_thread_history`` is the one Web API call
(``conversations.replies``). A failure to read the thread never stops an answer: the question
is then answered without history.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from assistant.slack.render import CONTINUED_PREFIX, PLACEHOLDER_TEXT
from assistant.types import Turn

logger = logging.getLogger("assistant.slack")

_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#[CG][A-Z0-9]+(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
_LINK = re.compile(r"<([a-z][a-z0-9+.-]*:[^|>]*)(?:\|([^>]*))?>", re.IGNORECASE)
_MAX_PAGES = 10


def plain_text(slack_text: str, *, bot_user_id: str | None = None) -> str:
    """Slack's message markup as a person reads it, without the mention of the bot.

    Args:
        slack_text: The ``text`` of a message or command, with ``<@U…>``, ``<#C…|name>``,
            ``<url|label>`` markup and ``&amp;``-style escapes.
        bot_user_id: The bot's user id; its mentions are removed.
    """

    def user(match: re.Match[str]) -> str:
        if match.group(1) == bot_user_id:
            return ""
        return "@" + (match.group(2) or match.group(1))

    text = _USER_MENTION.sub(user, slack_text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(1) or "channel"), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or "@" + m.group(1), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def _ts_order(ts: str) -> tuple[int, int]:
    """Slack timestamps (``"1700000000.000100"``) as exact, comparable numbers."""
    seconds, _, micros = ts.partition(".")
    return int(seconds or 0), int(micros.ljust(6, "0")[:6])


def _is_ours(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> bool:
    return (bot_id is not None and message.get("bot_id") == bot_id) or (
        bot_user_id is not None and message.get("user") == bot_user_id
    )


def _turn(message: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> Turn | None:
    """The turn a thread message stands for, or None for what is not part of the conversation."""
    if message.get("subtype") not in (None, "thread_broadcast", "file_share"):
        return None
    raw = str(message.get("text") or "")
    if _is_ours(message, bot_user_id, bot_id):
        if raw == PLACEHOLDER_TEXT or raw.startswith(CONTINUED_PREFIX) or raw.startswith(":warning:"):
            return None  # not an answer: a pending placeholder, an overflow page or an error reply
        content = plain_text(raw, bot_user_id=bot_user_id)
        return Turn(role="assistant", content=content) if content else None
    if message.get("bot_id"):
        return None  # other bots are not part of the conversation
    content = plain_text(raw, bot_user_id=bot_user_id)
    return Turn(role="user", content=content) if content else None


def thread_turns(
    messages: list[dict[str, Any]],
    *,
    current_ts: str,
    bot_user_id: str | None,
    bot_id: str | None,
    limit: int,
) -> list[Turn]:
    """The thread before the current message, oldest first, as at most ``limit`` turns.

    Args:
        messages: ``conversations.replies`` messages (the parent first).
        current_ts: Timestamp of the message being answered; it and later ones are left out.
        bot_user_id: The bot's user id: its messages are the assistant's turns.
        bot_id: The bot's bot id (messages may carry either).
        limit: Most turns to return (the latest are kept).
    """
    earlier = [m for m in messages if _ts_order(str(m.get("ts", "0"))) < _ts_order(current_ts)]
    turns = [t for t in (_turn(m, bot_user_id, bot_id) for m in earlier) if t is not None]
    return turns[-limit:] if limit > 0 else []


async def fetch_thread_history(
    client: AsyncWebClient,
    *,
    channel: str,
    thread_ts: str,
    current_ts: str,
    bot_user_id: str | None,
    bot_id: str | None,
    limit: int,
) -> list[Turn]:
    """Read the thread with ``conversations.replies`` and return its earlier turns."""
    messages: list[dict[str, Any]] = []
    cursor: str | None = None
    try:
        for _ in range(_MAX_PAGES):
            response = await client.conversations_replies(
                channel=channel, ts=thread_ts, limit=200, cursor=cursor
            )
            messages.extend(response.get("messages") or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
    except SlackApiError as error:
        logger.warning(
            "slack thread history unavailable channel=%s error=%s", channel, error.response.get("error")
        )
        return []
    return thread_turns(messages, current_ts=current_ts, bot_user_id=bot_user_id, bot_id=bot_id, limit=limit)
