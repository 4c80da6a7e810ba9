"""Fixtures of the widget tests: Debian's chromium driven by Playwright, the real app over the
seed corpus (real model) and a paced stub, each on 127.0.0.1, and pages that fail their test on
any uncaught page error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.widget_server import build_real_app, build_stub_app, start_server
from tests.widget_support import QUESTION

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
