"""Request ids, the access log, request metrics and the one JSON error shape.

Every response carries ``X-Request-ID`` (echoed when the caller sent a sane one), and
every error body is ``{"error": {"code", "message", "request_id"}}``; a stream's ``error``
event carries the same object. This is the only module that turns exceptions into HTTP
statuses. Unexpected exceptions are logged here with their traceback and answered with a
generic 500: the client never sees a stack trace.
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
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.api.metrics import observe_request
from assistant.errors import BriefingError, RateLimited, Unauthorized

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_GENERIC = "internal error; quote the request id when reporting it"
access_log = logging.getLogger("assistant.api.access")
log = logging.getLogger(__name__)


def request_id(request: Request) -> str:
    """The id of this request (set by the middleware)."""
    return str(getattr(request.state, "request_id", "") or "")


class ErrorDetail(BaseModel):
    """What went wrong."""

    code: str = Field(description="Stable machine-readable code, e.g. rate_limited, question_too_long.")
    message: str = Field(description="What went wrong and how to fix it; never a stack trace.")
    request_id: str = Field(description="Also in the X-Request-ID header and the server log line.")


class ErrorBody(BaseModel):
    """The body of every error response (extra keys such as ``details`` may be present)."""

    error: ErrorDetail = Field(description="The error.")


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _error("No API key, or an unknown one."),
    403: _error("The key lacks the scope, or is not allowed from this Origin."),
    413: _error("The body, question or history is too large."),
    422: _error("The body or query is invalid."),
    429: _error("Rate limited; see the Retry-After header."),
}
"""Error responses shared by every /v1 route, for the OpenAPI schema."""


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The JSON error body every failure uses."""
    body: dict[str, Any] = {"code": code, "message": message, "request_id": request_id(request), **extra}
    all_headers = {**(headers or {}), REQUEST_ID_HEADER: request_id(request)}
    return JSONResponse({"error": body}, status_code=status, headers=all_headers)


def briefing_error_response(request: Request, exc: BriefingError, **extra: Any) -> JSONResponse:
    """A deliberate error as JSON with its status (plus Retry-After or WWW-Authenticate)."""
    headers: dict[str, str] = {}
    if isinstance(exc, RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = "Bearer"
    return error_response(request, exc.status_code, exc.code, str(exc), headers, **extra)


def error_event(exc: BaseException, request_id_: str) -> dict[str, Any]:
    """The data of a stream's ``error`` event: the error shape, generic for unexpected errors."""
    if isinstance(exc, BriefingError):
        code, message = exc.code, str(exc)
    else:
        log.error("unhandled error in a stream [%s]", request_id_, exc_info=exc)
        code, message = "internal_error", _GENERIC
    return {"error": {"code": code, "message": message, "request_id": request_id_}}


async def _briefing_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, BriefingError)
    return briefing_error_response(request, exc)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = [{"loc": list(err.get("loc", ())), "msg": str(err.get("msg", ""))} for err in exc.errors()]
    return error_response(
        request, 422, "invalid_request", "the request body or query is invalid", details=details
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large"}
    code = codes.get(exc.status_code, f"http_{exc.status_code}")
    return error_response(request, exc.status_code, code, str(exc.detail))


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.error(
        "unhandled error in %s %s [%s]", request.method, request.url.path, request_id(request), exc_info=exc
    )
    return error_response(request, 500, "internal_error", _GENERIC)


async def _request_context(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Assign the request id, answer errors raised outside routes, count, write one access-log line."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    request.state.request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
    started = time.perf_counter()
    try:
        response = await call_next(request)
    except BriefingError as exc:  # raised by a middleware below, e.g. the body size limit
        response = briefing_error_response(request, exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence; logged with its traceback
        response = await _unexpected_error(request, exc)
    response.headers[REQUEST_ID_HEADER] = request.state.request_id
    seconds = time.perf_counter() - started
    observe_request(request, response.status_code, seconds)
    fields = {
        "request_id": request.state.request_id,
        "method": request.method,
        "path": request.url.path,
        "status": response.status_code,
        "duration_ms": round(seconds * 1000, 1),
        "caller": str(getattr(request.state, "caller", "")),
        "client": request.client.host if request.client else "",
    }
    access_log.info(json.dumps(fields), extra={"fields": fields})
    return response


def install_error_handling(app: FastAPI) -> None:
    """Add the request-id middleware and the exception handlers to ``app``."""
    app.add_exception_handler(BriefingError, _briefing_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)
    app.middleware("http")(_request_context)
