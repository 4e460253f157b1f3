"""One connection, many tasks: the bot answers, plans digests and ingests feeds concurrently on
the same aiosqlite connection, so a BEGIN…COMMIT must not interleave with another task's writes
(they would join it, or fail to BEGIN). Every write goes through this lock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiosqlite


class Transactions:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self.lock = asyncio.Lock()

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[aiosqlite.Connection]:
        """``async with tx():`` — all or nothing, alone."""
        async with self.lock:
            await self.db.execute("BEGIN")
            try:
                yield self.db
            except BaseException:
                await self.db.execute("ROLLBACK")
                raise
            await self.db.execute("COMMIT")

    async def write(self, sql: str, params: tuple | list = ()) -> int:
        """One statement on its own (autocommit), never inside another task's transaction; the row count."""
        async with self.lock:
            cursor = await self.db.execute(sql, params)
            return cursor.rowcount
