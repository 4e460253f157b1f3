"""The application, built in one place: settings → engine → bot (with the retrying sender) and
dispatcher (routers, middlewares). Long polling, the webhook server, the console chat and the
tests all start from here."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import secrets
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlparse

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramServerError, TelegramUnauthorizedError
from aiogram.types import BotCommand
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app.fsm import storage_for
from bot.app.monitoring import Monitor, side_server
from bot.app.sender import Sender, SendQueue
from bot.digests.delivery import DigestService
from bot.digests.feeds import FeedPoller, FeedSettings
from bot.language.i18n import LANGUAGES, _, use
from bot.qa import views
from bot.qa.engine import Engine
from bot.settings import Settings
from handlers import setup_routers
from handlers.middlewares import ChatQueue, Locale, Services, Throttling

log = logging.getLogger(__name__)


class SecretChecked(SimpleRequestHandler):
    """aiogram's webhook handler with a secret check that any header passes through safely: a
    wrong, empty or non-ASCII X-Telegram-Bot-Api-Secret-Token is a 401 (aiogram's own check
    raises on non-ASCII text, a 500 with a traceback for anyone who can reach the port)."""

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        if not self.secret_token:
            return True
        return hmac.compare_digest(telegram_secret_token.encode(errors="replace"), self.secret_token.encode())


@dataclass(slots=True)
class App:
    bot: Bot
    dp: Dispatcher
    digests: DigestService
    feeds: FeedPoller
    settings: Settings
    monitor: Monitor


def build(
    engine: Engine,
    settings: Settings,
    token: str,
    session: BaseSession | None = None,
    clock: Callable[[], float] = time.time,
) -> App:
    """The bot (every call through the pacing, retrying sender), the digest service, and the
    dispatcher — its conversations kept in the store (or Redis) — with the routers and the
    middlewares that hand engine, settings, digests and ``clock`` to the handlers."""
    if session is None:
        base = settings.telegram_api_base
        session = AiohttpSession(api=TelegramAPIServer.from_base(base) if base else PRODUCTION)
    sender = Sender(SendQueue(per_second=settings.send_per_second))
    session.middleware(sender)
    bot = Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    digests = DigestService(engine, bot, settings.digest_poll_seconds, settings.digest_max_age_days)
    feeds = FeedPoller(engine, FeedSettings.of(settings))
    monitor = Monitor(engine.store, bot, sender, feeds, token)
    dp = Dispatcher(storage=storage_for(settings, engine.store.conversations))
    dp.update.outer_middleware(monitor.middleware())
    dp.update.outer_middleware(Services(engine=engine, settings=settings, digests=digests, clock=clock))
    dp.update.outer_middleware(Locale())
    throttling = Throttling(settings.throttle_messages, settings.throttle_seconds)
    queue = ChatQueue(max(settings.throttle_messages, 1), settings.group_queue, settings.max_waiting_updates)
    for observer in (dp.message, dp.callback_query):
        observer.middleware(throttling)
        observer.middleware(queue)
    dp.include_router(setup_routers())
    return App(bot, dp, digests, feeds, settings, monitor)


async def set_commands(bot: Bot) -> None:
    """The command menu: Russian for everyone, Kazakh and English for clients in those languages."""
    for language in LANGUAGES:
        with use(language):
            commands = [BotCommand(command=name, description=_(text)) for name, text in views.COMMANDS]
        await bot.set_my_commands(commands, language_code=None if language == "ru" else language)


async def wait_until_reachable(bot: Bot, max_delay: float = 60.0) -> None:
    """Start serving only once the Bot API answers: a server started while the network is down
    waits for it (logging each try) instead of crashing."""
    delay = 1.0
    while True:
        try:
            await bot.me()
            return
        except (TelegramNetworkError, TelegramServerError) as exc:
            log.warning("Bot API unreachable (%s); next try in %.0f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)


async def _best_effort(call: Awaitable[object], what: str) -> None:
    """Start-up calls the bot can live without: if Telegram is unreachable right now, polling
    waits for it with its own backoff. A rejected token still stops the start."""
    try:
        await call
    except TelegramUnauthorizedError:
        raise
    except TelegramAPIError as exc:
        log.warning("%s failed, carrying on: %s", what, exc)


async def run(settings: Settings, engine: Engine) -> None:
    """Serve Telegram until SIGTERM/SIGINT: long polling, or a webhook when WEBHOOK_URL is set."""
    assert settings.bot_token is not None
    token = settings.bot_token.get_secret_value()
    app = build(engine, settings, token)
    try:
        if settings.webhook_url:
            await serve_webhook(app, settings, _stop_on_signals())
        else:
            await run_polling(app)
    finally:
        await app.bot.session.close()


@asynccontextmanager
async def _background(app: App) -> AsyncIterator[None]:
    """The digest service and the feed poller run beside the updates for as long as the bot
    serves them; a feed poll that stores articles wakes the digest service at once."""
    tasks = [
        asyncio.create_task(app.digests.run_forever()),
        asyncio.create_task(app.feeds.run_forever(app.settings.feed_poll_seconds, app.digests.wake)),
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await app.feeds.close()


async def run_polling(app: App, *, handle_signals: bool = True, polling_timeout: int = 10) -> None:
    """Long polling until SIGTERM/SIGINT (or ``dp.stop_polling()``); updates are handled as
    concurrent tasks, so one slow answer never holds up other users."""
    bot, dp = app.bot, app.dp
    await wait_until_reachable(bot)
    await _best_effort(set_commands(bot), "setting the command menu")
    await _best_effort(bot.delete_webhook(), "deleting the webhook")  # polling and a webhook exclude each other
    async with _background(app), side_server(app.monitor, app.settings.metrics_host, app.settings.metrics_port):
        await dp.start_polling(
            bot,
            allowed_updates=dp.resolve_used_update_types(),
            handle_signals=handle_signals,
            close_bot_session=False,
            polling_timeout=polling_timeout,
            tasks_concurrency_limit=app.settings.max_waiting_updates,
        )


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def serve_webhook(app: App, settings: Settings, stop: asyncio.Event) -> None:
    """An aiohttp server for Telegram's updates at WEBHOOK_URL's path, and /healthz and /metrics
    for the operator. Each update must carry the secret in X-Telegram-Bot-Api-Secret-Token (a
    random one per start if none is set)."""
    assert settings.webhook_url is not None
    bot, dp = app.bot, app.dp
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else secrets.token_urlsafe(32)
    path = urlparse(settings.webhook_url).path or "/"
    web_app = web.Application()
    SecretChecked(dispatcher=dp, bot=bot, secret_token=secret).register(web_app, path=path)
    app.monitor.routes(web_app)
    setup_application(web_app, dp, bot=bot)
    runner = web.AppRunner(web_app)
    await runner.setup()
    try:
        await wait_until_reachable(bot)
        await _best_effort(set_commands(bot), "setting the command menu")
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        await bot.set_webhook(settings.webhook_url, secret_token=secret, allowed_updates=dp.resolve_used_update_types())
        log.info("webhook: serving %s on %s:%d", path, settings.webhook_host, settings.webhook_port)
        async with _background(app):
            await stop.wait()
    finally:
        await runner.cleanup()
