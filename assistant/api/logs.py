"""The service log: one JSON object per line, so that a request id can be searched for.

:func:`configure_logging` is called once by whatever runs the server (``briefing serve``,
the load benchmark); ``create_app`` never touches logging, so tests keep pytest's handlers.
A record's ``fields`` extra (the access log passes one) is merged into the object.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from assistant.settings import Settings


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", ...fields, "exc"?}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON (tracebacks stay in the server log, as a string)."""
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line["message"] = "request"
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(settings: Settings) -> None:
    """Send every log record to stderr at ``settings.log_level``, as JSON or text."""
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    level = settings.log_level.upper()
    root.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
