"""Find source files and turn them into :class:`~assistant.types.Document` records.

``discover(paths) -> SourceFile`` list, then ``load_file(source) -> LoadResult`` per
file (or ``load_bytes`` for an upload). Loading never indexes or embeds anything, and
never changes a document's text beyond normalizing line endings: citations are
character offsets into that text.

A file that cannot be used raises :class:`~assistant.errors.BadDocument` or
:class:`~assistant.errors.UnsupportedFormat` whose message says how to fix it. A
JSONL file holds many documents, so its bad lines come back as
:class:`LoadFailure` entries beside the good documents instead of raising.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from assistant.errors import BadDocument, UnsupportedFormat
from assistant.types import Document, MetadataValue
from ingest._formats import parse_docx, parse_html, parse_pdf
from ingest._jsonl import parse_jsonl
from ingest._text import Parsed, normalize_newlines, parse_markdown, parse_plain_text
from ingest.dates import date_bounds

__all__ = [
    "SUPPORTED_SUFFIXES",
    "LoadFailure",
    "LoadResult",
    "SourceFile",
    "discover",
    "load_bytes",
    "load_file",
]

_PARSERS: dict[str, Callable[[bytes, str], Parsed]] = {
    ".txt": parse_plain_text,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".pdf": parse_pdf,
    ".docx": parse_docx,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({*_PARSERS, ".jsonl"})
"""File name endings that can be loaded (compared case-insensitively)."""


@dataclass(frozen=True)
class SourceFile:
    """A file to load, and the root it was found under."""

    path: Path
    """The file."""
    root: Path
    """The folder it was found under; its parent when the file was named directly."""

    @property
    def relative_id(self) -> str:
        """POSIX path relative to the root, e.g. ``"briefing/A01_x.md"``: the document id."""
        return self.path.relative_to(self.root).as_posix()


@dataclass(frozen=True)
class LoadFailure:
    """A file, or a line of a JSONL file, that could not be loaded."""

    path: str
    """The file, or ``"file.jsonl:LINE"`` for one line."""
    reason: str
    """What is wrong, and how to fix it when that is known."""


@dataclass(frozen=True)
class LoadResult:
    """What one file yielded: its documents, and the parts of it that were rejected."""

    documents: list[Document]
    """At least one document."""
    failures: list[LoadFailure]
    """Rejected JSONL lines; always empty for the other formats."""


def discover(paths: Sequence[Path]) -> tuple[list[SourceFile], list[LoadFailure]]:
    """Files to load from files and folders.

    Folders are walked recursively in sorted order, skipping hidden files and folders
    (``.git``) and, silently, files of unsupported types. A file named directly that
    is missing or of an unsupported type is a failure. A file reached twice is kept once.

    Args:
        paths: Files or folders.

    Returns:
        The files found, and the paths that could not be used.
    """
    found: list[SourceFile] = []
    failures: list[LoadFailure] = []
    seen: set[Path] = set()
    for path in paths:
        if path.is_dir():
            candidates, walk_failures = _walk(path)
            failures.extend(walk_failures)
        elif path.is_file() and _suffix(path.name) in SUPPORTED_SUFFIXES:
            candidates = [SourceFile(path, path.parent)]
        else:
            failures.append(LoadFailure(str(path), _why_not_loadable(path)))
            continue
        for candidate in candidates:
            if candidate.path.resolve() not in seen:
                seen.add(candidate.path.resolve())
                found.append(candidate)
    return found, failures


def load_file(source: SourceFile) -> LoadResult:
    """Load the documents of one file; the id is its ``relative_id`` (JSONL: each line's id).

    Raises:
        UnsupportedFormat: The file type is not in :data:`SUPPORTED_SUFFIXES`.
        BadDocument: The file cannot be read or has no usable text.
    """
    suffix = _require_supported(source.path.name)
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        reason = f"cannot read the file ({exc.strerror or exc}); check that it exists and is readable"
        raise BadDocument(reason) from exc
    parts = PurePosixPath(source.relative_id).parts
    collection = parts[0] if len(parts) > 1 else None
    return _load(source.relative_id, data, suffix, source.path.stem, collection)


def load_bytes(filename: str, data: bytes, doc_id: str | None = None) -> LoadResult:
    """Load an uploaded file; the id is ``doc_id`` or the file name (JSONL: each line's id).

    Raises:
        UnsupportedFormat: The file name does not end in a supported suffix.
        BadDocument: The content has no usable text.
    """
    suffix = _require_supported(filename)
    stem = PurePosixPath(filename.replace("\\", "/")).stem
    return _load(filename, data, suffix, stem, None, doc_id=doc_id or filename)


def _load(
    label: str, data: bytes, suffix: str, stem: str, collection: str | None, doc_id: str | None = None
) -> LoadResult:
    if suffix == ".jsonl":
        records, rejected = parse_jsonl(data)
        documents = [_document(record.id, record.parsed, collection) for record in records]
        failures = [LoadFailure(f"{label}:{item.line}", item.reason) for item in rejected]
        return LoadResult(documents, failures)
    parsed = _PARSERS[suffix](data, stem)
    return LoadResult([_document(doc_id or label, parsed, collection)], [])


def _document(doc_id: str, parsed: Parsed, collection: str | None) -> Document:
    """The record, with the folder's collection and the date interval added to the metadata."""
    text = normalize_newlines(parsed.text)
    if not text.strip():
        raise BadDocument("the document has no text, only whitespace")
    metadata: dict[str, MetadataValue] = dict(parsed.metadata)
    if collection and "collection" not in metadata:
        metadata["collection"] = collection
    bounds = date_bounds(parsed.published) if parsed.published else None
    if bounds:
        metadata["date_lo"], metadata["date_hi"] = bounds
    return Document(
        id=doc_id,
        title=parsed.title,
        text=text,
        source=parsed.source,
        published=parsed.published,
        metadata=metadata,
    )


def _walk(root: Path) -> tuple[list[SourceFile], list[LoadFailure]]:
    """Supported, visible files under a folder, sorted by their path relative to it."""
    files: list[SourceFile] = []
    failures: list[LoadFailure] = []

    def unreadable(exc: OSError) -> None:
        reason = f"cannot read the folder ({exc.strerror or exc}); check its permissions"
        failures.append(LoadFailure(str(exc.filename or root), reason))

    for folder, dirnames, filenames in os.walk(root, onerror=unreadable):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]  # prunes the walk
        for name in filenames:
            path = Path(folder, name)
            if not name.startswith(".") and _suffix(name) in SUPPORTED_SUFFIXES and path.is_file():
                files.append(SourceFile(path, root))
    files.sort(key=lambda source: source.relative_id)
    return files, failures


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def _require_supported(name: str) -> str:
    suffix = _suffix(name)
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedFormat(_unsupported_reason(suffix))
    return suffix


def _unsupported_reason(suffix: str) -> str:
    kind = f"files ending in {suffix!r}" if suffix else "files without an extension"
    return f"cannot read {kind}; supported: {', '.join(sorted(SUPPORTED_SUFFIXES))}"


def _why_not_loadable(path: Path) -> str:
    if not path.exists():
        return "no such file or folder; check the path"
    if not path.is_file():
        return "not a regular file or folder"
    return _unsupported_reason(_suffix(path.name))
