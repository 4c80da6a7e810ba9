"""Dependencies the routes declare (the FastAPI-template ``deps`` style).

Tests build the app with their own ``Briefing`` (``create_app(briefing=...)``) or override
:func:`get_briefing` with ``app.dependency_overrides``.
"""

from __future__ import annotations

from threading import Lock
from typing import Annotated, cast

from fastapi import Depends, Request

from assistant.briefing import Briefing


def get_briefing(request: Request) -> Briefing:
    """The ``Briefing`` the app was created with."""
    return cast(Briefing, request.app.state.briefing)


BriefingDep = Annotated[Briefing, Depends(get_briefing)]
"""A route parameter of this type receives the app's ``Briefing``."""


def index_lock(request: Request) -> Lock:
    """Held while this process writes to the index, so that uploads and deletes do not interleave."""
    return cast(Lock, request.app.state.index_lock)
