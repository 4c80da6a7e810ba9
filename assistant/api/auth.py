"""API keys, scopes and origins: who may call which route.

Keys come from ``Settings.api_keys`` (``BRIEFING_API_KEYS``): comma-separated
``key:scope[:origin|origin...]`` entries, or ``@/path/to/file`` naming a file with one
entry per line (``#`` starts a comment). Scope ``ask`` may ask and read documents;
``admin`` may also upload and delete. A key with origins is accepted only from a
browser page on one of them (the ``Origin`` header): widget keys are visible in page
source, so give them scope ``ask`` and origins. A non-browser client can forge
``Origin``, so an origin list limits where a leaked widget key works in browsers, not
who holds it; the per-key rate limit bounds the rest.

With no keys configured the API is open (the localhost demo) and the startup log says
so at WARNING. The same-origin demo page sends no key, so it works only then.

Keys are compared with :func:`hmac.compare_digest` against every configured key, and
are never logged: log lines name a key by its position (``key#2``).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, cast, get_args

from fastapi import Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.limits import RateLimiter
from assistant.errors import BriefingError, Forbidden, Unauthorized
from assistant.settings import Settings

Scope = Literal["ask", "admin"]
log = logging.getLogger(__name__)
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer KEY`.")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)]


class KeyConfigError(BriefingError):
    """``BRIEFING_API_KEYS`` (or the file it names) cannot be read or parsed."""

    code = "bad_api_keys"


@dataclass(frozen=True)
class ApiKey:
    """One configured key."""

    secret: bytes = field(repr=False)
    """The key itself; never logged or shown."""
    scope: Scope
    """``ask`` or ``admin`` (admin implies ask)."""
    origins: frozenset[str] = frozenset()
    """Browser origins the key is limited to; empty means any (and no ``Origin`` needed)."""
    label: str = ""
    """How logs name the key: its position in the configuration, e.g. ``key#2``."""

    def grants(self, scope: Scope) -> bool:
        """Whether the key may use routes that need ``scope``."""
        return self.scope == "admin" or scope == "ask"


@dataclass(frozen=True)
class Caller:
    """Who is calling: the key (None when the API is open) and the client address."""

    key: ApiKey | None
    """The matched key, or None in open mode."""
    address: str
    """The client IP address, as the server saw it (behind a proxy: see uvicorn --proxy-headers)."""

    @property
    def label(self) -> str:
        """A loggable name: ``key#N`` or ``open``."""
        return self.key.label if self.key else "open"


def normalize_origin(origin: str) -> str:
    """``HTTPS://Example.org/`` -> ``https://example.org``, as browsers send ``Origin``."""
    return origin.strip().rstrip("/").lower()


def parse_keys(text: str) -> tuple[ApiKey, ...]:
    """Parse comma- or newline-separated ``key:scope[:origin|origin...]`` entries.

    Raises:
        KeyConfigError: An entry is malformed; the message names the entry by position only.
    """
    entries = [line.split("#", 1)[0] for line in text.splitlines()]
    parts = [p.strip() for line in entries for p in line.split(",") if p.strip()]
    keys: list[ApiKey] = []
    for number, entry in enumerate(parts, start=1):
        secret, _, rest = entry.partition(":")
        scope, _, origins = rest.partition(":")
        scope = scope.strip()
        if not secret.strip() or scope not in get_args(Scope):
            raise KeyConfigError(
                f"API key entry #{number} must look like 'KEY:ask' or 'KEY:admin' "
                "optionally followed by ':https://origin|https://other'"
            )
        allowed = frozenset(normalize_origin(o) for o in origins.split("|") if o.strip())
        keys.append(ApiKey(secret.strip().encode(), cast(Scope, scope), allowed, f"key#{number}"))
    return tuple(keys)


def load_keys(settings: Settings) -> tuple[ApiKey, ...]:
    """The configured keys; ``@/path`` reads them from a file.

    Raises:
        KeyConfigError: The file cannot be read or an entry is malformed.
    """
    if settings.api_keys is None:
        return ()
    text = settings.api_keys.get_secret_value().strip()
    if text.startswith("@"):
        path = Path(text[1:]).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KeyConfigError(
                f"cannot read the API key file {path} ({exc.strerror}); check the path"
            ) from exc
    return parse_keys(text)


class KeyRing:
    """The configured keys and the checks that use them."""

    def __init__(self, keys: tuple[ApiKey, ...]) -> None:
        self.keys = keys

    @property
    def open(self) -> bool:
        """True when no key is configured: every request is allowed."""
        return not self.keys

    def find(self, presented: str) -> ApiKey | None:
        """The key equal to ``presented``, comparing against every key in constant time."""
        candidate = presented.encode()
        found: ApiKey | None = None
        for key in self.keys:  # no early exit: the time does not depend on which key matched
            if hmac.compare_digest(candidate, key.secret):
                found = key
        return found

    def authorize(self, token: str | None, origin: str | None, scope: Scope) -> ApiKey | None:
        """The key allowed to call a ``scope`` route, or raise; None when the API is open.

        Raises:
            Unauthorized: No key, or a key that is not configured.
            Forbidden: The key lacks ``scope`` or is not allowed from ``origin``.
        """
        if self.open:
            return None
        if not token:
            raise Unauthorized("send an API key as 'Authorization: Bearer KEY'")
        key = self.find(token)
        if key is None:
            raise Unauthorized("the API key is not valid; check it with whoever runs this service")
        if not key.grants(scope):
            raise Forbidden(f"this key has scope '{key.scope}'; this route needs '{scope}'")
        if key.origins and normalize_origin(origin or "") not in key.origins:
            raise Forbidden("this key is limited to other origins; use it from a page on an allowed origin")
        return key

    def describe(self) -> str:
        """A log line about the configuration, without any key."""
        if self.open:
            return (
                "no API keys configured (BRIEFING_API_KEYS): the API is OPEN to anyone who can reach it; "
                "this is for the localhost demo only: bind to 127.0.0.1 or configure keys"
            )
        admins = sum(1 for k in self.keys if k.scope == "admin")
        limited = sum(1 for k in self.keys if k.origins)
        return f"{len(self.keys)} API keys loaded ({admins} admin, {limited} limited to origins)"


def require(scope: Scope) -> Callable[..., Awaitable[Caller]]:
    """A dependency that rate-limits, authenticates and authorizes the caller for ``scope``.

    The per-address bucket is checked before the key, so that guessing keys is throttled too.
    """

    async def dependency(request: Request, credentials: BearerCredentials) -> Caller:
        keyring = cast(KeyRing, request.app.state.keyring)
        limiter = cast(RateLimiter, request.app.state.limiter)
        address = request.client.host if request.client else "unknown"
        limiter.check(f"ip:{address}", "this address")
        token = credentials.credentials if credentials else None
        key = keyring.authorize(token, request.headers.get("origin"), scope)
        if key is not None:
            limiter.check(f"key:{key.label}", "this API key")
        caller = Caller(key, address)
        request.state.caller = caller.label
        return caller

    dependency.__name__ = f"require_{scope}"
    return dependency
