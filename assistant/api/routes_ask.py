"""``POST /v1/ask``: a cited briefing for a question."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import BriefingDep
from assistant.types import Answer, Turn

router = APIRouter(prefix="/v1", tags=["ask"])


class AskRequest(BaseModel):
    """A question, with the conversation so far and optional filters."""

    question: str = Field(
        description="The question; empty is 422, longer than the configured limit is 413.",
        examples=["Does TTP operate in Afghanistan?"],
    )
    history: list[Turn] = Field(default_factory=list, description="Earlier turns, oldest first.")
    filters: dict[str, Any] | None = Field(
        default=None,
        description="Metadata equality filters (a list means any of), plus published_from / published_to "
        "as YYYY, YYYY-MM or YYYY-MM-DD.",
    )


@router.post(
    "/ask",
    response_model=Answer,
    summary="Ask a question",
    responses={
        413: {"description": "Question or history too long."},
        422: {"description": "Empty question or invalid body."},
    },
)
async def ask(body: AskRequest, briefing: BriefingDep) -> Answer:
    """Answer with sentences cited to exact spans, conflicts, or an honest abstention."""
    # Retrieval and answering are CPU-bound: keep them off the event loop.
    return await run_in_threadpool(briefing.ask, body.question, body.history, body.filters)
