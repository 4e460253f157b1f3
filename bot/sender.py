"""The one way out to Telegram: every Bot API call passes this session middleware, which knows
Telegram's answers — a 429 waits ``retry_after`` and sends again, a 5xx or a network drop is
retried with backoff — so no handler has to."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)


class RetryingSender(BaseRequestMiddleware):
    def __init__(self, attempts: int = 5, backoff: float = 0.5, max_wait: float = 60.0,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self.attempts, self.backoff, self.max_wait, self.sleep = attempts, backoff, max_wait, sleep

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> TelegramType:
        if isinstance(method, GetUpdates):  # polling has its own backoff
            return await make_request(bot, method)
        attempt = 1
        while True:
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
