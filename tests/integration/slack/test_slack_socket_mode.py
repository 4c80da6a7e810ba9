"""The Slack bot in Socket Mode (``briefing slack``, no public URL) against a fake Slack
socket on 127.0.0.1, and the app manifest an admin installs.
"""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import SecretStr

from assistant.settings import Settings, SlackSettings
from assistant.slack import EVENTS_PATH, SlackNotConfigured, run_socket_mode
from assistant.slack.app import serve_socket_mode
from assistant.slack.listeners import COMMAND
from tests.fake_slack import BOT_TOKEN, FakeSlackApi, FakeSocketMode
from tests.seed_ask import SeedAsk
from tests.slack_support import (
    DM,
    direct_message,
    event_body,
    texts,
    updates_of,
)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]


def test_socket_mode_answers_without_a_public_url(fake: FakeSlackApi, ask: SeedAsk) -> None:
    socket = FakeSocketMode().start()
    fake.socket_url = socket.url
    slack = SlackSettings(
        bot_token=SecretStr(BOT_TOKEN),
        signing_secret=None,
        app_token=SecretStr("xapp-test"),
        api_url=fake.base_url,
    )
    stop = threading.Event()

    async def run_until_stopped() -> None:
        bot = asyncio.create_task(serve_socket_mode(Settings(slack=slack), ask))
        await asyncio.get_running_loop().run_in_executor(None, stop.wait)
        bot.cancel()
        await asyncio.gather(bot, return_exceptions=True)

    runner = threading.Thread(target=asyncio.run, args=(run_until_stopped(),), daemon=True)
    runner.start()
    try:
        event = direct_message(fake, "over the socket: TTP?")
        envelope = {
            "envelope_id": "env-1",
            "type": "events_api",
            "accepts_response_payload": False,
            "retry_attempt": 0,
            "retry_reason": "",
            "payload": json.loads(event_body(event)),
        }
        socket.send(envelope)
        assert socket.wait_for_ack("env-1")["envelope_id"] == "env-1"
        [update] = fake.wait_for(lambda f: updates_of(f, DM))
        assert "[1][3]" in texts(update)
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.token == "xapp-test"
        assert ask.calls == [("over the socket: TTP?", [])]
    finally:
        stop.set()
        runner.join(timeout=10)
        socket.stop()


def test_socket_mode_needs_the_app_token(ask: SeedAsk) -> None:
    slack = SlackSettings(bot_token=SecretStr(BOT_TOKEN), signing_secret=None, app_token=None)
    with pytest.raises(SlackNotConfigured, match="BRIEFING_SLACK_APP_TOKEN"):
        run_socket_mode(Settings(slack=slack), ask)


# -- the manifest an admin installs ------------------------------------------------------------


def test_manifest_matches_what_the_app_handles() -> None:
    manifest = yaml.safe_load((REPO / "slack" / "manifest.yml").read_text(encoding="utf-8"))
    settings = manifest["settings"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"]]
    [command] = manifest["features"]["slash_commands"]
    urls.append(command["url"])
    assert all(urlsplit(url).path == EVENTS_PATH for url in urls)
    assert command["command"] == COMMAND
    assert settings["interactivity"]["is_enabled"] is True
    assert set(settings["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "channels:history",
        "groups:history",
    }
    assert needed <= scopes
    assert len(manifest["display_information"]["long_description"]) >= 174  # Slack's minimum
