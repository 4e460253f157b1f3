"""The one way out to Telegram: every Bot API call passes this session middleware, which knows
Telegram's limits and answers — messages are paced (< 25/s overall, ≤ 20/min per group or
channel), a 429 waits ``retry_after`` and sends again, a 5xx or a network drop is retried with
backoff — so neither handlers nor the digest broadcaster have to."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import EditMessageText, GetUpdates, Response, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """At most ``per_second`` messages in any one-second window overall (24: Telegram's 25 with
    room for network jitter), ``1/25`` s apart once the window is half full so that a busy second
    never bunches up, and at most ``per_chat_minute`` in any 60 seconds for each group and
    channel (negative chat ids).

    The windows count the moments messages actually leave, not slots reserved in advance: a
    busy event loop that wakes waiters late cannot turn them into a burst."""

    def __init__(
        self,
        per_second: int = 24,
        per_chat_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.per_second, self.per_chat_minute = per_second, per_chat_minute
        self.spacing = 1.0 / 25
        self.clock, self.sleep = clock, sleep
        self.sent: deque[float] = deque()
        self.recent: dict[int, deque[float]] = {}

    async def wait(self, chat_id: int) -> None:
        chat = self.recent.setdefault(chat_id, deque()) if chat_id < 0 else None
        while True:
            now = self.clock()
            while self.sent and now - self.sent[0] >= 1.0:
                self.sent.popleft()
            while chat and now - chat[0] >= 60.0:
                chat.popleft()
            ready = now
            if len(self.sent) >= self.per_second:
                ready = self.sent[0] + 1.0
            if len(self.sent) >= self.per_second // 2:  # busy: no bunching (a lone answer never waits)
                ready = max(ready, self.sent[-1] + self.spacing)
            if chat is not None and len(chat) >= self.per_chat_minute:
                ready = max(ready, chat[0] + 60.0)
            if ready <= now:
                break
            await self.sleep(ready - now)
        self.sent.append(now)
        if chat is not None:
            chat.append(now)
        if len(self.recent) > 10_000:  # groups quiet for a minute need no memory
            for idle in [c for c, times in self.recent.items() if not times or now - times[-1] >= 60.0]:
                del self.recent[idle]


class Sender(BaseRequestMiddleware):
    def __init__(
        self,
        limiter: RateLimiter | None = None,
        attempts: int = 5,
        backoff: float = 0.5,
        max_wait: float = 60.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.limiter = limiter or RateLimiter()
        self.attempts, self.backoff, self.max_wait, self.sleep = attempts, backoff, max_wait, sleep

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        polling = isinstance(method, GetUpdates)
        if polling:  # polling has its own backoff
            return await make_request(bot, method)
        chat_id = method.chat_id if isinstance(method, (SendMessage, EditMessageText)) else None
        attempt = 1
        while True:
            if isinstance(chat_id, int):
                await self.limiter.wait(chat_id)  # every attempt counts against the limits
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                wait, why = float(exc.retry_after), "flood control"
                if attempt >= self.attempts or wait > self.max_wait:
                    raise
            except (TelegramServerError, TelegramNetworkError) as exc:
                if attempt >= self.attempts:
                    raise
                wait, why = min(self.backoff * 2 ** (attempt - 1), self.max_wait), type(exc).__name__
            log.warning("%s: %s; retry %d/%d in %.1f s", method.__api_method__, why, attempt, self.attempts - 1, wait)
            await self.sleep(wait)
            attempt += 1
