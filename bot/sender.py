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
from aiogram.methods import EditMessageText, GetUpdates, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)
Sleep = Callable[[float], Awaitable[None]]


class RateLimiter:
    """Spaces messages evenly at ``per_second`` overall (24: Telegram's 25 with room for network
    jitter, so no second ever counts 26 at Telegram's end), and keeps every group and channel
    (negative chat ids) at ``per_chat_minute`` messages in any 60 seconds."""

    def __init__(self, per_second: float = 24.0, per_chat_minute: int = 20,
                 clock: Callable[[], float] = time.monotonic, sleep: Sleep = asyncio.sleep) -> None:
        self.interval = 1.0 / per_second
        self.per_chat_minute = per_chat_minute
        self.clock, self.sleep = clock, sleep
        self.next_slot = 0.0
        self.recent: dict[int, deque[float]] = {}

    async def wait(self, chat_id: int) -> None:
        if chat_id < 0:
            recent = self.recent.setdefault(chat_id, deque())
            while len(recent) >= self.per_chat_minute:
                now = self.clock()
                while recent and now - recent[0] >= 60.0:
                    recent.popleft()
                if len(recent) >= self.per_chat_minute:
                    await self.sleep(recent[0] + 60.0 - now)
        now = self.clock()
        slot = max(now, self.next_slot)
        self.next_slot = slot + self.interval
        if slot > now:
            await self.sleep(slot - now)
        if chat_id < 0:
            self.recent[chat_id].append(slot)


class Sender(BaseRequestMiddleware):
    def __init__(self, limiter: RateLimiter | None = None, attempts: int = 5, backoff: float = 0.5,
                 max_wait: float = 60.0, sleep: Sleep = asyncio.sleep) -> None:
        self.limiter = limiter or RateLimiter()
        self.attempts, self.backoff, self.max_wait, self.sleep = attempts, backoff, max_wait, sleep

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> TelegramType:
        if isinstance(method, GetUpdates):  # polling has its own backoff
            return await make_request(bot, method)
        paced = isinstance(method, (SendMessage, EditMessageText)) and isinstance(method.chat_id, int)
        attempt = 1
        while True:
            if paced:
                await self.limiter.wait(method.chat_id)  # every attempt counts against the limits
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
