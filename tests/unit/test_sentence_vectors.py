"""Sentence vectors stored once a document is committed: kept per version, swept with it,
read by answers instead of embedding, and never a reason for an answer to fail."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.briefing import Briefing
from assistant.embeddings import FakeEmbedder
from assistant.sentence_vectors import FILE_NAME, SentenceVectors, version_of
from assistant.sentences import sentence_spans
from assistant.settings import Settings
from assistant.types import Document
from ingest.pipeline import Indexer, IngestSummary
from tests.api_support import ADMIN_KEY, ASK_KEY, KEYS, api_client, bearer

CONVOY = (
    "The relief convoy of forty-two trucks reached Herat on Tuesday. It had waited four days at "
    "the Islam Qala crossing. The governor said the delay was caused by paperwork."
)
QUAKE = "The earthquake in Badakhshan destroyed nineteen schools. Jurm district was hit hardest."


class _Counting(FakeEmbedder):
    """The fake embedder, counting the texts embedded one by one."""

    def __init__(self) -> None:
        self.each: list[str] = []

    def embed_each(self, texts: list[str]) -> np.ndarray:
        self.each.extend(texts)
        return super().embed_each(texts)


def _briefing(tmp_path: Path) -> tuple[Briefing, _Counting]:
    briefing = Briefing(Settings(index_dir=tmp_path / "idx", embedder="fake"))
    counting = _Counting()
    briefing.embedder = counting
    briefing.retriever.embedder = counting
    return briefing, counting


def _stored(briefing: Briefing, doc: Document) -> dict:
    keys = [(doc.id, version_of(doc.content_hash), a, b) for a, b in sentence_spans(doc.text)]
    return briefing.store.sentences.get(keys)


def test_vectors_round_trip_by_version_and_are_swept_with_it(tmp_path: Path) -> None:
    store = SentenceVectors(tmp_path / FILE_NAME)
    assert store.get([("a", "v1", 0, 5)]) == {} and not store.path.exists(), "reading creates no file"
    vectors = FakeEmbedder().embed(["one two", "three four"])
    store.put("a", "v1", [(0, 7), (8, 18)], vectors)
    store.put("b", "v1", [(0, 7)], vectors[:1])
    got = store.get([("a", "v1", 8, 18), ("a", "v2", 8, 18), ("a", "v1", 0, 7)])
    assert set(got) == {("a", "v1", 8, 18), ("a", "v1", 0, 7)}, "another version's row is not read"
    assert np.allclose(got[("a", "v1", 8, 18)], vectors[1], atol=1e-3)
    assert store.versions() == {"a": "v1", "b": "v1"}
    store.put("a", "v2", [(0, 7)], vectors[:1])
    store.sweep("a", keep="v2")
    assert store.get([("a", "v1", 0, 7)]) == {} and store.versions() == {"a": "v2", "b": "v1"}
    store.sweep("b", keep=None)
    assert store.versions() == {"a": "v2"}


def test_an_unreadable_file_is_set_aside_and_nothing_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(b"this is not a database" * 100)
    store = SentenceVectors(path)
    assert store.get([("a", "v1", 0, 5)]) == {}
    assert store.versions() == {}
    store.put("a", "v1", [(0, 5)], FakeEmbedder().embed(["x"]))
    store.sweep("a", keep=None)
    assert "sentence vectors unavailable" in caplog.text
    assert path.read_bytes().startswith(b"this is not"), "the file is left as it was"


def test_a_lock_held_by_another_process_only_passes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import sqlite3

    store = SentenceVectors(tmp_path / FILE_NAME, timeout=0.05)
    vectors = FakeEmbedder().embed(["one two", "three four"])
    store.put("a", "v1", [(0, 7)], vectors[:1])
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer, e.g. an ingest in another process
    try:
        store.put("b", "v1", [(0, 10)], vectors[1:])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "sentence vectors busy" in caplog.text and "unavailable" not in caplog.text
    assert store.versions() == {"a": "v1"}, "the blocked write is not half done"
    store.put("b", "v1", [(0, 10)], vectors[1:])  # the file is used again once the lock is gone
    assert set(store.get([("a", "v1", 0, 7), ("b", "v1", 0, 10)])) == {("a", "v1", 0, 7), ("b", "v1", 0, 10)}


def test_committed_documents_get_their_sentences_embedded_once(tmp_path: Path) -> None:
    briefing, counting = _briefing(tmp_path)
    indexer = Indexer(briefing.store, counting)
    convoy = Document(id="convoy.txt", title="Convoy", text=CONVOY)
    quake = Document(id="quake.txt", title="Quake", text=QUAKE)
    indexer.index([convoy, quake])
    assert counting.each == [], "indexing alone embeds no sentence"
    assert indexer.embed_sentences(["convoy.txt"]) == 3
    assert len(_stored(briefing, convoy)) == 3 and not _stored(briefing, quake)
    assert indexer.embed_sentences() == 2, "only what is missing"
    assert indexer.embed_sentences() == 0
    # An edit is a new version: its sentences are embedded anew, the old ones swept.
    edited = Document(id="convoy.txt", title="Convoy", text=CONVOY + " Aid workers unloaded it in a day.")
    indexer.index([edited])
    assert not briefing.store.sentences.get([("convoy.txt", version_of(convoy.content_hash), 0, 64)])
    assert indexer.embed_sentences() == 4
    assert len(_stored(briefing, edited)) == 4
    indexer.remove(["quake.txt"], IngestSummary())
    assert "quake.txt" not in briefing.store.sentences.versions()


def test_answers_read_stored_vectors_and_embed_only_the_sentences_without(tmp_path: Path) -> None:
    briefing, counting = _briefing(tmp_path)
    indexer = Indexer(briefing.store, counting)
    indexer.index([Document(id="convoy.txt", title="Convoy", text=CONVOY)])
    briefing.retriever.invalidate()
    question = "How many trucks were in the relief convoy to Herat?"
    before = briefing.ask(question)
    assert counting.each, "without stored vectors the answer embeds its sentences"
    indexer.embed_sentences()
    from assistant.answer import gather

    gather._RECENT.clear()
    counting.each.clear()
    after = briefing.ask(question)
    assert counting.each == [], "every sentence read had a stored vector"
    assert after.answer == before.answer and after.citations == before.citations


def test_briefing_ingest_embeds_the_sentences_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "convoy.txt").write_text(CONVOY, encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "idx", embedder="fake")
    args = ["ingest", str(folder)]
    assert main(args, settings) == 0
    assert "3 sentences embedded for answers" in capsys.readouterr().out
    store = Briefing(settings).store
    version = version_of(store.get_document("convoy.txt").content_hash)
    assert store.sentences.versions() == {"convoy.txt": version}
    assert main(args, settings) == 0
    assert "sentences embedded" not in capsys.readouterr().out, "nothing left to embed"
    (folder / "quake.txt").write_text(QUAKE, encoding="utf-8")
    assert main([*args, "--no-sentence-vectors"], settings) == 0
    assert "sentences embedded" not in capsys.readouterr().out
    assert set(store.sentences.versions()) == {"convoy.txt"}, "the new document is left to the service"


def test_an_upload_has_its_sentences_embedded_after_the_reply(tmp_path: Path) -> None:
    with api_client(tmp_path, api_keys=KEYS) as client:
        assert isinstance(client, TestClient)
        quake = ("files", ("quake.txt", QUAKE.encode(), "text/plain"))
        response = client.post("/v1/documents", files=[quake], headers=bearer(ADMIN_KEY))
        assert response.status_code == 200, response.text
        store = client.app.state.briefing.store  # type: ignore[attr-defined]
        deadline = time.monotonic() + 30
        while "quake.txt" not in store.sentences.versions() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "quake.txt" in store.sentences.versions()
        answer = client.post("/v1/ask", json={"question": "What did the Badakhshan earthquake destroy?"},
                             headers=bearer(ASK_KEY)).json()
        assert any(c["document_id"] == "quake.txt" for c in answer["citations"])


def test_an_interrupted_embedding_keeps_what_it_stored_and_the_next_run_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.pipeline

    briefing, counting = _briefing(tmp_path)
    indexer = Indexer(briefing.store, counting)
    indexer.index([Document(id="convoy.txt", title="Convoy", text=CONVOY),
                   Document(id="quake.txt", title="Quake", text=QUAKE)])
    monkeypatch.setattr(ingest.pipeline, "_SENTENCE_DOCS", 1)
    real = counting.embed_each
    calls = []

    def fails_second(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(texts)

    counting.embed_each = fails_second  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        indexer.embed_sentences()
    assert len(briefing.store.sentences.versions()) == 1, "the first document's vectors are kept"
    counting.embed_each = real  # type: ignore[method-assign]
    assert indexer.embed_sentences() in (2, 3)  # the one left: the quake's 2 sentences or the convoy's 3
    assert set(briefing.store.sentences.versions()) == {"convoy.txt", "quake.txt"}


def test_a_lookup_goes_through_the_primary_key_not_a_scan(tmp_path: Path) -> None:
    import sqlite3

    from assistant.sentence_vectors import LOOKUP

    store = SentenceVectors(tmp_path / FILE_NAME)
    store.put("a", "v1", [(0, 7)], FakeEmbedder().embed(["one two"]))
    plan = sqlite3.connect(store.path).execute(f"EXPLAIN QUERY PLAN {LOOKUP}", ("a", "v1", 0, 7)).fetchall()
    details = " ".join(str(row[-1]) for row in plan)
    assert "PRIMARY KEY" in details and "SCAN" not in details, details


def test_vectors_made_at_question_time_are_kept_per_model(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from assistant.answer import gather
    from assistant.answer.reading import read_document

    class Narrow(FakeEmbedder):
        dimension = 16

    reading = read_document(Document(id="convoy.txt", title="Convoy", text=CONVOY))
    store = SimpleNamespace(sentences=SentenceVectors(tmp_path / FILE_NAME))
    for model in (FakeEmbedder(), Narrow()):  # the same sentences, two models in one process
        stub = SimpleNamespace(embedder=model, store=store,
                               retriever=SimpleNamespace(embed_query=lambda q, m=model: m.embed([q])[0]))
        sims = gather.similarity(stub, "How many trucks reached Herat?")([(reading, 0), (reading, 1)])  # type: ignore[arg-type]
        assert sims.shape == (2,) and np.isfinite(sims).all()


def test_the_service_fills_what_this_replica_has_no_vectors_for_a_step_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.api import create_app, routes_upload

    monkeypatch.setattr(routes_upload, "_SENTENCE_STEP", 1)  # one document per step
    briefing, counting = _briefing(tmp_path)
    Indexer(briefing.store, counting).index([Document(id="convoy.txt", title="Convoy", text=CONVOY),
                                             Document(id="quake.txt", title="Quake", text=QUAKE)])
    assert briefing.store.sentences.versions() == {}, "indexed elsewhere: no vectors here"
    with TestClient(create_app(briefing.settings, briefing, fill_sentences=True)):
        deadline = time.monotonic() + 30
        while len(briefing.store.sentences.versions()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert set(briefing.store.sentences.versions()) == {"convoy.txt", "quake.txt"}
    assert sorted(counting.each) == sorted(
        [CONVOY[a:b] for a, b in sentence_spans(CONVOY)] + [QUAKE[a:b] for a, b in sentence_spans(QUAKE)]
    ), "each sentence embedded once"
