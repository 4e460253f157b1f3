"""Digests of new agreements: who may subscribe a group or a channel, filters, and delivery of
a newly ingested agreement to exactly the matching subscribers, through Telegram's errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.digests.digest import compose
from bot.models import Subscription
from storage.digests import DealReport
from tests.conftest import AGELESS, assert_telegram_html, start_bot, stop_bot
from tests.fake_telegram import BOT_USER, parse_html

DATA = Path(__file__).parent / "data"
NEW_ARTICLE = DATA / "omsk-kostanay.md"
NEW_URL = "https://example.kz/news/omsk-kostanay-2026"
GROUP = {"id": -2001, "type": "supergroup", "title": "Омские аналитики"}
ADMIN = 1


@pytest.fixture
async def digest_bot(engine):
    running = await start_bot(engine, digest_poll_seconds=3600, admin_ids=[ADMIN], digest_max_age_days=AGELESS)
    yield running
    await stop_bot(running)
    assert not running.fake.rejected(), [(c.method, c.error) for c in running.fake.rejected()]


def text_of(call) -> str:
    return parse_html(call.params["text"])


async def test_group_subscription_is_for_its_admins_only(digest_bot):
    fake = digest_bot.fake
    fake.members[(GROUP["id"], 11)] = "administrator"
    refused = await digest_bot.ask(12, "/subscribe Омск", chat=GROUP)
    assert "только её администраторы" in text_of(refused)
    assert await digest_bot.app.digests.engine.store.digests.subscription(GROUP["id"]) is None
    done = await digest_bot.ask(11, "/subscribe@coopbot_test_bot Омск энергетика daily 08:30 Europe/Moscow", chat=GROUP)
    text = text_of(done)
    assert "Подписка оформлена" in text and "группа «Омские аналитики»" in text
    assert "Омская область" in text and "энергетика" in text.lower() and "08:30 (Europe/Moscow)" in text
    listed = text_of(await digest_bot.ask(12, "/subscriptions", chat=GROUP))
    assert "Омская область" in listed
    assert "только её администраторы" in text_of(await digest_bot.ask(12, "/unsubscribe", chat=GROUP))
    assert "больше не получает" in text_of(await digest_bot.ask(11, "/unsubscribe", chat=GROUP))
    typo = text_of(await digest_bot.ask(11, "/subscribe абырвалг", chat=GROUP))
    assert "Не понял: абырвалг" in typo


async def test_channel_subscribes_by_a_post_or_from_a_private_chat(digest_bot):
    fake = digest_bot.fake
    channel = fake.channel(-1003, "@coopnews", "Кооперация")
    mark = len(fake.calls)
    await fake.post(channel, "/subscribe")
    assert "Сделайте бота администратором" in text_of(await fake.reply_to(channel["id"], after=mark))
    fake.members[(channel["id"], BOT_USER["id"])] = "administrator"
    mark = len(fake.calls)
    await fake.post(channel, "/subscribe Казахстан")
    assert "канал «Кооперация»" in text_of(await fake.reply_to(channel["id"], after=mark))

    other = fake.channel(-1004, "@regionsdaily", "Регионы")
    assert "Не нашёл канал @nosuch" in text_of(await digest_bot.ask(21, "/subscribe @nosuch"))
    assert "только его владелец или администратор" in text_of(await digest_bot.ask(21, "/subscribe @regionsdaily"))
    fake.members[(other["id"], 21)] = "creator"
    assert "Сначала сделайте бота администратором" in text_of(await digest_bot.ask(21, "/subscribe @regionsdaily"))
    fake.members[(other["id"], BOT_USER["id"])] = "administrator"
    done = text_of(await digest_bot.ask(21, "/subscribe @regionsdaily туризм weekly"))
    assert "канал «Регионы»" in done and "раз в неделю" in done
    mine = text_of(await digest_bot.ask(21, "/subscriptions"))
    assert "канал «Регионы»" in mine and "туризм" in mine.lower()
    assert "больше не получает" in text_of(await digest_bot.ask(21, "/unsubscribe @regionsdaily"))


async def test_answer_button_subscribes_with_the_question_filters(digest_bot):
    answer = await digest_bot.ask(31, "соглашения омской области")
    data = next(
        b["callback_data"]
        for row in answer.params["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"].startswith("🔔")
    )
    mark = len(digest_bot.fake.calls)
    await digest_bot.fake.tap(31, answer.result, data)
    done = text_of(await digest_bot.fake.reply_to(31, after=mark))
    assert "этот чат" in done and "Омская область" in done


async def test_new_agreement_reaches_exactly_the_matching_subscribers_once(digest_bot):
    fake, app = digest_bot.fake, digest_bot.app
    engine = app.digests.engine
    fake.members[(GROUP["id"], 11)] = "administrator"
    await digest_bot.ask(11, "/subscribe Омск", chat=GROUP)
    await digest_bot.ask(41, "/subscribe")  # everything
    await digest_bot.ask(42, "/subscribe Татарстан")  # another region
    await digest_bot.ask(43, "/subscribe Костанай daily")  # matches, but not due before 09:00 Almaty
    sub = await engine.store.digests.subscription(43)
    await engine.store.digests.plan(sub, "mark", [], sub.seen_deal, dt.datetime.now(dt.UTC).isoformat())
    planned, report = await app.digests.round()
    assert planned == [] and report.sent == 0  # the bundled articles are not news to anyone

    await engine.ingest([NEW_ARTICLE])
    mark = len(fake.calls)
    planned, report = await app.digests.round()
    assert sorted(p.subscription.chat_id for p in planned) == sorted([GROUP["id"], 41])
    for chat_id in (GROUP["id"], 41):
        digest = (await fake.reply_to(chat_id, after=mark)).params["text"]
        assert_telegram_html(digest)
        assert "Новые соглашения" in digest and NEW_URL in digest
        assert "Костанайская область — Омская область" in digest and "2026–2028" in digest
    assert not fake.sent_to(42)[1:] and len(fake.sent_to(43)) == 1  # only their "subscribed" replies

    await engine.ingest([DATA / "omsk-kostanay-other-outlet.md"])  # the same agreement, another outlet
    planned, report = await app.digests.round()
    assert planned == [] and report.sent == 0
    assert [len(fake.sent_to(c)) for c in (GROUP["id"], 41)] == [2, 2]  # "subscribed" + one digest


async def test_delivery_survives_429_403_and_500(digest_bot):
    fake, app = digest_bot.fake, digest_bot.app
    store = app.digests.engine.store
    for user in (51, 52, 53):
        await digest_bot.ask(user, "/subscribe")
    await app.digests.engine.ingest([NEW_ARTICLE])
    fake.fail("sendMessage", 429, retry_after=1)
    fake.fail("sendMessage", 403)
    fake.fail("sendMessage", 500)
    mark = len(fake.calls)
    planned, report = await app.digests.round()
    attempts = [c for c in fake.calls[mark:] if c.method == "sendMessage"]
    assert sorted(c.status for c in attempts) == [200, 200, 403, 429, 500]
    assert report.sent == 2 and len(report.deactivated) == 1
    gone = report.deactivated[0]
    assert not (await store.digests.subscription(gone)).active
    delivered = [c for c in (51, 52, 53) if c != gone]
    assert all(NEW_URL in fake.sent_to(c)[-1].params["text"] for c in delivered)
    assert "остановлена" in text_of(await digest_bot.ask(gone, "/subscriptions"))
    assert await store.digests.outbox_counts() == {"sent": 2, "dropped": 1}


async def test_digest_now_is_for_bot_admins(digest_bot):
    assert "только для администраторов" in text_of(await digest_bot.ask(61, "/digest_now"))
    await digest_bot.ask(62, "/subscribe Омск")
    await digest_bot.app.digests.engine.ingest([NEW_ARTICLE])
    report = text_of(await digest_bot.ask(ADMIN, "/digest_now"))
    assert "1 подписок с новыми соглашениями" in report and "отправлено 1" in report
    assert NEW_URL in digest_bot.fake.sent_to(62)[-1].params["text"]


def test_daily_and_weekly_digests_wait_for_their_time():
    almaty = dt.timezone(dt.timedelta(hours=5))
    daily = Subscription(1, "private", frequency="daily", send_at="09:00")
    assert daily.is_due(dt.datetime(2026, 11, 23, 9, 5, tzinfo=almaty))
    daily.last_digest_at = dt.datetime(2026, 11, 23, 4, 1, tzinfo=dt.UTC).isoformat()  # 09:01 Almaty
    assert not daily.is_due(dt.datetime(2026, 11, 23, 20, 0, tzinfo=almaty))
    assert daily.is_due(dt.datetime(2026, 11, 24, 9, 0, tzinfo=almaty))
    weekly = Subscription(
        1,
        "private",
        frequency="weekly",
        send_at="09:00",
        last_digest_at=dt.datetime(2026, 11, 16, 4, 0, tzinfo=dt.UTC).isoformat(),
    )
    assert not weekly.is_due(dt.datetime(2026, 11, 22, 23, 0, tzinfo=almaty))  # Sunday
    assert weekly.is_due(dt.datetime(2026, 11, 23, 9, 0, tzinfo=almaty))  # Monday 09:00


async def test_a_long_digest_is_split_into_valid_messages(engine, knowledge):
    reports = await engine.store.digests.deals_after(0)
    many = [DealReport(n, r.agreement, r.articles, r.topics) for n, r in enumerate(reports * 30)]
    parts = compose(many, knowledge)
    assert len(parts) > 1
    for n, part in enumerate(parts, 1):
        assert_telegram_html(part)
        assert f"(часть {n}/{len(parts)})" in part
    assert sum(part.count("• <b>") for part in parts) == len(many)
