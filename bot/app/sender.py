"""The one way out to Telegram: every Bot API call passes this session middleware, which knows
Telegram's limits and answers. Messages wait their turn in one queue with two classes — answers
to people first, digests and other broadcasts second — under one overall pace (< 25/s, ≤ 20/min
per group or channel); a 429 pauses the chat it names (or everything, when it names none) for
``retry_after``; a 5xx or a network drop is retried with backoff. Neither handlers nor the
digest broadcaster have to know any of this."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.digests.delivery import BROADCASTING

log = logging.getLogger(__name__)
Sleep = Callable[[float], Awaitable[None]]
ANSWER, BROADCAST = 0, 1
CLASSES = ("answer", "broadcast")
# Calls that put something in front of a person count against Telegram's message limits.
PACED = ("send", "edit", "answer", "copy", "forward")
UNPACED = {"sendChatAction"}


class Handle(Protocol):
    def cancel(self) -> None: ...


Timer = Callable[[float, Callable[[], None]], Handle]


def _loop_timer(delay: float, callback: Callable[[], None]) -> Handle:
    return asyncio.get_running_loop().call_later(delay, callback)


@dataclass(slots=True)
class _Waiter:
    seq: int
    future: asyncio.Future[None] = field(repr=False)


class SendQueue:
    """Turns to send, granted in order: strict priority between the classes, first come first
    served within one, at most ``per_second`` grants in any second overall (24: Telegram's 25
    with room for jitter), ``1/25`` s apart once that window is half full so that a busy second
    never bunches up, and at most ``per_chat_minute`` in any 60 s for each group or channel
    (negative ids, or ``@username``). A chat paused by a 429 waits alone; a global pause holds
    everyone.

    Each chat and class has its own line; the lines whose chat may send now sit in one heap per
    class by the arrival of their first waiter, the others in one heap by the moment they may.
    A grant is a few heap operations however many wait, and one timer wakes the queue: at the
    next moment anything can change. The windows count grants — the moments messages leave."""

    def __init__(
        self,
        per_second: int = 24,
        per_chat_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
        timer: Timer = _loop_timer,
    ) -> None:
        self.per_second, self.per_chat_minute = per_second, per_chat_minute
        self.spacing = 1.0 / 25
        self.clock, self.timer = clock, timer
        self.sent: deque[float] = deque()
        self.recent: dict[Hashable, deque[float]] = {}
        self.paused: dict[Hashable, float] = {}
        self.paused_all = 0.0
        self.lines: dict[tuple[int, Hashable], deque[_Waiter]] = {}
        self.ready: tuple[list[tuple[int, Hashable]], ...] = ([], [])
        self.blocked: list[tuple[float, int, int, Hashable]] = []
        self.waiting = [0, 0]
        self.granted = [0, 0]
        self._seq = itertools.count()
        self._timer: Handle | None = None
        self._wake_at: float | None = None

    async def turn(self, chat: Hashable, klass: int = ANSWER) -> None:
        """Wait until a message to ``chat`` of class ``klass`` may leave."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        seq = next(self._seq)
        key = (klass, chat)
        if (line := self.lines.get(key)) is None:
            line = self.lines[key] = deque()
            heapq.heappush(self.ready[klass], (seq, chat))
        line.append(_Waiter(seq, future))
        self.waiting[klass] += 1
        self._pump()
        try:
            await future
        except asyncio.CancelledError:
            if future.cancelled():  # left the line before its turn
                self.waiting[klass] -= 1
            raise

    def pause(self, chat: Hashable | None, seconds: float) -> None:
        """Telegram's flood control: nothing to ``chat`` (to anyone, for ``None``) for ``seconds``."""
        until = self.clock() + seconds
        if chat is None:
            self.paused_all = max(self.paused_all, until)
        else:
            self.paused[chat] = max(self.paused.get(chat, 0.0), until)
        self._pump()

    def _chat_ready(self, chat: Hashable, now: float) -> float:
        ready = self.paused.get(chat, 0.0)
        if ready and ready <= now:
            del self.paused[chat]
        recent = self.recent.get(chat)
        if recent is not None:
            while recent and now - recent[0] >= 60.0:
                recent.popleft()
            if len(recent) >= self.per_chat_minute:
                ready = max(ready, recent[0] + 60.0)
        return ready

    def _overall_ready(self, now: float) -> float:
        while self.sent and now - self.sent[0] >= 1.0:
            self.sent.popleft()
        ready = self.paused_all
        if len(self.sent) >= self.per_second:
            ready = max(ready, self.sent[0] + 1.0)
        if len(self.sent) >= self.per_second // 2:  # busy: no bunching (a lone answer never waits)
            ready = max(ready, self.sent[-1] + self.spacing)
        return ready

    def _next(self, now: float) -> tuple[int, Hashable, _Waiter] | None:
        """The first waiter of the best class whose chat may send now (lines that may not are
        parked until they may)."""
        while self.blocked and self.blocked[0][0] <= now:
            _, seq, klass, chat = heapq.heappop(self.blocked)
            heapq.heappush(self.ready[klass], (seq, chat))
        for klass, heap in enumerate(self.ready):
            while heap:
                seq, chat = heap[0]
                line = self.lines[(klass, chat)]
                while line and line[0].future.done():  # cancelled while waiting
                    line.popleft()
                if not line:
                    heapq.heappop(heap)
                    del self.lines[(klass, chat)]
                    continue
                if line[0].seq != seq:
                    heapq.heapreplace(heap, (line[0].seq, chat))
                    continue
                if (at := self._chat_ready(chat, now)) > now:
                    heapq.heappop(heap)
                    heapq.heappush(self.blocked, (at, seq, klass, chat))
                    continue
                waiter = line.popleft()
                if line:
                    heapq.heapreplace(heap, (line[0].seq, chat))
                else:
                    heapq.heappop(heap)
                    del self.lines[(klass, chat)]
                return klass, chat, waiter
        return None

    def _pump(self) -> None:
        """Grant every turn that may go now, then set the one timer for the next moment that may."""
        now = self.clock()
        while True:
            if not any(self.ready) and not self.blocked:
                self._schedule(None)
                return
            if (overall := self._overall_ready(now)) > now:
                self._schedule(overall)
                return
            picked = self._next(now)
            if picked is None:
                self._schedule(self.blocked[0][0] if self.blocked else None)
                return
            klass, chat, waiter = picked
            waiter.future.set_result(None)
            self.waiting[klass] -= 1
            self.granted[klass] += 1
            self.sent.append(now)
            if isinstance(chat, str) or (isinstance(chat, int) and chat < 0):
                self.recent.setdefault(chat, deque()).append(now)
            if len(self.recent) > 10_000:  # groups quiet for a minute need no memory
                for idle in [c for c, times in self.recent.items() if not times or now - times[-1] >= 60.0]:
                    del self.recent[idle]

    def _schedule(self, at: float | None) -> None:
        if at == self._wake_at:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._wake_at = None, at
        if at is not None:
            self._timer = self.timer(max(0.0, at - self.clock()), self._fire)

    def _fire(self) -> None:
        self._timer = self._wake_at = None
        self._pump()


def _chat_of(method: TelegramMethod[TelegramType]) -> Hashable:
    chat = getattr(method, "chat_id", None)
    return chat if isinstance(chat, (int, str)) else None


class Sender(BaseRequestMiddleware):
    """Every paced call waits its turn in ``queue`` (class: a broadcast when the broadcaster is
    sending, an answer otherwise). A 429 pauses its scope in the queue; an answer then waits
    its turn again, a broadcast message goes back to its outbox at once (it must not hold a
    place in the queue). ``sent`` and ``floods`` count for the metrics."""

    def __init__(
        self,
        queue: SendQueue | None = None,
        attempts: int = 5,
        backoff: float = 0.5,
        max_wait: float = 60.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.queue = queue or SendQueue()
        self.attempts, self.backoff, self.max_wait, self.sleep = attempts, backoff, max_wait, sleep
        self.sent: Counter[str] = Counter()
        self.floods: Counter[str] = Counter()

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Response[TelegramType]:
        name = method.__api_method__
        if name == "getUpdates":  # polling has its own backoff
            return await make_request(bot, method)
        paced = name.startswith(PACED) and name not in UNPACED
        chat = _chat_of(method)
        klass = BROADCAST if BROADCASTING.get() else ANSWER
        attempt = 1
        while True:
            if paced:
                await self.queue.turn(chat, klass)  # every attempt counts against the limits
            try:
                response = await make_request(bot, method)
            except TelegramRetryAfter as exc:
                wait, why = float(exc.retry_after), "flood control"
                self.queue.pause(chat, wait)
                self.floods["chat" if chat is not None else "global"] += 1
                if klass == BROADCAST or attempt >= self.attempts or wait > self.max_wait:
                    raise
                if paced:  # the queue holds the pause
                    wait = 0.0
            except (TelegramServerError, TelegramNetworkError) as exc:
                if attempt >= self.attempts:
                    raise
                wait, why = min(self.backoff * 2 ** (attempt - 1), self.max_wait), type(exc).__name__
            else:
                if paced:
                    self.sent[CLASSES[klass]] += 1
                return response
            log.warning("%s: %s; retry %d/%d in %.1f s", name, why, attempt, self.attempts - 1, wait)
            if wait:
                await self.sleep(wait)
            attempt += 1
