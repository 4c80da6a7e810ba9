"""Hybrid retrieval: dense (Chroma) and lexical (BM25), fused by reciprocal rank.

Readers keep a snapshot of the committed passages (ids, spans, texts, BM25 weights)
and of the documents' metadata. The snapshot is rebuilt when the store's generation
stamp changes, checked at most once per ``refresh_seconds``, so a replica sees what
another one ingested. Passages of uncommitted versions never reach a caller.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant import snapshot_cache
from assistant.embeddings import Embedder
from assistant.filters import Filters
from assistant.lexical import BM25Index, best_rows, terms
from assistant.sentence_vectors import version_of
from assistant.store import ChromaStore
from assistant.types import DocumentInfo, Evidence, Passage

log = logging.getLogger(__name__)
RRF_K = 60


@dataclass
class Snapshot:
    """What a reader knows of the committed index at one generation."""

    generation: str
    documents: dict[str, DocumentInfo]
    ids: list[str] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    row_of: dict[str, int] = field(default_factory=dict)
    rows_of_document: dict[str, np.ndarray] = field(default_factory=dict)
    lexical: BM25Index | None = None
    _headers: tuple[dict[str, set[str]], dict[str, set[str]]] | None = field(default=None, repr=False)
    _introduced: dict[str, list[int]] | None = field(default=None, repr=False)

    @classmethod
    def load(cls, store: ChromaStore) -> Snapshot:
        """Read every committed passage and build the lexical index."""
        generation = store.generation()
        documents = store.document_infos()
        committed = {doc_id: version_of(info.content_hash) for doc_id, info in documents.items()}
        snap = cls(generation=generation, documents=documents)
        ids, passages = [], []
        for pid, passage, version in store.iter_passages():
            if committed.get(passage.document_id) == version:
                ids.append(pid)
                passages.append(passage)
        snap.index_passages(ids, passages)
        snap.lexical = BM25Index([p.text for p in snap.passages])
        return snap

    def index_passages(self, ids: list[str], passages: list[Passage]) -> None:
        """Hold ``passages`` (row ``i`` is ``ids[i]``), with the lookups by id and by document."""
        by_doc: dict[str, list[int]] = {}
        for row, passage in enumerate(passages):
            by_doc.setdefault(passage.document_id, []).append(row)
        self.ids, self.passages = ids, passages
        self.row_of = {pid: row for row, pid in enumerate(ids)}
        self.rows_of_document = {d: np.asarray(rows, dtype=np.int64) for d, rows in by_doc.items()}

    def named(
        self, query: str, filters: Filters, speakers: tuple[str, ...] = ()
    ) -> list[tuple[str, list[str], np.ndarray]]:
        """For each rare term of ``query`` in a speaker's name: it, their documents and a mask of them.

        "What did Modi say ...?" names the speaker of a speech that may never say "Modi".
        The question's ``speakers`` (terms) also name the country a speaker serves: "What
        did India warn ...?" asks for the speech of India's prime minister, while "India" in
        another question is a topic. Title words are left out: they name topics ("Taliban
        resurgence"), and boosting a topic's documents crowds out the rest.
        """
        if self._headers is None:
            self._headers = ({}, {})
            for doc_id, info in self.documents.items():
                speaker = re.sub(r"\s*\([^)]*\)", "", str(info.metadata.get("speaker", "")))  # "(caretaker)"
                name = speaker.split(",", 1)[0]
                country = re.findall(r"\bof\s+(?:the\s+)?([A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)\W*$", speaker)
                for term in terms(name):
                    self._headers[0].setdefault(term, set()).add(doc_id)
                for term in terms(" ".join(country)):
                    self._headers[1].setdefault(term, set()).add(doc_id)
        names, countries = self._headers
        rare = max(3, len(self.documents) // 500)
        allowed = self.allowed(filters)
        masks = []
        wanted = [(t, names) for t in dict.fromkeys(terms(query))] + [(t, countries) for t in speakers]
        for term, headers in wanted:
            docs = [d for d in sorted(headers.get(term, ())) if d in self.rows_of_document]
            if docs and len(docs) <= rare:
                mask = np.zeros(len(self.ids), dtype=bool)
                mask[np.concatenate([self.rows_of_document[d] for d in docs])] = True
                masks.append((term, docs, mask if allowed is None else mask & allowed))
        return masks

    def introducing(self, acronym: str) -> list[int]:
        """Rows of the passages that spell out ``acronym``: "Tehreek-e-Taliban Pakistan (TTP)".

        Indexed on first use, once per snapshot.
        """
        if self._introduced is None:
            found: dict[str, list[int]] = {}
            for row, passage in enumerate(self.passages):
                text = passage.text
                spelled = (m for m in _INTRODUCED.finditer(text) if _AFTER_WORD.match(text[: m.start()][-2:]))
                for short in dict.fromkeys(m.group(1) for m in spelled):
                    found.setdefault(short.lower(), []).append(row)
            self._introduced = found
        return self._introduced.get(acronym.lower(), [])

    def allowed(self, filters: Filters) -> np.ndarray | None:
        """Boolean mask of the rows that pass ``filters`` (None when all do)."""
        if filters.empty:
            return None
        mask = np.zeros(len(self.ids), dtype=bool)
        for doc_id, info in self.documents.items():
            if filters.matches(info) and doc_id in self.rows_of_document:
                mask[self.rows_of_document[doc_id]] = True
        return mask


_INTRODUCED = re.compile(r"\(([A-Z][A-Za-z&-]{1,11})\)")
_AFTER_WORD = re.compile(r"[\w’'-]\s$")
"""An acronym in brackets, after the words it abbreviates (a plain scan: 0.1 s for 70,000 passages)."""


def _and(clause: dict[str, Any], where: dict[str, Any] | None) -> dict[str, Any]:
    return {"$and": [clause, where]} if where else clause


def fuse(dense: list[tuple[int, float]], lexical: list[tuple[int, float]]) -> dict[int, float]:
    """Reciprocal-rank fusion, with the lexical side weighted by its score margin.

    Plain RRF only sees ranks, so a passage that alone contains a rare exact name
    ("ISIL-K": BM25 four times the runner-up) loses to passages the dense side likes.
    Scaling the lexical term by score / best score keeps that margin.
    """
    fused: dict[int, float] = {}
    for rank, (row, _) in enumerate(dense):
        fused[row] = 1.0 / (RRF_K + rank + 1)
    best = lexical[0][1] if lexical else 0.0
    for row, score in lexical:
        fused[row] = fused.get(row, 0.0) + (score / best) / (RRF_K + 1)
    return fused


class Retriever:
    """Search the index; safe to share between threads."""

    def __init__(
        self, store: ChromaStore, embedder: Embedder, refresh_seconds: float = 1.0,
        cache: tuple[Path, str] | None = None,
    ) -> None:
        """Wrap a store and an embedder; nothing is loaded until first use.

        ``cache`` is (directory, collection) for a local copy of the snapshot that makes
        restarts quick.
        """
        self.store = store
        self.embedder = embedder
        self._cache = cache
        self._refresh_seconds = refresh_seconds
        self._snapshot: Snapshot | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()

    def snapshot(self) -> Snapshot:
        """The current snapshot, reloaded if another writer changed the index."""
        now = time.monotonic()
        snap = self._snapshot
        if snap is not None and now - self._checked_at < self._refresh_seconds:
            return snap
        with self._lock:
            generation = self.store.generation()
            self._checked_at = time.monotonic()
            if self._snapshot is None or self._snapshot.generation != generation:
                started = time.perf_counter()
                cached = snapshot_cache.read(*self._cache, generation) if self._cache else None
                self._snapshot = cached or Snapshot.load(self.store)
                if self._cache and not cached and self._snapshot.generation not in ("", "0"):
                    try:
                        snapshot_cache.save(self._snapshot, *self._cache)
                    except OSError as exc:
                        log.warning("could not write the snapshot cache", extra={"error": str(exc)})
                log.info(
                    "index snapshot loaded",
                    extra={"passages": len(self._snapshot.ids), "seconds": time.perf_counter() - started,
                           "from_cache": bool(cached)},
                )
            return self._snapshot

    def embed_query(self, query: str) -> np.ndarray:
        """The query's vector, computed once for retrieval and sentence scoring alike."""
        with self._lock:
            cached = self._queries.get(query)
        if cached is None:
            cached = self.embedder.embed([query])[0]
            with self._lock:
                self._queries[query] = cached
                while len(self._queries) > 256:
                    self._queries.popitem(last=False)
        return cached

    @property
    def loaded(self) -> bool:
        """Whether a snapshot is in memory, so a first question will not wait for one."""
        return self._snapshot is not None

    def invalidate(self) -> None:
        """Force a reload on next use (after this process wrote to the index)."""
        with self._lock:
            self._checked_at = 0.0

    def warm(self) -> None:
        """Load the model and the snapshot now, e.g. at service start."""
        self.embedder.embed(["warm up"])
        self.snapshot()

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, speakers: tuple[str, ...] = ()
    ) -> list[Evidence]:
        """The ``k`` best passages for ``query``, fused from dense and lexical rankings.

        ``speakers``: terms of whom the question asks about as a speaker (see ``Snapshot.named``).
        """
        filters = filters or Filters()
        snap = self.snapshot()
        if not snap.ids:
            return []
        vector = self.embed_query(query)
        pool = max(3 * k, 30)
        dense = [
            (snap.row_of[pid], sim)
            for pid, sim in self.store.query(vector, pool, filters.where())
            if pid in snap.row_of
        ]
        assert snap.lexical is not None
        scores = snap.lexical.scores(query)
        lexical = best_rows(scores, pool, snap.allowed(filters))
        fused = fuse(dense, lexical)
        for term, docs, named in snap.named(query, filters, speakers):  # the best passages of those named
            within = scores - snap.lexical.term_scores(term)  # by the rest of the query: all say "India"
            closest = self.store.query(vector, 3, _and({"_doc": {"$in": docs}}, filters.where()))
            nearest = [(snap.row_of[p], s) for p, s in closest if p in snap.row_of]
            for ranked in (best_rows(within, 3, named), nearest):
                for rank, (row, _) in enumerate(ranked):
                    fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda row: -fused[row])[:k]
        return self._evidence(snap, vector, best, fused, dict(dense), dict(lexical))

    def introducing(self, acronym: str, query: str, k: int, filters: Filters | None = None) -> list[Evidence]:
        """The first ``k`` passages that spell out ``acronym`` ("What is the TTP?")."""
        snap = self.snapshot()
        allowed = snap.allowed(filters or Filters())
        rows = [row for row in snap.introducing(acronym) if allowed is None or allowed[row]][:k]
        return self._evidence(snap, self.embed_query(query), rows, {}, {}, {}) if rows else []

    def contrary(
        self, opposed: set[str], names: set[str], query: str, k: int, filters: Filters | None = None
    ) -> list[Evidence]:
        """The ``k`` passages that best say the ``opposed`` terms of the ``names``.

        Ranked by BM25 of those index terms alone, among passages with one of ``opposed``:
        "Is India an inclusive democracy?" finds "oppression of India's Muslims" in another speech.
        """
        snap = self.snapshot()
        assert snap.lexical is not None
        zero = np.zeros(len(snap.ids), dtype=np.float32)
        saying = sum((snap.lexical.term_scores(t) for t in opposed), zero)
        allowed = snap.allowed(filters or Filters())
        mask = saying > 0 if allowed is None else (saying > 0) & allowed
        about = sum((snap.lexical.term_scores(t) for t in names), zero)
        rows = [row for row, _ in best_rows(saying + about, k, mask)]
        return self._evidence(snap, self.embed_query(query), rows, {}, {}, {}) if rows else []

    def _evidence(
        self, snap: Snapshot, vector: np.ndarray, rows: list[int], fused: dict[int, float],
        dense_of: dict[int, float], lexical_of: dict[int, float],
    ) -> list[Evidence]:
        """``rows`` as evidence, with the query's similarity to those the dense side did not score."""
        missing = [row for row in rows if row not in dense_of]
        if missing:
            dense_of.update(self._similarities(vector, [snap.ids[r] for r in missing], missing))
        return [
            Evidence(
                passage=snap.passages[row],
                document=snap.documents[snap.passages[row].document_id],
                score=fused.get(row, 0.0),
                dense_score=dense_of.get(row, 0.0),
                lexical_score=lexical_of.get(row, 0.0),
            )
            for row in rows
        ]

    def _similarities(self, vector: np.ndarray, ids: list[str], rows: list[int]) -> dict[int, float]:
        """Cosine similarity of the query to passages found only lexically."""
        try:
            got = self.store.passages.get(ids=ids, include=["embeddings"])
        except Exception:  # noqa: BLE001 - e.g. replaced by another writer since the snapshot
            log.warning("could not read passage vectors; ranking those passages lexically only")
            return {}
        sims: dict[int, float] = {}
        row_of_id = dict(zip(ids, rows, strict=True))
        embeddings = got["embeddings"] if got["embeddings"] is not None else []
        for pid, emb in zip(got["ids"], embeddings, strict=True):
            sims[row_of_id[pid]] = float(np.dot(vector, np.asarray(emb, dtype=np.float32)))
        return sims
