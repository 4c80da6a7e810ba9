"""``create_app``: the FastAPI service around one ``Briefing``.

Middleware, outermost first: CORS (so that errors are readable cross-origin), request
id + access log + metrics + error translation, then the body size limit.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from assistant.api import routes_ask, routes_documents, routes_upload
from assistant.api.auth import KeyRing, load_keys
from assistant.api.deps import BriefingDep
from assistant.api.errors import REQUEST_ID_HEADER, ErrorBody, install_error_handling
from assistant.api.limits import BodyLimit, RateLimiter
from assistant.api.metrics import metrics_response
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


def _install_middleware(api: FastAPI, settings: Settings) -> None:
    """Body limit (innermost), request context, CORS (outermost): the last added runs first."""

    def limit_for(path: str) -> int:
        return (
            settings.max_upload_bytes if path.rstrip("/") == "/v1/documents" else settings.max_request_bytes
        )

    api.add_middleware(BodyLimit, limit_for=limit_for)
    install_error_handling(api)
    api.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST", "DELETE"],
        allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER],
        expose_headers=["Retry-After", REQUEST_ID_HEADER],
        max_age=600,
    )


def create_app(
    settings: Settings | None = None, briefing: Briefing | None = None, *, fill_sentences: bool = False
) -> FastAPI:
    """The service: health, metrics, documents, ask, plus the web and Slack front ends.

    With ``fill_sentences`` (``briefing serve``), documents this replica has no sentence
    vectors for (ingested on another machine, or by an older version) get them on the
    upload thread once the service is up.

    Raises:
        KeyConfigError: ``BRIEFING_API_KEYS`` (or its file) is malformed.
    """
    settings = settings or get_settings()
    briefing = briefing or Briefing(settings)
    keyring = KeyRing(load_keys(settings))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        (log.warning if keyring.open else log.info)(keyring.describe())
        # Loading the model takes seconds: do it beside the server, not in front of it.
        threading.Thread(target=_warm, args=(briefing,), name="warm-retriever", daemon=True).start()
        if fill_sentences:
            routes_upload.embed_sentences_later(briefing, app.state.index_lock)
        yield

    api = FastAPI(
        title="Briefing assistant",
        version="0.1.0",
        description="Cited, conflict-aware briefings from source documents.",
        lifespan=lifespan,
    )
    api.state.briefing = briefing
    api.state.settings = settings
    api.state.keyring = keyring
    api.state.limiter = RateLimiter(settings.rate_limit_per_minute)
    api.state.index_lock = threading.Lock()
    _install_middleware(api, settings)

    @api.get("/healthz", tags=["health"], summary="Liveness")
    async def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @api.get(
        "/readyz",
        tags=["health"],
        summary="Readiness",
        responses={503: {"model": ErrorBody, "description": "Model not loaded or index unreachable."}},
    )
    async def readyz(ready_briefing: BriefingDep) -> dict[str, str]:
        """200 when the model is loaded and the index answers, else 503."""
        if not await run_in_threadpool(ready_briefing.ready):
            raise IndexUnavailable("not ready: the model is loading or the index cannot be reached")
        return {"status": "ready"}

    @api.get("/metrics", tags=["health"], summary="Prometheus metrics", response_class=Response)
    async def metrics() -> Response:
        """Requests by route and status, latencies, answers abstained, conflicts and citations served."""
        return metrics_response()

    api.include_router(routes_upload.router)
    api.include_router(routes_documents.router)
    api.include_router(routes_ask.router)
    _mount_front_ends(api, settings, briefing)
    return api
