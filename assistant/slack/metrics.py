"""Prometheus counters of the Slack bot, on the default registry that ``/metrics`` exposes."""

from __future__ import annotations

from prometheus_client import Counter

FEEDBACK_VALUES = ("helpful", "not_helpful")
"""The values a feedback button can carry; anything else in a payload is ignored."""

FEEDBACK = Counter(
    "briefing_slack_feedback",
    "Clicks on the helpful / not helpful buttons under Slack answers.",
    ["value"],
)
QUESTIONS = Counter(
    "briefing_slack_questions",
    "Questions received from Slack, by surface (mention, dm, command).",
    ["surface"],
)
FAILURES = Counter(
    "briefing_slack_failures",
    "Questions that ended in an error reply, by surface.",
    ["surface"],
)
DUPLICATES = Counter(
    "briefing_slack_duplicate_events",
    "Events dropped because Slack delivered them again (retries, double subscriptions).",
)
