"""The Slack bot: mentions, direct messages and ``/brief``, answered with cited briefings.

Front end only: it calls the answering facade (``ask(question, history) -> Answer``) and
renders its answer as Block Kit; it holds no answering logic. Serve it inside the FastAPI
service with :func:`mount_slack`, or alone over Socket Mode with :func:`run_socket_mode`.
"""

from assistant.slack.app import EVENTS_PATH, SlackNotConfigured, build_slack_app, mount_slack, run_socket_mode
from assistant.slack.render import SlackMessage, render_answer
from assistant.slack.replies import AskFn

__all__ = [
    "EVENTS_PATH",
    "AskFn",
    "SlackMessage",
    "SlackNotConfigured",
    "build_slack_app",
    "mount_slack",
    "render_answer",
    "run_socket_mode",
]
