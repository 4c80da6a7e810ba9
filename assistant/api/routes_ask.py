"""``POST /v1/ask`` and ``POST /v1/ask/stream``: a cited briefing for a question."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from assistant.api.auth import require
from assistant.api.deps import BriefingDep
from assistant.api.errors import ERROR_RESPONSES, request_id
from assistant.api.metrics import record_answer
from assistant.api.schemas import AskRequest
from assistant.api.streaming import sse_events
from assistant.types import Answer

router = APIRouter(
    prefix="/v1", tags=["ask"], responses=ERROR_RESPONSES, dependencies=[Depends(require("ask"))]
)

__all__ = ["AskRequest", "router"]


@router.post("/ask", response_model=Answer, summary="Ask a question")
async def ask(body: AskRequest, briefing: BriefingDep) -> Answer:
    """Answer with sentences cited to exact spans, conflicts, or an honest abstention."""
    # Retrieval and answering are CPU-bound: keep them off the event loop.
    answer = await run_in_threadpool(briefing.ask, body.question, body.history, body.filters)
    record_answer(answer)
    return answer


@router.post(
    "/ask/stream",
    summary="Ask a question, streamed as Server-Sent Events",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Events: status {stage}, delta {text}, then answer (the Answer JSON) or error "
            "{error: {code, message, request_id}}; ': ping' comments every 10 s.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    },
)
async def ask_stream(body: AskRequest, briefing: BriefingDep, request: Request) -> StreamingResponse:
    """The answer as it is made; a too-long or empty question fails before the stream starts."""
    briefing.check_question(body.question, body.history)  # 413 / 422 as a status, not an event
    events = sse_events(
        briefing, body, request_id(request), timeout_s=request.app.state.settings.stream_timeout_s
    )
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)
