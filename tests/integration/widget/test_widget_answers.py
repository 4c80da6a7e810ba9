"""The widget's answers in a real headless Chromium: streaming, citation chips and their exact
quotes, the conflict panel, sources and copy, the conversation across reloads, and the
document view. The server is the real app over the seed corpus with the real model; the paced
stub serves only the test that watches deltas render before the final answer.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.widget_support import (
    ARTIFACTS,
    NO_CONFLICT,
    QUESTION,
    SEED_ID,
    SEED_TEXT,
    SEEDS,
    ask,
    ask_ttp,
    open_panel,
    seed_text,
    shadow_focus,
    span_of,
    widget,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser]


def test_answer_streams_then_renders_citation_chips(open_page: Callable[..., Page], stub_url: str) -> None:
    page = open_page(base=stub_url)  # the paced stub: deltas arrive one word at a time
    log = widget(page).locator("[role=log]")
    expect(log).to_have_attribute("aria-live", "polite")
    open_panel(page)
    ask(page, QUESTION)
    streaming = widget(page).locator(".msg.bot:not(.answer) .text")
    expect(streaming).to_contain_text("Musharraf Zaidi")  # deltas shown before the final answer
    expect(log).to_have_attribute("aria-busy", "true")

    answer = widget(page).locator("article.answer")
    expect(answer).to_have_count(1)
    expect(widget(page).locator(".msg.bot")).to_have_count(1)  # the streamed bubble was replaced
    expect(log).to_have_attribute("aria-busy", "false")
    text = answer.locator("p.text")
    chips = text.locator("button.chip")
    expect(chips).to_have_text(["1", "2", "3", "4"])
    assert "[1]" not in text.text_content()
    assert "TTP" in text.text_content()
    expect(chips.first).to_have_attribute("aria-haspopup", "dialog")


def test_citation_popover_quotes_the_document_exactly(open_page: Callable[..., Page], ttp: dict) -> None:
    page = open_page()
    answer = ask_ttp(page)
    chip = answer.locator("p.text button.chip").first
    chip.click()
    popover = widget(page).locator("[role=dialog].popover")
    expect(popover).to_be_visible()
    assert shadow_focus(page)["cls"] == "popover"
    quote_text = popover.locator("blockquote").text_content()
    link = popover.locator("a")
    doc_id, start, end = span_of(link.get_attribute("href"))
    assert (doc_id, start, end) == tuple(ttp["citations"][0][k] for k in ("document_id", "start", "end"))
    assert quote_text == seed_text(doc_id)[start:end]
    assert len(quote_text) > 40

    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    focused = shadow_focus(page)
    assert (focused["cls"], focused["text"], focused["expanded"]) == ("chip", "1", "false")

    page.keyboard.press("Enter")  # the focused chip opens the popover from the keyboard
    expect(popover).to_be_visible()
    with page.context.expect_page() as new_tab:
        link.click()
    view = new_tab.value
    view.wait_for_load_state()
    expect(view.locator("mark#cited")).to_have_text(quote_text)
    assert view.locator("mark#cited").text_content() == seed_text(doc_id)[start:end]


def test_conflict_panel_shows_both_positions(open_page: Callable[..., Page], ttp: dict) -> None:
    assert ttp["conflicts"], NO_CONFLICT
    page = open_page()
    answer = ask_ttp(page)
    conflict = answer.locator(".conflict")
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text("Sources disagree")
    positions = conflict.locator(".position")
    expect(positions.nth(1)).to_be_visible()
    count = positions.count()
    assert count == len(ttp["conflicts"][0]["positions"]) >= 2
    stances = [positions.nth(i).locator(".badge").text_content() for i in range(count)]
    assert {"affirms", "denies"} <= set(stances)
    for i in range(count):
        assert positions.nth(i).locator(".holder").text_content().strip()
        assert positions.nth(i).locator("button.chip").count() >= 1
    colour_of = {
        positions.nth(i).locator(".badge").text_content(): positions.nth(i)
        .locator(".badge")
        .evaluate("e => getComputedStyle(e).backgroundColor")
        for i in range(count)
    }
    assert colour_of["affirms"] != colour_of["denies"]  # the two stances look different

    first, second = positions.nth(0).bounding_box(), positions.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 2 and second["x"] >= first["x"] + first["width"]  # side by side

    denies = positions.filter(has=page.locator(".badge.denies"))
    denies.locator("button.chip").first.click()
    popover = widget(page).locator(".popover")
    doc_id, start, end = span_of(popover.locator("a").get_attribute("href"))
    assert popover.locator("blockquote").text_content() == seed_text(doc_id)[start:end]
    page.keyboard.press("Escape")

    conflict.scroll_into_view_if_needed()
    widget(page).locator("textarea").focus()  # no focus ring on a chip in the picture
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))
    assert (ARTIFACTS / "widget.png").stat().st_size > 20_000


def test_sources_list_and_copy_with_citations(
    open_page: Callable[..., Page], base_url: str, ttp: dict
) -> None:
    page = open_page()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    answer = ask_ttp(page)
    sources = answer.locator(".sources li")
    cited = ttp["citations"]
    expect(sources).to_have_count(len(cited))
    for i, citation in enumerate(cited):
        doc_id, start, end = span_of(sources.nth(i).locator("a").get_attribute("href"))
        assert (doc_id, start, end) == (citation["document_id"], citation["start"], citation["end"])

    answer.locator("button.copy").click()
    expect(answer.locator("button.copy")).to_have_text("Copied ✓")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(answer.locator("p.text").text_content().split(" [")[0][:40])
    assert copied.split("\n\n")[0] == ttp["answer"]  # markers are kept in the copied answer
    for n in range(1, len(cited) + 1):
        assert f"\n[{n}] " in copied
    quote_1 = copied.split("\n[1] ", 1)[1].split("\n")[1].strip().strip('"')
    assert quote_1 == cited[0]["quote"] and len(quote_1) > 40


def test_conversation_survives_reload_and_is_sent_as_history(
    open_page: Callable[..., Page], ttp: dict
) -> None:
    page = open_page()
    first = ask_ttp(page).locator("p.text").text_content()
    page.reload()
    w = widget(page)
    expect(w.locator(".panel")).to_be_visible()  # the panel stays open too
    expect(w.locator(".msg.user")).to_have_text([QUESTION])
    expect(w.locator("article.answer p.text")).to_have_text(first)
    positions = sum(len(conflict["positions"]) for conflict in ttp["conflicts"])
    expect(w.locator("article.answer .conflict .position")).to_have_count(positions)

    with page.expect_request("**/v1/ask/stream") as request:
        ask(page, "What does the budget say about it?")
    sent = request.value.post_data_json
    assert sent["question"] == "What does the budget say about it?"
    assert [turn["role"] for turn in sent["history"]] == ["user", "assistant"]
    assert sent["history"][0]["content"] == QUESTION
    assert "[1]" in sent["history"][1]["content"]

    abstain = w.locator("article.abstain")
    expect(abstain).to_contain_text("The sources don't say")
    details = abstain.locator("details")
    expect(details).not_to_have_attribute("open", "")
    expect(details.locator("blockquote").first).to_be_hidden()
    details.locator("summary").click()
    near = details.locator("blockquote").first.text_content()
    assert any(near in seed_text(p.relative_to(SEEDS).as_posix()) for p in SEEDS.rglob("*.*"))

    w.locator("button[aria-label='Start a new conversation']").click()
    page.reload()
    expect(widget(page).locator(".msg")).to_have_count(0)


def test_document_view_marks_the_exact_span(open_page: Callable[..., Page]) -> None:
    cited = "these groups share overlapping recruitment pools, financing channels"
    start = SEED_TEXT.find(cited)
    end = start + len(cited)
    page = open_page(
        width=800, height=360, path=f"/documents/{quote(SEED_ID, safe='')}?start={start}&end={end}"
    )
    mark = page.locator("mark#cited")
    expect(mark).to_have_count(1)
    assert mark.text_content() == SEED_TEXT[start:end]
    assert page.locator(".text").text_content() == SEED_TEXT  # offsets line up with the stored text
    expect(mark).to_be_in_viewport()  # scrolled into view
    expect(page.locator(".notice")).to_have_count(0)

    page.goto(page.url.split("?")[0] + "?start=10&end=999999")
    expect(page.locator(".notice")).to_contain_text("not in this version")
    expect(page.locator("mark")).to_have_count(0)
    assert page.locator(".text").text_content() == SEED_TEXT

    response = page.goto(page.url.split("/documents/")[0] + "/documents/no-such-doc")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Document not found")
