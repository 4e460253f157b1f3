"""Settings from the environment and ``.env`` (pydantic-settings); CLI flags override them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_path: Path = Path("./coopbot.sqlite3")
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one object per line, for log collectors

    # Telegram
    bot_token: SecretStr | None = None  # SecretStr: never printed by repr() or in logs
    admin_ids: Annotated[list[int], NoDecode] = []  # "1,2,3"
    telegram_api_base: str | None = None  # another Bot API server: self-hosted, or the tests' fake
    webhook_url: str | None = None  # set → webhook mode; its path is where updates are served
    webhook_secret: SecretStr | None = None  # checked on every update; random per start when unset
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    # polling mode: /healthz and /metrics on this port (unset: no such server); a webhook serves them itself
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"

    # digests: how often the running bot looks for new agreements, and polls feeds for articles
    digest_poll_seconds: float = 60.0
    digest_max_age_days: int = 30  # a digest announces deals dated within this many days: news, not history
    feed_poll_seconds: float = 900.0
    # feeds from a hostile web: size and time bounds, and the guard against internal addresses
    feed_max_bytes: int = 5_000_000
    page_max_bytes: int = 3_000_000
    feed_deadline_seconds: float = 30.0
    feed_max_items: int = 50
    feed_concurrency: int = 4
    feeds_allow_private: bool = False  # 1: fetch loopback/private addresses too (tests, intranet feeds)
    feeds_allow_hosts: Annotated[list[str], NoDecode] = []  # hosts or addresses let through anyway

    # how long a conversation remembers the previous question's places (follow-ups)
    context_ttl_minutes: float = 30.0
    # an operator's Redis (aiogram's RedisStorage) for the conversations, instead of the store
    redis_url: str | None = None

    # messages per second overall (Telegram allows ~30; paid broadcasts allow more)
    send_per_second: int = 24
    # per-user flood limit: at most this many messages or taps within the window
    throttle_messages: int = 10
    throttle_seconds: float = 10.0
    # replies waiting per chat behind the one being answered (groups: Telegram allows 20 a minute),
    # and updates waiting or being handled at once across all chats
    group_queue: int = 3
    max_waiting_updates: int = 1000

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("feeds_allow_hosts", mode="before")
    @classmethod
    def _host_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator(
        "bot_token", "telegram_api_base", "webhook_url", "webhook_secret", "redis_url", "metrics_port", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
