"""Update middlewares: dependencies for handlers, and the per-user flood limit."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
TOO_OFTEN = "Слишком часто — подождите несколько секунд и спросите снова."


class Services(BaseMiddleware):
    """Hands the engine (store, search, catalog) and the settings to every handler by name:
    handlers declare ``engine`` or ``settings`` as arguments and never reach for globals."""

    def __init__(self, **services: Any) -> None:
        self.services = services

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        data.update(self.services)
        return await handler(event, data)


class Throttling(BaseMiddleware):
    """At most ``limit`` handled messages or taps per user within ``period`` seconds. The first
    one over the limit gets one "too often" reply; the rest of the flood is dropped silently.

    Registered as an inner middleware, it counts only what a handler would act on: a group's
    chatter the bot stays silent about never counts."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.period, self.clock = limit, period, clock
        self.hits: dict[int, deque[float]] = {}
        self.warned: set[int] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None or self.limit <= 0:
            return await handler(event, data)
        now = self.clock()
        hits = self.hits.setdefault(user.id, deque())
        while hits and now - hits[0] >= self.period:
            hits.popleft()
        if len(hits) >= self.limit:
            if user.id not in self.warned:
                self.warned.add(user.id)
                await _warn(event)
            return None
        self.warned.discard(user.id)
        hits.append(now)
        if len(self.hits) > 10_000:
            self._forget_idle(now)
        return await handler(event, data)

    def _forget_idle(self, now: float) -> None:
        for user_id in [u for u, h in self.hits.items() if not h or now - h[-1] >= self.period]:
            del self.hits[user_id]


async def _warn(event: TelegramObject) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(TOO_OFTEN)
    elif isinstance(event, Message):
        await event.reply(TOO_OFTEN)
