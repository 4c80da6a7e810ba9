"""Configuration, read once from the environment (prefix ``BRIEFING_``).

Nothing else reads the environment for settings: front ends call :func:`get_settings` once and
pass the result down; tests build ``Settings(...)`` directly. Secrets are
``SecretStr`` so that they never print in logs or reprs.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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
    embedder: Literal["minilm", "minilm-int8", "fake"] = Field(
        default="minilm-int8",
        description="'minilm-int8' (default): MiniLM quantized to int8 on first use; 'minilm': the float "
        "model; 'fake' is for tests only. Query an index with the embedder that built it.",
    )
    model_cache_dir: Path = Field(
        default=Path(".briefing/models"), description="Where the int8 model export is kept once made."
    )
    upload_threads: int = Field(
        default=1, ge=1, le=64, description="Cores the service gives to embedding an upload; the rest answer questions."
    )
    passage_tokens: int = Field(default=128, ge=16, le=256, description="Target word pieces per passage (max 256).")

    # Retrieval and answers
    top_k: int = Field(default=12, ge=1, le=100, description="Passages retrieved per question.")
    llm: str | None = Field(default=None, description="LangChain chat model 'provider:model', or 'llamacpp:/path.gguf'.")
    llm_timeout_s: float = Field(default=30.0, gt=0, description="Give up on the LLM after this long.")

    # Service
    api_keys: SecretStr | None = Field(
        default=None,
        description="API keys (BRIEFING_API_KEYS): comma-separated 'key:scope[:origin|origin...]' "
        "entries, scope 'ask' or 'admin', origins like 'https://intranet.example'; or '@/path/to/file' "
        "naming a file with one entry per line ('#' starts a comment). Unset: the API is open "
        "(localhost demo only).",
    )
    """Compared in constant time, never logged; an 'ask' key with origins suits a widget."""
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call the API from a browser: comma-separated or a JSON list.",
    )
    public_url: str | None = Field(default=None, description="Public base URL, for links to the document view.")
    max_question_chars: int = Field(default=2000, description="Longest question accepted.")
    max_history_turns: int = Field(default=20, description="Most history turns accepted.")
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, description="Largest upload accepted.")
    rate_limit_per_minute: int = Field(
        default=120, ge=1, description="Requests per minute per key and per IP, per replica (in-process)."
    )
    max_request_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest non-upload request body."
    )
    stream_timeout_s: float = Field(
        default=120.0, gt=0, description="An answer stream ends with an error event after this long."
    )
    log_level: str = Field(default="INFO", description="Service log level (DEBUG, INFO, WARNING, ...).")
    log_format: Literal["json", "text"] = Field(
        default="json", description="'json': one JSON object per line; 'text': human-readable."
    )

    slack: SlackSettings = Field(default_factory=SlackSettings, description="Slack app settings.")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        """Accept ``https://a.example,https://b.example`` as well as a JSON list."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip().rstrip("/") for part in text.split(",") if part.strip()]
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first call."""
    return Settings()
