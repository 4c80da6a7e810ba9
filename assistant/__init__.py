"""Briefing assistant: cited, conflict-aware briefings from source documents, offline.

Front ends (CLI, HTTP API, Slack bot, widget, ``briefing eval``) all call ``Briefing.ask``.
"""

from assistant.briefing import Briefing, ask, default_briefing
from assistant.errors import BriefingError
from assistant.settings import Settings, get_settings
from assistant.types import Answer, Citation, Conflict, Document, Evidence, Passage, Position, Turn

__all__ = [
    "Answer",
    "Briefing",
    "BriefingError",
    "Citation",
    "Conflict",
    "Document",
    "Evidence",
    "Passage",
    "Position",
    "Settings",
    "Turn",
    "ask",
    "default_briefing",
    "get_settings",
]
