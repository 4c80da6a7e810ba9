"""Plain text and Markdown: strict decoding, front matter, and scalar metadata.

The text of a document is kept verbatim (only line endings normalized) because
citations are character offsets into it: nothing here trims, re-wraps or unescapes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

from assistant.errors import BadDocument
from assistant.types import MetadataValue
from ingest.dates import written_date

_NEWLINES = re.compile(r"\r\n?")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_ATX_H1 = re.compile(r"^# +(.+?)[ \t#]*$", re.MULTILINE)
# A flat "key: value" line whose value starts like plain text (no quote, bracket or other
# YAML indicator), so that a colon inside it can only be part of the text.
_PLAIN_LINE = re.compile(
    r"^(?P<key>[A-Za-z_][\w.-]*):(?:[ \t]+(?P<value>[^\s\"'\[\]{}|>&*!%@`#,?:-].*?))?[ \t]*$"
)


@dataclass(frozen=True)
class Parsed:
    """What a format parser found in one file, before ids and derived metadata."""

    text: str
    """The document text; line endings may still need normalizing."""
    title: str
    """Title found in the file, or made from the file name."""
    published: str = ""
    """Publication date as written, or empty."""
    source: str = ""
    """Where the document comes from (URL or publisher), or empty."""
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)
    """Other scalar fields."""


def normalize_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into LF; nothing else changes."""
    return _NEWLINES.sub("\n", text)


def reject_empty_or_binary(data: bytes) -> None:
    """Refuse what no text format can hold: nothing at all, or NUL bytes.

    Raises:
        BadDocument: The file is empty or binary.
    """
    if not data:
        raise BadDocument("the file is empty")
    if b"\x00" in data:
        raise BadDocument(
            "the file looks binary (it contains NUL bytes); if it is UTF-16 text, re-save it as UTF-8"
        )


def decode_text(data: bytes) -> str:
    """Decode a text file strictly as UTF-8, dropping a leading byte order mark.

    Raises:
        BadDocument: The file is empty, binary, or not UTF-8.
    """
    reject_empty_or_binary(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadDocument(f"not valid UTF-8 at byte {exc.start}; re-save the file as UTF-8") from exc
    return text.removeprefix("\ufeff")


def title_from_stem(stem: str) -> str:
    """A readable title from a file name: ``"my_notes-v2"`` -> ``"my notes v2"``."""
    words = stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words) or stem


def one_line(value: object) -> str:
    """A scalar as a single-line string (titles, dates and sources never span lines)."""
    scalar = to_scalar(value)
    return " ".join(str(scalar).split()) if scalar is not None else ""


def parse_plain_text(data: bytes, stem: str) -> Parsed:
    """Read a ``.txt`` file: the whole text, titled by its opening words.

    A short first line is a title; otherwise the opening words stand for one (a title
    made of a file name like ``000_e8fa8a199500442e`` tells a reader nothing).
    """
    text = normalize_newlines(decode_text(data))
    return Parsed(text=text, title=title_from_text(text) or title_from_stem(stem))


def title_from_text(text: str, limit: int = 90) -> str:
    """The first line if it is short, else its opening words cut at a word, with an ellipsis."""
    first = next((line.strip() for line in text.split("\n") if line.strip()), "")
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{cut}…"


def parse_markdown(data: bytes, stem: str) -> Parsed:
    """Read a ``.md`` file: YAML front matter becomes metadata, the body is the text.

    Raises:
        BadDocument: Empty, binary or non-UTF-8 file; malformed or unclosed front matter.
    """
    text = normalize_newlines(decode_text(data))
    front, body = _split_front_matter(text)
    if not body.strip():
        raise BadDocument("the document has no text, only front matter or whitespace; add the text")
    published_key = "published" if "published" in front else "date"
    title = one_line(front.pop("title", None))
    published = one_line(front.pop(published_key, None)) or _dated(front)
    source = one_line(front.pop("source", None))
    if not title:
        heading = _ATX_H1.search(body)
        title = heading.group(1).strip() if heading else title_from_stem(stem)
    return Parsed(body, title, published, source, flatten_metadata(front))


def _dated(front: dict[str, Any]) -> str:
    """A full date from another front-matter field about dates, when there is no ``date``.

    "speaker_date: Mr. PALLONE — 22 January 2007" dates a Congressional Record statement;
    the field itself stays in the metadata.
    """
    for key, value in front.items():
        if "date" in str(key).lower():
            found = written_date(one_line(value))
            if found:
                return found
    return ""


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split ``---``-fenced YAML from the body; the body is returned verbatim."""
    first_line, newline, rest = text.partition("\n")
    if first_line.rstrip() != "---" or not newline:
        return {}, text
    end = _FRONT_MATTER_END.search(rest)
    if end is None:
        raise BadDocument("the front matter opened by --- on line 1 is never closed; add a closing --- line")
    body_start = end.end() + 1 if rest[end.end() : end.end() + 1] == "\n" else end.end()
    front = _load_front_matter(rest[: end.start()])
    if front is None:
        return {}, rest[body_start:]
    if not isinstance(front, dict):
        raise BadDocument("the front matter must be 'key: value' lines (a YAML mapping)")
    return {str(key): value for key, value in front.items()}, rest[body_start:]


def _load_front_matter(source: str) -> Any:
    """Parse YAML, tolerating the common slip of an unquoted colon in a flat "key: value" line.

    ``title: Congressional Record: TALIBAN RESURGENCE`` is invalid YAML, yet its meaning is
    plain; anything else that YAML rejects (bad indentation, an unclosed quote) is an error.
    """
    try:
        return _yaml_load(source)
    except yaml.YAMLError as exc:
        lines = [line for line in source.split("\n") if line.strip() and not line.startswith("#")]
        matches = [_PLAIN_LINE.match(line) for line in lines]
        if not all(matches):
            raise BadDocument(f"malformed YAML front matter: {_yaml_reason(exc)}") from exc
    return {match.group("key"): _plain_value(match) for match in matches if match}


def _plain_value(match: re.Match[str]) -> Any:
    """The YAML value of one line, or its text as written when YAML cannot read it alone."""
    try:
        loaded = _yaml_load(match.group(0))
    except yaml.YAMLError:
        return match.group("value")
    single = isinstance(loaded, dict) and len(loaded) == 1
    return next(iter(loaded.values())) if single else match.group("value")


def _yaml_load(source: str) -> Any:
    # _VerbatimLoader is a SafeLoader: no arbitrary objects are built.
    return yaml.load(source, Loader=_VerbatimLoader)


def _yaml_reason(exc: yaml.YAMLError) -> str:
    """The parser's complaint and the file line it is on (front matter starts on line 2)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        problem = exc.problem or exc.context or "syntax error"
        return f"{problem} on line {exc.problem_mark.line + 2}; fix the lines between the --- fences"
    return f"{exc}; fix the lines between the --- fences"


class _VerbatimLoader(yaml.SafeLoader):  # type: ignore[misc]
    """A safe loader that keeps dates as written, since ``published`` is shown verbatim."""


_VerbatimLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def to_scalar(value: object) -> MetadataValue | None:
    """One metadata value as a scalar: lists joined with ", ", dates in ISO form, empties dropped."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, Iterable) and not isinstance(value, Mapping | bytes):
        parts = [str(part) for part in map(to_scalar, value) if part is not None]
        return ", ".join(parts) or None
    return str(value)


def flatten_metadata(values: Mapping[Any, object], prefix: str = "") -> dict[str, MetadataValue]:
    """Scalar metadata: nested mappings become dotted keys, empty values are dropped."""
    flat: dict[str, MetadataValue] = {}
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten_metadata(value, f"{name}."))
            continue
        scalar = to_scalar(value)
        if scalar is not None:
            flat[name] = scalar
    return flat
