"""Benchmark digest delivery: 2,000 subscribed groups get the digest of one new agreement from
the fake Bot API server over real HTTP, with 5% of sends answered 429 and one restart of the bot
in the middle of the broadcast (the outbox carries on where it stopped).

    python scripts/bench_digest.py [--chats 2000] [--flood 0.05]

Targets (issue 4): ≤ 25 messages/s overall, done in ≈ 80–90 s, zero duplicates, zero losses.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app.application import build  # noqa: E402
from bot.models import Subscription  # noqa: E402
from bot.qa.engine import Engine  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.fake_telegram import TOKEN, FakeTelegram  # noqa: E402

NEW_ARTICLE = ROOT / "tests" / "data" / "omsk-kostanay.md"


async def run(n_chats: int, flood: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(Path(tmp) / "bench.sqlite3")
        chats = [-1_000_000 - i for i in range(n_chats)]
        for chat in chats:
            await engine.store.digests.subscribe(Subscription(chat, "supergroup", f"group {chat}"))
        await engine.ingest([NEW_ARTICLE])
        fake = FakeTelegram()
        await fake.start()
        fake.flood("sendMessage", flood)
        settings = Settings(_env_file=None, telegram_api_base=fake.url)

        def delivered() -> list:
            return [c for c in fake.calls if c.method == "sendMessage" and c.status == 200]

        started = time.monotonic()
        app = build(engine, settings, TOKEN)
        fake.hold(n_chats // 2)
        first = asyncio.create_task(app.digests.round())
        await fake.wait_for(lambda _: fake.delivered >= n_chats // 2, timeout=600)
        await asyncio.sleep(0.5)
        first.cancel()  # the bot goes down in the middle of the broadcast
        await asyncio.gather(first, return_exceptions=True)
        await app.bot.session.close()
        print(f"restart after {len(delivered())} messages, {time.monotonic() - started:.1f} s")

        fake.release()
        app = build(engine, settings, TOKEN)  # the bot comes back on the same store
        _, report = await app.digests.round()
        await app.bot.session.close()
        elapsed = time.monotonic() - started

        attempts = [c for c in fake.calls if c.method == "sendMessage" and c.status in (200, 429)]
        times = sorted(c.at for c in attempts)
        busiest, start = 0, 0
        for end, t in enumerate(times):  # the most requests in any sliding one-second window
            while t - times[start] >= 1.0:
                start += 1
            busiest = max(busiest, end - start + 1)
        counts = Counter(int(c.params["chat_id"]) for c in delivered())
        duplicates = sum(n - 1 for n in counts.values() if n > 1)
        lost = sum(1 for chat in chats if counts[chat] == 0)
        print(
            f"{n_chats} chats: delivered {len(counts)}, duplicates {duplicates}, lost {lost}; "
            f"429 answers {sum(c.status == 429 for c in attempts)}"
        )
        print(
            f"broadcast time {elapsed:.1f} s; at most {busiest} sendMessage requests (429s included) in any "
            f"one-second window, mean {len(attempts) / (times[-1] - times[0]):.1f}/s"
        )
        await fake.stop()
        await engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--flood", type=float, default=0.05)
    args = parser.parse_args()
    asyncio.run(run(args.chats, args.flood))


if __name__ == "__main__":
    main()
