"""The index as a LangChain retriever, for teams that build their own chains.

``BriefingRetriever(briefing=b).invoke("Does TTP operate in Afghanistan?")`` returns
LangChain ``Document``s whose metadata carries the exact span (``document_id``,
``start``, ``end``), so citations made downstream can still be checked.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.briefing import Briefing


class BriefingRetriever(BaseRetriever):
    """Hybrid (dense + BM25) retrieval over the briefing index."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    briefing: Briefing = Field(description="The index to search.")
    k: int = Field(default=8, ge=1, le=100, description="Passages returned per query.")
    filters: dict[str, Any] | None = Field(default=None, description="Metadata filters, as for /v1/ask.")

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [
            LCDocument(
                page_content=item.passage.text,
                metadata={
                    "document_id": item.passage.document_id,
                    "start": item.passage.start,
                    "end": item.passage.end,
                    "title": item.document.title,
                    "source": item.document.source,
                    "published": item.document.published,
                    "score": item.score,
                    **item.document.metadata,
                },
            )
            for item in self.briefing.search(query, self.k, self.filters)
        ]
