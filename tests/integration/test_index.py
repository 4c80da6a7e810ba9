"""The index with the real model, on an embedded Chroma and on a ``chroma run`` server.

The seed corpus is ingested once per backend (module-scoped fixture, ~50 s each on two
cores) and every test reads from it. The interrupted-ingest test kills a real
``briefing ingest`` process with SIGKILL between writing a document's passages and
committing it, then checks that a second run completes the index.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.briefing import Briefing
from assistant.embeddings import MiniLMEmbedder
from assistant.retrieval import Retriever
from assistant.settings import Settings
from assistant.store import ChromaStore
from ingest.pipeline import Indexer, IngestSummary, ingest_paths

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
SEED_COUNT = sum(1 for p in SEEDS.rglob("*") if p.is_file())


@dataclass
class Indexed:
    """A backend with the seed corpus ingested once."""

    backend: str
    briefing: Briefing
    first: IngestSummary


def ingest(briefing: Briefing) -> IngestSummary:
    indexer = Indexer(briefing.store, briefing.embedder, briefing.settings.passage_tokens)
    summary = ingest_paths(indexer, [SEEDS])
    briefing.retriever.invalidate()
    return summary


@pytest.fixture(scope="module", params=["embedded", "server"])
def indexed(
    request: pytest.FixtureRequest, minilm: MiniLMEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Indexed]:
    if request.param == "embedded":
        settings = Settings(index_dir=tmp_path_factory.mktemp("embedded") / "idx")
    else:
        url = request.getfixturevalue("chroma_server")
        # The local caches (snapshot, sentence vectors) go to a temporary folder, not the repo's.
        local = tmp_path_factory.mktemp("server-local")
        settings = Settings(chroma_url=url, collection=f"t{uuid.uuid4().hex[:12]}", index_dir=local)
    briefing = Briefing(settings, embedder=minilm)
    first = ingest(briefing)
    yield Indexed(request.param, briefing, first)


def committed_passages_are_exact(store: ChromaStore) -> int:
    """Assert every committed passage is its document's text at its span; return how many."""
    infos = store.document_infos()
    texts = {doc_id: store.get_document(doc_id).text for doc_id in infos}
    checked = 0
    for pid, passage, version in store.iter_passages():
        assert passage.document_id in infos, f"{pid}: passage of an uncommitted document"
        assert version == infos[passage.document_id].content_hash[:16], f"{pid}: stale version"
        assert passage.text == texts[passage.document_id][passage.start : passage.end], pid
        checked += 1
    for doc_id, info in infos.items():
        assert info.passages > 0, doc_id
    assert checked == sum(info.passages for info in infos.values())
    return checked


# -- on the ingested seed corpus ------------------------------------------------------------
def test_first_ingest_adds_every_seed(indexed: Indexed) -> None:
    assert not indexed.first.failures
    assert indexed.first.count("added") == SEED_COUNT
    assert indexed.first.passages > SEED_COUNT


def test_every_stored_passage_span_is_exact(indexed: Indexed) -> None:
    assert committed_passages_are_exact(indexed.briefing.store) == indexed.first.passages


def test_second_ingest_changes_nothing(indexed: Indexed) -> None:
    second = ingest(indexed.briefing)
    assert second.count("unchanged") == SEED_COUNT
    assert second.passages == 0 and not second.failures


def test_search_finds_zawahiri(indexed: Indexed) -> None:
    top = indexed.briefing.search("Zawahiri", k=3)
    assert any(ev.passage.document_id.startswith(("briefing/A10", "briefing/A11")) for ev in top), [
        ev.passage.document_id for ev in top
    ]


def test_search_finds_isil_k(indexed: Indexed) -> None:
    top = indexed.briefing.search("ISIL-K", k=3)
    assert any("ISIL-K" in ev.passage.text for ev in top), [ev.passage.text[:80] for ev in top]


@pytest.mark.parametrize("question", ["Does TTP operate in Afghanistan?", "Is Pakistan backing ISIS?"])
def test_staff_question_reports_the_conflict_with_exact_citations(indexed: Indexed, question: str) -> None:
    store = indexed.briefing.store
    answer = indexed.briefing.ask(question)
    assert not answer.abstained
    assert answer.citations
    numbers = {c.n for c in answer.citations}
    for citation in answer.citations:
        assert citation.quote == store.get_document(citation.document_id).text[citation.start : citation.end]
    stances = {
        position.stance: position
        for conflict in answer.conflicts
        for position in conflict.positions
        if position.citations
    }
    assert {"affirms", "denies"} <= set(stances), answer.conflicts
    for position in stances.values():
        assert set(position.citations) <= numbers


def test_kabul_airport_attack_is_answered_from_the_sentence_naming_the_group(indexed: Indexed) -> None:
    answer = indexed.briefing.ask("Who carried out the Kabul airport attack?")
    assert not answer.abstained
    first = answer.citations[0]
    assert "ISIS-K" in first.quote and first.document_id.startswith("briefing/A09"), first.quote
    assert answer.answer.startswith("The President said:"), answer.answer  # Biden's words, as his


def test_stored_sentence_vectors_give_the_same_answer_without_embedding(indexed: Indexed) -> None:
    from assistant.answer import gather

    briefing = indexed.briefing
    question = "Does TTP operate in Afghanistan?"
    gather._RECENT.clear()
    before = briefing.ask(question)
    seed = next(c.document_id for c in before.citations if not c.document_id.startswith("briefing/"))
    indexer = Indexer(briefing.store, briefing.embedder)
    assert indexer.embed_sentences([seed]) > 10
    assert indexer.embed_sentences([seed]) == 0
    gather._RECENT.clear()
    embedded: list[str] = []
    real = briefing.embedder.embed_each
    briefing.embedder.embed_each = lambda texts: embedded.extend(texts) or real(texts)  # type: ignore[method-assign]
    try:
        after = briefing.ask(question)
    finally:
        del briefing.embedder.embed_each
    assert after.answer == before.answer and after.citations == before.citations
    seed_text = briefing.store.get_document(seed).text
    assert not any(text in seed_text for text in embedded), "the seed's sentences were read, not embedded"


def test_out_of_scope_question_abstains(indexed: Indexed) -> None:
    answer = indexed.briefing.ask("What is the capital of Peru?")
    assert answer.abstained
    assert not answer.citations


# -- a killed ingest ------------------------------------------------------------------------
_CHILD = r"""
import sys, time
from assistant.store import ChromaStore

stall_at, folder = int(sys.argv[1]), sys.argv[2]
writes = 0
write_passages = ChromaStore.write_passages

def write_then_report(self, doc, passages, vectors):
    global writes
    write_passages(self, doc, passages, vectors)
    writes += 1
    print(f"wrote {doc.id}", flush=True)
    if writes >= stall_at:
        time.sleep(600)  # the parent kills us here: passages written, document not committed

ChromaStore.write_passages = write_then_report
try:
    from assistant.cli import main
except ImportError:
    main = None
if main is not None:
    sys.exit(main(["ingest", folder]))
from pathlib import Path
from assistant.briefing import Briefing
from assistant.settings import Settings
from ingest.pipeline import Indexer, ingest_paths

briefing = Briefing(Settings())
ingest_paths(Indexer(briefing.store, briefing.embedder), [Path(folder)])
"""


def kill_ingest_midway(index_dir: Path, stall_at: int, log: Path) -> list[str]:
    """Run ``briefing ingest seeds`` and SIGKILL it after its ``stall_at``-th passage write."""
    env = {**os.environ, "BRIEFING_INDEX_DIR": str(index_dir), "BRIEFING_EMBEDDER": "minilm"}
    with log.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-c", _CHILD, str(stall_at), "seeds"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        watchdog = threading.Timer(300, child.kill)
        watchdog.start()
        written: list[str] = []
        try:
            assert child.stdout is not None
            while len(written) < stall_at:
                line = child.stdout.readline()
                if not line:
                    break
                if line.startswith("wrote "):
                    written.append(line.removeprefix("wrote ").strip())
        finally:
            watchdog.cancel()
            if child.poll() is None:
                os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            if child.stdout is not None:
                child.stdout.close()
    assert len(written) == stall_at, f"the ingest child stopped early; see {log}: {log.read_text()[-2000:]}"
    return written


def test_killed_ingest_is_completed_by_the_next_run(minilm: MiniLMEmbedder, tmp_path: Path) -> None:
    stall_at = 8
    written = kill_ingest_midway(tmp_path / "idx", stall_at, tmp_path / "child.log")
    pending = written[-1]
    briefing = Briefing(Settings(index_dir=tmp_path / "idx"), embedder=minilm)
    store = briefing.store

    # The kill left committed documents plus the written, uncommitted passages of one more.
    committed = store.document_infos()
    assert len(committed) == stall_at - 1 and pending not in committed
    assert store.passages.get(where={"_doc": pending}, include=[])["ids"], "the pending passages exist"
    retriever = Retriever(store, minilm)
    assert {p.document_id for p in retriever.snapshot().passages} == set(committed)
    pending_text = next(p for _, p, _ in store.iter_passages() if p.document_id == pending).text
    assert all(ev.passage.document_id != pending for ev in retriever.search(pending_text, k=10))

    summary = ingest(briefing)
    assert not summary.failures
    assert summary.count("unchanged") == stall_at - 1
    assert summary.count("added") + summary.count("unchanged") == SEED_COUNT
    assert len(store.document_infos()) == SEED_COUNT
    committed_passages_are_exact(store)
    fresh = Retriever(store, minilm)
    hits = fresh.search(pending_text, k=3)
    assert hits and hits[0].passage.document_id == pending
    top = fresh.search("Zawahiri", k=3)
    assert any(ev.passage.document_id.startswith(("briefing/A10", "briefing/A11")) for ev in top)

