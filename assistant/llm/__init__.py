"""The optional LLM answerer: fluent briefings, verified against the retrieved passages.

Off unless ``BRIEFING_LLM`` is set; the extractive answerer stays the default and the
fallback. Only :mod:`assistant.llm.models` imports chat-model libraries.
"""

from assistant.llm.compose import LLMAnswerer, finish
from assistant.llm.evidence import Shown, format_evidence, show_passages
from assistant.llm.models import GenerationTimeout, LlamaCppChat, make_chat_model, resolve_gguf, stream_text
from assistant.llm.prompts import Prompt, PromptError, Prompts, default_prompts, load_prompts
from assistant.llm.verify import Checked, Source, Verifier

__all__ = [
    "Checked",
    "GenerationTimeout",
    "LLMAnswerer",
    "LlamaCppChat",
    "Prompt",
    "PromptError",
    "Prompts",
    "Shown",
    "Source",
    "Verifier",
    "default_prompts",
    "finish",
    "format_evidence",
    "load_prompts",
    "make_chat_model",
    "resolve_gguf",
    "show_passages",
    "stream_text",
]
