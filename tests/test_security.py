"""Tried as an attacker would, through the fake Bot API: no one reads another chat's answers
through a forged button, anonymous admins of one group cannot lock out another's, a flooding
group cannot queue replies without end, forged numbers and secret headers are refused cleanly,
invisible characters are not echoed, and neither the token nor people's questions reach the log."""

from __future__ import annotations

import asyncio
import logging
import os
import sys

import aiohttp

from handlers.middlewares import GROUP_ANONYMOUS_BOT
from handlers.replies import STALE
from tests.conftest import free_port, start_bot, stop_bot, webhook_bot
from tests.fake_telegram import TOKEN, FakeTelegram
from tests.test_bot import button, buttons, shown

GROUP = {"id": -100700, "type": "supergroup", "title": "Первая группа"}
OTHER_GROUP = {"id": -100701, "type": "supergroup", "title": "Вторая группа"}


async def _alert_for(telegram, user_id: int, message: dict, data: str):
    mark = len(telegram.fake.calls)
    await telegram.fake.tap(user_id, message, data)
    alert = await telegram.fake.wait_for(lambda c: c.method == "answerCallbackQuery", after=mark)
    await asyncio.sleep(0.2)  # an edit or a new message would come now
    return alert, telegram.fake.calls[mark:]


async def test_a_button_forged_in_another_chat_shows_nothing_of_the_answer(telegram):
    victim = await telegram.ask(2001, "сотрудничество России и Казахстана")
    more, subscribe = button(victim, "Ещё ▶"), button(victim, "🔔")
    question_id = int(more.split(":")[1])
    assert question_id > 2**32  # random, not 1, 2, 3…
    attacker = await telegram.ask(2002, "омск павлодар")
    for forged in (more, subscribe):
        alert, calls = await _alert_for(telegram, 2002, attacker.result, forged)
        assert alert.params["text"] == STALE and str(alert.params["show_alert"]).lower() == "true"
        assert not [c for c in calls if c.method in ("editMessageText", "sendMessage")]
    assert await telegram.app.digests.engine.store.digests.subscription(2002) is None
    mark = len(telegram.fake.calls)  # in the chat it was asked in, the button still works
    await telegram.fake.tap(2001, victim.result, more)
    page = await telegram.fake.reply_to(2001, after=mark, method="editMessageText")
    assert "◀ Назад" in [t for t, _ in buttons(page)]


async def test_a_group_answer_cannot_be_rewritten_from_another_group(telegram):
    asked = await telegram.ask(2101, "/ask сотрудничество России и Казахстана", chat=GROUP)
    elsewhere = await telegram.ask(2102, "/ask омск павлодар", chat=OTHER_GROUP)
    alert, calls = await _alert_for(telegram, 2102, elsewhere.result, button(asked, "Ещё ▶"))
    assert alert.params["text"] == STALE
    assert not [c for c in calls if c.method == "editMessageText"]
    # any member of the group where it was asked may page through it
    mark = len(telegram.fake.calls)
    await telegram.fake.tap(2103, asked.result, button(asked, "Ещё ▶"))
    page = await telegram.fake.reply_to(GROUP["id"], after=mark, method="editMessageText")
    assert int(page.params["message_id"]) == asked.result["message_id"]


async def test_forged_huge_and_negative_numbers_are_stale_buttons(telegram, caplog):
    start = await telegram.ask(2201, "/latest")
    with caplog.at_level(logging.WARNING):
        for forged in (
            "list:latest::9" + "9" * 30,
            "sub:" + "9" * 25,
            "more:" + "9" * 25 + ":0",
            "more:5:-1",
            "ex:99999999999999999999",
            "item:region:ru-oms:" + "9" * 25,
        ):
            alert, calls = await _alert_for(telegram, 2201, start.result, forged)
            assert alert.params["text"] == STALE, forged
            assert not [c for c in calls if c.method in ("editMessageText", "sendMessage")], forged
    assert "Traceback" not in caplog.text and "OverflowError" not in caplog.text


async def test_anonymous_admins_of_one_group_do_not_lock_out_another(telegram):
    fake = telegram.fake
    for n in range(12):  # one anonymous admin floods his own group
        await fake.send(GROUP_ANONYMOUS_BOT, f"/ask омск {n}", chat=GROUP, sender_chat=GROUP)
    reply = await telegram.ask(GROUP_ANONYMOUS_BOT, "/subscribe", chat=OTHER_GROUP, sender_chat=OTHER_GROUP)
    assert "Подписка оформлена" in shown(reply)


async def test_a_flooding_group_gets_its_newest_questions_answered_and_one_notice(bot_engine):
    running = await start_bot(bot_engine)
    fake = running.fake
    try:
        fake.hold(0)  # Telegram is slow: the first reply hangs while the group keeps asking
        first = len(fake.messages)
        for n in range(40):
            await fake.send(2300 + n, f"/ask омск павлодар {n}", chat=GROUP)
        asked = [mid for (chat, mid) in list(fake.messages)[first:] if chat == GROUP["id"]]
        await fake.drained()
        await asyncio.sleep(0.3)
        fake.release()
        await fake.wait_for(lambda c: len(fake.sent_to(GROUP["id"])) >= 5, timeout=30)
        await asyncio.sleep(1.0)  # anything more would arrive now
        sent = fake.sent_to(GROUP["id"])
        notices = [c for c in sent if "Слишком часто" in shown(c)]
        answers = [int(c.params["reply_parameters"]["message_id"]) for c in sent if c not in notices]
        assert len(notices) == 1
        assert answers == [asked[0], *asked[-3:]]  # the one under way, then the three newest
    finally:
        await stop_bot(running)
    assert not fake.rejected()


async def test_invisible_characters_are_not_echoed(telegram):
    reply = await telegram.ask(2401, "\u202eнесуществующий\u200b\u2066 вопрос\u200f\ufeff")
    text = reply.params["text"]
    assert "Нет информации" in text and "несуществующий вопрос" in text
    assert not any(ch in text for ch in "\u202e\u200b\u2066\u200f\ufeff")


async def test_a_malformed_webhook_secret_is_a_401(bot_engine):
    async with webhook_bot(bot_engine, "/hook", webhook_secret="s3cret") as running:
        fake = running.fake
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": 78, "type": "private"},
                "from": fake.user(78),
                "text": "омск",
            },
        }
        async with aiohttp.ClientSession() as http:
            for secret in ("sécret", "секрет", "s3cret\u200b"):
                async with http.post(
                    f"{running.base}/hook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
                ) as response:
                    assert response.status == 401, secret
        assert not fake.sent_to(78)


async def test_a_failed_webhook_start_is_one_log_line_without_the_token(tmp_path):
    fake = FakeTelegram()
    await fake.start()
    fake.redirecting.add("setWebhook")  # e.g. a proxy in front of TELEGRAM_API_BASE looping
    env = {
        **os.environ,
        "BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": fake.url,
        "LOG_LEVEL": "DEBUG",
        "WEBHOOK_URL": "https://bot.example.org/hook",
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(free_port()),
    }
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
    stdout, stderr = await asyncio.wait_for(process.communicate(), 180)
    await fake.stop()
    output = stdout.decode() + stderr.decode()
    assert process.returncode == 1, output[-2000:]
    assert "could not start serving Telegram" in output
    assert "Traceback" not in output
    secret = TOKEN.split(":")[1]
    assert secret not in output and secret not in output.replace("%3A", ":")


async def test_questions_never_reach_the_log_even_at_debug(tmp_path):
    env = {**os.environ, "LOG_LEVEL": "DEBUG", "BOT_TOKEN": ""}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "--db",
        str(tmp_path / "s.sqlite3"),
        "ask",
        "секретный вопрос омск",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 180)
    assert process.returncode == 0
    assert "секретный" not in stderr.decode()
