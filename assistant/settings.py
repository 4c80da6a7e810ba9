"""Configuration, read once from the environment (prefix ``BRIEFING_``).

Nothing reads ``os.environ`` elsewhere: front ends call :func:`get_settings` once and
pass the result down; tests build ``Settings(...)`` directly. Secrets are
``SecretStr`` so that they never print in logs or reprs.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class SlackSettings(BaseSettings):
    """Slack app credentials (``BRIEFING_SLACK_*``)."""

    model_config = SettingsConfigDict(env_prefix="BRIEFING_SLACK_", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, description="Bot token (xoxb-...).")
    signing_secret: SecretStr | None = Field(default=None, description="Signing secret of the Slack app.")
    app_token: SecretStr | None = Field(default=None, description="App-level token (xapp-...) for Socket Mode.")
    api_url: str = Field(default="https://slack.com/api/", description="Base URL of the Slack Web API.")


class Settings(BaseSettings):
    """Everything the assistant can be told from outside."""

    model_config = SettingsConfigDict(env_prefix="BRIEFING_", extra="ignore")

    # Index
    index_dir: Path = Field(default=Path(".briefing/index"), description="Where the embedded Chroma index lives.")
    chroma_url: str | None = Field(default=None, description="Chroma server URL; when set, the embedded store is not used.")
    collection: str = Field(default="briefing", description="Prefix of the Chroma collections.")
    embedder: Literal["minilm", "fake"] = Field(default="minilm", description="'fake' is for tests only.")
    passage_tokens: int = Field(default=128, ge=16, le=256, description="Target word pieces per passage (max 256).")

    # Retrieval and answers
    top_k: int = Field(default=12, ge=1, le=100, description="Passages retrieved per question.")
    llm: str | None = Field(default=None, description="LangChain chat model 'provider:model', or 'llamacpp:/path.gguf'.")
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Give up on the LLM after this long.")

    # Service
    api_keys: SecretStr | None = Field(
        default=None, description="Keys as 'key:scope[:origin|origin]' separated by commas, or '@/path/to/file'."
    )
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed to call the API from a browser.")
    public_url: str | None = Field(default=None, description="Public base URL, for links to the document view.")
    max_question_chars: int = Field(default=2000, description="Longest question accepted.")
    max_history_turns: int = Field(default=20, description="Most history turns accepted.")
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, description="Largest upload accepted.")
    rate_limit_per_minute: int = Field(default=120, description="Requests per minute per key and per IP.")

    slack: SlackSettings = Field(default_factory=SlackSettings, description="Slack app settings.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first call."""
    return Settings()
