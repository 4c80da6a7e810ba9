"""The HTTP API: ``create_app(settings, briefing) -> FastAPI``.

Routes only translate HTTP to the :class:`~assistant.briefing.Briefing` facade and back;
errors from :mod:`assistant.errors` become JSON with their status code.
"""

from assistant.api.app import create_app

__all__ = ["create_app"]
