"""Sending the outbox: every pending digest message goes out once, in order per chat, paced and
retried by the bot's sender. What Telegram refuses for good is settled here: a chat that blocked
or removed the bot (403, "chat not found") loses its subscription, a group that became a
supergroup is followed, and anything still failing waits in the outbox for a later round.

While the broadcaster sends, ``BROADCASTING`` is set: the bot's sender lets every answer to a
person go before these messages, and hands a 429 straight back so that a paused chat's digest
waits in the outbox, not in the sender's queue."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import logging
import time
from dataclasses import dataclass, field

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramRetryAfter,
)
from aiogram.types import LinkPreviewOptions

from bot.digests.digest import Planned, plan
from bot.qa.engine import Engine
from storage import Store
from storage.digests import Delivery

log = logging.getLogger(__name__)
GONE = ("chat not found", "bot was kicked", "not enough rights", "have no rights", "user is deactivated")
MAX_BACKOFF = 3600.0
SENT, SKIPPED, STOP = "sent", "skipped", "stop"
BROADCASTING: contextvars.ContextVar[bool] = contextvars.ContextVar("coopbot_broadcasting", default=False)


@dataclass(slots=True)
class RoundReport:
    sent: int = 0
    deactivated: list[int] = field(default_factory=list)
    postponed: int = 0
    failed: int = 0


class Broadcaster:
    """``concurrency`` chats at a time: enough to keep Telegram's 25/s busy at a few hundred
    milliseconds a call, few enough that answers never queue behind a crowd of digests."""

    def __init__(self, store: Store, bot: Bot, concurrency: int = 10, batch: int = 1000, settle: float = 15.0) -> None:
        self.digests = store.digests
        self.bot = bot
        self.concurrency, self.batch, self.settle = concurrency, batch, settle

    async def deliver(self) -> RoundReport:
        """Send everything that is due now, and what a 429 postponed by at most ``settle`` s;
        returns when nothing in the outbox is due that soon."""
        token = BROADCASTING.set(True)
        try:
            return await self._deliver()
        finally:
            BROADCASTING.reset(token)

    async def _deliver(self) -> RoundReport:
        report = RoundReport()
        while True:
            pending = await self.digests.pending(time.time(), self.batch)
            if not pending:
                due = await self.digests.next_pending_at()
                if due is None or due - time.time() > self.settle:
                    return report
                await asyncio.sleep(max(0.0, due - time.time()))
                continue
            by_chat: dict[int, list[Delivery]] = {}
            for delivery in pending:
                by_chat.setdefault(delivery.chat_id, []).append(delivery)
            gate = asyncio.Semaphore(self.concurrency)

            async def one_chat(messages: list[Delivery], gate: asyncio.Semaphore = gate) -> None:
                async with gate:
                    for n, delivery in enumerate(messages):
                        outcome = await self._send(delivery, report)
                        if outcome == STOP:
                            return
                        if isinstance(outcome, float):  # the rest of the digest waits with it: parts stay in order
                            await self.digests.postpone([d.id for d in messages[n + 1 :]], outcome)
                            return

            await asyncio.gather(*(one_chat(m) for m in by_chat.values()))

    async def _send(self, delivery: Delivery, report: RoundReport) -> str | float:
        """SENT, SKIPPED (refused for good), STOP (the chat is gone or moved) or the wall time to retry at."""
        try:
            await self.bot.send_message(
                delivery.chat_id, delivery.text, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        except TelegramMigrateToChat as exc:
            await self.digests.move_chat(delivery.chat_id, exc.migrate_to_chat_id)
            log.info("chat %s became %s; its digest follows it", delivery.chat_id, exc.migrate_to_chat_id)
            return STOP
        except TelegramForbiddenError as exc:
            return await self._gone(delivery, exc, report)
        except TelegramBadRequest as exc:
            if any(reason in exc.message.lower() for reason in GONE):
                return await self._gone(delivery, exc, report)
            log.error("digest message %s to %s refused: %s", delivery.id, delivery.chat_id, exc.message)
            await self.digests.give_up(delivery.id, exc.message)
            report.failed += 1
            return SKIPPED
        except TelegramRetryAfter as exc:  # flood control: this chat waits in the outbox, not in the queue
            wait = float(exc.retry_after)
            log.info("digest message %s to %s postponed %.0f s: flood control", delivery.id, delivery.chat_id, wait)
            return await self._later(delivery, wait, "flood control", report)
        except TelegramAPIError as exc:  # 5xx or network beyond the sender's retries: later
            wait = min(60.0 * 2**delivery.attempts, MAX_BACKOFF)
            log.warning("digest message %s to %s postponed %.0f s: %s", delivery.id, delivery.chat_id, wait, exc)
            return await self._later(delivery, wait, str(exc), report)
        await self.digests.mark_sent(delivery.id)
        report.sent += 1
        return SENT

    async def _later(self, delivery: Delivery, wait: float, error: str, report: RoundReport) -> float:
        until = time.time() + wait
        await self.digests.retry_later(delivery.id, until, error)
        report.postponed += 1
        return until

    async def _gone(self, delivery: Delivery, exc: TelegramAPIError, report: RoundReport) -> str:
        log.info("chat %s is gone for the bot (%s): subscription deactivated", delivery.chat_id, exc.message)
        await self.digests.deactivate(delivery.chat_id, exc.message)
        report.deactivated.append(delivery.chat_id)
        return STOP


class DigestService:
    """Inside ``coopbot run``: every ``interval`` seconds (or at once when woken, e.g. by
    /digest_now) plan digests of deals that appeared since — from this process or another
    ``coopbot ingest`` on the same store — and send the outbox. A restart picks up what is pending."""

    def __init__(self, engine: Engine, bot: Bot, interval: float, max_age_days: int = 30) -> None:
        self.engine = engine
        self.broadcaster = Broadcaster(engine.store, bot)
        self.interval, self.max_age_days = interval, max_age_days
        self.wake = asyncio.Event()
        self.lock = asyncio.Lock()

    async def round(self) -> tuple[list[Planned], RoundReport]:
        async with self.lock:  # /digest_now and the timer never plan the same deals twice at once
            planned = await plan(self.engine.store, self.engine.k, dt.datetime.now(dt.UTC), self.max_age_days)
            return planned, await self.broadcaster.deliver()

    async def run_forever(self) -> None:
        while True:
            try:
                planned, report = await self.round()
                if planned or report.sent or report.deactivated:
                    log.info(
                        "digests: %d planned, %d messages sent, %d chats deactivated, %d postponed",
                        len(planned),
                        report.sent,
                        len(report.deactivated),
                        report.postponed,
                    )
            except Exception:  # a bad round must not end digests for good
                log.exception("digest round failed")
            timeout = self.interval
            if (due := await self.engine.store.digests.next_pending_at()) is not None:
                timeout = min(timeout, max(0.0, due - time.time()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout)
            self.wake.clear()
