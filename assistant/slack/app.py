"""The Slack app: built from settings and the answering facade, served over HTTP or Socket Mode.

HTTP mode mounts Bolt at ``POST /slack/events`` of the FastAPI service (events, slash command
and interactivity share the one URL); Bolt verifies every request's signature and rejects
timestamps older than five minutes. Socket Mode (``briefing slack``) needs no public URL.
Tokens and secrets are read from ``Settings`` only, and never logged.
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from assistant.errors import BriefingError
from assistant.settings import Settings
from assistant.slack._memory import SeenEvents
from assistant.slack.listeners import (
    deduplicate,
    register_command,
    register_conversations,
    register_feedback,
    register_share,
)
from assistant.slack.replies import AskFn, Responder

logger = logging.getLogger("assistant.slack")

EVENTS_PATH = "/slack/events"
"""Where Slack sends events, slash commands and interactivity (``slack/manifest.yml``)."""


class SlackNotConfigured(BriefingError):
    """A Slack setting the chosen mode needs is missing."""

    code = "slack_not_configured"


def _missing(settings: Settings, *, socket_mode: bool) -> list[str]:
    slack = settings.slack
    needed = {"BRIEFING_SLACK_BOT_TOKEN": slack.bot_token}
    if socket_mode:
        needed["BRIEFING_SLACK_APP_TOKEN"] = slack.app_token
    else:
        needed["BRIEFING_SLACK_SIGNING_SECRET"] = slack.signing_secret
    return [name for name, value in needed.items() if value is None or not value.get_secret_value()]


def build_slack_app(
    settings: Settings, ask: AskFn, *, socket_mode: bool = False, workers: int = 4
) -> AsyncApp:
    """Build the Bolt app with every listener registered.

    Args:
        settings: Slack credentials, Web API base URL, public URL and history limit.
        ask: The answering facade, ``ask(question, history) -> Answer``.
        socket_mode: Build for Socket Mode (needs the app token instead of the signing secret).
        workers: Questions answered at the same time.

    Raises:
        SlackNotConfigured: A setting the mode needs is missing.
    """
    missing = _missing(settings, socket_mode=socket_mode)
    if missing:
        raise SlackNotConfigured(f"set {' and '.join(missing)} (see docs/slack.md)")
    slack = settings.slack
    assert slack.bot_token is not None  # checked by _missing; narrows the type
    client = AsyncWebClient(token=slack.bot_token.get_secret_value(), base_url=slack.api_url)
    secret = slack.signing_secret.get_secret_value() if slack.signing_secret else ""
    # process_before_response=False: Bolt acks first and runs the listener afterwards, so
    # Slack's 3-second window never depends on how long an answer takes.
    app = AsyncApp(client=client, signing_secret=secret, name="briefing", process_before_response=False)
    responder = Responder(ask, public_url=settings.public_url, workers=workers)
    app.use(deduplicate(SeenEvents()))
    register_conversations(app, responder, settings.max_history_turns)
    register_command(app, responder)
    register_share(app, responder)
    register_feedback(app)
    return app


def mount_slack(api: FastAPI, settings: Settings, ask: AskFn) -> None:
    """Add ``POST /slack/events`` to the service, or log why not and leave the service as is."""
    try:
        app = build_slack_app(settings, ask)
    except SlackNotConfigured as error:
        logger.info("slack bot not mounted: %s", error)
        return
    handler = AsyncSlackRequestHandler(app)

    async def slack_events(request: Request) -> Response:
        return await handler.handle(request)

    api.add_api_route(EVENTS_PATH, slack_events, methods=["POST"], include_in_schema=False)
    logger.info("slack bot mounted at %s", EVENTS_PATH)


async def serve_socket_mode(settings: Settings, ask: AskFn) -> None:
    """Connect to Slack over Socket Mode and answer until cancelled."""
    app = build_slack_app(settings, ask, socket_mode=True)
    assert settings.slack.app_token is not None  # checked by build_slack_app
    handler = AsyncSocketModeHandler(app, settings.slack.app_token.get_secret_value())
    logger.info("slack bot connecting over Socket Mode")
    try:
        await handler.connect_async()  # type: ignore[no-untyped-call]
        await asyncio.Event().wait()
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


def run_socket_mode(settings: Settings, ask: AskFn) -> None:
    """Run the bot over Socket Mode until interrupted (``briefing slack``).

    Raises:
        SlackNotConfigured: The bot token or the app token is missing.
    """
    try:
        asyncio.run(serve_socket_mode(settings, ask))
    except KeyboardInterrupt:
        logger.info("slack bot stopped")
