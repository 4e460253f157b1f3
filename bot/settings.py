"""Settings from the environment and ``.env`` (pydantic-settings); CLI flags override them."""
from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_path: Path = Path("./coopbot.sqlite3")
    log_level: str = "INFO"
