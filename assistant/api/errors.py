"""Request ids, the access log and the one JSON error shape.

Every response carries ``X-Request-ID`` (echoed when the caller sent a sane one), and
every error body is ``{"error": {"code", "message", "request_id"}}``. Unexpected
exceptions are logged here with their traceback and answered with a generic 500: the
client never sees a stack trace.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import BriefingError

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
access_log = logging.getLogger("assistant.api.access")
log = logging.getLogger(__name__)


def request_id(request: Request) -> str:
    """The id of this request (set by the middleware)."""
    return str(getattr(request.state, "request_id", "") or "")


def error_response(request: Request, status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    """The JSON error body every failure uses."""
    body: dict[str, Any] = {"code": code, "message": message, "request_id": request_id(request), **extra}
    return JSONResponse({"error": body}, status_code=status, headers={REQUEST_ID_HEADER: request_id(request)})


async def _briefing_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BriefingError)
    return error_response(request, exc.status_code, exc.code, str(exc))


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [{"loc": list(err.get("loc", ())), "msg": str(err.get("msg", ""))} for err in exc.errors()]
    return error_response(
        request, 422, "invalid_request", "the request body or query is invalid", details=details
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, f"http_{exc.status_code}")
    return error_response(request, exc.status_code, code, str(exc.detail))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error(
        "unhandled error in %s %s [%s]", request.method, request.url.path, request_id(request), exc_info=exc
    )
    return error_response(
        request, 500, "internal_error", "internal error; quote the request id when reporting it"
    )


async def _request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Assign the request id, answer unexpected errors, write one access-log line."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    request.state.request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
    started = time.perf_counter()
    try:
        response = await call_next(request)
    except Exception as exc:  # noqa: BLE001 - the last line of defence; logged with its traceback
        response = await _unexpected_error(request, exc)
    response.headers[REQUEST_ID_HEADER] = request.state.request_id
    access_log.info(
        json.dumps(
            {
                "request_id": request.state.request_id,
                "method": request.method,
                "path": request.url.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            }
        )
    )
    return response


def install_error_handling(app: FastAPI) -> None:
    """Add the request-id middleware and the exception handlers to ``app``."""
    app.add_exception_handler(BriefingError, _briefing_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.middleware("http")(_request_context)
