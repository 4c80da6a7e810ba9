"""How the widget behaves in a real headless Chromium: polite, retryable errors (429, 500, a
stream error, injected by intercepting requests), phone width, CSS isolation, keyboard and
focus, and the inline custom element.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, Route, expect

from tests.widget_support import (
    ARTIFACTS,
    INK,
    NO_CONFLICT,
    QUESTION,
    ask,
    ask_ttp,
    open_panel,
    shadow_focus,
    widget,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser]


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
