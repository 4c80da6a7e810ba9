"""Slack's documented Block Kit limits, checked independently of the renderer."""

from __future__ import annotations

from typing import Any

# https://docs.slack.dev/reference/block-kit/blocks and .../block-elements/button-element

LIMITS = {
    "blocks_per_message": 50,
    "section_text": 3000,
    "section_fields": 10,
    "field_text": 2000,
    "context_elements": 10,
    "actions_elements": 25,
    "button_text": 75,
    "button_value": 2000,
    "action_id": 255,
    "block_id": 255,
    "header_text": 150,
    "message_text": 40_000,
    "blocks_total_text": 12_000,  # msg_blocks_too_long, slackapi/bolt-js#2509
}


def _texts(item: Any) -> list[str]:
    if isinstance(item, dict):
        own = [item["text"]] if isinstance(item.get("text"), str) else []
        return own + [t for v in item.values() for t in _texts(v)]
    if isinstance(item, list):
        return [t for v in item for t in _texts(v)]
    return []


def block_kit_violations(payload: dict[str, Any]) -> list[str]:
    """Every way ``payload`` (``text`` and ``blocks``) breaks Slack's limits; empty when none."""
    problems: list[str] = []
    blocks = payload.get("blocks") or []
    if len(blocks) > LIMITS["blocks_per_message"]:
        problems.append(f"{len(blocks)} blocks")
    if len(payload.get("text") or "") > LIMITS["message_text"]:
        problems.append("text too long")
    if sum(len(t) for t in _texts(blocks)) > LIMITS["blocks_total_text"]:
        problems.append("blocks carry too much text")
    action_ids: list[str] = []
    for block in blocks:
        kind = block["type"]
        if len(block.get("block_id", "")) > LIMITS["block_id"]:
            problems.append("block_id too long")
        if kind == "section":
            if len(block.get("text", {}).get("text", "")) > LIMITS["section_text"]:
                problems.append(f"section text {len(block['text']['text'])}")
            fields = block.get("fields", [])
            too_long = any(len(f["text"]) > LIMITS["field_text"] for f in fields)
            if len(fields) > LIMITS["section_fields"] or too_long:
                problems.append("section fields")
            if not block.get("text") and not fields:
                problems.append("empty section")
        elif kind == "context" and not 0 < len(block["elements"]) <= LIMITS["context_elements"]:
            problems.append("context elements")
        elif kind == "header" and len(block["text"]["text"]) > LIMITS["header_text"]:
            problems.append("header text")
        elif kind == "actions":
            elements = block["elements"]
            if not 0 < len(elements) <= LIMITS["actions_elements"]:
                problems.append("actions elements")
            for element in elements:
                action_ids.append(element["action_id"])
                if len(element["text"]["text"]) > LIMITS["button_text"]:
                    problems.append("button text")
                if len(element.get("value", "")) > LIMITS["button_value"]:
                    problems.append("button value")
                if len(element["action_id"]) > LIMITS["action_id"]:
                    problems.append("action_id")
    if len(action_ids) != len(set(action_ids)):
        problems.append("duplicate action_id")
    return problems
