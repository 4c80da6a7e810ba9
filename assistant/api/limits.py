"""Rate limits and request-size limits.

Rate limits are in-process token buckets, one per API key and one per client address:
each replica limits on its own, so N replicas behind a load balancer allow up to N times
``rate_limit_per_minute``. A shared store (Redis) would be needed for a global limit.

The size limit answers 413 before reading a body whose ``Content-Length`` is too large,
and stops reading a chunked body as soon as it passes the limit. It never buffers.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.errors import RateLimited, UploadTooLarge

_MAX_TRACKED = 50_000
"""Buckets kept at most; the least recently used are dropped (a dropped bucket starts full)."""


@dataclass
class TokenBucket:
    """``capacity`` tokens, refilled continuously at ``rate`` tokens per second."""

    capacity: float
    """Largest burst."""
    rate: float
    """Tokens added per second."""
    tokens: float
    """Tokens available at ``updated``."""
    updated: float
    """Monotonic time of the last refill."""

    def take(self, now: float) -> float:
        """Take one token; returns 0 on success, else the seconds until one is available."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate


class RateLimiter:
    """Token buckets by name (``key:...``, ``ip:...``); thread-safe."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        """Allow bursts of ``per_minute`` requests and ``per_minute`` per minute sustained."""
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, name: str, who: str) -> None:
        """Spend one request of ``name``'s bucket.

        Raises:
            RateLimited: The bucket is empty; ``retry_after`` says when to try again.
        """
        now = self._clock()
        with self._lock:
            bucket = self._buckets.get(name)
            if bucket is None:
                bucket = TokenBucket(
                    float(self.per_minute), self.per_minute / 60.0, float(self.per_minute), now
                )
                self._buckets[name] = bucket
                if len(self._buckets) > _MAX_TRACKED:
                    self._buckets.popitem(last=False)
            self._buckets.move_to_end(name)
            wait = bucket.take(now)
        if wait > 0:
            raise RateLimited(
                f"too many requests from {who} (limit {self.per_minute} per minute); "
                f"try again in {math.ceil(wait)} s",
                retry_after=max(1, math.ceil(wait)),
            )


class BodyTooLarge(HTTPException):
    """Raised while reading a chunked body past the limit.

    An ``HTTPException`` because FastAPI turns any other exception raised while it reads a
    body into a 400; the API's error handler gives it the usual JSON shape.
    """

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes; send less")


class BodyLimit:
    """ASGI middleware: 413 for bodies over ``limit_for(path)`` bytes."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int]) -> None:
        """Wrap ``app``; ``limit_for`` gives the byte limit of a request path."""
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check ``Content-Length`` first, then count the bytes as they arrive."""
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise UploadTooLarge(
                f"the request body has {int(declared)} bytes; the limit is {limit}. "
                "Split the upload or ask the operator to raise BRIEFING_MAX_UPLOAD_BYTES"
            )
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counting_receive, send)
