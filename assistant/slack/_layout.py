"""Block Kit building blocks and Slack's size limits: cut text cleanly, pack blocks into messages.

Pure functions, no I/O. Limits (https://docs.slack.dev/reference/block-kit/blocks): a section's
text is at most 3,000 characters and a message at most 50 blocks. Slack also rejects a message
whose blocks hold more than about 12,000 characters in total (``msg_blocks_too_long``; not in
the reference, see slackapi/bolt-js#2509), so each message stays under a smaller budget.
"""

from __future__ import annotations

import re
from typing import Any

Block = dict[str, Any]

SECTION_TEXT_LIMIT = 3000
"""Most characters in a section block's text."""
MAX_BLOCKS = 50
"""Most blocks in one message."""
MESSAGE_TEXT_BUDGET = 11_000
"""Most characters of text across one message's blocks (below Slack's undocumented ~12,000)."""
FALLBACK_TEXT_LIMIT = 3000
"""Longest top-level ``text`` we send (Slack advises at most 4,000)."""
BUTTON_TEXT_LIMIT = 75
"""Most characters on a button."""

_SENTENCE_END = re.compile(r"[.!?…][)\]\"'”’]*\s")


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as markup (&, <, >)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _outside_markup(text: str, pos: int) -> int:
    """Move a cut position back before an open ``<...>`` link or mention, so none is broken."""
    opening = text.rfind("<", 0, pos)
    if opening > text.rfind(">", 0, pos):
        return opening
    return pos


def _cut_position(text: str, limit: int) -> int:
    """Where to cut ``text`` so the head fits ``limit``: a paragraph, line, sentence or word end."""
    window = text[: limit + 1]
    floor = limit // 3  # never cut so early that chunks become tiny
    sentence_ends = [m.end() - 1 for m in _SENTENCE_END.finditer(window)]
    candidates = [
        window.rfind("\n\n"),
        window.rfind("\n"),
        sentence_ends[-1] if sentence_ends else -1,
        window.rfind(" "),
        limit,
    ]
    for pos in candidates:
        safe = _outside_markup(text, pos) if pos > floor else 0
        if safe > floor:
            return safe
    return limit  # a single link longer than the limit: nothing better than a hard cut


def split_text(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Cut ``text`` into chunks of at most ``limit`` characters at the cleanest boundary.

    Whitespace at the cuts is dropped; nothing else is lost or reordered.
    """
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        pos = _cut_position(rest, limit)
        head = rest[:pos].rstrip()
        if head:
            chunks.append(head)
        rest = rest[pos:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks


def truncate(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters at a word end, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    head = split_text(text, limit - 1)[0]
    return head + "…"


def section(mrkdwn: str) -> Block:
    """A section block; ``mrkdwn`` must already fit the section limit."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def sections(mrkdwn: str) -> list[Block]:
    """As many section blocks as ``mrkdwn`` needs, cut cleanly at the section limit."""
    return [section(chunk) for chunk in split_text(mrkdwn)]


def context(mrkdwn: str) -> Block:
    """A one-line context block (small grey text)."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_TEXT_LIMIT)}]}


def divider() -> Block:
    """A horizontal rule."""
    return {"type": "divider"}


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> dict[str, Any]:
    """A button element; its label is cut to Slack's button limit."""
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": truncate(label, BUTTON_TEXT_LIMIT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def text_length(block: Block) -> int:
    """Characters of text a block carries (what Slack counts against a message)."""
    total = 0
    stack: list[Any] = [block]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            total += len(item["text"]) if isinstance(item.get("text"), str) else 0
            stack.extend(v for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend(item)
    return total


def _fitting(blocks: list[Block], max_blocks: int, max_chars: int) -> int:
    """How many leading ``blocks`` fit in ``max_blocks`` blocks and ``max_chars`` characters."""
    chars = 0
    for count, block in enumerate(blocks[:max_blocks]):
        chars += text_length(block)
        if chars > max_chars:
            return count
    return min(len(blocks), max_blocks)


def paginate(body: list[Block], footer: list[Block], more: Block) -> list[list[Block]]:
    """Pack ``body`` then ``footer`` into messages within the limits.

    The first message gets as much of the body as fits, then ``more`` (a note that the rest
    follows) when something is left, then the footer. The rest of the body follows in
    further messages, in order.
    """
    footer_chars = sum(text_length(b) for b in footer)
    room = _fitting(body, MAX_BLOCKS - len(footer), MESSAGE_TEXT_BUDGET - footer_chars)
    if room == len(body):
        return [body + footer]
    room = _fitting(
        body, MAX_BLOCKS - len(footer) - 1, MESSAGE_TEXT_BUDGET - footer_chars - text_length(more)
    )
    pages = [body[:room] + [more] + footer]
    rest = body[room:]
    while rest:
        while rest and rest[0]["type"] == "divider":
            rest = rest[1:]
        count = max(1, _fitting(rest, MAX_BLOCKS, MESSAGE_TEXT_BUDGET))
        if rest:
            pages.append(rest[:count])
        rest = rest[count:]
    return pages
