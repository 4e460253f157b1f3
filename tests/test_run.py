"""``coopbot run`` as deployed: a separate process long-polling a Bot API server (the fake one,
via TELEGRAM_API_BASE), answering, and shutting down cleanly on SIGTERM without logging its token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.conftest import AGELESS
from tests.fake_telegram import TOKEN, FakeTelegram

DATA = Path(__file__).parent / "data"


async def test_run_polls_answers_and_stops_on_sigterm(tmp_path):
    fake = FakeTelegram()
    await fake.start()
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake.url,
        "LOG_LEVEL": "DEBUG",
        "WEBHOOK_URL": "",
        "ADMIN_IDS": "1,2",
    }
    log_file = (tmp_path / "log.txt").open("wb")  # a file, not a pipe nobody drains while it runs
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--db",
        str(tmp_path / "s.sqlite3"),
        "run",
        env=env,
        stdout=log_file,
        stderr=log_file,
    )
    try:
        await asyncio.wait_for(fake.polling.wait(), 120)
        assert {c.method for c in fake.calls} >= {"setMyCommands", "deleteWebhook"}
        await fake.send(42, "омск павлодар")
        reply = await fake.reply_to(42, timeout=30)
        assert "kvnews.ru" in reply.params["text"]
        process.send_signal(signal.SIGTERM)
        await fake.stop()  # ends the pending long poll
        await asyncio.wait_for(process.wait(), 30)
    finally:
        if process.returncode is None:
            process.kill()
        log_file.close()
    log = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert process.returncode == 0, log[-2000:]
    assert "Polling stopped" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log


async def test_run_with_a_rejected_token_says_so(tmp_path):
    fake = FakeTelegram(token="999:another-bot")
    await fake.start()
    env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE": fake.url, "LOG_LEVEL": "WARNING", "WEBHOOK_URL": ""}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--db",
        str(tmp_path / "s.sqlite3"),
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 120)
    await fake.stop()
    assert process.returncode == 2
    assert "Telegram rejected BOT_TOKEN" in stderr.decode() and TOKEN not in stderr.decode()


async def test_killed_mid_broadcast_every_subscriber_gets_the_digest_once(tmp_path):
    """Subscribers in the store, a new agreement ingested by another process, the bot killed
    (SIGKILL) in the middle of the broadcast and started again: each chat has the digest exactly once."""
    from bot.models import Subscription
    from bot.qa.engine import Engine

    db = tmp_path / "s.sqlite3"
    chats = list(range(7000, 7060))
    engine = await Engine.open(db)
    for chat in chats:
        await engine.store.digests.subscribe(Subscription(chat, "private"))
    await engine.close()
    ingest = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--db",
        str(db),
        "ingest",
        str(DATA / "omsk-kostanay.md"),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert await ingest.wait() == 0

    fake = FakeTelegram()
    await fake.start()
    fake.hold(25)
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake.url,
        "LOG_LEVEL": "INFO",
        "WEBHOOK_URL": "",
        "DIGEST_POLL_SECONDS": "1",
        "DIGEST_MAX_AGE_DAYS": str(AGELESS),
    }

    def digests_to(chat: int) -> int:
        return sum("Новые соглашения" in c.params["text"] for c in fake.sent_to(chat))

    async def start(name: str):
        log = (tmp_path / name).open("wb")
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--db", str(db), "run", env=env, stdout=log, stderr=log
        )

    first = await start("first.log")
    try:
        await fake.wait_for(lambda c: fake.delivered >= 25, timeout=120)
        await asyncio.sleep(0.5)  # the 25 delivered are marked sent; the rest hang unanswered
        first.kill()
        await first.wait()
        assert sum(map(digests_to, chats)) == 25
        fake.release()
        second = await start("second.log")
        try:
            await fake.wait_for(lambda c: all(digests_to(chat) for chat in chats), timeout=120)
            await asyncio.sleep(1.5)  # a duplicate would arrive now
            assert [digests_to(chat) for chat in chats] == [1] * len(chats)
        finally:
            second.send_signal(signal.SIGTERM)
            await fake.stop()
            await asyncio.wait_for(second.wait(), 30)
    finally:
        if first.returncode is None:
            first.kill()


async def test_an_article_ingested_by_another_process_reaches_subscribers(tmp_path):
    from bot.models import Subscription
    from bot.qa.engine import Engine

    db = tmp_path / "s.sqlite3"
    engine = await Engine.open(db)
    await engine.store.digests.subscribe(Subscription(8001, "private", regions=["kz-kos"]))
    await engine.close()
    fake = FakeTelegram()
    await fake.start()
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake.url,
        "LOG_LEVEL": "INFO",
        "WEBHOOK_URL": "",
        "DIGEST_POLL_SECONDS": "1",
        "DIGEST_MAX_AGE_DAYS": str(AGELESS),
    }
    log = (tmp_path / "bot.log").open("wb")
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--db", str(db), "run", env=env, stdout=log, stderr=log
    )
    try:
        await asyncio.wait_for(fake.polling.wait(), 120)
        ingest = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "--db",
            str(db),
            "ingest",
            str(DATA / "omsk-kostanay.md"),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        assert await ingest.wait() == 0
        digest = await fake.reply_to(8001, timeout=10)  # DIGEST_POLL_SECONDS is 1
        assert "Новые соглашения" in digest.params["text"]
        assert "https://example.kz/news/omsk-kostanay-2026" in digest.params["text"]
    finally:
        bot.send_signal(signal.SIGTERM)
        await fake.stop()
        await asyncio.wait_for(bot.wait(), 30)
        log.close()
