"""FastAPI routes for the widget, the demo page and the document view.

Adapters only: they read the packaged static files once, look a document up through the
injected ``get_document`` and render it with :mod:`assistant.web.document_view`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib.resources import files

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse

from assistant.errors import NotFound
from assistant.types import Document
from assistant.web.document_view import DOCUMENT_PAGE_CSP, render_document_page, render_missing_page

WIDGET_CACHE_CONTROL = "public, max-age=300, stale-while-revalidate=86400"
"""Short enough that a new widget reaches embedding pages within minutes; ETags make revalidation cheap."""

_PAGE_HEADERS = {
    "Content-Security-Policy": DOCUMENT_PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _static(name: str) -> bytes:
    return files("assistant.web").joinpath("static", name).read_bytes()


def _offset(raw: str | None) -> int | None:
    """A query offset as an int; garbage becomes -1 so that the page shows its notice."""
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(raw)
    except ValueError:
        return -1


def _widget_response(body: bytes, request: Request) -> Response:
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    headers = {
        "Cache-Control": WIDGET_CACHE_CONTROL,
        "ETag": etag,
        "X-Content-Type-Options": "nosniff",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="text/javascript; charset=utf-8", headers=headers)


def _document_response(
    get_document: Callable[[str], Document], doc_id: str, start: str | None, end: str | None
) -> HTMLResponse:
    try:
        doc = get_document(doc_id)
    except NotFound:
        return HTMLResponse(render_missing_page(doc_id), status_code=404, headers=_PAGE_HEADERS)
    page = render_document_page(
        doc.id, doc.title, doc.text, doc.published, doc.source, _offset(start), _offset(end)
    )
    return HTMLResponse(page, headers=_PAGE_HEADERS)


def mount_web(api: FastAPI, get_document: Callable[[str], Document]) -> None:
    """Add ``GET /`` (demo page), ``GET /widget.js`` and ``GET /documents/{doc_id}`` to ``api``.

    Args:
        api: The application to add the routes to.
        get_document: Looks a document up by id; raises :class:`assistant.errors.NotFound`
            for an unknown id. It may block: the route runs it in a worker thread.
    """
    demo = _static("demo.html")
    widget = _static("widget.js")

    @api.get("/", include_in_schema=False)
    def demo_page() -> HTMLResponse:
        return HTMLResponse(demo, headers={"Cache-Control": "no-cache"})

    @api.get("/widget.js", include_in_schema=False)
    def widget_script(request: Request) -> Response:
        return _widget_response(widget, request)

    @api.get(
        "/documents/{doc_id:path}",
        response_class=HTMLResponse,
        summary="Show a source document with a cited span highlighted",
        responses={404: {"description": "Unknown document id (HTML page)."}},
    )
    def document_page(doc_id: str, start: str | None = None, end: str | None = None) -> HTMLResponse:
        """HTML view of a document; ``start``/``end`` are character offsets of the span to highlight."""
        return _document_response(get_document, doc_id, start, end)
