"""Feeds polled for new articles and the items already handled."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage.transactions import Transactions


@dataclass(slots=True)
class Feed:
    id: int
    url: str
    etag: str | None
    last_modified: str | None
    last_checked_at: str | None
    last_error: str | None


class FeedQueries:
    def __init__(self, db: aiosqlite.Connection, tx: Transactions) -> None:
        self.db = db
        self.tx = tx

    async def add(self, url: str) -> bool:
        """True when the feed is new."""
        return await self.tx.write("INSERT INTO feeds(url) VALUES (?) ON CONFLICT(url) DO NOTHING", (url,)) > 0

    async def remove(self, url: str) -> bool:
        return await self.tx.write("DELETE FROM feeds WHERE url = ?", (url,)) > 0

    async def feeds(self) -> list[Feed]:
        return [
            Feed(*r)
            for r in await self.db.execute_fetchall(
                "SELECT id, url, etag, last_modified, last_checked_at, last_error FROM feeds ORDER BY id"
            )
        ]

    async def checked(
        self, feed_id: int, *, etag: str | None = None, last_modified: str | None = None, error: str | None = None
    ) -> None:
        """After a poll: the validators for the next conditional GET (kept when not given), or the error."""
        await self.tx.write(
            "UPDATE feeds SET etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified), "
            "last_checked_at = datetime('now'), last_error = ? WHERE id = ?",
            (etag, last_modified, error, feed_id),
        )

    async def seen(self, feed_id: int, key: str) -> bool:
        return bool(
            await self.db.execute_fetchall(
                "SELECT 1 FROM feed_items WHERE feed_id = ? AND item_key = ?", (feed_id, key)
            )
        )

    async def mark(self, feed_id: int, key: str, status: str) -> None:
        await self.tx.write(
            "INSERT INTO feed_items(feed_id, item_key, status) VALUES (?,?,?) "
            "ON CONFLICT(feed_id, item_key) DO UPDATE SET status = excluded.status",
            (feed_id, key, status),
        )
