"""Benchmark the bot end to end: fake Bot API server → long-polling bot → answer → fake server,
all over real HTTP on 127.0.0.1, on the bundled store.

    python scripts/bench_bot.py [--sequential 200] [--users 50] [--per-user 4]

Targets (issue 3): a question answered end to end in ≤ 50 ms median; 200 questions from 50 users
in flight at once all answered, none lost (paced by the sender at Telegram's limit, < 25/s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.qa.engine import Engine  # noqa: E402
from scripts.bench import percentile  # noqa: E402
from tests.conftest import start_bot, stop_bot  # noqa: E402

QUESTIONS = [
    "что подписали Питер и Астана?",
    "товарооборот новгородской обл с Казахстаном",
    "Омск и Павлодар стали побратимами?",
    "что обсуждали губернатор Петербурга и глава Татарстана?",
    "челябинская обл",
    "спб астана",
    "кто открывал неделю Петербурга в Астане?",
    "погода в Караганде",
    "Новгородская область Улытау меморандум",
    "Сотрудничество Мурманской области с Казахстаном",
]


async def run(sequential: int, users: int, per_user: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(Path(tmp) / "bench.sqlite3")
        running = await start_bot(engine)  # the default flood limit, which 4 questions per user stay under
        fake = running.fake
        try:
            for n, q in enumerate(QUESTIONS):  # warm up
                await running.ask(1 + n, q)
            latencies = []
            for n in range(sequential):
                await asyncio.sleep(
                    0.1
                )  # 10 questions a second: below the sender's pacing, which would otherwise be timed
                t = time.monotonic()
                call = await running.ask(100 + n, QUESTIONS[n % len(QUESTIONS)])
                latencies.append((call.at - t) * 1000)
            print(
                f"one at a time (10/s): {sequential} questions, end to end p50 {statistics.median(latencies):.1f} ms, "
                f"p90 {percentile(latencies, 0.9):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms"
            )

            first_user = 10_000
            mark = len(fake.calls)
            t = time.monotonic()
            for i in range(per_user):
                for u in range(users):
                    await fake.send(first_user + u, QUESTIONS[(u + i) % len(QUESTIONS)])
            total = users * per_user
            with contextlib.suppress(TimeoutError):
                await fake.wait_for(
                    lambda c: (
                        sum(1 for x in fake.calls[mark:] if x.method == "sendMessage" and x.status == 200) >= total
                    ),
                    timeout=120,
                    after=mark,
                )
            elapsed = time.monotonic() - t
            answered = [len(fake.sent_to(first_user + u)) for u in range(users)]
            lost = sum(max(0, per_user - n) for n in answered)
            extra = sum(max(0, n - per_user) for n in answered)
            print(
                f"concurrent: {total} questions from {users} users in flight at once: answered "
                f"{sum(answered) - extra}, lost {lost}, duplicated {extra}; all done in {elapsed:.2f} s "
                f"({total / elapsed:.0f} answers/s: the sender's 24 messages/s); "
                f"rejected by the fake server: {len(fake.rejected())}"
            )
        finally:
            await stop_bot(running)
            await engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=200)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-user", type=int, default=4)
    args = parser.parse_args()
    asyncio.run(run(args.sequential, args.users, args.per_user))


if __name__ == "__main__":
    main()
