"""The sender's queue on a fake clock: answers before digests, first come first served within a
class, Telegram's overall and per-group limits, 429 pauses of one chat or of everything, and
one timer however many wait."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.app.sender import ANSWER, BROADCAST, SendQueue


@dataclass
class _Handle:
    at: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class FakeTime:
    """A clock and the queue's timer: time moves only when the test says."""

    now: float = 0.0
    handles: list[_Handle] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def timer(self, delay: float, callback: Callable[[], None]) -> _Handle:
        handle = _Handle(self.now + delay, callback)
        self.handles.append(handle)
        return handle

    def live(self) -> list[_Handle]:
        return [h for h in self.handles if not h.cancelled and h.at is not None]

    async def run(self, tasks: list[asyncio.Task], limit: float = 10_000.0) -> None:
        """Let every task run, firing timers in order, until all are done."""
        await _settle()
        while not all(t.done() for t in tasks):
            live = self.live()
            assert live, "tasks wait but no timer is set"
            handle = min(live, key=lambda h: h.at)
            self.handles.remove(handle)
            self.now = max(self.now, handle.at)
            assert self.now <= limit
            handle.callback()
            await _settle()


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def make_queue(**kwargs) -> tuple[SendQueue, FakeTime]:
    time = FakeTime()
    return SendQueue(clock=time, timer=time.timer, **kwargs), time


def sender(queue: SendQueue, time: FakeTime, log: list, name: str, chat, klass: int) -> asyncio.Task:
    async def one() -> None:
        await queue.turn(chat, klass)
        log.append((time.now, name))

    return asyncio.create_task(one())


async def test_answers_go_before_digests_already_waiting():
    queue, time = make_queue()
    log: list = []
    tasks = [sender(queue, time, log, f"digest{n}", -100 - n, BROADCAST) for n in range(60)]
    await _settle()  # the first digests leave at once; the rest wait their turn
    tasks += [sender(queue, time, log, f"answer{n}", 10 + n, ANSWER) for n in range(5)]
    await time.run(tasks)
    names = [name for _, name in log]
    first_answer = names.index("answer0")
    assert names[first_answer : first_answer + 5] == [f"answer{n}" for n in range(5)]  # in arrival order
    digests_before = [n for n in names[:first_answer] if n.startswith("digest")]
    assert len(digests_before) <= queue.per_second // 2  # only those granted before the answers came
    assert [n for n in names if n.startswith("digest")] == [f"digest{n}" for n in range(60)]  # first come first served


async def test_overall_pace_never_bunches():
    queue, time = make_queue()
    log: list = []
    tasks = [sender(queue, time, log, str(n), 1000 + n, n % 2) for n in range(200)]
    await time.run(tasks)
    times = [t for t, _ in log]
    assert all(sum(1 for t in times if start <= t < start + 1.0) <= 24 for start in times)
    assert times[-1] >= 200 / 24 - 1  # 200 messages take their 8 s
    busy = [n for n in range(1, len(times)) if sum(1 for t in times[:n] if times[n] - t < 1.0) >= 12]
    assert busy and all(times[n] - times[n - 1] >= 0.04 - 1e-9 for n in busy)  # evenly spaced once busy


async def test_a_group_at_its_minute_limit_waits_alone():
    queue, time = make_queue()
    log: list = []
    tasks = [sender(queue, time, log, f"group{n}", -5, BROADCAST) for n in range(25)]
    await _settle()
    tasks += [sender(queue, time, log, "other group", -6, BROADCAST), sender(queue, time, log, "person", 7, ANSWER)]
    await time.run(tasks)
    at = {name: t for t, name in log}
    assert at["group20"] - at["group0"] >= 60.0  # the 21st message to one group waits for the minute
    assert at["other group"] < 2.0 and at["person"] < 2.0  # nobody else waits behind that group


async def test_a_429_for_one_chat_pauses_that_chat_only():
    queue, time = make_queue()
    log: list = []
    queue.pause(-7, 5.0)
    tasks = [sender(queue, time, log, "paused", -7, BROADCAST), sender(queue, time, log, "paused answer", -7, ANSWER)]
    tasks += [sender(queue, time, log, f"free{n}", -8 - n, BROADCAST) for n in range(3)]
    await time.run(tasks)
    at = {name: t for t, name in log}
    assert at["paused"] >= 5.0 and at["paused answer"] >= 5.0
    assert all(at[f"free{n}"] == 0.0 for n in range(3))
    assert [name for _, name in log][-2:] == ["paused answer", "paused"]  # after the pause, answers first


async def test_a_global_429_holds_everyone():
    queue, time = make_queue()
    log: list = []
    queue.pause(None, 3.0)
    tasks = [sender(queue, time, log, f"m{n}", n + 1, ANSWER) for n in range(5)]
    await time.run(tasks)
    assert all(t >= 3.0 for t, _ in log)
    assert [name for _, name in log] == [f"m{n}" for n in range(5)]


async def test_one_timer_for_1500_waiters_and_a_cancelled_one_frees_its_place():
    queue, time = make_queue()
    log: list = []
    tasks = [sender(queue, time, log, f"d{n}", -1000 - n, BROADCAST) for n in range(1500)]
    await _settle()
    assert len(time.live()) == 1  # one timer, not one per waiter
    assert queue.waiting[BROADCAST] == 1500 - 12
    tasks[20].cancel()
    await _settle()
    assert queue.waiting[BROADCAST] == 1500 - 13
    await time.run([t for n, t in enumerate(tasks) if n != 20], limit=120.0)
    assert len(log) == 1499 and "d20" not in {name for _, name in log}
    assert queue.waiting == [0, 0] and not time.live()
    assert log[-1][0] < 1499 / 24 + 1  # the cancelled place was not spent
