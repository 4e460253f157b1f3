"""What an operator watches: ``/healthz`` (the store answers and Telegram is reachable: 200, or
503 with the reason) and ``/metrics`` (Prometheus text). Both are served beside the webhook, or
on METRICS_PORT in polling mode. Each application has its own registry, so that several bots
in one process (the tests) never mix their figures."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import GetMe
from aiogram.types import TelegramObject, Update
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.app.redact import Redactor
from bot.app.sender import CLASSES, Sender
from bot.digests.feeds import FeedPoller
from storage import Store

log = logging.getLogger(__name__)
ANSWERED = {"message", "callback_query", "inline_query", "edited_message", "channel_post"}
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Monitor(Collector):
    """The figures, and the checks behind /healthz. Counts that live elsewhere (messages sent,
    429s, the send queue, feed errors) are read at scrape time; the store's are refreshed just
    before each scrape."""

    def __init__(self, store: Store, bot: Bot, sender: Sender, feeds: FeedPoller, token: str) -> None:
        self.store, self.bot, self.sender, self.feeds = store, bot, sender, feeds
        self.redact = Redactor(token)
        self.registry = CollectorRegistry()
        self.updates = Counter("coopbot_updates", "Telegram updates handled, by type", ["type"], registry=self.registry)
        self.latency = Histogram(
            "coopbot_answer_seconds",
            "From an update's arrival to the end of its handling (messages, taps, inline queries)",
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(self)
        self.outbox: dict[str, int] = {}
        self.store_bytes = 0
        self.failing_feeds = 0
        self.telegram_ok_at = 0.0

    def collect(self) -> Iterator[Any]:
        sent = CounterMetricFamily("coopbot_messages_sent", "Messages Telegram accepted, by class", labels=["class"])
        for name in CLASSES:
            sent.add_metric([name], self.sender.sent[name])
        yield sent
        floods = CounterMetricFamily(
            "coopbot_flood_waits", "429 answers (flood control), by scope: one chat or all", labels=["scope"]
        )
        for scope in ("chat", "global"):
            floods.add_metric([scope], self.sender.floods[scope])
        yield floods
        queue = GaugeMetricFamily("coopbot_send_queue", "Messages waiting for their turn to send", labels=["class"])
        for n, name in enumerate(CLASSES):
            queue.add_metric([name], self.sender.queue.waiting[n])
        yield queue
        outbox = GaugeMetricFamily(
            "coopbot_outbox_messages", "Digest messages in the outbox, by status", labels=["status"]
        )
        for status in ("pending", "sent", "failed", "dropped"):
            outbox.add_metric([status], self.outbox.get(status, 0))
        yield outbox
        yield CounterMetricFamily("coopbot_feed_errors", "Feed polls that failed since start", value=self.feeds.errors)
        yield GaugeMetricFamily("coopbot_feeds_failing", "Feeds whose last poll failed", value=self.failing_feeds)
        yield GaugeMetricFamily("coopbot_store_bytes", "Size of the SQLite store", value=self.store_bytes)

    async def scrape(self) -> bytes:
        self.outbox = await self.store.digests.outbox_counts()
        self.failing_feeds = sum(1 for feed in await self.store.feeds.feeds() if feed.last_error)
        self.store_bytes = await self.store.size_bytes()
        return generate_latest(self.registry)

    async def health(self, telegram_every: float = 30.0) -> str | None:
        """None when healthy, else why not. Telegram is asked at most every ``telegram_every`` s."""
        try:
            await asyncio.wait_for(self.store.size_bytes(), 5.0)
        except Exception as exc:  # any failure to read the store is the answer
            return f"store: {type(exc).__name__}: {exc}"
        if time.monotonic() - self.telegram_ok_at > telegram_every:
            try:
                # straight to the session: a health check reports, it does not retry
                await self.bot.session.make_request(self.bot, GetMe(), timeout=5)
            except TelegramAPIError as exc:
                return self.redact(f"telegram: {type(exc).__name__}: {exc}")
            self.telegram_ok_at = time.monotonic()
        return None

    def middleware(self) -> BaseMiddleware:
        return _Counted(self)

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)

    async def _healthz(self, request: web.Request) -> web.Response:
        reason = await self.health()
        if reason is None:
            return web.json_response({"status": "ok"})
        log.warning("health check failed: %s", reason)
        return web.json_response({"status": "unavailable", "reason": reason}, status=503)

    async def _metrics(self, request: web.Request) -> web.Response:
        body = await self.scrape()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


class _Counted(BaseMiddleware):
    """Counts every update by type and times the handling of those a person waits for."""

    def __init__(self, monitor: Monitor) -> None:
        self.monitor = monitor

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        started = time.perf_counter()
        kind = event.event_type if isinstance(event, Update) else type(event).__name__
        try:
            return await handler(event, data)
        finally:
            self.monitor.updates.labels(kind).inc()
            if kind in ANSWERED:
                self.monitor.latency.observe(time.perf_counter() - started)


@asynccontextmanager
async def side_server(monitor: Monitor, host: str, port: int | None) -> AsyncIterator[None]:
    """In polling mode: /healthz and /metrics on ``host:port`` while the bot runs (none when
    ``port`` is unset)."""
    if not port:
        yield
        return
    app = web.Application()
    monitor.routes(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("metrics and health on %s:%d", host, port)
        yield
    finally:
        await runner.cleanup()
