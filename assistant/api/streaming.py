r"""The Server-Sent Events producer behind ``POST /v1/ask/stream``.

Events, each ``event: NAME\ndata: JSON\n\n``:

* ``status`` ``{"stage": "retrieving" | "composing"}``;
* ``delta`` ``{"text": ...}``: answer text, in order; the deltas concatenate to ``answer.answer``;
* ``answer``: the complete Answer JSON, the same as ``POST /v1/ask`` returns; the stream ends;
* ``error`` ``{"error": {"code", "message", "request_id"}}``: the stream ends.

A ``: ping`` comment goes out every :data:`PING_SECONDS` while the answer is being made,
so that proxies keep the connection; after ``Settings.stream_timeout_s`` the stream ends
with an ``error`` event instead of hanging. ``Briefing.stream`` runs in a worker thread:
in LLM mode it yields text deltas as the model writes them, which are passed on; the
extractive answerer yields only the finished Answer, whose sentences (:func:`answer_deltas`)
become the deltas. The ``answer`` event is authoritative: verification may have removed
streamed text, and clients replace what they showed with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from assistant.api.errors import error_event
from assistant.api.metrics import record_answer
from assistant.api.schemas import AskRequest
from assistant.briefing import Briefing
from assistant.errors import AnswererUnavailable
from assistant.sentences import sentence_spans
from assistant.types import Answer

PING_SECONDS = 10.0
"""Seconds between heartbeat comments while waiting for the answer."""
PING = ": ping\n\n"


def sse(event: str, data: Any) -> str:
    """One Server-Sent Event."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def answer_deltas(text: str) -> list[str]:
    """``text`` in sentence-sized pieces that concatenate back to exactly ``text``."""
    cuts = [start for start, _ in sentence_spans(text)[1:]]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


async def _items(
    make_items: Callable[[], Iterator[str | Answer]], timeout_s: float, ping_s: float
) -> AsyncIterator[str | Answer | None]:
    """Run ``make_items`` in a worker thread and pass its items on; ``None`` means "send a ping".

    Raises:
        AnswererUnavailable: Nothing finished within ``timeout_s``.
        Exception: Whatever ``make_items`` raised.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    stop = threading.Event()

    def produce() -> None:
        def put(kind: str, value: object) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is gone: nobody is listening
                loop.call_soon_threadsafe(queue.put_nowait, (kind, value))

        try:
            for item in make_items():
                if stop.is_set():  # the client went away: stop early
                    return
                put("item", item)
            put("end", None)
        except Exception as exc:  # noqa: BLE001 - handed to the event loop, which reports it
            put("error", exc)

    worker = asyncio.ensure_future(run_in_threadpool(produce))
    deadline = loop.time() + timeout_s
    try:
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AnswererUnavailable(
                    f"no answer within {timeout_s:g} s; try again or ask a narrower question"
                )
            try:
                kind, value = await asyncio.wait_for(queue.get(), timeout=min(ping_s, remaining))
            except TimeoutError:
                yield None
                continue
            if kind == "error":
                raise value
            if kind == "end":
                return
            yield value
    finally:
        stop.set()
        worker.cancel()  # stops waiting; the worker thread ends at its next item


async def sse_events(
    briefing: Briefing,
    request: AskRequest,
    request_id: str = "",
    *,
    timeout_s: float = 120.0,
    ping_s: float = PING_SECONDS,
) -> AsyncIterator[str]:
    """The event stream of one question: status, deltas, then the answer or an error.

    Args:
        briefing: The facade; its ``stream`` yields text deltas (LLM mode) and then the Answer.
        request: The question, history and filters (validated by the route).
        request_id: Put into an ``error`` event so that it can be found in the log.
        timeout_s: End with an ``error`` event when no answer came in this time.
        ping_s: Seconds between heartbeat comments.
    """
    yield sse("status", {"stage": "retrieving"})
    answer: Answer | None = None
    streamed = False
    try:
        items = _items(
            lambda: briefing.stream(request.question, request.history, request.filters), timeout_s, ping_s
        )
        async for item in items:
            if item is None:
                yield PING
            elif isinstance(item, Answer):
                answer = item
            else:
                if not streamed:
                    yield sse("status", {"stage": "composing"})
                streamed = True
                yield sse("delta", {"text": item})
        if answer is None:
            raise RuntimeError("the answer stream ended without an Answer")
    except Exception as exc:  # noqa: BLE001 - every failure becomes an error event; none hangs the stream
        yield sse("error", error_event(exc, request_id))
        return
    record_answer(answer)
    if not streamed:  # the extractive answerer writes at once: send its sentences as the deltas
        yield sse("status", {"stage": "composing"})
        for piece in answer_deltas(answer.answer):
            yield sse("delta", {"text": piece})
    yield sse("answer", answer.model_dump(mode="json"))
