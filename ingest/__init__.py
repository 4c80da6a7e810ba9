"""Load documents from files and write them into the index (``briefing ingest``)."""

from ingest.loaders import (
    SUPPORTED_SUFFIXES,
    LoadFailure,
    LoadResult,
    SourceFile,
    discover,
    load_bytes,
    load_file,
)
from ingest.pipeline import Indexer, IngestSummary, ingest_paths

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestSummary",
    "Indexer",
    "LoadFailure",
    "LoadResult",
    "SourceFile",
    "discover",
    "ingest_paths",
    "load_bytes",
    "load_file",
]
