"""Memory under a flood (issue 17): one group sends the bot 2,000 questions through the fake Bot
API; the bot answers what Telegram's 20 messages a minute per group allow, keeps at most three
waiting behind the reply under way, and drops the rest. Prints the process's memory before,
during and after the flood.

    python scripts/bench_flood.py [--messages 2000]

Target: resident memory flat (± 20 MB) over the flood.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.qa.engine import Engine  # noqa: E402
from tests.conftest import start_bot, stop_bot  # noqa: E402

GROUP = {"id": -100999, "type": "supergroup", "title": "Флуд"}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def main(messages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = await Engine.open(Path(tmp) / "store.sqlite3")
        running = await start_bot(engine)
        fake = running.fake
        try:
            for n in range(20):  # warm: models, caches, the first answers
                await running.ask(500 + n, "омск павлодар")
            before = rss_mb()
            peak = before
            started = time.monotonic()
            for n in range(messages):
                await fake.send(10_000 + n % 50, f"/ask омск павлодар {n}", chat=GROUP)
                if n % 100 == 0:
                    peak = max(peak, rss_mb())
            await fake.drained(timeout=600)
            await asyncio.sleep(2)
            during = rss_mb()
            peak = max(peak, during)
            sent = len(fake.sent_to(GROUP["id"]))
            print(
                f"flood: {messages} questions from one group in {time.monotonic() - started:.1f} s; "
                f"{sent} messages sent to the group so far (Telegram allows 20 a minute)"
            )
            print(
                f"memory: before {before:.0f} MB, peak {peak:.0f} MB, after {during:.0f} MB "
                f"(growth {peak - before:+.0f} MB)"
            )
        finally:
            await stop_bot(running)
            await engine.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    asyncio.run(main(parser.parse_args().messages))
