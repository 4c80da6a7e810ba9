"""Block Kit rendering: a pure function from :class:`~assistant.types.Answer` to Slack messages.

The first message replaces the placeholder (or is the private ``/brief`` reply); any further
messages continue it in the thread. Every message respects Slack's limits (see ``_layout``).
Nothing here does I/O, reads settings or knows about Bolt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from assistant.slack._layout import (
    FALLBACK_TEXT_LIMIT,
    Block,
    button,
    context,
    divider,
    escape,
    paginate,
    section,
    sections,
    truncate,
)
from assistant.types import Answer, Citation, Conflict, Position

ABSTENTION_TEXT = "The sources don't cover this."
"""What the bot says when the answerer abstains."""
PLACEHOLDER_TEXT = ":hourglass_flowing_sand: Looking through the sources…"
"""The message posted at once and replaced by the answer."""
CONTINUED_PREFIX = "(continued)"
"""Start of the fallback text of every overflow message (thread history skips them)."""
FEEDBACK_ACTION_PREFIX = "briefing_feedback_"
"""Action ids of the feedback buttons start with this; the value says which button."""
SHARE_ACTION = "briefing_share"
"""Action id of the "Share in channel" button; its value is the shared answer's key."""

_MORE_NOTE = ":thread: The rest of this answer continues in the thread."


@dataclass(frozen=True)
class SlackMessage:
    """One message, ready for ``chat.postMessage``, ``chat.update`` or a ``response_url``."""

    text: str
    """Plain fallback text: notifications, screen readers, and thread history."""
    blocks: tuple[dict[str, Any], ...]
    """Block Kit blocks, within Slack's limits."""

    def payload(self) -> dict[str, Any]:
        """The ``text`` and ``blocks`` arguments of a Slack call."""
        return {"text": self.text, "blocks": list(self.blocks)}


def document_link(public_url: str, citation: Citation) -> str:
    """Link to the document view with the cited span highlighted."""
    document = quote(citation.document_id, safe="")
    query = urlencode({"start": citation.start, "end": citation.end})
    return f"{public_url.rstrip('/')}/documents/{document}?{query}"


def _markers(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _source_line(citation: Citation, public_url: str | None) -> str:
    """``[n] title, date: "quote"``, the title linking to the span when there is a public URL."""
    title = escape(citation.title or citation.document_id)
    if public_url:
        title = f"<{document_link(public_url, citation)}|{title}>"
    date = f", {escape(citation.published)}" if citation.published else ""
    quote_text = escape(" ".join(citation.quote.split()))
    return f"[{citation.n}] {title}{date}: \u201c{quote_text}\u201d"


def _position_line(position: Position) -> str:
    value = f" ({escape(position.value)})" if position.value else ""
    summary = escape(position.summary)
    return f"• *{escape(position.holder)}* {position.stance}{value}: {summary} {_markers(position.citations)}"


def _conflict_text(conflict: Conflict) -> str:
    lines = [f":warning: *The sources disagree: {escape(conflict.topic)}*"]
    lines.extend(_position_line(p) for p in conflict.positions)
    return "\n".join(lines)


def _verification_line(answer: Answer) -> str:
    """``verified n/m citations``: every shown citation was checked against the document text.

    ``m`` adds the citations verification removed (``verification["removed"]``) when the
    answerer reports them, or is ``verification["checked"]`` when given.
    """
    shown = len(answer.citations)
    checked = answer.verification.get("checked", shown + answer.verification.get("removed", 0))
    return f":white_check_mark: verified {shown}/{max(checked, shown)} citations against the source text"


def _body(answer: Answer, public_url: str | None) -> list[Block]:
    if answer.abstained:
        return [section(f":mag: {ABSTENTION_TEXT}")]
    blocks = sections(escape(answer.answer))
    for conflict in answer.conflicts:
        blocks.extend(sections(_conflict_text(conflict)))
    if answer.citations:
        blocks.append(divider())
        lines = "\n".join(_source_line(c, public_url) for c in answer.citations)
        blocks.extend(sections(f"*Sources*\n{lines}"))
    return blocks


def _footer(answer: Answer, share_key: str | None) -> list[Block]:
    blocks: list[Block] = []
    if not answer.abstained:
        blocks.append(context(_verification_line(answer)))
    if answer.notes:
        blocks.append(context(" · ".join(escape(note) for note in answer.notes)))
    buttons = [
        button(":thumbsup: Helpful", f"{FEEDBACK_ACTION_PREFIX}helpful", "helpful"),
        button(":thumbsdown: Not helpful", f"{FEEDBACK_ACTION_PREFIX}not_helpful", "not_helpful"),
    ]
    if share_key:
        buttons.append(button("Share in channel", SHARE_ACTION, share_key, style="primary"))
    blocks.append({"type": "actions", "block_id": "briefing_answer_actions", "elements": buttons})
    return blocks


def _fallback(blocks: list[Block], default: str) -> str:
    for block in blocks:
        if block["type"] == "section":
            return truncate(str(block["text"]["text"]), FALLBACK_TEXT_LIMIT)
    return default


def render_answer(
    answer: Answer,
    *,
    public_url: str | None = None,
    share_key: str | None = None,
    preface: str | None = None,
) -> list[SlackMessage]:
    """Render an answer as one or more Slack messages.

    Args:
        answer: The briefing to show.
        public_url: Base URL of the web service; when set, source titles link to the span.
        share_key: When set, a "Share in channel" button carries this key (``/brief``).
        preface: Optional mrkdwn line shown above the answer (e.g. who shared it).

    Returns:
        The first message (answer, conflicts, sources, verification, buttons) and, when it does
        not fit Slack's limits, the continuation messages to post in the thread.
    """
    body = _body(answer, public_url)
    if preface:
        body.insert(0, context(preface))
    pages = paginate(body, _footer(answer, share_key), context(_MORE_NOTE))
    first_text = ABSTENTION_TEXT if answer.abstained else truncate(escape(answer.answer), FALLBACK_TEXT_LIMIT)
    messages = [SlackMessage(text=first_text, blocks=tuple(pages[0]))]
    for page in pages[1:]:
        text = f"{CONTINUED_PREFIX} {_fallback(page, '')}"
        messages.append(SlackMessage(text=truncate(text, FALLBACK_TEXT_LIMIT), blocks=tuple(page)))
    return messages


def render_placeholder() -> SlackMessage:
    """The message posted within Slack's 3-second window, replaced by the answer."""
    return SlackMessage(text=PLACEHOLDER_TEXT, blocks=(section(PLACEHOLDER_TEXT),))


def render_error(request_id: str, reason: str | None = None) -> SlackMessage:
    """A short, polite error reply carrying the request id (never a stack trace).

    Args:
        request_id: Id that also appears in the service logs.
        reason: A message meant for the user (from an input error), if any.
    """
    if reason:
        reason = escape(truncate(reason, 500))
        text = f":warning: Sorry, I can't answer that: {reason} (request id `{request_id}`)"
    else:
        text = (
            ":warning: Sorry, something went wrong while I was answering. Please try again in a minute; "
            f"if it keeps happening, give this request id to the team that runs me: `{request_id}`."
        )
    return SlackMessage(text=text, blocks=(section(text),))


def render_usage(command: str = "/brief") -> SlackMessage:
    """How to ask, for an empty mention or command."""
    text = (
        "Ask me a question about the source documents: mention me with your question, "
        f"send me a direct message, or use `{command} QUESTION` for a private answer."
    )
    return SlackMessage(text=text, blocks=(section(text),))
