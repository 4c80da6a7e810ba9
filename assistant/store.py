"""The index in Chroma: the only module that imports chromadb.

Two collections hold all state, so replicas can share one Chroma server:

* ``<prefix>-passages``: one record per passage, with its embedding, its text, its span
  (``_doc``, ``_start``, ``_end``), the version of the document it belongs to
  (``_ver``) and the document's filterable metadata.
* ``<prefix>-documents``: one record per document, with the full text and metadata.
  Writing it is the commit point of a document version.

A changed document is replaced without a window where it is missing: new passages
are written under a new version, then the document record, then the old passages
are deleted. Passages whose version is not the committed one are invisible to
readers and swept by the next ingest, so a run killed at any point leaves the index
consistent. A ``generation`` stamp in the documents collection's metadata tells
readers when to reload their caches.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from assistant.errors import IndexUnavailable, NotFound
from assistant.sentence_vectors import FILE_NAME as SENTENCE_FILE
from assistant.sentence_vectors import SentenceVectors, version_of
from assistant.types import Document, DocumentInfo, MetadataValue, Passage

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from assistant.settings import Settings

log = logging.getLogger(__name__)

RESERVED = ("_doc", "_start", "_end", "_ver")


def unstorable(doc: Document) -> str | None:
    """Why Chroma would refuse ``doc``'s metadata, or None.

    Chroma refuses empty keys and keys starting with "$" or "#", which it reserves.
    """
    for key in doc.metadata:
        if not key.strip() or key.startswith(("$", "#")):
            return (
                f"document {doc.id!r} has the metadata key {key!r}: keys must be non-empty and "
                "must not start with '$' or '#'; rename it"
            )
    return None
_BATCH = 2000


_OPEN_LOCK = threading.Lock()
"""Chroma's shared-system registry is not safe to enter from two threads at once for one
path (the service's warm-up thread and its first request did): clients are made one at a time."""


def _client(settings: Settings) -> ClientAPI:
    with _OPEN_LOCK:
        return _new_client(settings)


def _new_client(settings: Settings) -> ClientAPI:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if settings.chroma_url:
            url = urlparse(settings.chroma_url)
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
    except Exception as exc:  # chromadb raises many types; all mean the same to the caller
        where = settings.chroma_url or settings.index_dir
        raise IndexUnavailable(f"cannot open the index at {where}: {exc}") from exc


def _no_embedding_function() -> Any:
    """An embedding function that refuses: Chroma's default would download a model."""
    from chromadb import EmbeddingFunction

    class SuppliedEmbeddings(EmbeddingFunction):  # type: ignore[type-arg]
        def __init__(self) -> None:
            pass

        def __call__(self, input: Any) -> Any:  # noqa: A002 - Chroma's signature
            raise RuntimeError("the briefing index always supplies its own embeddings")

        @staticmethod
        def name() -> str:
            return "briefing-supplied"

        def get_config(self) -> dict[str, Any]:
            return {}

        @staticmethod
        def build_from_config(config: dict[str, Any]) -> SuppliedEmbeddings:
            return SuppliedEmbeddings()

    return SuppliedEmbeddings()


def _doc_metadata(doc: Document, passages: int) -> dict[str, MetadataValue]:
    return {
        "title": doc.title,
        "source": doc.source,
        "published": doc.published,
        "hash": doc.content_hash,
        "passages": passages,
        "meta": json.dumps(doc.metadata, sort_keys=True),
    }


def _info(doc_id: str, meta: dict[str, Any]) -> DocumentInfo:
    return DocumentInfo(
        id=doc_id,
        title=str(meta.get("title", doc_id)),
        source=str(meta.get("source", "")),
        published=str(meta.get("published", "")),
        metadata=json.loads(str(meta.get("meta", "{}"))),
        passages=int(meta.get("passages", 0)),
        content_hash=str(meta.get("hash", "")),
    )


class ChromaStore:
    """Passages and documents in Chroma, embedded or on a server."""

    def __init__(self, settings: Settings) -> None:
        """Connect lazily: nothing is opened until first use."""
        self._settings = settings
        self._client_: ClientAPI | None = None
        self._passages_: Collection | None = None
        self._documents_: Collection | None = None
        self._open_lock = threading.Lock()
        self.sentences = SentenceVectors(settings.index_dir / SENTENCE_FILE)
        """The sentence vectors kept beside the index (see :mod:`assistant.sentence_vectors`)."""

    # -- connection ---------------------------------------------------------------------
    def _open(self) -> None:
        with self._open_lock:
            if self._client_ is None:
                self._connect()

    def _connect(self) -> None:
        client = _client(self._settings)
        prefix = self._settings.collection
        function = _no_embedding_function()
        try:
            self._passages_ = client.get_or_create_collection(
                f"{prefix}-passages", embedding_function=function, configuration={"hnsw": {"space": "cosine"}}
            )
            self._documents_ = client.get_or_create_collection(
                f"{prefix}-documents", embedding_function=function, metadata={"generation": "0"}
            )
        except Exception as exc:
            raise IndexUnavailable(f"cannot open the index collections: {exc}") from exc
        self._client_ = client

    @property
    def passages(self) -> Collection:
        """The passages collection."""
        if self._passages_ is None:
            self._open()
        assert self._passages_ is not None
        return self._passages_

    @property
    def documents(self) -> Collection:
        """The documents collection."""
        if self._documents_ is None:
            self._open()
        assert self._documents_ is not None
        return self._documents_

    def ping(self) -> bool:
        """Whether the store answers (for readiness checks)."""
        try:
            self.documents.count()
        except Exception:  # noqa: BLE001 - any failure means not ready
            return False
        return True

    # -- reading ------------------------------------------------------------------------
    def generation(self) -> str:
        """Changes whenever a document is committed or deleted."""
        meta = self._fresh_documents_collection().metadata or {}
        return str(meta.get("generation", "0"))

    def _fresh_documents_collection(self) -> Collection:
        # Collection metadata is cached client-side: re-read it to see other writers.
        if self._client_ is None:
            self._open()
        assert self._client_ is not None
        return self._client_.get_collection(
            f"{self._settings.collection}-documents", embedding_function=_no_embedding_function()
        )

    def document_infos(self) -> dict[str, DocumentInfo]:
        """Every committed document, without texts."""
        infos: dict[str, DocumentInfo] = {}
        total = self.documents.count()
        for offset in range(0, total, _BATCH):
            got = self.documents.get(include=["metadatas"], limit=_BATCH, offset=offset)
            for doc_id, meta in zip(got["ids"], got["metadatas"] or [], strict=True):
                infos[doc_id] = _info(doc_id, dict(meta or {}))
        return infos

    def document_infos_of(self, doc_ids: Sequence[str]) -> dict[str, DocumentInfo]:
        """The committed documents among ``doc_ids``, without texts."""
        if not doc_ids:
            return {}
        got = self.documents.get(ids=list(dict.fromkeys(doc_ids)), include=["metadatas"])
        rows = zip(got["ids"], got["metadatas"] or [], strict=True)
        return {doc_id: _info(doc_id, dict(meta or {})) for doc_id, meta in rows}

    def get_document(self, doc_id: str) -> Document:
        """The committed document with its full text."""
        found = self.get_documents([doc_id])
        if doc_id not in found:
            raise NotFound(f"no document with id {doc_id!r}; list ids with GET /v1/documents")
        return found[doc_id]

    def get_documents(self, doc_ids: list[str]) -> dict[str, Document]:
        """The committed documents among ``doc_ids``, with their full texts, in one read."""
        got = self.documents.get(ids=list(dict.fromkeys(doc_ids)), include=["metadatas", "documents"])
        out: dict[str, Document] = {}
        rows = zip(got["ids"], got["metadatas"] or [], got["documents"] or [], strict=True)
        for doc_id, meta, text in rows:
            info = _info(doc_id, dict(meta or {}))
            out[doc_id] = Document(id=doc_id, title=info.title, text=text or "", source=info.source,
                                   published=info.published, metadata=info.metadata)
        return out

    def iter_passages(self) -> Iterator[tuple[str, Passage, str]]:
        """Every stored passage as ``(id, passage, version)``, committed or not."""
        total = self.passages.count()
        for offset in range(0, total, _BATCH):
            got = self.passages.get(include=["metadatas", "documents"], limit=_BATCH, offset=offset)
            metas = got["metadatas"] or []
            texts = got["documents"] or []
            for pid, meta, text in zip(got["ids"], metas, texts, strict=True):
                yield pid, _passage(meta, text), str(meta["_ver"])

    def query(self, vector: np.ndarray, k: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """Nearest passages as ``(id, cosine similarity)``, best first."""
        result = self.passages.query(
            query_embeddings=[vector.tolist()], n_results=k, where=where or None, include=["distances"]
        )
        ids = result["ids"][0]
        distances = (result["distances"] or [[]])[0]
        return [(pid, 1.0 - float(d)) for pid, d in zip(ids, distances, strict=True)]

    # -- writing ------------------------------------------------------------------------
    def write_passages(self, doc: Document, passages: Sequence[Passage], vectors: np.ndarray) -> None:
        """Add a document version's passages (not yet visible: see :meth:`commit`)."""
        version = version_of(doc.content_hash)
        filterable = {k: v for k, v in doc.metadata.items() if k not in RESERVED}
        for lo in range(0, len(passages), _BATCH):
            chunk = passages[lo : lo + _BATCH]
            self.passages.upsert(
                ids=[passage_id(p, version) for p in chunk],
                embeddings=vectors[lo : lo + _BATCH],
                documents=[p.text for p in chunk],
                metadatas=[
                    {**filterable, "_doc": p.document_id, "_start": p.start, "_end": p.end, "_ver": version}
                    for p in chunk
                ],
            )

    def commit(self, doc: Document, passages: int) -> None:
        """Make a document version visible, then drop its other versions' passages."""
        self.documents.upsert(
            ids=[doc.id],
            documents=[doc.text],
            metadatas=[_doc_metadata(doc, passages)],
            embeddings=np.zeros((1, 1), dtype=np.float32),
        )
        self.sweep(doc.id, keep=version_of(doc.content_hash))

    def sweep(self, doc_id: str, keep: str | None) -> None:
        """Delete a document's passages of any version but ``keep`` (all when None)."""
        where: dict[str, Any] = {"_doc": doc_id}
        if keep is not None:
            where = {"$and": [{"_doc": doc_id}, {"_ver": {"$ne": keep}}]}
        self.passages.delete(where=where)
        self.sentences.sweep(doc_id, keep)

    def delete_document(self, doc_id: str) -> None:
        """Remove a document and its passages."""
        if not self.documents.get(ids=[doc_id], include=[])["ids"]:
            raise NotFound(f"no document with id {doc_id!r}")
        self.documents.delete(ids=[doc_id])
        self.sweep(doc_id, keep=None)

    def bump_generation(self) -> None:
        """Tell readers that committed content changed."""
        self._fresh_documents_collection().modify(metadata={"generation": uuid.uuid4().hex})


def passage_id(passage: Passage, version: str) -> str:
    """Id of a passage in the index: document, version and span."""
    return f"{passage.document_id}@{version}:{passage.start}-{passage.end}"


def _passage(meta: Any, text: str | None) -> Passage:
    return Passage(
        document_id=str(meta["_doc"]), start=int(meta["_start"]), end=int(meta["_end"]), text=text or ""
    )
