"""Request bodies shared by more than one module of the API."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assistant.types import Turn


class AskRequest(BaseModel):
    """A question, with the conversation so far and optional filters."""

    question: str = Field(
        description="The question; empty is 422, longer than the configured limit (2,000 characters) is 413.",
        examples=["Does TTP operate in Afghanistan?"],
    )
    history: list[Turn] = Field(
        default_factory=list,
        description="Earlier turns, oldest first; more than the configured limit is 413.",
    )
    filters: dict[str, Any] | None = Field(
        default=None,
        description="Metadata equality filters (a list means any of), plus published_from / published_to "
        "as YYYY, YYYY-MM or YYYY-MM-DD.",
    )
