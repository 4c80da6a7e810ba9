"""The local snapshot cache: a restart reads it, a new ingest makes it stale, damage is survived."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from assistant.briefing import Briefing
from assistant.retrieval import Snapshot
from assistant.settings import Settings
from assistant.types import Document
from ingest.pipeline import Indexer

QUERY = "Does the Red Brigade operate in Freedonia?"
DOCS = [
    Document(id="a.txt", title="A", text="The Red Brigade operates inside Freedonia. The harvest was good."),
    Document(id="b.txt", title="B", text="Estland denied that the Red Brigade operates inside Freedonia."),
    Document(id="c.txt", title="C", text="The river ports of Sylvania reopened after the floods."),
]


def _index(settings: Settings, docs: list[Document]) -> None:
    b = Briefing(settings)
    Indexer(b.store, b.embedder).index(docs)


def _ranking(b: Briefing) -> list[tuple[str, int, int]]:
    return [(e.passage.document_id, e.passage.start, e.passage.end) for e in b.retriever.search(QUERY, k=5)]


def _no_store_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(store: object) -> Snapshot:
        raise AssertionError("the snapshot should have come from the cache")

    monkeypatch.setattr(Snapshot, "load", classmethod(lambda cls, store: refuse(store)))


def test_a_restart_reads_the_cache_and_ranks_the_same(
    fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    _index(fake_settings, DOCS)
    first = Briefing(fake_settings)
    expected = _ranking(first)
    assert list((fake_settings.index_dir / "snapshot-cache").glob("*.json"))
    _no_store_reads(monkeypatch)
    restarted = Briefing(fake_settings)
    assert _ranking(restarted) == expected
    assert restarted.retriever.snapshot().lexical.idf("brigad") == first.retriever.snapshot().lexical.idf(
        "brigad"
    )


def test_a_new_ingest_makes_the_cache_stale(fake_settings: Settings) -> None:
    _index(fake_settings, DOCS[:2])
    assert {d for d, _, _ in _ranking(Briefing(fake_settings))} == {"a.txt", "b.txt"}
    _index(
        fake_settings,
        [Document(id="d.txt", title="D", text="Sylvania says the Red Brigade operates in Freedonia.")],
    )
    assert "d.txt" in {d for d, _, _ in _ranking(Briefing(fake_settings))}
    assert len(list((fake_settings.index_dir / "snapshot-cache").glob("*.json"))) == 1  # the old copy is gone


def test_a_damaged_cache_is_rebuilt_from_the_index(
    fake_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    _index(fake_settings, DOCS)
    expected = _ranking(Briefing(fake_settings))
    for path in (fake_settings.index_dir / "snapshot-cache").glob("*.npz"):
        path.write_bytes(b"not an npz file")
    with caplog.at_level(logging.WARNING):
        assert _ranking(Briefing(fake_settings)) == expected
    assert "snapshot cache unreadable" in caplog.text


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocked = tmp_path / "idx"
    settings = Settings(index_dir=blocked, embedder="fake")
    _index(settings, DOCS)
    (blocked / "snapshot-cache").write_text("a file where the directory should be")
    assert _ranking(Briefing(settings))


def test_a_tokenizer_change_makes_the_cache_stale(
    fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant import snapshot_cache

    _index(fake_settings, DOCS)
    _ranking(Briefing(fake_settings))
    monkeypatch.setattr(snapshot_cache, "_lexical_fingerprint", lambda: "0123456789ab")
    loads: list[object] = []
    real = Snapshot.load.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        Snapshot, "load", classmethod(lambda cls, store: loads.append(store) or real(cls, store))
    )
    assert _ranking(Briefing(fake_settings))
    assert loads  # rebuilt from the index, not read from the old copy


def test_a_store_opened_from_many_threads_at_once_opens_once(fake_settings: Settings) -> None:
    """The service's warm-up thread and its first requests reach a fresh store together."""
    from concurrent.futures import ThreadPoolExecutor

    _index(fake_settings, DOCS)
    fresh = Briefing(fake_settings)
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: sorted(fresh.store.document_infos()), range(16)))
    assert results == [["a.txt", "b.txt", "c.txt"]] * 16


def test_two_code_versions_on_one_index_keep_their_own_copies(
    fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second checkout (or a rolling upgrade) on the same index does not delete the first's
    copy at every start; a version's copy that nothing reads any more goes after a week."""
    import os
    import time

    from assistant import snapshot_cache

    cache = fake_settings.index_dir / "snapshot-cache"
    _index(fake_settings, DOCS)
    _ranking(Briefing(fake_settings))
    (first,) = cache.glob("*.json")
    monkeypatch.setattr(snapshot_cache, "_lexical_fingerprint", lambda: "0123456789ab")
    _ranking(Briefing(fake_settings))
    assert first.exists() and len(list(cache.glob("*.json"))) == 2  # both versions' copies
    monkeypatch.undo()
    _no_store_reads(monkeypatch)
    assert _ranking(Briefing(fake_settings))  # the first version still reads its own copy
    monkeypatch.undo()
    # The other version's copy, unread for more than a week, goes when a copy is next written.
    week_ago = time.time() - (snapshot_cache.UNUSED_DAYS + 1) * 86_400
    (other,) = (p for p in cache.glob("*.json") if p != first)
    os.utime(other, (week_ago, week_ago))
    _index(fake_settings, [Document(id="d.txt", title="D", text="The Red Brigade left Freedonia.")])
    _ranking(Briefing(fake_settings))
    names = [p.name for p in cache.glob("*")]
    assert not any(n.startswith(other.name.removesuffix(".json")) for n in names)
    assert not any(n.startswith(first.name.removesuffix(".json")) for n in names)  # an older generation
    assert len(list(cache.glob("*.json"))) == 1 and len(list(cache.glob("*.npz"))) == 1
