"""Subscriptions, new deals and the durable outbox of digest messages."""

from __future__ import annotations

import json
from dataclasses import dataclass

import aiosqlite

from bot.models import Agreement, StoredArticle, Subscription
from storage import rows
from storage.transactions import Transactions

_SUBSCRIPTION_COLUMNS = (
    "id, chat_id, chat_type, chat_title, regions, topics, frequency, send_at, timezone, active, "
    "created_by, seen_deal, last_digest_at"
)


@dataclass(slots=True)
class DealReport:
    """One new agreement with every article that reported it."""

    deal_id: int
    agreement: Agreement
    articles: list[StoredArticle]
    topics: set[str]
    history: bool = True  # only registry entries report it: a past event, never announced


@dataclass(slots=True)
class Delivery:
    id: int
    subscription_id: int
    chat_id: int
    part: int
    text: str
    attempts: int


def _subscription(row) -> Subscription:
    (sid, chat_id, chat_type, title, regions, topics, frequency, send_at, tz, active, created_by, seen, last) = row
    return Subscription(
        chat_id,
        chat_type,
        title,
        json.loads(regions),
        json.loads(topics),
        frequency,
        send_at,
        tz,
        bool(active),
        created_by,
        sid,
        seen,
        last,
    )


class DigestQueries:
    def __init__(self, db: aiosqlite.Connection, tx: Transactions) -> None:
        self.db = db
        self.tx = tx

    # -- subscriptions -----------------------------------------------------------------------
    async def subscribe(self, sub: Subscription) -> Subscription:
        """Create or replace the chat's subscription. A new (or reactivated) one starts after the
        newest deal known now: subscribing never sends the backlog."""
        await self.tx.write(
            "INSERT INTO subscriptions(chat_id, chat_type, chat_title, regions, topics, frequency, send_at, timezone, "
            "created_by, seen_deal) VALUES (?,?,?,?,?,?,?,?,?, (SELECT COALESCE(MAX(id), 0) FROM deals)) "
            "ON CONFLICT(chat_id) DO UPDATE SET chat_type=excluded.chat_type, chat_title=excluded.chat_title, "
            "regions=excluded.regions, topics=excluded.topics, frequency=excluded.frequency, send_at=excluded.send_at, "
            "timezone=excluded.timezone, created_by=excluded.created_by, deactivated_reason=NULL, "
            "seen_deal=CASE WHEN active THEN seen_deal ELSE excluded.seen_deal END, active=1",
            (
                sub.chat_id,
                sub.chat_type,
                sub.chat_title,
                json.dumps(sub.regions),
                json.dumps(sub.topics),
                sub.frequency,
                sub.send_at,
                sub.timezone,
                sub.created_by,
            ),
        )
        saved = await self.subscription(sub.chat_id)
        assert saved is not None
        return saved

    async def subscription(self, chat_id: int) -> Subscription | None:
        found = await rows.fetch(
            self.db, f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE chat_id = ?", (chat_id,)
        )
        return _subscription(found[0]) if found else None

    async def subscriptions(self, *, active: bool | None = True, created_by: int | None = None) -> list[Subscription]:
        where, params = [], []
        if active is not None:
            where.append("active = ?")
            params.append(int(active))
        if created_by is not None:
            where.append("created_by = ?")
            params.append(created_by)
        sql = f"SELECT {_SUBSCRIPTION_COLUMNS} FROM subscriptions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_subscription(r) for r in await self.db.execute_fetchall(sql + " ORDER BY id", params)]

    async def unsubscribe(self, chat_id: int) -> bool:
        return await self.tx.write("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)) > 0

    async def deactivate(self, chat_id: int, reason: str) -> None:
        """The chat is gone for the bot (blocked, kicked, deleted): stop planning and sending."""
        async with self.tx() as db:
            await db.execute(
                "UPDATE subscriptions SET active = 0, deactivated_reason = ? WHERE chat_id = ?", (reason, chat_id)
            )
            await db.execute(
                "UPDATE deliveries SET status = 'dropped', error = ? WHERE chat_id = ? AND status = 'pending'",
                (reason, chat_id),
            )

    async def move_chat(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its subscription and pending messages follow it."""
        async with self.tx() as db:
            await db.execute(
                "UPDATE subscriptions SET chat_id = ?, chat_type = 'supergroup' WHERE chat_id = ?", (new_id, old_id)
            )
            await db.execute("UPDATE deliveries SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))

    # -- new deals ---------------------------------------------------------------------------
    async def newest_deal(self) -> int:
        ((newest,),) = await self.db.execute_fetchall("SELECT COALESCE(MAX(id), 0) FROM deals")
        return newest

    async def deals_after(self, deal_id: int) -> list[DealReport]:
        """Deals above ``deal_id`` that some stored article still reports, oldest first."""
        found = await self.db.execute_fetchall(
            f"SELECT ag.deal_id, {rows.AGREEMENT_COLUMNS}, {rows.ARTICLE_COLUMNS}, "
            f"(SELECT group_concat(topic_id) FROM article_topics WHERE article_id = art.id), art.origin "
            f"FROM agreements ag JOIN articles art ON art.id = ag.article_id "
            f"WHERE ag.deal_id > ? ORDER BY ag.deal_id, art.published, art.id, ag.id",
            (deal_id,),
        )
        reports: dict[int, DealReport] = {}
        for row in found:
            deal = row[0]
            article = rows.article(row[9:14])
            topics = set((row[14] or "").split(",")) - {""}
            if deal not in reports:
                reports[deal] = DealReport(deal, rows.agreement(row[1:9]), [], set())
            report = reports[deal]
            if all(a.id != article.id for a in report.articles):
                report.articles.append(article)
            report.topics |= topics
            report.history = report.history and row[15] == "registry"
        return list(reports.values())

    # -- the outbox --------------------------------------------------------------------------
    async def plan(
        self, sub: Subscription, batch: str, parts: list[str], seen_deal: int, digest_at: str | None
    ) -> None:
        """Write a digest's messages to the outbox and move the subscription's mark past its deals,
        in one transaction: a crash leaves either both or neither. ``digest_at`` (a daily or weekly
        digest's time) becomes the subscription's last digest; None leaves it as it was."""
        async with self.tx() as db:
            await db.executemany(
                "INSERT OR IGNORE INTO deliveries(subscription_id, chat_id, batch, part, text) VALUES (?,?,?,?,?)",
                [(sub.id, sub.chat_id, batch, n, text) for n, text in enumerate(parts)],
            )
            await db.execute(
                "UPDATE subscriptions SET seen_deal = MAX(seen_deal, ?), last_digest_at = COALESCE(?, last_digest_at) "
                "WHERE id = ?",
                (seen_deal, digest_at, sub.id),
            )

    async def pending(self, now: float, limit: int) -> list[Delivery]:
        """Messages due to be sent, in the order they were planned (a digest's parts in order)."""
        found = await self.db.execute_fetchall(
            "SELECT id, subscription_id, chat_id, part, text, attempts FROM deliveries "
            "WHERE status = 'pending' AND not_before <= ? ORDER BY id LIMIT ?",
            (now, limit),
        )
        return [Delivery(*r) for r in found]

    async def next_pending_at(self) -> float | None:
        ((when,),) = await self.db.execute_fetchall("SELECT MIN(not_before) FROM deliveries WHERE status = 'pending'")
        return when

    async def mark_sent(self, delivery_id: int) -> None:
        await self.tx.write(
            "UPDATE deliveries SET status = 'sent', sent_at = datetime('now'), attempts = attempts + 1 WHERE id = ?",
            (delivery_id,),
        )

    async def retry_later(self, delivery_id: int, not_before: float, error: str) -> None:
        await self.tx.write(
            "UPDATE deliveries SET attempts = attempts + 1, not_before = ?, error = ? WHERE id = ?",
            (not_before, error, delivery_id),
        )

    async def postpone(self, ids: list[int], not_before: float) -> None:
        """Hold these messages back (they follow one that must be retried) without counting an attempt."""
        if ids:
            await self.tx.write(
                f"UPDATE deliveries SET not_before = MAX(not_before, ?) WHERE id IN ({rows.marks(ids)})",
                [not_before, *ids],
            )

    async def give_up(self, delivery_id: int, error: str) -> None:
        await self.tx.write(
            "UPDATE deliveries SET status = 'failed', attempts = attempts + 1, error = ? WHERE id = ?",
            (error, delivery_id),
        )

    async def outbox_counts(self) -> dict[str, int]:
        found = await rows.fetch(self.db, "SELECT status, COUNT(*) FROM deliveries GROUP BY status")
        return {row[0]: row[1] for row in found}
