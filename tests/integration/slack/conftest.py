"""Fixtures of the Slack integration tests: the fake Slack Web API, the seed-based answerer and
the bot's uvicorn server on 127.0.0.1 (one of each per test module)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from assistant.settings import Settings, SlackSettings
from assistant.slack import EVENTS_PATH, mount_slack
from tests.block_kit_limits import block_kit_violations
from tests.fake_slack import BOT_TOKEN, FakeSlackApi
from tests.seed_ask import SeedAsk
from tests.slack_support import PUBLIC_URL, SECRET


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlackApi]:
    api = FakeSlackApi().start()
    yield api
    api.stop()


@pytest.fixture(scope="module")
def ask() -> SeedAsk:
    return SeedAsk()


@pytest.fixture(scope="module")
def server(fake: FakeSlackApi, ask: SeedAsk) -> Iterator[str]:
    slack = SlackSettings(
        bot_token=SecretStr(BOT_TOKEN),
        signing_secret=SecretStr(SECRET),
        app_token=None,
        api_url=fake.base_url,
    )
    api = FastAPI()
    mount_slack(api, Settings(public_url=PUBLIC_URL, slack=slack), ask)
    config = uvicorn.Config(api, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30  # a bound for a busy machine
    while not uv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = uv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}{EVENTS_PATH}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(autouse=True)
def clean(fake: FakeSlackApi, ask: SeedAsk) -> Iterator[None]:
    fake.reset()
    ask.calls.clear()
    yield
    for call in fake.calls:  # every message the bot sent, in every test, is within Slack's limits
        if "blocks" in call.args:
            assert block_kit_violations(call.args) == [], call.method


