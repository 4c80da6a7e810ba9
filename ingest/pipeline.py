"""Write documents into the index: idempotent, atomic per document, resumable.

``ingest_paths`` is what ``briefing ingest`` runs; ``Indexer.index`` is what the HTTP
upload calls. An unchanged document (same content hash as the committed version)
costs one dictionary lookup. Changed documents are embedded in batches across
documents, and each is committed only after all its passages are written (see
``assistant.store`` for why a killed run leaves the index consistent).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.embeddings import Embedder
from assistant.errors import BriefingError
from assistant.sentence_vectors import version_of
from assistant.sentences import sentence_spans
from assistant.store import ChromaStore, unstorable
from assistant.types import Document, DocumentInfo, Passage
from ingest.loaders import LoadFailure, discover, load_file
from ingest.passages import split_into_passages

log = logging.getLogger(__name__)
Outcome = Literal["added", "updated", "unchanged", "removed"]
_EMBED_BATCH = 256
_BATCH_CHARS = 200_000
_SENTENCE_DOCS = 16
"""Documents whose sentences are embedded in one call."""


@dataclass
class IngestSummary:
    """What an ingest run did."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    """Document id -> what happened to it."""
    failures: list[LoadFailure] = field(default_factory=list)
    """Files or lines that could not be read, with the reason."""
    passages: int = 0
    """Passages written (unchanged documents write none)."""
    chars: int = 0
    """Characters of the documents written."""
    seconds: float = 0.0
    """Wall-clock time of the run."""
    notes: list[str] = field(default_factory=list)
    """Remarks for the user, e.g. why pruning was skipped."""

    def count(self, outcome: Outcome) -> int:
        """How many documents had ``outcome``."""
        return sum(1 for o in self.outcomes.values() if o == outcome)

    def line(self) -> str:
        """The one-line summary the CLI prints."""
        return (
            f"{self.count('added')} added, {self.count('updated')} updated, "
            f"{self.count('unchanged')} unchanged, {self.count('removed')} removed, "
            f"{len(self.failures)} failed; {self.passages} passages in {self.seconds:.1f} s"
        )


class Indexer:
    """Embeds and commits documents into a store."""

    def __init__(
        self, store: ChromaStore, embedder: Embedder, passage_tokens: int = 128,
        committed: dict[str, DocumentInfo] | None = None,
    ) -> None:
        """Wrap a store and an embedder.

        ``committed``: the committed documents, when the caller knows them already (a
        service's retrieval snapshot); else they are read on first use.
        """
        self.store = store
        self.embedder = embedder
        self.passage_tokens = passage_tokens
        self._committed = committed

    def committed(self) -> dict[str, DocumentInfo]:
        """The committed documents, read once per indexer."""
        if self._committed is None:
            self._committed = self.store.document_infos()
        return self._committed

    def index(
        self,
        documents: Iterable[Document],
        summary: IngestSummary | None = None,
        on_document: Callable[[], None] | None = None,
    ) -> IngestSummary:
        """Add or update ``documents``; unchanged ones are skipped.

        Writing a batch to the store overlaps with embedding the next one (one writer
        thread, batches committed in order), since the model and Chroma each leave a
        core idle while the other works.
        """
        summary = summary or IngestSummary()
        batch: list[tuple[Document, Outcome]] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-writer") as writer:
            pending: Future[None] | None = None
            for doc in documents:
                known = self.committed().get(doc.id)
                if known is not None and known.content_hash == doc.content_hash:
                    summary.outcomes[doc.id] = "unchanged"
                else:
                    batch.append((doc, "added" if known is None else "updated"))
                if sum(len(d.text) for d, _ in batch) > _BATCH_CHARS:
                    pending = self._hand_over(writer, pending, batch, summary)
                    batch = []
                if on_document:
                    on_document()
            pending = self._hand_over(writer, pending, batch, summary)
            if pending is not None:
                pending.result()
        return summary

    def _hand_over(
        self,
        writer: ThreadPoolExecutor,
        pending: Future[None] | None,
        batch: list[tuple[Document, Outcome]],
        summary: IngestSummary,
    ) -> Future[None] | None:
        """Embed ``batch`` here, then queue its write once the previous write is done."""
        if not batch:
            return pending
        split, vectors = self._embed(batch)
        if pending is not None:
            pending.result()  # re-raises a failed write before anything else is committed
        return writer.submit(self._store, batch, split, vectors, summary)

    def _embed(self, batch: list[tuple[Document, Outcome]]) -> tuple[list[list[Passage]], np.ndarray]:
        split = [
            split_into_passages(doc, self.embedder.count_tokens, target=self.passage_tokens) for doc, _ in batch
        ]
        texts = [p.text for passages in split for p in passages]
        vectors = np.concatenate(
            [self.embedder.embed(texts[i : i + _EMBED_BATCH]) for i in range(0, len(texts), _EMBED_BATCH)]
            or [np.zeros((0, self.embedder.dimension), dtype=np.float32)]
        )
        return split, vectors

    def _store(
        self,
        batch: list[tuple[Document, Outcome]],
        split: list[list[Passage]],
        vectors: np.ndarray,
        summary: IngestSummary,
    ) -> None:
        offset = 0
        for (doc, outcome), passages in zip(batch, split, strict=True):
            self.store.write_passages(doc, passages, vectors[offset : offset + len(passages)])
            offset += len(passages)
            self.store.commit(doc, len(passages))
            self.committed()[doc.id] = DocumentInfo(
                id=doc.id, title=doc.title, content_hash=doc.content_hash, passages=len(passages)
            )
            summary.outcomes[doc.id] = outcome
            summary.passages += len(passages)
            summary.chars += len(doc.text)
        self.store.bump_generation()

    def without_sentences(self, only: Sequence[str] | None = None) -> list[str]:
        """Committed documents (of ``only``, when given) whose sentences are not all stored."""
        stored = self.store.sentences.versions()
        infos = self.committed() if only is None else self.store.document_infos_of(only)
        return [i for i, info in infos.items() if stored.get(i) != version_of(info.content_hash)]

    def embed_sentences(self, only: Sequence[str] | None = None) -> int:
        """Embed and store the sentences of committed documents that have none stored yet.

        Of ``only`` these ids, when given; returns how many sentences were embedded.

        Each sentence is embedded alone, as an answer embeds one it finds no vector for, so
        answers read the very vectors they would make and only save the time. Run once
        documents are committed: they are searchable and answerable before it ends.
        """
        todo = self.without_sentences(only)
        embedded = 0
        for lo in range(0, len(todo), _SENTENCE_DOCS):
            docs = self.store.get_documents(todo[lo : lo + _SENTENCE_DOCS])
            spans = {doc_id: sentence_spans(doc.text) for doc_id, doc in docs.items()}
            texts = [doc.text[a:b] for doc_id, doc in docs.items() for a, b in spans[doc_id]]
            vectors = self.embedder.embed_each(texts)
            at = 0
            for doc_id, doc in docs.items():
                own = spans[doc_id]
                rows = vectors[at : at + len(own)]
                self.store.sentences.put(doc_id, version_of(doc.content_hash), own, rows)
                at += len(own)
            embedded += len(texts)
        return embedded

    def remove(self, doc_ids: Sequence[str], summary: IngestSummary) -> None:
        """Delete documents and their passages."""
        for doc_id in doc_ids:
            self.store.delete_document(doc_id)
            self.committed().pop(doc_id, None)
            summary.outcomes[doc_id] = "removed"
        if doc_ids:
            self.store.bump_generation()


def ingest_paths(indexer: Indexer, paths: Sequence[Path], prune: bool = False) -> IngestSummary:
    """Ingest files and folders; with ``prune``, drop indexed documents whose files are gone."""
    started = time.perf_counter()
    summary = IngestSummary()
    sources, failures = discover(paths)
    summary.failures.extend(failures)
    progress = _progress(len(sources))
    seen: set[str] = set()

    def documents() -> Iterable[Document]:
        for source in sources:
            try:
                result = load_file(source)
            except BriefingError as exc:
                summary.failures.append(LoadFailure(str(source.path), str(exc)))
                progress(1)
                continue
            summary.failures.extend(result.failures)
            for doc in result.documents:
                problem = unstorable(doc) or (f"duplicate document id {doc.id!r}" if doc.id in seen else None)
                if problem:
                    summary.failures.append(LoadFailure(str(source.path), problem))
                    continue
                seen.add(doc.id)
                yield doc
            progress(1)

    indexer.index(documents(), summary)
    if prune:
        if summary.failures:
            summary.notes.append("--prune skipped: some files failed, so their documents are kept")
        else:
            gone = sorted(set(indexer.committed()) - seen)
            indexer.remove(gone, summary)
    summary.seconds = time.perf_counter() - started
    return summary


def _progress(total: int) -> Callable[[int], None]:
    """A tqdm bar on a terminal, nothing otherwise."""
    if not sys.stderr.isatty() or total < 2:
        return lambda n: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="file", file=sys.stderr, leave=False)
    return lambda n: bar.update(n)
