"""JSON Lines: one document per line, where a bad line costs only itself.

Each line is ``{"id": str, "text": str, "title"?, "source"?, "published"?, "metadata"?: {}}``;
other top-level keys become metadata too (the ``metadata`` object wins on a clash).
Blank lines are skipped. A line that cannot be used is reported with its number and
the reason, and the other lines still load; only a file with no usable line raises.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from assistant.errors import BadDocument
from ingest._text import Parsed, flatten_metadata, normalize_newlines, one_line, reject_empty_or_binary

_FIELDS = ("id", "text", "title", "source", "published", "metadata")
_SHAPE = 'each line must be a JSON object like {"id": "...", "text": "..."}'


@dataclass(frozen=True)
class JsonlRecord:
    """One usable line of a JSONL file."""

    line: int
    """1-based line number in the file."""
    id: str
    """The document id, as given."""
    parsed: Parsed
    """Text, title and metadata of the line."""


@dataclass(frozen=True)
class RejectedLine:
    """One line of a JSONL file that could not be used."""

    line: int
    """1-based line number in the file."""
    reason: str
    """Why, and how to fix it."""


class _Rejected(Exception):
    """A line-level problem; never leaves this module."""


def parse_jsonl(data: bytes) -> tuple[list[JsonlRecord], list[RejectedLine]]:
    """Split a JSONL file into usable records and rejected lines.

    Raises:
        BadDocument: The file is empty, or not one of its lines is usable.
    """
    reject_empty_or_binary(data)
    records: list[JsonlRecord] = []
    rejected: list[RejectedLine] = []
    first_line_of: dict[str, int] = {}
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            doc_id, parsed = _parse_line(raw)
        except _Rejected as exc:
            rejected.append(RejectedLine(number, str(exc)))
            continue
        if doc_id in first_line_of:
            first = first_line_of[doc_id]
            reason = f"duplicate id {doc_id!r} (first used on line {first}); give each document its own id"
            rejected.append(RejectedLine(number, reason))
            continue
        first_line_of[doc_id] = number
        records.append(JsonlRecord(number, doc_id, parsed))
    if not records:
        raise BadDocument(_nothing_usable(rejected))
    return records, rejected


def _nothing_usable(rejected: list[RejectedLine]) -> str:
    if not rejected:
        return "the file has no documents (it is empty or blank); " + _SHAPE
    shown = "; ".join(f"line {item.line}: {item.reason}" for item in rejected[:3])
    more = f" (and {len(rejected) - 3} more)" if len(rejected) > 3 else ""
    return f"no line of the file is a usable document: {shown}{more}"


def _parse_line(raw: bytes) -> tuple[str, Parsed]:
    """Read one non-blank line; raises :class:`_Rejected` with the reason."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        reason = f"not valid UTF-8 at byte {exc.start} of the line; re-save the file as UTF-8"
        raise _Rejected(reason) from exc
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _Rejected(f"not valid JSON ({exc.msg} at column {exc.colno}); {_SHAPE}") from exc
    if not isinstance(value, dict):
        raise _Rejected(f"not a JSON object; {_SHAPE}")
    doc_id, text = value.get("id"), value.get("text")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise _Rejected('missing "id": it must be a non-empty string')
    if not isinstance(text, str) or not text.strip():
        raise _Rejected('missing "text": it must be a non-empty string')
    metadata = value.get("metadata", {})
    if not isinstance(metadata, dict):
        raise _Rejected('"metadata" must be a JSON object of key: value pairs')
    extra: dict[str, Any] = {key: item for key, item in value.items() if key not in _FIELDS}
    parsed = Parsed(
        text=normalize_newlines(text),
        title=one_line(value.get("title")) or doc_id,
        published=one_line(value.get("published")),
        source=one_line(value.get("source")),
        metadata=flatten_metadata({**extra, **metadata}),
    )
    return doc_id, parsed
