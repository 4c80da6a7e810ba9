"""The public surface is pinned, and the LangChain retriever keeps exact spans."""

from __future__ import annotations

from pathlib import Path

import assistant
import ingest
from assistant.briefing import Briefing
from assistant.langchain_retriever import BriefingRetriever
from assistant.settings import Settings
from assistant.types import Document
from ingest.pipeline import Indexer


def test_exported_members() -> None:
    assert sorted(assistant.__all__) == sorted(
        ["Answer", "Briefing", "BriefingError", "Citation", "Conflict", "Document", "Evidence", "Passage",
         "Position", "Settings", "Turn", "ask", "default_briefing", "get_settings"]
    )
    assert "Indexer" in ingest.__all__ and "load_file" in ingest.__all__
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None


def test_langchain_retriever_returns_exact_spans(tmp_path: Path) -> None:
    briefing = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    text = "The Red Brigade operates in Freedonia. The harvest was good this year."
    Indexer(briefing.store, briefing.embedder).index([Document(id="a.txt", title="A", text=text)])
    briefing.retriever.invalidate()
    docs = BriefingRetriever(briefing=briefing, k=2).invoke("Red Brigade Freedonia")
    assert docs
    first = docs[0]
    assert text[first.metadata["start"] : first.metadata["end"]] == first.page_content
    assert first.metadata["document_id"] == "a.txt"
