"""``GET /v1/documents``, ``GET`` and ``DELETE /v1/documents/{doc_id}``: what the index holds.

Reading needs scope ``ask``, deleting ``admin``; uploads are in :mod:`assistant.api.routes_upload`.
"""

from __future__ import annotations

from threading import Lock
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.api.auth import require
from assistant.api.deps import BriefingDep, index_lock
from assistant.api.errors import ERROR_RESPONSES
from assistant.briefing import Briefing
from assistant.types import DocumentInfo
from ingest.pipeline import Indexer, IngestSummary

router = APIRouter(prefix="/v1/documents", tags=["documents"], responses=ERROR_RESPONSES)
_ASK = [Depends(require("ask"))]


class DocumentDetail(DocumentInfo):
    """An indexed document with its exact stored text (citation offsets index into it)."""

    text: str = Field(description="The stored text: every citation's quote is text[start:end].")


class DocumentPage(BaseModel):
    """One page of the document list, sorted by id."""

    total: int = Field(description="Number of documents in the index.")
    offset: int = Field(description="Index of the first document of this page.")
    limit: int = Field(description="Page size asked for.")
    documents: list[DocumentInfo] = Field(description="The documents of this page.")


class DeleteResult(BaseModel):
    """What a delete did."""

    id: str = Field(description="The deleted document's id.")
    outcome: Literal["removed"] = Field(description="Always 'removed'; an unknown id is 404.")


@router.get("", response_model=DocumentPage, summary="List indexed documents", dependencies=_ASK)
async def list_documents(
    briefing: BriefingDep,
    offset: int = Query(0, ge=0, description="Skip this many documents."),
    limit: int = Query(50, ge=1, le=500, description="Return at most this many documents."),
) -> DocumentPage:
    """The indexed documents, sorted by id, one page at a time."""
    infos = (await run_in_threadpool(briefing.retriever.snapshot)).documents
    ids = sorted(infos)
    page = [infos[i] for i in ids[offset : offset + limit]]
    return DocumentPage(total=len(ids), offset=offset, limit=limit, documents=page)


@router.get(
    "/{doc_id:path}",
    response_model=DocumentDetail,
    summary="Read one document",
    responses={404: {"description": "No document with that id."}},
    dependencies=_ASK,
)
async def read_document(doc_id: str, briefing: BriefingDep) -> DocumentDetail:
    """One document with its exact text; 404 for an unknown id."""
    doc = await run_in_threadpool(briefing.document, doc_id)
    info = (await run_in_threadpool(briefing.retriever.snapshot)).documents.get(doc_id)
    return DocumentDetail(
        id=doc.id,
        title=doc.title,
        source=doc.source,
        published=doc.published,
        metadata=doc.metadata,
        passages=info.passages if info else 0,
        content_hash=doc.content_hash,
        text=doc.text,
    )


def _delete(briefing: Briefing, doc_id: str, lock: Lock) -> None:
    with lock:
        indexer = Indexer(briefing.store, briefing.embedder, briefing.settings.passage_tokens)
        indexer.remove([doc_id], IngestSummary())
    briefing.retriever.invalidate()


@router.delete(
    "/{doc_id:path}",
    response_model=DeleteResult,
    summary="Delete a document",
    responses={404: {"description": "No document with that id."}},
    dependencies=[Depends(require("admin"))],
)
async def delete_document(doc_id: str, briefing: BriefingDep, request: Request) -> DeleteResult:
    """Remove a document and its passages; it is no longer cited once this returns."""
    await run_in_threadpool(_delete, briefing, doc_id, index_lock(request))
    return DeleteResult(id=doc_id, outcome="removed")
