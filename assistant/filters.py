"""Metadata filters: equality on any metadata key, and a date range on ``published``.

``{"collection": "briefing", "speaker": ["A", "B"], "published_from": "2022",
"published_to": "2023-06-30"}``. The same filter becomes a Chroma ``where`` clause for
dense search and a predicate for lexical search, so both see the same documents.
A document's date is an interval (``date_lo``..``date_hi``, set at ingest); it matches
a range when the two overlap.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import InputError
from assistant.types import DocumentInfo, MetadataValue

_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
DATE_KEYS = ("published_from", "published_to")


def _bound(value: object, upper: bool) -> int:
    match = _DATE.match(str(value).strip())
    if not match:
        raise InputError(f"dates in filters are YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    year, month, day = match.groups()
    if upper:
        return int(f"{year}{month or '12'}{day or '31'}")
    return int(f"{year}{month or '01'}{day or '01'}")


class Filters(BaseModel):
    """A validated filter: equality constraints and an optional date range."""

    model_config = ConfigDict(frozen=True)

    equals: dict[str, tuple[MetadataValue, ...]] = Field(default_factory=dict)
    date_from: int | None = None
    date_to: int | None = None

    @classmethod
    def parse(cls, raw: dict[str, Any] | None) -> Filters:
        """Validate a filter as the API and CLI receive it."""
        if not raw:
            return cls()
        equals: dict[str, tuple[MetadataValue, ...]] = {}
        for key, value in raw.items():
            if key in DATE_KEYS:
                continue
            if not key or key.startswith(("_", "$")):
                raise InputError(f"filter key {key!r} is not a metadata key")
            values = value if isinstance(value, list) else [value]
            if not values or not all(isinstance(v, str | int | float | bool) for v in values):
                raise InputError(f"filter {key!r} takes a string, number, boolean or a list of them")
            equals[key] = tuple(values)
        date_from = _bound(raw["published_from"], upper=False) if raw.get("published_from") else None
        date_to = _bound(raw["published_to"], upper=True) if raw.get("published_to") else None
        return cls(equals=equals, date_from=date_from, date_to=date_to)

    @property
    def empty(self) -> bool:
        """Whether the filter lets everything through."""
        return not self.equals and self.date_from is None and self.date_to is None

    def where(self) -> dict[str, Any] | None:
        """The filter as a Chroma ``where`` clause on passage metadata."""
        clauses: list[dict[str, Any]] = []
        for key, values in self.equals.items():
            clauses.append({key: values[0]} if len(values) == 1 else {key: {"$in": list(values)}})
        if self.date_from is not None:
            clauses.append({"date_hi": {"$gte": self.date_from}})
        if self.date_to is not None:
            clauses.append({"date_lo": {"$lte": self.date_to}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def matches(self, document: DocumentInfo) -> bool:
        """Whether a document passes the filter."""
        meta = document.metadata
        for key, values in self.equals.items():
            if meta.get(key) not in values:
                return False
        if self.date_from is not None:
            hi = meta.get("date_hi")
            if not isinstance(hi, int) or hi < self.date_from:
                return False
        if self.date_to is not None:
            lo = meta.get("date_lo")
            if not isinstance(lo, int) or lo > self.date_to:
                return False
        return True
