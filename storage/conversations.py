"""Conversations kept between questions: a state and a JSON mapping per key (the bot's FSM
storage stores through this; stale rows are pruned so the table stays small)."""

from __future__ import annotations

import json
from typing import Any

import aiosqlite

from storage import rows
from storage.transactions import Transactions

KEEP_DAYS = 7  # rows untouched longer than this go: a conversation's context lasts minutes


class ConversationQueries:
    def __init__(self, db: aiosqlite.Connection, tx: Transactions) -> None:
        self.db, self.tx = db, tx

    async def get(self, key: str) -> tuple[str | None, dict[str, Any]]:
        found = await rows.fetch(self.db, "SELECT state, data FROM conversations WHERE key = ?", (key,))
        if not found:
            return None, {}
        state, data = found[0]
        return state, json.loads(data or "{}")

    async def set_state(self, key: str, state: str | None) -> None:
        await self.tx.write(
            "INSERT INTO conversations(key, state) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
            "state = excluded.state, updated_at = datetime('now')",
            (key, state),
        )

    async def set_data(self, key: str, data: dict[str, Any]) -> None:
        await self.tx.write(
            "INSERT INTO conversations(key, data) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
            "data = excluded.data, updated_at = datetime('now')",
            (key, json.dumps(data, ensure_ascii=False)),
        )

    async def prune(self) -> None:
        await self.tx.write("DELETE FROM conversations WHERE updated_at < datetime('now', ?)", (f"-{KEEP_DAYS} days",))
