"""The console chat (the same dispatcher in a terminal) and webhook mode (the secret is checked)."""

from __future__ import annotations

import io

import aiohttp

from bot.app.console import ConsoleChat, plain_text
from bot.settings import Settings
from tests.conftest import webhook_bot


async def test_console_chat_pages_and_browses(bot_engine):
    out = io.StringIO()
    script = io.StringIO("/subscribe @somechannel\nсотрудничество России и Казахстана\n1\n\n/regions\n1\n2\n")
    await ConsoleChat(bot_engine, Settings(_env_file=None), out).run(script)
    text = out.getvalue()
    assert "Не нашёл канал @somechannel" in text  # no Telegram to look the channel up in: said plainly
    assert "вы › сотрудничество России и Казахстана" in text
    assert "[1] Ещё ▶" in text
    assert "CoopBot (сообщение обновлено)" in text and "[1] ◀ Назад" in text  # page 2 replaced page 1
    assert "Астана — статей в базе: 2" in text and "[2] ◀ К регионам" in text
    assert text.count("Регионы в базе") == 2  # back at the region list


def test_plain_text_shows_links_and_unescapes():
    assert (
        plain_text('<b>A &amp; B</b> <a href="http://x.kz/?a=1&amp;b=2">статья</a>')
        == "A & B статья ‹http://x.kz/?a=1&b=2›"
    )


async def test_webhook_checks_the_secret_and_answers(bot_engine):
    async with webhook_bot(bot_engine, "/tg/updates", webhook_secret="s3cret-Token_1") as running:
        fake = running.fake
        assert fake.webhook["url"] == "https://bot.example.org/tg/updates"
        assert fake.webhook["secret_token"] == "s3cret-Token_1"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1,
                "chat": {"id": 77, "type": "private"},
                "from": fake.user(77),
                "text": "омск павлодар",
            },
        }
        url = f"{running.base}/tg/updates"
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update) as response:
                assert response.status == 401
            async with http.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}) as response:
                assert response.status == 401
            assert not fake.sent_to(77)
            async with http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            ) as response:
                assert response.status == 200
        reply = await fake.reply_to(77)
        assert "kvnews.ru" in reply.params["text"]
    assert not fake.rejected()
