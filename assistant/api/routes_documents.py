"""``GET /v1/documents`` and ``GET /v1/documents/{doc_id}``: what the index holds."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import BriefingDep
from assistant.types import MetadataValue

router = APIRouter(prefix="/v1/documents", tags=["documents"])


class DocumentSummary(BaseModel):
    """An indexed document, without its text."""

    id: str = Field(description="Document id (use it in GET /v1/documents/{id}).")
    title: str = Field(description="Document title.")
    source: str = Field(default="", description="Where the document comes from.")
    published: str = Field(default="", description="Publication date as the source gives it.")
    metadata: dict[str, MetadataValue] = Field(default_factory=dict, description="Filterable metadata.")
    passages: int = Field(default=0, description="Number of passages indexed for the document.")


class DocumentDetail(DocumentSummary):
    """An indexed document with its exact stored text (citation offsets index into it)."""

    text: str = Field(description="The stored text: every citation's quote is text[start:end].")


class DocumentPage(BaseModel):
    """One page of the document list, sorted by id."""

    total: int = Field(description="Number of documents in the index.")
    offset: int = Field(description="Index of the first document of this page.")
    limit: int = Field(description="Page size asked for.")
    documents: list[DocumentSummary] = Field(description="The documents of this page.")


@router.get("", response_model=DocumentPage, summary="List indexed documents")
async def list_documents(
    briefing: BriefingDep,
    offset: int = Query(0, ge=0, description="Skip this many documents."),
    limit: int = Query(50, ge=1, le=500, description="Return at most this many documents."),
) -> DocumentPage:
    """The indexed documents, sorted by id, one page at a time."""
    infos = await run_in_threadpool(briefing.store.document_infos)
    ids = sorted(infos)
    page = [
        DocumentSummary(**infos[i].model_dump(exclude={"content_hash"})) for i in ids[offset : offset + limit]
    ]
    return DocumentPage(total=len(ids), offset=offset, limit=limit, documents=page)


@router.get(
    "/{doc_id:path}",
    response_model=DocumentDetail,
    summary="Read one document",
    responses={404: {"description": "No document with that id."}},
)
async def read_document(doc_id: str, briefing: BriefingDep) -> DocumentDetail:
    """One document with its exact text; 404 for an unknown id."""
    infos = await run_in_threadpool(briefing.store.document_infos)
    doc = await run_in_threadpool(briefing.document, doc_id)
    info = infos.get(doc_id)
    return DocumentDetail(
        id=doc.id,
        title=doc.title,
        source=doc.source,
        published=doc.published,
        metadata=doc.metadata,
        passages=info.passages if info else 0,
        text=doc.text,
    )
