"""Builders shared by the API tests: a small indexed corpus, keys, an SSE parser."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.briefing import Briefing
from assistant.settings import Settings
from ingest.pipeline import Indexer, ingest_paths

TEXTS = {
    "a.txt": "The Kabul airport attack was carried out by ISIS-K. It killed thirteen American service "
    "members.\n\nThe Taliban denied any role in the attack.\n",
    "sub/b.txt": "Two Hellfire missiles were fired at Ayman al-Zawahiri, who was killed. "
    "The strike happened in Kabul.\n",
    "c.txt": "Tajikistan shares a border of 1,344 kilometres with Afghanistan.\n",
}
ASK_KEY = "ask-key-0123456789abcdef"
ADMIN_KEY = "admin-key-0123456789abcdef"
WIDGET_KEY = "widget-key-0123456789abcdef"
WIDGET_ORIGIN = "https://intranet.example"
KEYS = f"{ASK_KEY}:ask,{ADMIN_KEY}:admin,{WIDGET_KEY}:ask:{WIDGET_ORIGIN}|https://other.example"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def indexed_briefing(tmp_path: Path, **settings: Any) -> Briefing:
    """A Briefing over TEXTS in an embedded Chroma under ``tmp_path``, with the fake embedder."""
    corpus = tmp_path / "corpus"
    for name, text in TEXTS.items():
        (corpus / name).parent.mkdir(parents=True, exist_ok=True)
        (corpus / name).write_text(text, encoding="utf-8")
    config = Settings(index_dir=tmp_path / "idx", embedder="fake", **settings)
    briefing = Briefing(config)
    summary = ingest_paths(Indexer(briefing.store, briefing.embedder, config.passage_tokens), [corpus])
    assert not summary.failures
    return briefing


@contextmanager
def api_client(
    tmp_path: Path,
    briefing: Briefing | None = None,
    client: tuple[str, int] = ("testclient", 50000),
    **settings: Any,
) -> Iterator[TestClient]:
    """A TestClient (lifespan run) for the real app over the small corpus."""
    briefing = briefing or indexed_briefing(tmp_path, **settings)
    with TestClient(create_app(briefing.settings, briefing), client=client) as test_client:
        yield test_client


def parse_sse(body: str) -> list[tuple[str, Any]]:
    """``(event, data)`` pairs of an SSE body; comments become ``(":", text)``."""
    events: list[tuple[str, Any]] = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        if block.startswith(":"):
            events.append((":", block[1:].strip()))
            continue
        fields = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((fields["event"], json.loads(fields["data"])))
    return events
