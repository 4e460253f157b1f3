"""Benchmark answers during a broadcast (issue 18): the long-polling bot sends a digest to 600
groups through the fake Bot API server (real HTTP on 127.0.0.1); meanwhile 50 people ask at once.
Then the send queue alone, on a fake clock: CPU per grant with 50 and with 1,500 waiters.

    python scripts/bench_priority.py [--groups 600] [--users 50]

Targets: at most 2 digest messages leave while any answer waits in the queue; reply p99 ≤
0.5 s + users/25 s; never more than 30 messages in one second; the broadcast averages ≥ 22/s;
no digest lost or sent twice; 1,500 waiters cost no more CPU per send than 50.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Hashable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.sender import ANSWER, BROADCAST, SendQueue  # noqa: E402
from bot.models import Subscription  # noqa: E402
from bot.qa.engine import Engine  # noqa: E402
from scripts.bench import percentile  # noqa: E402
from tests.conftest import AGELESS, start_bot, stop_bot  # noqa: E402
from tests.test_sender import FakeTime  # noqa: E402

NEW_ARTICLE = ROOT / "tests" / "data" / "omsk-kostanay.md"
QUESTIONS = ["омск павлодар", "что подписали Питер и Астана?", "товарооборот новгородской обл с Казахстаном"]


def busiest_second(times: list[float]) -> int:
    times, most, start = sorted(times), 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


async def broadcast(n_groups: int, n_users: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(Path(tmp) / "bench.sqlite3", registry=False)
        groups = [-1_000_000 - n for n in range(n_groups)]
        for chat in groups:
            await engine.store.digests.subscribe(Subscription(chat, "supergroup", f"group {chat}"))
        await engine.ingest([NEW_ARTICLE])
        running = await start_bot(engine, digest_poll_seconds=3600, digest_max_age_days=AGELESS)
        fake, queue = running.fake, running.app.monitor.sender.queue
        grants: list[tuple[int, float, float]] = []  # class, entered, granted
        turn = queue.turn

        async def logged(chat: Hashable, klass: int = ANSWER) -> None:
            entered = time.monotonic()
            await turn(chat, klass)
            grants.append((klass, entered, time.monotonic()))

        queue.turn = logged  # type: ignore[method-assign]
        started = time.monotonic()
        round_task = asyncio.create_task(running.app.digests.round())
        await fake.wait_for(lambda _: fake.delivered >= n_groups // 6, timeout=120)
        asked = time.monotonic()
        users = [10_000 + n for n in range(n_users)]
        marks = {}
        for n, user in enumerate(users):
            marks[user] = len(fake.calls)
            await fake.send(user, QUESTIONS[n % len(QUESTIONS)])
        replies = [await fake.reply_to(user, after=marks[user], timeout=60) for user in users]
        latencies = sorted(reply.at - asked for reply in replies)
        await round_task
        elapsed = time.monotonic() - started
        await stop_bot(running)
        await engine.close()

    answers = [(entered, granted) for klass, entered, granted in grants if klass == ANSWER]
    if "--trace" in sys.argv:
        for a, b in answers:
            print(f"answer entered {a - asked:.3f} granted {b - asked:.3f}")
        print("replies at", [round(x, 3) for x in latencies])
    digest_grants = [granted for klass, _, granted in grants if klass == BROADCAST]
    overtaking = max((sum(1 for g in digest_grants if a < g < b) for a, b in answers), default=0)
    sent = [c for c in fake.calls if c.method == "sendMessage" and c.status == 200]
    to_groups = Counter(int(c.params["chat_id"]) for c in sent if int(c.params["chat_id"]) < 0)
    digest_times = sorted(c.at for c in sent if int(c.params["chat_id"]) < 0)
    all_times = sorted(c.at for c in sent if digest_times[0] <= c.at <= digest_times[-1])
    rate = (len(all_times) - 1) / (digest_times[-1] - digest_times[0])
    print(f"broadcast to {n_groups} groups, {n_users} people asking at once after {n_groups // 6} digests:")
    print(
        f"  replies: p50 {percentile(latencies, 0.5):.2f} s, p99 {percentile(latencies, 0.99):.2f} s, "
        f"max {latencies[-1]:.2f} s (target p99 ≤ {0.5 + n_users / 25:.1f} s)"
    )
    print(f"  digest messages granted while an answer waited in the queue: at most {overtaking} (target ≤ 2)")
    print(f"  busiest second: {busiest_second([c.at for c in sent])} messages (target ≤ 30)")
    print(
        f"  broadcast: {len(digest_times)} digests in {elapsed:.1f} s; {rate:.1f} msg/s on average while it ran, "
        f"answers included (target ≥ 22)"
    )
    print(
        f"  digests: delivered {len(to_groups)}, lost {sum(1 for g in groups if not to_groups[g])}, "
        f"sent twice {sum(n - 1 for n in to_groups.values() if n > 1)}"
    )


async def queue_cost(waiters: int, sends: int = 3000) -> float:
    """CPU µs per grant with ``waiters`` always waiting (refilled as they leave)."""
    clock = FakeTime()
    queue = SendQueue(clock=clock, timer=clock.timer)
    done = 0

    async def one(n: int) -> None:
        nonlocal done
        await queue.turn(-1_000_000 - n, BROADCAST if n % 3 else ANSWER)
        done += 1

    tasks = [asyncio.create_task(one(n)) for n in range(waiters)]
    await asyncio.sleep(0)
    started, n = time.process_time(), waiters
    while done < sends:
        clock.handles = live = clock.live()  # forget cancelled timers
        handle = min(live, key=lambda h: h.at)
        clock.handles.remove(handle)
        clock.now = max(clock.now, handle.at)
        handle.callback()
        await asyncio.sleep(0)
        while len(tasks) - done < waiters:  # keep the line as long as it was
            tasks.append(asyncio.create_task(one(n)))
            n += 1
        await asyncio.sleep(0)
    cost = (time.process_time() - started) / done * 1e6
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return cost


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=600)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--trace", action="store_true", help="print when each answer entered the queue and left")
    args = parser.parse_args()
    await broadcast(args.groups, args.users)
    small = min([await queue_cost(50) for _ in range(3)])  # the best of three: the machine's other work aside
    large = min([await queue_cost(1500) for _ in range(3)])
    print(
        f"send queue CPU per grant (incl. the waiting task): {small:.0f} µs with 50 waiters, {large:.0f} µs with 1500"
    )


if __name__ == "__main__":
    asyncio.run(main())
