"""A real HTTP server for the widget's browser tests: the real app, and a paced stub.

``start_server(app)`` runs any ASGI app with uvicorn on 127.0.0.1 (random port) in a
daemon thread. ``build_real_app(index_dir)`` is the service itself (``create_app``) over
the seed corpus, ingested with the real model. ``build_stub_app()`` is the
web front end plus a test-only ``POST /v1/ask/stream`` that streams a prepared Answer
word by word with pauses, for the one test that watches deltas render before the answer
(the real extractive answerer sends all its deltas at once). Its Answer quotes real spans
of the seed document, located with ``str.find`` so that every quote is exactly
``text[start:end]``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from assistant.api import create_app
from assistant.briefing import Briefing
from assistant.embeddings import Embedder
from assistant.errors import NotFound
from assistant.settings import Settings
from assistant.types import Answer, Citation, Conflict, Document, Position
from assistant.web import mount_web
from ingest.pipeline import Indexer, ingest_paths

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_PATH = SEEDS / "000_e8fa8a199500442e.txt"
SEED_ID = "seeds/000_e8fa8a199500442e.txt"  # the stub's id: a slash in it exercises URL encoding
REAL_SEED_ID = "000_e8fa8a199500442e.txt"
"""The id the real ingest gives the seed (its path relative to the seeds folder)."""
SEED_TITLE = "Pakistan rejects Taliban claims, cites UN reports on TTP in Afghanistan"

_ZAIDI = "Musharraf Zaidi, spokesperson for Pakistan's Prime Minister"
_TALIBAN = "The Taliban (as reported by Zaidi)"
_QUOTES = (
    (
        "official UN reports confirm the presence and operational activities of multiple terrorist "
        "organizations inside Afghanistan, including TTP, Al-Qaeda, and ISIS-Khorasan (ISIS-K)",
        _ZAIDI,
    ),
    (
        "UN documentation clearly demonstrates that these groups not only operate within Afghanistan "
        "but are expanding their footprint",
        _ZAIDI,
    ),
    ("terrorist groups operating from Afghan soil, particularly Tehreek-e-Taliban Pakistan (TTP)", _ZAIDI),
    (
        "the Taliban are attempting to attribute ongoing violence to ISIS while simultaneously denying "
        "the presence of TTP within Afghanistan",
        _TALIBAN,
    ),
)
_NEAR_MISS = (
    "Pakistan remains committed to regional peace, counterterrorism cooperation, and constructive engagement"
)


def seed_document() -> Document:
    """The seed article as the index would hold it."""
    text = SEED_PATH.read_text(encoding="utf-8").replace("\r\n", "\n")
    return Document(id=SEED_ID, title=SEED_TITLE, text=text, source="seeds/000_e8fa8a199500442e.txt")


def _cite(doc: Document, n: int, quote: str, holder: str | None) -> Citation:
    start = doc.text.find(quote)
    if start < 0:
        raise AssertionError(f"quote not in the seed: {quote[:40]!r}")
    return Citation(
        n=n,
        document_id=doc.id,
        title=doc.title,
        source=doc.source,
        published=doc.published,
        start=start,
        end=start + len(quote),
        quote=doc.text[start : start + len(quote)],
        holder=holder,
    )


def ttp_answer(doc: Document) -> Answer:
    """A cited answer with a stance conflict: Zaidi (UN reports) against the Taliban's denial."""
    citations = [_cite(doc, n, quote, holder) for n, (quote, holder) in enumerate(_QUOTES, start=1)]
    return Answer(
        answer=(
            "Musharraf Zaidi, spokesperson for Pakistan's Prime Minister, says official UN reports confirm "
            "that TTP operates inside Afghanistan, alongside Al-Qaeda and ISIS-K [1][2]. He accuses the "
            "Taliban of supporting terrorist groups operating from Afghan soil, particularly TTP [3]. "
            "By his account, the Taliban deny that TTP is present in Afghanistan [4]."
        ),
        abstained=False,
        citations=citations,
        conflicts=[
            Conflict(
                topic="Whether TTP operates from Afghanistan",
                kind="stance",
                positions=[
                    Position(
                        holder=_ZAIDI,
                        stance="affirms",
                        citations=[1, 2],
                        summary="UN Security Council reports confirm TTP operates inside Afghanistan.",
                    ),
                    Position(
                        holder=_TALIBAN,
                        stance="denies",
                        citations=[4],
                        summary="The Taliban deny that TTP is present in Afghanistan.",
                    ),
                ],
            )
        ],
    )


def abstain_answer(doc: Document) -> Answer:
    """An honest abstention with one near miss."""
    return Answer(
        answer="The documents do not answer this question.",
        abstained=True,
        near_misses=[_cite(doc, 1, _NEAR_MISS, None)],
    )


def _sse(event: str, data: object) -> str:
    # CRLF line endings, as sse-starlette sends them, to exercise the widget's parser.
    return f"event: {event}\r\ndata: {json.dumps(data)}\r\n\r\n"


async def _stream(answer: Answer) -> AsyncIterator[str]:
    yield _sse("status", {"stage": "retrieving"})
    await asyncio.sleep(0.15)
    yield _sse("status", {"stage": "composing"})
    for word in answer.answer.split(" "):
        event = _sse("delta", {"text": word + " "})
        # Split an event across two network writes, as proxies do.
        yield event[:9]
        yield event[9:]
        await asyncio.sleep(0.04)
    yield _sse("answer", answer.model_dump(mode="json"))


def build_stub_app() -> FastAPI:
    """The web front end plus a test-only streaming ask route over the seed document."""
    doc = seed_document()

    def get_document(doc_id: str) -> Document:
        if doc_id != doc.id:
            raise NotFound(f"No document {doc_id!r}.")
        return doc

    app = FastAPI()
    mount_web(app, get_document)

    @app.post("/v1/ask/stream")
    async def ask_stream(request: Request) -> StreamingResponse:
        body = await request.json()
        question = str(body.get("question", ""))
        answer = ttp_answer(doc) if "ttp" in question.lower() else abstain_answer(doc)
        return StreamingResponse(
            _stream(answer), media_type="text/event-stream", headers={"Cache-Control": "no-cache"}
        )

    return app


def build_real_app(index_dir: Path, embedder: Embedder | None = None) -> FastAPI:
    """The real service, open (no keys), over the seed corpus (real model unless told otherwise)."""
    settings = Settings(index_dir=index_dir)
    briefing = Briefing(settings, embedder)
    summary = ingest_paths(Indexer(briefing.store, briefing.embedder, settings.passage_tokens), [SEEDS])
    if summary.failures:
        raise RuntimeError(f"seed ingest failed: {summary.failures}")
    return create_app(settings, briefing)


def start_server(app: object) -> str:
    """Serve ``app`` with uvicorn on 127.0.0.1 at a free port, in a daemon thread.

    Returns:
        The base URL, e.g. ``http://127.0.0.1:41234``.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start; see the log above")
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}"
