"""How a question becomes a Slack reply: placeholder first, answer in place, overflow in the thread.

The answerer (``ask``) is synchronous and CPU-bound: it always runs in this module's worker
threads, never on the event loop, so one slow question never holds up another. Every failure
becomes a short, polite reply with a request id; the stack trace goes to the log only.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from assistant.errors import InputError
from assistant.slack._memory import ShareableAnswers
from assistant.slack.metrics import FAILURES, QUESTIONS
from assistant.slack.render import SlackMessage, render_answer, render_error, render_placeholder
from assistant.types import Answer, Turn

logger = logging.getLogger("assistant.slack")

AskFn = Callable[[str, list[Turn]], Answer]
"""The answering facade: ``ask(question, history) -> Answer`` (synchronous, CPU-bound)."""


def new_request_id() -> str:
    """A short id that ties a Slack reply to its log lines."""
    return uuid.uuid4().hex[:12]


class Responder:
    """Runs questions through ``ask`` off the event loop and delivers the rendered answers."""

    def __init__(self, ask: AskFn, *, public_url: str | None, workers: int = 4) -> None:
        """Keep the answerer and start a pool of ``workers`` threads for it.

        Args:
            ask: The answering facade.
            public_url: Base URL of the web service, for links to the cited spans.
            workers: Questions answered at the same time; more wait their turn.
        """
        self._ask = ask
        self.public_url = public_url
        self.shares = ShareableAnswers()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack-ask")

    def close(self) -> None:
        """Stop the worker threads once the questions under way are answered."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    async def answer(
        self, question: str, history: Sequence[Turn], *, surface: str, share: bool = False
    ) -> list[SlackMessage]:
        """Answer ``question`` and render it; an error becomes a polite message with a request id.

        Args:
            question: The question as the user typed it.
            history: Earlier turns of the conversation, oldest first.
            surface: Where it was asked (``mention``, ``dm``, ``command``), for metrics and logs.
            share: Whether to add a "Share in channel" button (private ``/brief`` answers).
        """
        QUESTIONS.labels(surface=surface).inc()
        request_id = new_request_id()
        logger.info(
            "slack question request_id=%s surface=%s history_turns=%d", request_id, surface, len(history)
        )
        loop = asyncio.get_running_loop()
        try:
            answer = await loop.run_in_executor(self._executor, self._ask, question, list(history))
            share_key = self.shares.put(question, answer) if share else None
            return render_answer(answer, public_url=self.public_url, share_key=share_key)
        except InputError as error:
            FAILURES.labels(surface=surface).inc()
            logger.info("slack question refused request_id=%s error=%s", request_id, error.code)
            return [render_error(request_id, str(error))]
        except Exception:
            FAILURES.labels(surface=surface).inc()
            logger.exception("slack question failed request_id=%s", request_id)
            return [render_error(request_id)]

    async def reply_in_conversation(
        self,
        client: AsyncWebClient,
        *,
        channel: str,
        thread_ts: str | None,
        question: str,
        history: Sequence[Turn],
        surface: str,
    ) -> None:
        """Post a placeholder at once, then replace it with the answer (``chat.update``).

        Args:
            client: Web API client of the workspace.
            channel: Conversation to answer in.
            thread_ts: Thread to answer in; None answers at the top level (a DM).
            question: The question as typed.
            history: Earlier turns of the thread.
            surface: ``mention`` or ``dm``.
        """
        placeholder = render_placeholder()
        try:
            posted = await client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, **placeholder.payload()
            )
        except SlackApiError as error:
            logger.warning(
                "slack placeholder failed channel=%s error=%s", channel, error.response.get("error")
            )
            return
        messages = await self.answer(question, history, surface=surface)
        placeholder_ts = str(posted["ts"])
        try:
            await client.chat_update(channel=channel, ts=placeholder_ts, **messages[0].payload())
            await self.post_in_thread(
                client, channel=channel, thread_ts=thread_ts or placeholder_ts, messages=messages[1:]
            )
        except SlackApiError as error:
            logger.warning(
                "slack answer delivery failed channel=%s error=%s", channel, error.response.get("error")
            )

    @staticmethod
    async def post_in_thread(
        client: AsyncWebClient, *, channel: str, thread_ts: str, messages: Sequence[SlackMessage]
    ) -> None:
        """Post ``messages`` in order as replies in a thread."""
        for message in messages:
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message.payload())
