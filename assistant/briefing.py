"""The one facade every front end calls: ``Briefing.ask`` (and the module-level ``ask``).

A ``Briefing`` owns the heavy pieces (store, embedder, retriever) and builds them
lazily, once. The web API, the Slack bot, the CLI and ``briefing eval`` all hold one
and call the same methods; none of them holds answering logic of its own.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from assistant.answer import compose_answer
from assistant.embeddings import Embedder, make_embedder
from assistant.errors import EmptyQuestion, HistoryTooLong, QuestionTooLong
from assistant.filters import Filters
from assistant.retrieval import Retriever
from assistant.settings import Settings, get_settings
from assistant.store import ChromaStore
from assistant.types import Answer, Document, Evidence, Turn

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.llm import LLMAnswerer

_DOC_CACHE = 256


class Briefing:
    """Answers questions from the index named by ``settings``."""

    def __init__(
        self, settings: Settings, embedder: Embedder | None = None, chat_model: BaseChatModel | None = None
    ) -> None:
        """Prepare the pieces; nothing heavy is loaded until first use.

        ``chat_model`` (or ``settings.llm``) turns on the LLM answerer; tests pass a fake one.
        """
        self.settings = settings
        self.store = ChromaStore(settings)
        self.embedder = embedder or make_embedder(settings)
        self.retriever = Retriever(
            self.store, self.embedder, cache=(settings.index_dir / "snapshot-cache", settings.collection)
        )
        self.llm: LLMAnswerer | None = None
        if settings.llm or chat_model is not None:
            from assistant.llm import LLMAnswerer

            self.llm = LLMAnswerer(settings, chat_model)
        self._documents: OrderedDict[tuple[str, str], Document] = OrderedDict()
        self._lock = threading.Lock()

    # -- questions ----------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: Sequence[Turn] | None = None,
        filters: dict[str, Any] | None = None,
        *,
        debug: bool = False,
    ) -> Answer:
        """Answer ``question`` from the index: cited, attributed, conflict-aware."""
        question = self.check_question(question, history)
        parsed = Filters.parse(filters)
        if self.llm is not None:
            return self.llm.answer(question, list(history or []), parsed, self, debug=debug)
        return compose_answer(question, list(history or []), parsed, self, debug=debug)

    def stream(
        self, question: str, history: Sequence[Turn] | None = None, filters: dict[str, Any] | None = None
    ) -> Iterator[str | Answer]:
        """Answer text deltas (LLM mode only) as they are written, then the final Answer.

        Input errors are raised on the first ``next()``, before anything is yielded. The last
        item is always the Answer and is authoritative: in LLM mode verification may have
        removed text that was streamed. In extractive mode the Answer is the only item.
        """
        if self.llm is None:
            yield self.ask(question, history, filters)
            return
        question = self.check_question(question, history)
        yield from self.llm.stream(question, list(history or []), Filters.parse(filters), self)

    def check_question(self, question: str, history: Sequence[Turn] | None) -> str:
        """Reject empty, over-long or over-deep input with a clear error."""
        question = " ".join((question or "").split())  # a pasted line break is a space
        if not any(ch.isalnum() for ch in question):
            raise EmptyQuestion("the question is empty; ask something like 'Does TTP operate in Afghanistan?'")
        if len(question) > self.settings.max_question_chars:
            raise QuestionTooLong(
                f"the question has {len(question)} characters; the limit is {self.settings.max_question_chars}"
            )
        if history and len(history) > self.settings.max_history_turns:
            raise HistoryTooLong(
                f"the history has {len(history)} turns; send at most the last {self.settings.max_history_turns}"
            )
        return question

    def search(self, query: str, k: int | None = None, filters: dict[str, Any] | None = None) -> list[Evidence]:
        """Ranked passages for ``query`` (what ``briefing search`` prints)."""
        query = self.check_question(query, None)
        return self.retriever.search(query, k or self.settings.top_k, Filters.parse(filters))

    # -- documents ----------------------------------------------------------------------
    def document(self, doc_id: str, content_hash: str = "") -> Document:
        """A committed document with its text, cached by id and version."""
        key = (doc_id, content_hash)
        with self._lock:
            if content_hash and key in self._documents:
                self._documents.move_to_end(key)
                return self._documents[key]
        doc = self.store.get_document(doc_id)
        if content_hash and doc.content_hash == content_hash:
            with self._lock:
                self._documents[key] = doc
                while len(self._documents) > _DOC_CACHE:
                    self._documents.popitem(last=False)
        return doc

    def documents(self, keys: list[tuple[str, str]]) -> list[Document]:
        """``document(id, content_hash)`` for each key, the uncached ones fetched in one read."""
        with self._lock:
            missing = [d for d, h in keys if not h or (d, h) not in self._documents]
        fetched = self.store.get_documents(missing) if missing else {}
        out = []
        for doc_id, content_hash in keys:
            doc = fetched.get(doc_id)
            if doc is not None and content_hash and doc.content_hash == content_hash:
                with self._lock:
                    self._documents[(doc_id, content_hash)] = doc
                    while len(self._documents) > _DOC_CACHE:
                        self._documents.popitem(last=False)
            out.append(doc if doc is not None else self.document(doc_id, content_hash))
        return out

    def ready(self) -> bool:
        """Whether the model and the index snapshot are loaded and the store answers."""
        return self.embedder.loaded and self.retriever.loaded and self.store.ping()


@lru_cache(maxsize=1)
def default_briefing() -> Briefing:
    """The process-wide ``Briefing`` built from the environment's settings."""
    return Briefing(get_settings())


def ask(question: str, history: Sequence[Turn] | None = None, filters: dict[str, Any] | None = None) -> Answer:
    """Answer ``question`` with the process-wide settings (see ``Briefing.ask``)."""
    return default_briefing().ask(question, history, filters)
