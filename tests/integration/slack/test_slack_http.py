"""The Slack bot end to end over real HTTP: signed requests -> uvicorn -> FastAPI -> Bolt -> fake Web API.

Nothing inside the app is mocked: Slack's requests are signed with a test signing secret and
sent to a real uvicorn server on 127.0.0.1, and the app's Web API calls go to a fake Slack Web
API (``tests/fake_slack.py``), also on 127.0.0.1, that records them. ``ask`` is the seed-based
deterministic answerer. Socket Mode and the manifest: ``test_slack_socket_mode.py``.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import REGISTRY
from pydantic import SecretStr

from assistant.settings import Settings, SlackSettings
from assistant.slack import EVENTS_PATH, mount_slack
from assistant.slack.render import PLACEHOLDER_TEXT, SHARE_ACTION
from assistant.types import Turn
from tests.fake_slack import BOT_ID, BOT_TOKEN, BOT_USER_ID, FakeSlackApi
from tests.seed_ask import SeedAsk
from tests.slack_support import (
    CHANNEL,
    DM,
    PUBLIC_URL,
    SECRET,
    TTP_QUESTION,
    USER,
    action_values,
    bot_message_ts,
    button_click,
    direct_message,
    event_body,
    interaction,
    mention,
    placeholders,
    send_event,
    slash_command,
    texts,
    updates_of,
)

pytestmark = pytest.mark.integration


# -- behaviour ---------------------------------------------------------------------------------


def test_mention_answers_in_thread_with_placeholder_then_cited_update(
    server: str, fake: FakeSlackApi, ask: SeedAsk
) -> None:
    ask.hold("TTP")
    event = mention(fake, TTP_QUESTION)
    started = time.monotonic()
    response = send_event(server, event)
    assert response.status_code == 200
    assert time.monotonic() - started < 3.0  # acknowledged within Slack's window, answer still pending

    [placeholder] = fake.wait_for(lambda f: placeholders(f, CHANNEL))
    assert placeholder.args["thread_ts"] == event["ts"]
    assert placeholder.token == BOT_TOKEN
    assert fake.calls_to("chat.update") == []  # the answer is still being prepared
    ask.release("TTP")

    [update] = fake.wait_for(lambda f: updates_of(f, CHANNEL))
    assert update.args["ts"] in bot_message_ts(fake, CHANNEL, event["ts"])
    body = texts(update)
    assert "[1][3]" in body and "[2]" in body
    assert ":warning: *The sources disagree: whether TTP operates from Afghanistan*" in body
    assert "• *the Taliban* denies:" in body and "affirms: UN reports confirm" in body
    assert "verified 3/3 citations" in body
    links = re.findall(r"<(https://[^|>]+)\|", body)
    assert len(links) == 3
    for link, (start, end) in zip(links, re.findall(r"start=(\d+)&end=(\d+)", body), strict=True):
        assert link.startswith(f"{PUBLIC_URL}/documents/seeds%2F000_e8fa8a199500442e.txt?")
        assert ask.text[int(start) : int(end)] in body  # the quote shown is exactly that span
    assert set(action_values(update)) == {"briefing_feedback_helpful", "briefing_feedback_not_helpful"}
    assert ask.calls == [(TTP_QUESTION, [])]


def test_direct_message_is_answered_in_the_dm(server: str, fake: FakeSlackApi, ask: SeedAsk) -> None:
    event = direct_message(fake, "What did Zaidi say about TTP?")
    assert send_event(server, event).status_code == 200
    [update] = fake.wait_for(lambda f: updates_of(f, DM))
    [placeholder] = placeholders(fake, DM)
    assert "thread_ts" not in placeholder.args  # a top-level answer in the DM
    assert update.args["ts"] in bot_message_ts(fake, DM, None)
    assert "[1][3]" in texts(update)
    assert ask.calls == [("What did Zaidi say about TTP?", [])]
    assert placeholders(fake, CHANNEL) == []


def test_brief_command_answers_privately_with_a_share_button(server: str, fake: FakeSlackApi) -> None:
    response = slash_command(
        server, fake, TTP_QUESTION, "command-1", trigger_id="1.2.3", token="legacy-verification-token"
    )
    assert response.status_code == 200
    assert response.json() == {"text": f"{PLACEHOLDER_TEXT}\n> {TTP_QUESTION}", "response_type": "ephemeral"}

    [private] = fake.wait_for(lambda f: f.calls_to("response_url"))
    assert private.args["response_url_name"] == "command-1"
    assert private.args["response_type"] == "ephemeral"
    assert "[1][3]" in texts(private) and "disagree" in texts(private)
    assert fake.calls_to("chat.postMessage") == []  # nothing public yet
    share_key = action_values(private)[SHARE_ACTION]

    assert interaction(server, button_click(fake, SHARE_ACTION, share_key, "share-1")).status_code == 200
    [shared] = fake.wait_for(lambda f: f.calls_to("chat.postMessage"))
    assert shared.args["channel"] == CHANNEL and "thread_ts" not in shared.args
    assert f"<@{USER}> shared an answer to: \u201c{TTP_QUESTION}\u201d" in texts(shared)
    assert "[1][3]" in texts(shared) and SHARE_ACTION not in action_values(shared)
    done = fake.wait_for(
        lambda f: [c for c in f.calls_to("response_url") if c.args["response_url_name"] == "share-1"]
    )
    assert done[0].args["replace_original"] is True


def test_share_uses_the_response_url_when_the_bot_is_not_in_the_channel(
    server: str, fake: FakeSlackApi
) -> None:
    assert slash_command(server, fake, TTP_QUESTION, "command-2").status_code == 200
    [private] = fake.wait_for(lambda f: f.calls_to("response_url"))
    fake.failures["chat.postMessage"] = "not_in_channel"
    click = button_click(fake, SHARE_ACTION, action_values(private)[SHARE_ACTION], "share-2")
    assert interaction(server, click).status_code == 200
    posts = fake.wait_for(
        lambda f: [c for c in f.calls_to("response_url") if c.args.get("response_type") == "in_channel"]
    )
    assert "[1][3]" in texts(posts[0])


def test_thread_follow_up_uses_the_thread_as_history(server: str, fake: FakeSlackApi, ask: SeedAsk) -> None:
    first = mention(fake, TTP_QUESTION)
    send_event(server, first)
    fake.wait_for(lambda f: updates_of(f, CHANNEL))

    follow_up = mention(fake, "and what did the UN say about it?", thread_ts=first["ts"])
    assert send_event(server, follow_up).status_code == 200
    updates = fake.wait_for(lambda f: updates_of(f, CHANNEL) if len(updates_of(f, CHANNEL)) == 2 else None)

    [replies] = fake.calls_to("conversations.replies")
    assert replies.args["channel"] == CHANNEL and replies.args["ts"] == first["ts"]
    question, history = ask.calls[-1]
    assert question == "and what did the UN say about it?"
    assert history == [
        Turn(role="user", content=TTP_QUESTION),
        Turn(role="assistant", content=ask.ttp_answer().answer),
    ]
    assert placeholders(fake, CHANNEL)[-1].args["thread_ts"] == first["ts"]
    assert "Zaidi says UN reports confirm" in texts(updates[-1])


@pytest.mark.parametrize(
    ("secret", "age_s"),
    [("not-the-signing-secret", 0), (SECRET, 6 * 60)],
    ids=["bad-signature", "replayed-timestamp"],
)
def test_unverified_requests_are_rejected(
    server: str, fake: FakeSlackApi, ask: SeedAsk, secret: str, age_s: int
) -> None:
    event = mention(fake, TTP_QUESTION)
    response = send_event(server, event, secret=secret, timestamp=int(time.time()) - age_s)
    assert response.status_code == 401
    unsigned = httpx.post(server, content=event_body(event), headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    time.sleep(0.3)
    assert [c.method for c in fake.calls if c.method != "auth.test"] == []
    assert ask.calls == []


def test_a_request_four_minutes_old_is_still_accepted(server: str, fake: FakeSlackApi) -> None:
    event = direct_message(fake, "Is TTP in Afghanistan?")
    assert send_event(server, event, timestamp=int(time.time()) - 4 * 60).status_code == 200
    fake.wait_for(lambda f: updates_of(f, DM))


def test_retried_event_is_answered_once(server: str, fake: FakeSlackApi, ask: SeedAsk) -> None:
    event = mention(fake, TTP_QUESTION)
    event_id = "Ev0RETRIED01"
    assert send_event(server, event, event_id=event_id).status_code == 200
    for attempt in (1, 2):
        retry = {"X-Slack-Retry-Num": str(attempt), "X-Slack-Retry-Reason": "http_timeout"}
        assert send_event(server, event, event_id=event_id, headers=retry).status_code == 200
    # The same message delivered again as another event type is not answered twice either.
    as_message = {**event, "type": "message", "channel_type": "channel"}
    assert send_event(server, as_message).status_code == 200
    fake.wait_for(lambda f: updates_of(f, CHANNEL))
    time.sleep(0.3)
    assert len(placeholders(fake, CHANNEL)) == 1
    assert len(updates_of(fake, CHANNEL)) == 1
    assert ask.calls == [(TTP_QUESTION, [])]


def test_bot_messages_are_ignored(server: str, fake: FakeSlackApi, ask: SeedAsk) -> None:
    ts = fake.next_ts()
    own = {"type": "message", "channel_type": "im", "channel": DM, "user": BOT_USER_ID, "bot_id": BOT_ID}
    ignored: list[dict[str, Any]] = [
        {**own, "text": "Pakistan's spokesperson says TTP [1].", "ts": ts},
        {**own, "subtype": "bot_message", "text": "TTP?", "ts": fake.next_ts()},
        {
            "type": "message",
            "channel_type": "im",
            "channel": DM,
            "subtype": "bot_message",
            "bot_id": "B0OTHER",
            "text": "TTP? from another bot",
            "ts": fake.next_ts(),
        },
        {
            "type": "message",
            "channel_type": "im",
            "channel": DM,
            "subtype": "message_changed",
            "ts": fake.next_ts(),
            "message": {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "edited TTP", "ts": ts},
        },
        {
            "type": "app_mention",
            "channel": CHANNEL,
            "user": "U0OTHERBOT",
            "bot_id": "B0OTHER",
            "text": f"<@{BOT_USER_ID}> TTP?",
            "ts": fake.next_ts(),
        },
    ]
    for event in ignored:
        assert send_event(server, event).status_code == 200
    sentinel = direct_message(fake, "sentinel: TTP?")
    send_event(server, sentinel)
    fake.wait_for(lambda f: updates_of(f, DM))
    time.sleep(0.3)
    assert ask.calls == [("sentinel: TTP?", [])]
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_over_long_answer_is_split_within_slack_limits(server: str, fake: FakeSlackApi, ask: SeedAsk) -> None:
    event = mention(fake, "Give me the long version")
    send_event(server, event)
    [update] = fake.wait_for(lambda f: updates_of(f, CHANNEL))
    expected = len(ask.long_answer().citations)
    numbers: list[int] = []

    def all_sources_posted(f: FakeSlackApi) -> bool:
        posted = [update] + [c for c in f.calls_to("chat.postMessage") if c.args["text"] != PLACEHOLDER_TEXT]
        numbers[:] = [
            int(n)
            for c in posted
            for n in re.findall(r"^\[(\d+)\] <", texts(c, fallback=False), re.MULTILINE)
        ]
        return len(numbers) >= expected

    fake.wait_for(all_sources_posted)
    assert numbers == list(range(1, expected + 1))
    overflow = [c for c in fake.calls_to("chat.postMessage") if c.args["text"] != PLACEHOLDER_TEXT]
    assert overflow and all(c.args["thread_ts"] == event["ts"] for c in overflow)
    assert "continues in the thread" in texts(update)
    assert fake.calls.index(update) < fake.calls.index(overflow[0])


def test_an_error_becomes_a_polite_reply_with_a_request_id(
    server: str, fake: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="assistant.slack"):
        send_event(server, mention(fake, "boom"))
        [update] = fake.wait_for(lambda f: updates_of(f, CHANNEL))
    reply = texts(update)
    request_id = re.search(r"request id[^`]*`([0-9a-f]{12})`", reply).group(1)  # type: ignore[union-attr]
    assert "Sorry" in reply
    assert "Traceback" not in reply and "secret" not in reply and "RuntimeError" not in reply
    failed = [r for r in caplog.records if request_id in r.getMessage() and r.exc_info]
    assert failed, "the stack trace belongs in the log, under the same request id"
    assert not any(SECRET in r.getMessage() or BOT_TOKEN in r.getMessage() for r in caplog.records)


def test_concurrent_questions_do_not_block_each_other(server: str, fake: FakeSlackApi, ask: SeedAsk) -> None:
    ask.hold("slow")
    slow = mention(fake, "slow question about TTP")
    send_event(server, slow)
    fake.wait_for(lambda f: placeholders(f, CHANNEL))
    quick = mention(fake, "quick question about TTP")
    send_event(server, quick)
    try:
        [update] = fake.wait_for(lambda f: updates_of(f, CHANNEL), timeout=10)
        assert update.args["ts"] in bot_message_ts(fake, CHANNEL, quick["ts"])
    finally:
        ask.release("slow")
    fake.wait_for(lambda f: len(updates_of(f, CHANNEL)) == 2)


def test_feedback_clicks_are_counted_and_logged(
    server: str, fake: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    def count(value: str) -> float:
        return REGISTRY.get_sample_value("briefing_slack_feedback_total", {"value": value}) or 0.0

    before = count("not_helpful"), count("helpful")
    with caplog.at_level(logging.INFO, logger="assistant.slack"):
        click = button_click(fake, "briefing_feedback_not_helpful", "not_helpful", "feedback-1")
        assert interaction(server, click).status_code == 200
        [thanks] = fake.wait_for(lambda f: f.calls_to("response_url"))
    assert thanks.args["replace_original"] is False and "Thanks" in thanks.args["text"]
    assert (count("not_helpful"), count("helpful")) == (before[0] + 1, before[1])
    assert any(
        "slack feedback value=not_helpful" in r.getMessage() and USER in r.getMessage()
        for r in caplog.records
    )


def test_without_slack_settings_nothing_is_mounted(caplog: pytest.LogCaptureFixture, ask: SeedAsk) -> None:
    api = FastAPI()
    slack = SlackSettings(bot_token=None, signing_secret=SecretStr(SECRET), app_token=None)
    with caplog.at_level(logging.INFO, logger="assistant.slack"):
        mount_slack(api, Settings(slack=slack), ask)
    assert EVENTS_PATH not in {getattr(r, "path", None) for r in api.routes}
    messages = " ".join(r.getMessage() for r in caplog.records)
    assert "not mounted" in messages and "BRIEFING_SLACK_BOT_TOKEN" in messages and SECRET not in messages


def test_an_empty_mention_gets_the_usage(server: str, fake: FakeSlackApi, ask: SeedAsk) -> None:
    event = mention(fake, "")
    assert send_event(server, event).status_code == 200
    [usage] = fake.wait_for(lambda f: f.calls_to("chat.postMessage"))
    assert usage.args["thread_ts"] == event["ts"] and "/brief QUESTION" in usage.args["text"]
    assert ask.calls == []
