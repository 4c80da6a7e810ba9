"""Helpers of the widget tests: driving the chat widget in its shadow root, and reading links."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from playwright.sync_api import Locator, Page, expect

from tests.widget_server import REAL_SEED_ID, SEED_PATH

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
QUESTION = "Does TTP operate in Afghanistan?"
SEED_ID = REAL_SEED_ID
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
SEEDS = SEED_PATH.parent
NO_CONFLICT = "the real answerer reports no conflict for the TTP question over the seeds"
INK = "rgb(27, 31, 36)"  # the widget's text colour (#1b1f24)


def seed_text(doc_id: str) -> str:
    return (SEEDS / doc_id).read_text(encoding="utf-8").replace("\r\n", "\n")


def widget(page: Page) -> Locator:
    return page.locator("briefing-chat")


def open_panel(page: Page) -> Locator:
    widget(page).locator(".launcher").click()
    panel = widget(page).locator(".panel")
    expect(panel).to_be_visible()
    return panel


def ask(page: Page, question: str) -> None:
    box = widget(page).locator("textarea")
    box.fill(question)
    box.press("Enter")


def ask_ttp(page: Page) -> Locator:
    open_panel(page)
    ask(page, QUESTION)
    answer = widget(page).locator("article.answer").last
    expect(answer).to_be_visible()
    return answer


def shadow_focus(page: Page) -> dict[str, str] | None:
    """The element focused inside the widget's shadow root."""
    return page.evaluate(
        """() => { const a = document.querySelector('briefing-chat').shadowRoot.activeElement;
        return a && {tag: a.tagName, cls: a.className, text: a.textContent,
                     expanded: a.getAttribute('aria-expanded') || ''}; }"""
    )


def span_of(href: str) -> tuple[str, int, int]:
    """(document id, start, end) from a document-view link."""
    parts = urlsplit(href)
    query = parse_qs(parts.query)
    doc_id = unquote(parts.path.split("/documents/", 1)[1])
    return doc_id, int(query["start"][0]), int(query["end"][0])
