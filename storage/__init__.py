"""All SQL of CoopBot, behind an async API (aiosqlite)."""

from storage.store import Store

__all__ = ["Store"]
