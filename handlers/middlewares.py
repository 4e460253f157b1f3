"""Update middlewares: dependencies for handlers, the per-sender flood limit, and the bound on
replies waiting per chat."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject

from bot.language.i18n import _, from_telegram, set_language

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
TOO_OFTEN = "Слишком часто — подождите несколько секунд и спросите снова."
GROUP_ANONYMOUS_BOT, CHANNEL_BOT = 1087968824, 136817688  # every anonymous admin; every post as a channel
log = logging.getLogger(__name__)


class Services(BaseMiddleware):
    """Hands the engine (store, search, catalog) and the settings to every handler by name:
    handlers declare ``engine`` or ``settings`` as arguments and never reach for globals."""

    def __init__(self, **services: Any) -> None:
        self.services = services

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        data.update(self.services)
        return await handler(event, data)


def language_key(state: FSMContext, user_id: int) -> StorageKey:
    """Where a person's chosen interface language is kept: theirs, whatever chat they write in."""
    return StorageKey(bot_id=state.key.bot_id, chat_id=user_id, user_id=user_id, destiny="language")


class Locale(BaseMiddleware):
    """The interface language of each update: the one the person chose with /language, else
    their Telegram client's (kk → Kazakh, en… → English, anything else → Russian)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user, state = data.get("event_from_user"), data.get("state")
        language = "ru"
        if user is not None:
            language = from_telegram(user.language_code)
            if state is not None:
                chosen = (await state.storage.get_data(language_key(state, user.id))).get("language")
                language = chosen or language
        set_language(language)
        data["language"] = language
        return await handler(event, data)


class Throttling(BaseMiddleware):
    """At most ``limit`` handled messages or taps per user within ``period`` seconds. The first
    one over the limit gets one "too often" reply; the rest of the flood is dropped silently.

    Registered as an inner middleware, it counts only what a handler would act on: a group's
    chatter the bot stays silent about never counts."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.period, self.clock = limit, period, clock
        self.hits: dict[tuple[int, ...], deque[float]] = {}
        self.warned: set[tuple[int, ...]] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None or self.limit <= 0:
            return await handler(event, data)
        key = _sender(event, user.id)
        now = self.clock()
        hits = self.hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.period:
            hits.popleft()
        if len(hits) >= self.limit:
            if key not in self.warned:
                self.warned.add(key)
                await _warn(event)
            return None
        self.warned.discard(key)
        hits.append(now)
        if len(self.hits) > 10_000:
            self._forget_idle(now)
        return await handler(event, data)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, h in self.hits.items() if not h or now - h[-1] >= self.period]:
            del self.hits[key]


def _sender(event: TelegramObject, user_id: int) -> tuple[int, ...]:
    """Who a flood limit counts: the user — except the shared ids every anonymous group admin
    and every post on behalf of a channel arrive from, counted per (chat, sender chat), so one
    person's group never locks out anonymous admins elsewhere."""
    if user_id in (GROUP_ANONYMOUS_BOT, CHANNEL_BOT) and isinstance(event, Message) and event.sender_chat:
        return (event.chat.id, event.sender_chat.id)
    return (user_id,)


@dataclass(slots=True)
class _Lane:
    """One chat's replies: the one being answered and the ones waiting their turn, oldest first."""

    busy: bool = False
    waiting: deque[asyncio.Future[bool]] = field(default_factory=deque)


class ChatQueue(BaseMiddleware):
    """One reply at a time per chat, with at most ``depth`` (``group_depth`` in groups and
    channels, where Telegram lets a bot post 20 messages a minute) waiting behind it. When a
    chat asks more, the oldest waiting message is dropped so the newest get answered, and the
    chat hears "too often" at most once per ``notice_every`` seconds. At most ``total`` wait
    across all chats: under any flood the bot's memory stays flat.

    Registered as an inner middleware, it holds only what a handler would act on."""

    def __init__(
        self,
        depth: int = 10,
        group_depth: int = 3,
        total: int = 1000,
        notice_every: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.depth, self.group_depth, self.total, self.notice_every, self.clock = (
            depth,
            group_depth,
            total,
            notice_every,
            clock,
        )
        self.lanes: dict[int, _Lane] = {}
        self.waiting = 0
        self.noticed: dict[int, float] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = _chat(event)
        if chat is None:
            return await handler(event, data)
        lane = self.lanes.setdefault(chat.id, _Lane())
        if lane.busy and not await self._turn(lane, chat):
            await self._notice(chat.id, event)
            return None
        lane.busy = True
        try:
            return await handler(event, data)
        finally:
            self._next(chat.id, lane)

    async def _turn(self, lane: _Lane, chat: Chat) -> bool:
        """Wait behind the chat's current reply: True when it is this message's turn, False when
        a newer message took its place (or nothing more may wait)."""
        if self.waiting >= self.total:
            log.warning("reply queue full (%d waiting): dropping a message of chat %d", self.waiting, chat.id)
            return False
        if len(lane.waiting) >= (self.group_depth if chat.type != "private" else self.depth):
            self._drop(lane.waiting.popleft())
        turn = asyncio.get_running_loop().create_future()
        lane.waiting.append(turn)
        self.waiting += 1
        try:
            return await turn
        except asyncio.CancelledError:
            if turn in lane.waiting:
                lane.waiting.remove(turn)
                self.waiting -= 1
            raise

    def _drop(self, turn: asyncio.Future[bool]) -> None:
        self.waiting -= 1
        if not turn.done():  # a waiter cancelled at shutdown has nothing to be told
            turn.set_result(False)

    def _next(self, chat_id: int, lane: _Lane) -> None:
        """Hand the chat to its oldest waiting message, or forget the idle chat."""
        while lane.waiting:
            turn = lane.waiting.popleft()
            self.waiting -= 1
            if not turn.done():
                turn.set_result(True)  # the lane stays busy: its turn has come
                return
        lane.busy = False
        self.lanes.pop(chat_id, None)

    async def _notice(self, chat_id: int, event: TelegramObject) -> None:
        now = self.clock()
        if now - self.noticed.get(chat_id, -self.notice_every) < self.notice_every:
            return
        if len(self.noticed) > 10_000:
            self.noticed = {c: t for c, t in self.noticed.items() if now - t < self.notice_every}
        self.noticed[chat_id] = now
        try:
            await _warn(event)
        except TelegramAPIError as exc:  # a notice that cannot be sent changes nothing
            log.warning("too-often notice to chat %d failed: %s", chat_id, exc)


def _chat(event: TelegramObject) -> Chat | None:
    if isinstance(event, Message):
        return event.chat
    if isinstance(event, CallbackQuery) and isinstance(event.message, Message):
        return event.message.chat
    return None


async def _warn(event: TelegramObject) -> None:
    if isinstance(event, CallbackQuery):
        await event.answer(_(TOO_OFTEN))
    elif isinstance(event, Message):
        await event.reply(_(TOO_OFTEN))
