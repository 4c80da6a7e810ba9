"""Block Kit rendering of answers (pure), the Slack text and thread helpers, and the exports."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assistant.slack
from assistant.slack._layout import split_text
from assistant.slack.history import plain_text, thread_turns
from assistant.slack.render import (
    ABSTENTION_TEXT,
    CONTINUED_PREFIX,
    PLACEHOLDER_TEXT,
    SHARE_ACTION,
    SlackMessage,
    render_answer,
    render_error,
)
from assistant.types import Answer, Citation, Conflict, Position, Turn
from tests.block_kit_limits import block_kit_violations
from tests.fake_slack import BOT_ID, BOT_USER_ID
from tests.seed_ask import SEED_ID, SeedAsk

PUBLIC_URL = "https://briefing.example.org/"
LINK = re.compile(r"<(https://[^|>]+)\|([^>]*)>")


@pytest.fixture(scope="module")
def seed() -> SeedAsk:
    return SeedAsk()


def section_texts(message: SlackMessage) -> list[str]:
    return [b["text"]["text"] for b in message.blocks if b["type"] == "section"]


def all_text(message: SlackMessage) -> str:
    parts = section_texts(message)
    parts += [e["text"] for b in message.blocks if b["type"] == "context" for e in b["elements"]]
    return "\n".join(parts)


def action_ids(message: SlackMessage) -> list[str]:
    return [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def test_exports_are_pinned() -> None:
    assert sorted(assistant.slack.__all__) == sorted(
        [
            "EVENTS_PATH",
            "AskFn",
            "SlackMessage",
            "SlackNotConfigured",
            "build_slack_app",
            "mount_slack",
            "render_answer",
            "run_socket_mode",
        ]
    )
    for name in assistant.slack.__all__:
        assert getattr(assistant.slack, name) is not None


def test_answer_keeps_its_citation_markers(seed: SeedAsk) -> None:
    answer = seed.ttp_answer()
    [message] = render_answer(answer, public_url=PUBLIC_URL)
    assert section_texts(message)[0] == answer.answer
    assert "[1][3]" in section_texts(message)[0] and "[2]" in section_texts(message)[0]
    assert message.text == answer.answer
    assert block_kit_violations(message.payload()) == []


def test_sources_link_to_the_highlighted_span(seed: SeedAsk) -> None:
    answer = seed.ttp_answer()
    [message] = render_answer(answer, public_url=PUBLIC_URL)
    sources = next(t for t in section_texts(message) if t.startswith("*Sources*"))
    lines = sources.splitlines()[1:]
    assert len(lines) == len(answer.citations)
    for line, citation in zip(lines, answer.citations, strict=True):
        url, title = LINK.search(line).groups()  # type: ignore[union-attr]
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}/" == PUBLIC_URL
        assert parts.path == "/documents/seeds%2F000_e8fa8a199500442e.txt"
        assert unquote(parts.path.removeprefix("/documents/")) == SEED_ID
        query = {k: int(v[0]) for k, v in parse_qs(parts.query).items()}
        assert seed.text[query["start"] : query["end"]] == citation.quote
        assert title == "Pakistan rejects Taliban allegations &amp; cites UN reports"
        assert line.startswith(f"[{citation.n}] <")
        assert line.endswith(f", 2025-02-10: \u201c{citation.quote}\u201d")


def test_sources_without_public_url_have_no_links(seed: SeedAsk) -> None:
    [message] = render_answer(seed.ttp_answer(), public_url=None)
    sources = next(t for t in section_texts(message) if t.startswith("*Sources*"))
    assert "<http" not in sources
    assert (
        "[2] Pakistan rejects Taliban allegations &amp; cites UN reports, 2025-02-10: \u201cZaidi stressed"
        in sources
    )


def test_conflict_callout_shows_each_position(seed: SeedAsk) -> None:
    [message] = render_answer(seed.ttp_answer())
    callout = next(t for t in section_texts(message) if "disagree" in t)
    assert "whether TTP operates from Afghanistan" in callout
    lines = callout.splitlines()[1:]
    assert lines[0].startswith("• *Musharraf Zaidi, spokesperson for Pakistan's Prime Minister* affirms:")
    assert lines[0].endswith("[1][3]")
    assert lines[1].startswith("• *the Taliban* denies:") and lines[1].endswith("[2]")
    texts = section_texts(message)
    assert texts.index(callout) < next(i for i, t in enumerate(texts) if t.startswith("*Sources*"))


def test_value_conflicts_show_each_value(seed: SeedAsk) -> None:
    citation = seed.cite(1, "Pakistan remains committed to regional peace")
    conflict = Conflict(
        topic="number of fighters",
        kind="value",
        positions=[
            Position(holder="A", stance="affirms", summary="Many.", value="6,000", citations=[1]),
            Position(holder="B", stance="qualifies", summary="Fewer.", value="<3,000", citations=[1]),
        ],
    )
    answer = Answer(answer="Counts differ [1].", abstained=False, citations=[citation], conflicts=[conflict])
    [message] = render_answer(answer)
    assert "• *A* affirms (6,000): Many. [1]" in all_text(message)
    assert "• *B* qualifies (&lt;3,000): Fewer. [1]" in all_text(message)


def test_verification_line_counts_removed_citations(seed: SeedAsk) -> None:
    [message] = render_answer(seed.ttp_answer())
    assert "verified 3/3 citations" in all_text(message)
    answer = seed.un_answer().model_copy(update={"verification": {"removed": 1}})
    [message] = render_answer(answer)
    assert "verified 2/3 citations" in all_text(message)


def test_feedback_buttons_and_optional_share_button(seed: SeedAsk) -> None:
    [plain] = render_answer(seed.ttp_answer())
    assert action_ids(plain) == ["briefing_feedback_helpful", "briefing_feedback_not_helpful"]
    [shared] = render_answer(seed.ttp_answer(), share_key="k" * 32)
    assert action_ids(shared)[-1] == SHARE_ACTION
    share = [e for b in shared.blocks if b["type"] == "actions" for e in b["elements"]][-1]
    assert share["value"] == "k" * 32
    assert block_kit_violations(shared.payload()) == []


def test_abstention_is_a_plain_message() -> None:
    answer = Answer(answer="", abstained=True, near_misses=[])
    [message] = render_answer(answer, public_url=PUBLIC_URL)
    assert message.text == ABSTENTION_TEXT
    assert ABSTENTION_TEXT in section_texts(message)[0]
    assert "Sources" not in all_text(message) and "verified" not in all_text(message)
    assert action_ids(message) == ["briefing_feedback_helpful", "briefing_feedback_not_helpful"]


def test_long_answer_is_split_within_limits_and_loses_nothing(seed: SeedAsk) -> None:
    answer = seed.long_answer()
    messages = render_answer(answer, public_url=PUBLIC_URL, share_key="abc")
    assert len(messages) >= 2
    for message in messages:
        assert block_kit_violations(message.payload()) == []
    first, rest = messages[0], messages[1:]
    assert "continues in the thread" in all_text(first)
    assert action_ids(first)[-1] == SHARE_ACTION
    assert all(m.text.startswith(CONTINUED_PREFIX) and not action_ids(m) for m in rest)
    texts = [t for m in messages for t in section_texts(m)]
    answer_chunks = texts[: next(i for i, t in enumerate(texts) if t.startswith("*Sources*"))]
    assert " ".join(answer_chunks).split() == answer.answer.split()
    source_lines = "\n".join(texts[len(answer_chunks) :]).splitlines()[1:]
    numbers = [int(m.group(1)) for line in source_lines if (m := re.match(r"\[(\d+)\] <", line))]
    assert numbers == [c.n for c in answer.citations]


def test_giant_quote_is_cut_cleanly_without_breaking_links(seed: SeedAsk) -> None:
    whole = seed.text.strip()
    citation = seed.cite(1, whole)
    answer = Answer(answer="The whole article [1].", abstained=False, citations=[citation])
    messages = render_answer(answer, public_url=PUBLIC_URL)
    texts = [t for m in messages for t in section_texts(m)]
    assert all(len(t) <= 3000 for t in texts)
    assert len(texts) >= 2
    for text in texts:
        assert text.count("<") == text.count(">")
    shown = " ".join(texts[1:])
    assert " ".join(whole.split())[-200:] in shown


def test_markup_in_sources_is_escaped(seed: SeedAsk) -> None:
    citation = seed.cite(1, "Pakistan remains committed to regional peace").model_copy(
        update={"title": "<!channel> & <script>"}
    )
    answer = Answer(answer="Peace <b>matters</b> [1].", abstained=False, citations=[citation])
    [message] = render_answer(answer)
    text = all_text(message)
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; &lt;script&gt;" in text
    assert "Peace &lt;b&gt;matters&lt;/b&gt; [1]." in text


def test_error_reply_is_polite_and_carries_the_request_id() -> None:
    message = render_error("abc123def456")
    assert "abc123def456" in message.text and "Sorry" in message.text
    refused = render_error("r1", "the question is too long; shorten it to 2000 characters")
    assert "shorten it" in refused.text and "r1" in refused.text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=400),
            st.sampled_from(["\n", "\n\n", ". ", " ", "<https://x.org/a b|a title>", "word"]),
        ),
        max_size=60,
    ),
    st.integers(min_value=40, max_value=3000),
)
def test_split_text_fits_and_keeps_every_word(pieces: list[str], limit: int) -> None:
    text = "".join(pieces)
    chunks = split_text(text, limit)
    assert all(0 < len(c) <= limit for c in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


# -- Slack text and thread history -------------------------------------------------------------


def test_plain_text_removes_the_bot_mention_and_unwraps_markup() -> None:
    text = f"<@{BOT_USER_ID}> what did <@U0BOB|bob> say in <#C0GEN|general> about "
    text += "<https://un.org|the UN> &amp; X?"
    assert plain_text(text, bot_user_id=BOT_USER_ID) == "what did @bob say in #general about the UN & X?"
    assert plain_text("<!here> <https://un.org> a &lt;b&gt;") == "@here https://un.org a <b>"


def thread(*messages: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"ts": f"1700000000.{i:06d}", **m} for i, m in enumerate(messages, start=1)]


def test_thread_turns_keep_people_and_the_bot_answers_in_order() -> None:
    messages = thread(
        {"user": "U1", "text": f"<@{BOT_USER_ID}> Does TTP operate from Afghanistan?"},
        {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": "Zaidi says it does [1]."},
        {"bot_id": "B0OTHER", "subtype": "bot_message", "text": "build passed"},
        {"user": BOT_USER_ID, "bot_id": BOT_ID, "text": f"{CONTINUED_PREFIX} *Sources*"},
        {"user": "U2", "subtype": "channel_join", "text": "joined"},
        {"user": "U1", "text": f"<@{BOT_USER_ID}> and what did the UN say about it?"},
        {"user": "U1", "text": "later message"},
    )
    turns = thread_turns(
        messages, current_ts="1700000000.000006", bot_user_id=BOT_USER_ID, bot_id=BOT_ID, limit=20
    )
    assert turns == [
        Turn(role="user", content="Does TTP operate from Afghanistan?"),
        Turn(role="assistant", content="Zaidi says it does [1]."),
    ]


def test_thread_turns_skip_placeholders_and_keep_the_latest() -> None:
    messages = thread(
        *[{"user": "U1", "text": f"question {i}"} for i in range(5)],
        {"bot_id": BOT_ID, "text": PLACEHOLDER_TEXT},
        {"user": "U1", "text": "now"},
    )
    turns = thread_turns(
        messages, current_ts="1700000000.000007", bot_user_id=BOT_USER_ID, bot_id=BOT_ID, limit=2
    )
    assert [t.content for t in turns] == ["question 3", "question 4"]
    assert (
        thread_turns(messages, current_ts="1700000000.000007", bot_user_id=None, bot_id=None, limit=0) == []
    )


def test_citation_records_used_here_are_exact_spans(seed: SeedAsk) -> None:
    # Guard for the fixtures themselves: every quote rendered above is text[start:end].
    for citation in seed.ttp_answer().citations + seed.long_answer().citations:
        assert isinstance(citation, Citation)
        assert seed.text[citation.start : citation.end] == citation.quote
