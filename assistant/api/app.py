"""``create_app``: the FastAPI service around one ``Briefing``."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from assistant.api import routes_ask, routes_documents
from assistant.api.deps import BriefingDep
from assistant.api.errors import install_error_handling
from assistant.briefing import Briefing
from assistant.errors import BriefingError, IndexUnavailable
from assistant.settings import Settings, get_settings

log = logging.getLogger(__name__)


def _warm(briefing: Briefing) -> None:
    try:
        briefing.retriever.warm()
    except Exception:  # noqa: BLE001 - readiness stays false and /readyz says so
        log.exception("warming the retriever failed")


def _mount_front_ends(api: FastAPI, settings: Settings, briefing: Briefing) -> None:
    """The widget, document view and Slack events route; Slack only when configured."""
    from assistant.web import mount_web

    mount_web(api, briefing.document)
    try:
        from assistant.slack import mount_slack

        mount_slack(api, settings, briefing.ask)
    except (ImportError, BriefingError) as exc:
        log.info("slack events route not mounted: %s", exc)


def create_app(settings: Settings | None = None, briefing: Briefing | None = None) -> FastAPI:
    """The service: health, documents, ask, plus the web and Slack front ends."""
    settings = settings or get_settings()
    briefing = briefing or Briefing(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Loading the model takes seconds: do it beside the server, not in front of it.
        threading.Thread(target=_warm, args=(briefing,), name="warm-retriever", daemon=True).start()
        yield

    api = FastAPI(
        title="Briefing assistant",
        version="0.1.0",
        description="Cited, conflict-aware briefings from source documents.",
        lifespan=lifespan,
    )
    api.state.briefing = briefing
    api.state.settings = settings
    install_error_handling(api)

    @api.get("/healthz", tags=["health"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @api.get(
        "/readyz",
        tags=["health"],
        summary="Readiness",
        responses={503: {"description": "Model not loaded or index unreachable."}},
    )
    async def readyz(ready_briefing: BriefingDep) -> dict[str, str]:
        """200 when the model is loaded and the index answers, else 503."""
        if not await run_in_threadpool(ready_briefing.ready):
            raise IndexUnavailable("not ready: the model is loading or the index cannot be reached")
        return {"status": "ready"}

    api.include_router(routes_documents.router)
    api.include_router(routes_ask.router)
    _mount_front_ends(api, settings, briefing)
    return api
