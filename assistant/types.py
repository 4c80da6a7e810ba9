"""The records that flow through the assistant, one noun per stage.

``Document -> Passage -> Evidence -> Citation / Conflict -> Answer``.

Every span is a ``(document_id, start, end)`` character range into ``Document.text``,
which is stored verbatim (only line endings normalized). Nothing here does I/O.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

MetadataValue = str | int | float | bool
"""Chroma stores scalar metadata only; lists and objects are flattened at load time."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


def content_hash(text: str) -> str:
    """Hash of the normalized text: the identity of a document version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Document(_Frozen):
    """A source document, as ingested."""

    id: str = Field(description="Stable id: the JSONL id, else the path relative to the ingested root.")
    title: str = Field(description="Title from the front matter or the file name.")
    text: str = Field(description="Full text, verbatim but for normalized line endings.")
    source: str = Field(default="", description="Where the document comes from (URL or publisher).")
    published: str = Field(default="", description="Publication date as the source gives it.")
    metadata: dict[str, MetadataValue] = Field(
        default_factory=dict, description="Other front-matter fields, filterable by equality."
    )

    @computed_field(description="SHA-256 of the text and metadata: changes when the document does.")  # type: ignore[prop-decorator]
    @cached_property
    def content_hash(self) -> str:
        """Hash of everything stored for the document, so a metadata edit is an update too."""
        head = f"{self.title}\x00{self.source}\x00{self.published}\x00{sorted(self.metadata.items())}"
        return content_hash(head + "\x00" + self.text)


class Passage(_Frozen):
    """A sentence-aligned span of a document, sized to the embedding model's window."""

    document_id: str = Field(description="Id of the document the span belongs to.")
    start: int = Field(description="Start offset (characters) into the document text.")
    end: int = Field(description="End offset (exclusive) into the document text.")
    text: str = Field(description="Exactly document.text[start:end].")


class DocumentInfo(_Frozen):
    """What the index knows about a document, without its text."""

    id: str = Field(description="Document id.")
    title: str = Field(description="Document title.")
    source: str = Field(default="", description="Where the document comes from.")
    published: str = Field(default="", description="Publication date as the source gives it.")
    metadata: dict[str, MetadataValue] = Field(default_factory=dict, description="Filterable metadata.")
    passages: int = Field(default=0, description="Number of passages indexed for the document.")
    content_hash: str = Field(default="", description="Hash of the indexed version.")


class Evidence(_Frozen):
    """A retrieved passage, with the document it belongs to and how it ranked."""

    passage: Passage = Field(description="The retrieved span.")
    document: DocumentInfo = Field(description="The document the span belongs to.")
    score: float = Field(description="Fused retrieval score (higher is better).")
    dense_score: float = Field(default=0.0, description="Cosine similarity to the query.")
    lexical_score: float = Field(default=0.0, description="BM25 score of the passage.")


class Turn(_Frozen):
    """One earlier message of a conversation."""

    role: Literal["user", "assistant"] = Field(description="Who said it.")
    content: str = Field(description="What was said.")


class Citation(_Frozen):
    """A checked pointer to an exact span: ``quote == document.text[start:end]``."""

    n: int = Field(description="Marker number, as used in [n] in the answer.")
    document_id: str = Field(description="Id of the cited document.")
    title: str = Field(description="Title of the cited document.")
    source: str = Field(default="", description="Where the cited document comes from.")
    published: str = Field(default="", description="Publication date of the cited document.")
    start: int = Field(description="Start offset of the quote in the document text.")
    end: int = Field(description="End offset (exclusive) of the quote in the document text.")
    quote: str = Field(description="Exact text of the document from start to end.")
    holder: str | None = Field(default=None, description="Who makes the cited claim, when it is attributed.")


Stance = Literal["affirms", "denies", "qualifies"]


class Position(_Frozen):
    """One side of a conflict."""

    holder: str = Field(description="Who holds the position.")
    stance: Stance = Field(description="affirms, denies or qualifies the proposition in the topic.")
    summary: str = Field(description="The position in a sentence.")
    value: str | None = Field(default=None, description="For a value conflict: the value this side gives.")
    citations: list[int] = Field(description="Markers of the citations that support this side.")


class Conflict(_Frozen):
    """Sources that disagree on the question's proposition or on a value."""

    topic: str = Field(description="What the sources disagree about.")
    kind: Literal["stance", "value"] = Field(default="stance", description="Opposed claims or incompatible values.")
    positions: list[Position] = Field(description="At least two positions, each with its own citations.")


class Answer(_Frozen):
    """The briefing: cited sentences, conflicts, or an honest abstention."""

    answer: str = Field(description="Plain text; every sentence carries markers like [1] or [1][3].")
    abstained: bool = Field(description="True when the sources do not answer the question.")
    citations: list[Citation] = Field(default_factory=list, description="Every marker used, in order.")
    conflicts: list[Conflict] = Field(default_factory=list, description="Disagreements found in the evidence.")
    near_misses: list[Citation] = Field(
        default_factory=list, description="When abstaining: the closest passages, which do not answer."
    )
    mode: Literal["extractive", "llm"] = Field(default="extractive", description="Which answerer wrote it.")
    notes: list[str] = Field(default_factory=list, description="Remarks on how the answer was made.")
    verification: dict[str, int] = Field(
        default_factory=dict, description="Counts of what citation verification checked and removed."
    )
    retrieval: list[dict[str, object]] | None = Field(
        default=None, description="Debug: the ranked evidence, when asked for."
    )
