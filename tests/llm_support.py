"""A scripted LangChain chat model for the LLM answerer's tests.

``ScriptedChatModel`` implements LangChain's chat model interface (``BaseChatModel``):
it records every prompt it is sent and replays prepared replies, streamed word by word.
A reply may be a function of the prompt's user message, so that a test can cite the
passage number the prompt gave a document (the order is the answerer's business).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field

Reply = str | Callable[[str], str]


class ScriptedChatModel(BaseChatModel):
    """Replays ``replies`` in order (the last one repeats); records the prompts."""

    replies: list[Any] = Field(default_factory=list)
    delay_s: float = 0.0
    error: Exception | None = None
    prompts: list[list[BaseMessage]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _next_reply(self, messages: list[BaseMessage]) -> str:
        self.prompts.append(list(messages))
        if self.error is not None:
            raise self.error
        reply = self.replies[min(len(self.prompts), len(self.replies)) - 1]
        return reply(messages[-1].text) if callable(reply) else str(reply)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(c.text for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text = self._next_reply(messages)
        if self.delay_s:
            time.sleep(self.delay_s)
        for piece in re.findall(r"\S+\s*|\s+", text):
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


def passage_number(prompt: str, title: str) -> int:
    """The number the prompt gave the passage of the document titled ``title``."""
    match = re.search(rf'<passage n="(\d+)" title="{re.escape(title)}"', prompt)
    assert match, f"no passage titled {title!r} in the prompt"
    return int(match.group(1))


def shown_count(prompt: str) -> int:
    """How many passages the prompt shows."""
    return len(re.findall(r"<passage n=", prompt))
