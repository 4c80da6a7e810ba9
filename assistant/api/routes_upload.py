"""``POST /v1/documents``: add or update documents (scope ``admin``).

The body is either ``multipart/form-data`` with one or more files (any format ingest
reads: .txt .md .html .pdf .docx .jsonl) or ``application/json`` with one document.
Each file is loaded on its own: a broken one is rejected with its reason while the
others are stored. The upload is searchable when the request returns. Size limits are
enforced before the body is read (see :mod:`assistant.api.limits`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from threading import Lock
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from assistant.api.auth import require
from assistant.api.deps import BriefingDep, index_lock
from assistant.api.errors import ERROR_RESPONSES, ErrorBody
from assistant.briefing import Briefing
from assistant.embeddings import for_background
from assistant.errors import BadDocument, InputError, UnsupportedFormat
from assistant.store import unstorable
from assistant.types import Document, MetadataValue
from ingest.loaders import SUPPORTED_SUFFIXES, load_bytes
from ingest.pipeline import Indexer

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=ERROR_RESPONSES)
MAX_FILES = 1000
"""Files accepted in one multipart request."""


class DocumentIn(BaseModel):
    """One document sent as JSON."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        default=None, min_length=1, max_length=512, description="Document id; default 'upload-' + text hash."
    )
    title: str = Field(default="", max_length=1000, description="Title; default the id.")
    text: str = Field(min_length=1, description="The full text; citations are offsets into it.")
    source: str = Field(default="", max_length=2000, description="Where it comes from (URL or publisher).")
    published: str = Field(default="", max_length=200, description="Publication date, e.g. 2024-05-01.")
    metadata: dict[str, MetadataValue] = Field(default_factory=dict, description="Filterable metadata.")


class UploadItem(BaseModel):
    """What happened to one uploaded document or file."""

    filename: str = Field(
        description="The file name (JSONL: 'name.jsonl:LINE'; a JSON body: 'document.json')."
    )
    id: str | None = Field(default=None, description="The stored document id; null when rejected.")
    outcome: Literal["added", "updated", "unchanged", "rejected"] = Field(description="What happened.")
    reason: str | None = Field(default=None, description="Why it was rejected, and how to fix it.")


class UploadResult(BaseModel):
    """The stored ids and what happened to each document and file."""

    ids: list[str] = Field(description="Ids of the documents now in the index (added, updated or unchanged).")
    documents: list[UploadItem] = Field(
        description="One entry per document, then one per rejected file or line."
    )


@dataclass
class _Loaded:
    documents: list[tuple[str, Document]] = field(default_factory=list)
    rejected: list[UploadItem] = field(default_factory=list)
    unsupported: int = 0


_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                    },
                    "required": ["files"],
                }
            },
            "application/json": {"schema": DocumentIn.model_json_schema()},
        },
    }
}


def _reject(loaded: _Loaded, filename: str, exc: InputError) -> None:
    loaded.rejected.append(UploadItem(filename=filename, outcome="rejected", reason=str(exc)))
    loaded.unsupported += isinstance(exc, UnsupportedFormat)


def _load_files(files: list[tuple[str, bytes]]) -> _Loaded:
    """Load each file on its own; a duplicate id is rejected after its first use."""
    loaded = _Loaded()
    seen: set[str] = set()
    for name, data in files:
        try:
            result = load_bytes(name, data)
        except InputError as exc:
            _reject(loaded, name, exc)
            continue
        for doc in result.documents:
            problem = unstorable(doc)
            if problem or doc.id in seen:
                _reject(
                    loaded, name, BadDocument(problem or f"duplicate document id {doc.id!r} in this upload")
                )
            else:
                seen.add(doc.id)
                loaded.documents.append((name, doc))
        for failure in result.failures:
            loaded.rejected.append(
                UploadItem(filename=failure.path, outcome="rejected", reason=failure.reason)
            )
    return loaded


def _load_json(body: bytes) -> _Loaded:
    """One document from a JSON body, through the JSONL loader so that it is normalized the same way."""
    try:
        doc_in = DocumentIn.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors(include_url=False, include_context=False)) from exc
    doc_id = doc_in.id or "upload-" + hashlib.sha256(doc_in.text.encode()).hexdigest()[:16]
    line = json.dumps({**doc_in.model_dump(exclude={"id"}), "id": doc_id}, ensure_ascii=False)
    loaded = _load_files([("document.jsonl", line.encode())])
    loaded.documents = [("document.json", doc) for _, doc in loaded.documents]
    for item in loaded.rejected:
        item.filename = "document.json"
    return loaded


async def _read_files(request: Request) -> list[tuple[str, bytes]]:
    """The file parts of a multipart body, as (file name without folders, content)."""
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
    except HTTPException as exc:
        if exc.status_code != 400:
            raise
        raise InputError(
            f"the multipart body cannot be read ({exc.detail}); send files in the 'files' field"
        ) from exc
    try:
        parts = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
        files = [(PurePosixPath((p.filename or "").replace("\\", "/")).name, await p.read()) for p in parts]
    finally:
        await form.close()
    if not files:
        raise InputError("no file in the upload; send one or more files in the 'files' field")
    return files


def _lower_priority() -> None:
    """Nice the calling thread (Linux: per thread) so that request threads win the CPU."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: run at normal priority
        pass


_UPLOADS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-indexer", initializer=_lower_priority)
"""Uploads are indexed one at a time on a thread of lower CPU priority."""
_SENTENCE_STEP = 32
"""Documents whose sentence vectors one step of ``embed_sentences_later`` stores."""


def _index(briefing: Briefing, documents: list[Document], lock: Lock) -> dict[str, str]:
    """Index an upload at a lower priority and on ``upload_threads`` cores, so that
    questions asked meanwhile stay quick; searchable when this returns.
    """

    def run() -> dict[str, str]:
        with lock:
            embedder = for_background(briefing.embedder, briefing.settings.upload_threads)
            summary = Indexer(briefing.store, embedder, briefing.settings.passage_tokens).index(documents)
        return dict(summary.outcomes)

    outcomes = _UPLOADS.submit(run).result()
    briefing.retriever.invalidate()
    stored = [doc_id for doc_id, outcome in outcomes.items() if outcome in ("added", "updated")]
    if stored:  # after the reply: answers embed these documents' sentences until it is done
        embed_sentences_later(briefing, lock, stored)
    return outcomes


def embed_sentences_later(briefing: Briefing, lock: Lock, ids: list[str] | None = None) -> None:
    """Store sentence vectors for these committed documents (all, when None) that lack them.

    On the upload thread, a few documents at a time, so that an upload waits for one step,
    not for all; answers embed the sentences themselves meanwhile.
    """

    def step(todo: list[str] | None) -> None:
        try:
            with lock:
                embedder = for_background(briefing.embedder, briefing.settings.upload_threads)
                # All documents: those the retrieval snapshot knows, rather than every record read again.
                known = dict(briefing.retriever.snapshot().documents) if todo is None else None
                indexer = Indexer(briefing.store, embedder, briefing.settings.passage_tokens, known)
                if todo is None:
                    todo = indexer.without_sentences()
                indexer.embed_sentences(todo[:_SENTENCE_STEP])
        except Exception:  # a cache: answers embed the sentences themselves meanwhile
            log.warning("sentence vectors not stored", exc_info=True)
            return
        if len(todo) > _SENTENCE_STEP:
            _UPLOADS.submit(step, todo[_SENTENCE_STEP:])

    _UPLOADS.submit(step, ids)


def _nothing_stored(loaded: _Loaded) -> InputError:
    reasons = "; ".join(f"{item.filename}: {item.reason}" for item in loaded.rejected[:5])
    more = f" (and {len(loaded.rejected) - 5} more)" if len(loaded.rejected) > 5 else ""
    message = f"nothing was stored: {reasons}{more}"
    if loaded.unsupported == len(loaded.rejected):
        return UnsupportedFormat(message)
    return BadDocument(message)


@router.post(
    "",
    response_model=UploadResult,
    summary="Upload documents",
    openapi_extra=_BODY,
    dependencies=[Depends(require("admin"))],
    responses={
        415: {
            "model": ErrorBody,
            "description": "No file was of a supported type, or the body is neither "
            f"multipart nor JSON. Supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}.",
        },
    },
)
async def upload_documents(request: Request, briefing: BriefingDep) -> UploadResult:
    """Add or update documents; each file's outcome is reported, and stored ones are searchable at once."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json":
        loaded = await run_in_threadpool(_load_json, await request.body())
    elif media_type == "multipart/form-data":
        loaded = await run_in_threadpool(_load_files, await _read_files(request))
    else:
        raise UnsupportedFormat("send multipart/form-data (files in the 'files' field) or application/json")
    if not loaded.documents:
        raise _nothing_stored(loaded)
    docs = [doc for _, doc in loaded.documents]
    outcomes = await run_in_threadpool(_index, briefing, docs, index_lock(request))
    stored = [
        UploadItem(filename=name, id=doc.id, outcome=outcomes[doc.id])  # type: ignore[arg-type]
        for name, doc in loaded.documents
    ]
    return UploadResult(ids=[item.id for item in stored if item.id], documents=[*stored, *loaded.rejected])
