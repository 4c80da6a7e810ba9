"""Checks that the gold evaluation sets are well formed and point at real text.

Every quote must be an exact substring of the document body (the text after the
YAML front matter), so a scorer can turn it into a character span.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "gold"
SEEDS = ROOT / "seeds"
FILES = (
    "dev.jsonl", "holdout.jsonl", "fresh.jsonl",
    "fresh2.jsonl", "fresh3.jsonl", "fresh4.jsonl", "fresh5.jsonl", "fresh6.jsonl", "fresh7.jsonl",
    "fresh8.jsonl",
    "fresh9.jsonl", "fresh10.jsonl", "fresh11.jsonl", "fresh12.jsonl",
)
PREFIX = {
    "dev.jsonl": "dev-", "holdout.jsonl": "ho-", "fresh.jsonl": "fr-",
    "fresh2.jsonl": "f2-", "fresh3.jsonl": "f3-", "fresh4.jsonl": "f4-",
    "fresh5.jsonl": "f5-", "fresh6.jsonl": "f6-", "fresh7.jsonl": "f7-",
    "fresh8.jsonl": "f8-",
    "fresh9.jsonl": "f9-", "fresh10.jsonl": "f10-", "fresh11.jsonl": "f11-",
    "fresh12.jsonl": "f12-",
}

KINDS = {
    "direct",
    "attributed",
    "conflict_within",
    "conflict_across",
    "paraphrase",
    "followup",
    "unanswerable",
    "out_of_scope",
    "ambiguous",
}
ABSTAIN_KINDS = {"unanswerable", "out_of_scope"}
CONFLICT_KINDS = {"conflict_within", "conflict_across"}
KEYS = {"id", "question", "history", "kind", "abstain", "conflict", "evidence", "notes"}
OPTIONAL = {"also"}


@cache
def body(document_id: str) -> str:
    """Document text as the assistant sees it: after the closing front-matter line."""
    text = (SEEDS / document_id).read_text(encoding="utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[0] == "---":
        for i in range(1, len(lines)):
            if lines[i] == "---":
                return "\n".join(lines[i + 1 :])
    return text


def load(name: str) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate((GOLD / name).read_text(encoding="utf-8").splitlines(), 1):
        assert line.strip(), f"{name}:{n} is blank"
        items.append(json.loads(line))
    return items


ALL = [(name, item) for name in FILES for item in load(name)]


def test_files_have_enough_items() -> None:
    assert len(load("dev.jsonl")) >= 44
    assert len(load("holdout.jsonl")) >= 20


def test_ids_and_questions_unique_across_files() -> None:
    ids = [item["id"] for _, item in ALL]
    assert len(ids) == len(set(ids))
    questions = [(item["question"].strip().lower(), json.dumps(item["history"])) for _, item in ALL]
    assert len(questions) == len(set(questions))


@pytest.mark.parametrize(("name", "item"), ALL, ids=[item["id"] for _, item in ALL])
def test_item_shape(name: str, item: dict[str, Any]) -> None:
    assert KEYS <= set(item) <= KEYS | OPTIONAL
    assert item["id"].startswith(PREFIX[name])
    assert item["question"].strip()
    assert item["kind"] in KINDS
    assert item["abstain"] is (item["kind"] in ABSTAIN_KINDS)
    assert item["conflict"] is (item["kind"] in CONFLICT_KINDS)
    assert isinstance(item["history"], list)
    for i, turn in enumerate(item["history"]):
        assert set(turn) == {"role", "content"}
        assert turn["role"] == ("user" if i % 2 == 0 else "assistant")
        assert turn["content"].strip()
    assert bool(item["history"]) is (item["kind"] == "followup")


@pytest.mark.parametrize(("name", "item"), ALL, ids=[item["id"] for _, item in ALL])
def test_evidence(name: str, item: dict[str, Any]) -> None:
    evidence = item["evidence"]
    if item["abstain"]:
        assert evidence == []
        return
    assert 1 <= len(evidence) <= 4
    for ev in evidence:
        assert set(ev) <= {"document_id", "quote", "side"}
        path = SEEDS / ev["document_id"]
        assert path.is_file(), ev["document_id"]
        text = body(ev["document_id"])
        quote = ev["quote"]
        assert quote == quote.strip() and quote
        assert text.find(quote) >= 0, f"quote not found in {ev['document_id']}: {quote!r}"
        assert text.count(quote) == 1, f"quote not unique in {ev['document_id']}: {quote!r}"
        assert ("side" in ev) is item["conflict"]
    if item["conflict"]:
        sides = {ev["side"] for ev in evidence}
        # A stance, or for a value conflict the value itself.
        assert all(isinstance(side, str) and side.strip() for side in sides)
        assert len(sides) >= 2
    if item["kind"] == "conflict_across":
        assert len({ev["document_id"] for ev in evidence}) >= 2
    if item["kind"] == "ambiguous":
        assert len(evidence) >= 2


@pytest.mark.parametrize(("name", "item"), ALL, ids=[item["id"] for _, item in ALL])
def test_alternatives(name: str, item: dict[str, Any]) -> None:
    """``also``: other sentences making the same point, each exact, unique and apart from the rest."""
    also = item.get("also", [])
    assert isinstance(also, list) and len(also) <= 8
    if item["abstain"]:
        assert also == []
    spans: list[tuple[str, int, int]] = []
    for ev in [*item["evidence"], *also]:
        start = body(ev["document_id"]).find(ev["quote"])
        spans.append((ev["document_id"], start, start + len(ev["quote"])))
    for ev in also:
        assert set(ev) <= {"document_id", "quote", "side"}
        quote = ev["quote"]
        assert quote == quote.strip() and quote
        assert body(ev["document_id"]).count(quote) == 1, f"not found once in {ev['document_id']}: {quote!r}"
        assert ("side" in ev) is item["conflict"]
        if item["conflict"]:
            assert ev["side"] in {e["side"] for e in item["evidence"]}
    for i, (doc, start, end) in enumerate(spans):
        for other_doc, other_start, other_end in spans[i + 1 :]:
            assert doc != other_doc or end <= other_start or other_end <= start, f"quotes overlap in {doc}"
