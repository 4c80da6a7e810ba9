"""The chat widget, the demo page and the document view in a real headless Chromium.

The server is the real app (uvicorn on 127.0.0.1) over the seed corpus with the real
model. Failures (429, 500, a stream error, offline) are injected by intercepting the
request in the browser; the paced stub from ``_widget_server`` serves only the test that
watches deltas render before the final answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect, sync_playwright

try:
    from tests.integration._widget_server import (
        REAL_SEED_ID,
        SEED_PATH,
        build_real_app,
        build_stub_app,
        start_server,
    )
except ImportError:  # tests/integration is not a package: pytest put its folder on sys.path
    from _widget_server import (  # type: ignore[no-redef]
        REAL_SEED_ID,
        SEED_PATH,
        build_real_app,
        build_stub_app,
        start_server,
    )

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
QUESTION = "Does TTP operate in Afghanistan?"
SEED_ID = REAL_SEED_ID
SEED_TEXT = SEED_PATH.read_text(encoding="utf-8")
SEEDS = SEED_PATH.parent
NO_CONFLICT = "the real answerer reports no conflict for the TTP question over the seeds"
INK = "rgb(27, 31, 36)"  # the widget's text colour (#1b1f24)

expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, minilm: object) -> str:
    return start_server(build_real_app(tmp_path_factory.mktemp("widget") / "idx", minilm))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ttp(base_url: str) -> dict:
    """The real API's answer to the TTP question: what the widget must show."""
    response = httpx.post(base_url + "/v1/ask", json={"question": QUESTION}, timeout=30)
    response.raise_for_status()
    answer = response.json()
    assert not answer["abstained"] and answer["citations"]
    return answer


def seed_text(doc_id: str) -> str:
    return (SEEDS / doc_id).read_text(encoding="utf-8").replace("\r\n", "\n")


@pytest.fixture(scope="module")
def stub_url() -> str:
    return start_server(build_stub_app())


@pytest.fixture
def open_page(browser: Browser, base_url: str) -> Iterator[Callable[..., Page]]:
    """Open pages in fresh contexts; fail the test on any uncaught page error."""
    contexts, errors = [], []

    def _open(width: int = 1280, height: int = 860, path: str = "/", base: str = base_url) -> Page:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(base + path)
        return page

    yield _open
    for context in contexts:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


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


def _fulfil_429(route: Route) -> None:
    body = {"error": {"code": "rate_limited", "message": "Rate limit exceeded.", "request_id": "req-429"}}
    route.fulfill(
        status=429, headers={"Retry-After": "30"}, content_type="application/json", body=json.dumps(body)
    )


def _fulfil_500(route: Route) -> None:
    body = {
        "error": {
            "code": "internal_error",
            "message": "Traceback (most recent call last)",
            "request_id": "req-500",
        }
    }
    route.fulfill(status=500, content_type="application/json", body=json.dumps(body))


def _stream_error(route: Route) -> None:
    data = {"error": {"code": "index_unavailable", "message": "Index down.", "request_id": "req-sse"}}
    route.fulfill(
        status=200,
        content_type="text/event-stream",
        body='event: status\ndata: {"stage": "retrieving"}\n\nevent: error\ndata: '
        + json.dumps(data)
        + "\n\n",
    )


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (_fulfil_429, ["Too many questions", "try again in 30 seconds", "Reference: req-429"]),
        (_fulfil_500, ["Something went wrong on the server", "Reference: req-500"]),
        (_stream_error, ["Something went wrong on the server", "Reference: req-sse"]),
        (lambda route: route.abort("internetdisconnected"), ["can't be reached"]),
    ],
    ids=["rate-limited", "server-error", "stream-error", "offline"],
)
def test_errors_are_polite_and_retryable(
    open_page: Callable[..., Page], handler: Callable[[Route], None], expected: list[str]
) -> None:
    page = open_page()
    page.route("**/v1/ask/stream", handler)
    open_panel(page)
    ask(page, QUESTION)
    error = widget(page).locator(".msg.error[role=alert]")
    for fragment in expected:
        expect(error).to_contain_text(fragment)
    shown = error.text_content()
    assert "Traceback" not in shown and "{" not in shown and "TypeError" not in shown

    page.unroute("**/v1/ask/stream")
    error.locator("button", has_text="Try again").click()
    expect(widget(page).locator(".msg.error")).to_have_count(0)
    expect(widget(page).locator("article.answer")).to_be_visible()
    expect(widget(page).locator(".msg.user")).to_have_count(1)


def test_phone_width_panel_fits_the_viewport(open_page: Callable[..., Page], ttp: dict) -> None:
    assert ttp["conflicts"], NO_CONFLICT
    page = open_page(width=360, height=740)
    answer = ask_ttp(page)
    box = widget(page).locator(".panel").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 740
    assert box["width"] >= 340
    log = widget(page).locator("[role=log]")
    assert log.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing overflows sideways

    positions = answer.locator(".conflict .position")
    first, second = positions.nth(0).bounding_box(), positions.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"] and abs(first["x"] - second["x"]) < 1  # stacked

    answer.locator("p.text button.chip").first.click()
    pop = widget(page).locator(".popover").bounding_box()
    assert pop["x"] >= 0 and pop["x"] + pop["width"] <= 360 and pop["y"] + pop["height"] <= 740
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))


def test_host_css_does_not_leak_in_or_out(open_page: Callable[..., Page]) -> None:
    page = open_page()
    w = widget(page)
    expect(w.locator(".panel")).to_be_hidden()  # despite the page's [hidden]{display:block !important}
    answer = ask_ttp(page)

    def style(locator: Locator, prop: str) -> str:
        return locator.evaluate(f"e => getComputedStyle(e).{prop}")

    text = answer.locator("p.text")
    assert not style(text, "fontFamily").lower().startswith(('"times', "times", "serif"))
    assert style(text, "color") == INK
    send = w.locator("button.send")
    assert style(send, "backgroundColor") != "rgb(0, 255, 0)"
    assert style(send, "borderTopStyle") != "dashed"
    assert float(style(w.locator("textarea"), "width")[:-2]) > 150

    # The widget's own CSS does not reach the page.
    assert style(page.locator("main h2"), "color") == "rgb(255, 0, 0)"
    assert style(page.locator("main button"), "backgroundColor") == "rgb(0, 255, 0)"
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<span class=\"chip\" id=probe>x</span>')")
    assert style(page.locator("#probe"), "borderTopLeftRadius") == "0px"


def test_keyboard_open_send_escape_and_focus_return(open_page: Callable[..., Page]) -> None:
    page = open_page()
    w = widget(page)
    w.locator(".launcher").focus()
    page.keyboard.press("Enter")
    expect(w.locator(".panel")).to_be_visible()
    assert shadow_focus(page)["tag"] == "TEXTAREA"

    page.keyboard.type("Does TTP")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("operate in Afghanistan?")
    assert w.locator("textarea").input_value() == "Does TTP\noperate in Afghanistan?"
    expect(w.locator(".msg.user")).to_have_count(0)
    page.keyboard.press("Enter")
    answer = w.locator("article.answer")
    expect(answer).to_be_visible()

    chips = answer.locator("p.text button.chip")
    chips.first.focus()
    page.keyboard.press("Tab")
    assert shadow_focus(page)["text"] == "2"  # chips are in the Tab order
    page.keyboard.press("Enter")
    expect(w.locator(".popover")).to_be_visible()
    page.keyboard.press("Escape")
    expect(w.locator(".popover")).to_be_hidden()
    assert shadow_focus(page)["text"] == "2"
    page.keyboard.press("Escape")
    expect(w.locator(".panel")).to_be_hidden()
    focused = shadow_focus(page)
    assert "launcher" in focused["cls"] and focused["expanded"] == "false"


def test_inline_custom_element(open_page: Callable[..., Page], base_url: str, ttp: dict) -> None:
    page = open_page(path="/")
    html = (
        "<!doctype html><html><body><h1>Inline</h1>"
        '<script src="/widget.js"></script>'
        '<briefing-chat endpoint="/" api-key="k-123" heading="Desk assistant"></briefing-chat></body></html>'
    )
    page.route(base_url + "/inline-test", lambda route: route.fulfill(content_type="text/html", body=html))
    page.goto(base_url + "/inline-test")
    expect(page.locator("briefing-chat")).to_have_count(1)  # no floating launcher without data-endpoint
    w = widget(page)
    expect(w.locator(".launcher")).to_have_count(0)
    expect(w.locator(".panel[role=region]")).to_be_visible()
    expect(w.locator("h2")).to_have_text("Desk assistant")
    with page.expect_request("**/v1/ask/stream") as request:
        ask(page, QUESTION)
    assert request.value.headers["authorization"] == "Bearer k-123"
    expect(w.locator("article.answer p.text button.chip")).to_have_count(len(ttp["citations"]))


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
