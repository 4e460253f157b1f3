"""The bot end to end: it long-polls a fake Bot API server over real HTTP, which refuses what
Telegram refuses; every test reads what a user would see in the chat."""

from __future__ import annotations

import asyncio
import logging

import pytest

from tests.fake_telegram import BOT_USER, TOKEN, parse_html

GROUP = {"id": -100500, "type": "supergroup", "title": "Аналитики"}


def buttons(call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


def button(call, label: str) -> str:
    return next(data for text, data in buttons(call) if text.startswith(label))


def shown(call) -> str:
    return parse_html(call.params["text"])


async def tap(telegram, user_id: int, call, label: str, method: str = "editMessageText"):
    mark = len(telegram.fake.calls)
    await telegram.fake.tap(user_id, call.result, button(call, label))
    return await telegram.fake.reply_to(call.result["chat"]["id"], after=mark, method=method)


async def test_commands_menu_in_russian_and_english(telegram):
    menu = {c["command"]: c["description"] for c in telegram.fake.commands[""]}
    assert {"start", "help", "regions", "topics", "agreements", "latest", "about", "ask"} <= set(menu)
    assert "регион" in menu["regions"]
    english = {c["command"]: c["description"] for c in telegram.fake.commands["en"]}
    assert english["regions"] == "regions with data"


async def test_private_question_gets_answer_sources_and_buttons(telegram):
    reply = await telegram.ask(501, "что подписали Питер и Астана?")
    assert reply.params["parse_mode"] == "HTML"
    text = shown(reply)
    assert "Санкт-Петербург, Астана" in text and "2017–2021" in text
    assert 'href="http://tass.ru/novosti-partnerov/4474065"' in reply.params["text"]
    assert reply.params["link_preview_options"]["url"] == "http://tass.ru/novosti-partnerov/4474065"
    assert [t for t, _ in buttons(reply)] == ["📝 Соглашения региона", "🔔 Подписаться на дайджест"]
    agreements = await tap(telegram, 501, reply, "📝 Соглашения региона", method="sendMessage")
    assert "Соглашения: Санкт-Петербург" in shown(agreements) and "2025–2029" in shown(agreements)


async def test_more_pages_through_results_and_back(telegram):
    first = await telegram.ask(502, "сотрудничество России и Казахстана")
    assert [t for t, _ in buttons(first)][0] == "Ещё ▶"
    second = await tap(telegram, 502, first, "Ещё ▶")
    assert int(second.params["message_id"]) == first.result["message_id"]
    page1_links = {s for s in first.params["text"].split('"') if s.startswith("http")}
    page2_links = {s for s in second.params["text"].split('"') if s.startswith("http")}
    assert page2_links and not page1_links & page2_links
    assert "◀ Назад" in [t for t, _ in buttons(second)]
    back = await tap(telegram, 502, second, "◀ Назад")
    assert shown(back) == shown(first)


async def test_no_information_is_honest(telegram):
    reply = await telegram.ask(503, "Сотрудничество Мурманской области с Казахстаном")
    text = shown(reply)
    assert "Нет информации" in text and "Мурманская область" in text and "Астана" in text
    assert "href" not in reply.params["text"]
    assert reply.params["link_preview_options"]["is_disabled"] is True


async def test_start_offers_examples_that_answer(telegram):
    start = await telegram.ask(504, "/start")
    assert "В базе 5 материалов: 0 событий из реестра и 5 статей" in shown(start)
    labels = [t for t, _ in buttons(start)]
    assert "что подписали Питер и Астана?" in labels and "🗺 Регионы" in labels
    answer = await tap(telegram, 504, start, "что подписали Питер и Астана?", method="sendMessage")
    assert "tass.ru" in answer.params["text"]


async def test_regions_list_and_overview(telegram):
    regions = await telegram.ask(505, "/regions")
    assert "Регионы в базе" in shown(regions)  # the regions articles are about (parties), not every mention
    assert any(t.startswith("Астана (2)") for t, _ in buttons(regions))
    assert not any(t.startswith("Екатеринбург") for t, _ in buttons(regions))
    overview = await tap(telegram, 505, regions, "Астана")
    text = shown(overview)
    assert "Астана — статей в базе: 2" in text and "Партнёры" in text and "Санкт-Петербург" in text
    assert "tengrinews.kz" in overview.params["text"]
    all_agreements = await tap(telegram, 505, overview, "📝 Все соглашения")
    assert "Соглашения: Астана" in shown(all_agreements)


async def test_topics_list_and_topic(telegram):
    topics = await telegram.ask(506, "/topics")
    assert "Темы сотрудничества" in shown(topics)
    label = buttons(topics)[0][0]
    topic = await tap(telegram, 506, topics, label)
    assert label.rsplit(" (", 1)[0] in shown(topic) and "Последние статьи" in shown(topic)
    back = await tap(telegram, 506, topic, "◀ К темам")
    assert "Темы сотрудничества" in shown(back)


async def test_agreements_latest_about_help(telegram):
    omsk = shown(await telegram.ask(507, "/agreements омск"))
    assert "Соглашения: Омская область" in omsk and "побратим" in omsk
    everything = shown(await telegram.ask(507, "/agreements"))
    assert everything.index("2025–2029") < everything.index("2017–2021")  # newest first
    assert "Не нашёл региона" in shown(await telegram.ask(507, "/agreements абырвалг"))
    latest = shown(await telegram.ask(507, "/latest"))
    assert latest.index("Энерготехнохаб") < latest.index("побратимами")
    about = shown(await telegram.ask(507, "/about"))
    assert "5 материалов" in about and "Tengrinews" in about and "2015" in about
    assert "/regions" in shown(await telegram.ask(507, "/help"))


async def test_group_answers_only_when_addressed(telegram):
    fake = telegram.fake
    asked = await telegram.ask(601, "/ask@coopbot_test_bot спб астана", chat=GROUP)
    assert "tass.ru" in asked.params["text"]
    assert asked.params["reply_parameters"]["message_id"]  # a reply to the question
    mentioned = await telegram.ask(602, "@coopbot_test_bot омск павлодар", chat=GROUP)
    assert "kvnews.ru" in mentioned.params["text"]
    bot_message = {**mentioned.result, "from": BOT_USER}
    replied = await telegram.ask(603, "а товарооборот новгородской области?", chat=GROUP, reply_to_message=bot_message)
    assert "novvedomosti.ru" in replied.params["text"]
    empty = await telegram.ask(601, "/ask", chat=GROUP)
    assert "/ask что подписали" in shown(empty)
    before = len(fake.sent_to(GROUP["id"]))
    await fake.send(604, "всем привет, кто идёт на обед?", chat=GROUP)
    await fake.send(
        604,
        None,
        chat=GROUP,
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
    )
    await fake.send(604, "/unknown", chat=GROUP)
    marker = await telegram.ask(605, "/ask омск", chat=GROUP)  # processed after the chatter above
    await asyncio.sleep(0.3)
    assert fake.sent_to(GROUP["id"])[before:] == [marker]


async def test_inline_mode_offers_articles_with_the_answer_text(telegram):
    fake = telegram.fake
    mark = len(fake.calls)
    await fake.inline(701, "омск павлодар")
    call = await fake.wait_for(lambda c: c.method == "answerInlineQuery", after=mark)
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    first = results[0]
    assert first["title"] == "Омск и Павлодар официально стали побратимами"
    content = first["input_message_content"]
    assert content["parse_mode"] == "HTML" and "kvnews.ru" in content["message_text"]
    mark = len(fake.calls)
    await fake.inline(701, "погода в Караганде")
    nothing = await fake.wait_for(lambda c: c.method == "answerInlineQuery", after=mark)
    assert [r["title"] for r in nothing.params["results"]] == ["Нет информации"]
    mark = len(fake.calls)
    await fake.inline(701, "")
    empty = await fake.wait_for(lambda c: c.method == "answerInlineQuery", after=mark)
    assert empty.params["results"] == [] and empty.params["button"]["start_parameter"] == "help"


async def test_non_text_unknown_commands_and_edits(telegram):
    fake = telegram.fake
    sticker = {
        "file_id": "s",
        "file_unique_id": "s",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
    mark = len(fake.calls)
    await fake.send(801, None, sticker=sticker)
    assert "только текст" in shown(await fake.reply_to(801, after=mark))
    assert "Такой команды нет" in shown(await telegram.ask(801, "/weather"))
    await fake.push(
        edited_message={
            "message_id": 1,
            "date": 1,
            "edit_date": 2,
            "chat": {"id": 801, "type": "private"},
            "from": fake.user(801),
            "text": "спб",
        }
    )
    assert "tass.ru" in (await telegram.ask(801, "спб астана")).params["text"]  # still serving
    stale = await tap(telegram, 801, await telegram.ask(801, "/regions"), "Астана")
    mark = len(fake.calls)
    await fake.tap(801, stale.result, "nonsense:1")
    assert await fake.wait_for(lambda c: c.method == "answerCallbackQuery" and c.params.get("show_alert"), after=mark)


@pytest.mark.parametrize(
    "question",
    [
        "<b>спб</b> & <script>alert('астана')</script> &amp; </i>",
        "🤝🇰🇿 омск 💥 павлодар 👍",
        "астана " * 715,  # 5,005 characters
        "'; DROP TABLE articles; -- спб",
    ],
)
async def test_hostile_questions_get_valid_messages(telegram, question):
    reply = await telegram.ask(900 + len(question) % 50, question)
    assert reply.status == 200 and shown(reply)
    assert "омск" in question or "tass.ru" in reply.params["text"]


async def test_flood_gets_one_too_often_reply(telegram):
    fake = telegram.fake
    mark = len(fake.calls)
    for n in range(25):
        await fake.send(1001, f"спб астана {n}")
    await telegram.ask(1002, "омск павлодар")  # another user is not held up
    await fake.wait_for(lambda c: len(fake.sent_to(1001)) >= 11, after=mark)
    await asyncio.sleep(0.3)
    texts = [shown(c) for c in fake.sent_to(1001)]
    assert len(texts) == 11 and sum("Слишком часто" in t for t in texts) == 1


async def test_429_waits_retry_after_and_delivers(telegram):
    fake = telegram.fake
    fake.fail("sendMessage", 429, retry_after=1)
    mark = len(fake.calls)
    reply = await telegram.ask(1101, "спб астана")
    attempts = [c for c in fake.calls[mark:] if c.method == "sendMessage"]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.95
    assert "tass.ru" in reply.params["text"]


async def test_server_errors_and_dropped_connections_are_retried(telegram):
    fake = telegram.fake
    fake.fail("sendMessage", 500)
    fake.fail("sendMessage", 0)  # the connection drops
    mark = len(fake.calls)
    reply = await telegram.ask(1201, "омск павлодар")
    assert "kvnews.ru" in reply.params["text"]
    assert [c.status for c in fake.calls[mark:] if c.method == "sendMessage"] == [500, 0, 200]


async def test_blocked_user_is_logged_and_others_are_served(telegram, caplog):
    fake = telegram.fake
    fake.fail("sendMessage", 403)
    mark = len(fake.calls)
    with caplog.at_level(logging.ERROR):
        await fake.send(1301, "спб астана")
        await fake.wait_for(lambda c: c.method == "sendMessage" and c.status == 403, after=mark)
        other = await telegram.ask(1302, "омск павлодар")
    assert "kvnews.ru" in other.params["text"]
    assert "Forbidden" in caplog.text
    assert "tass.ru" in (await telegram.ask(1301, "спб астана")).params["text"]  # unblocked later: served again


async def test_the_token_never_reaches_the_log(caplog):
    from bot.app.redact import protect_token

    with caplog.at_level(logging.INFO):
        protect_token(TOKEN)
        logging.getLogger("aiogram").error("request to https://api.telegram.org/bot%s/getMe failed", TOKEN)
        try:
            raise RuntimeError(f"url /bot{TOKEN}/sendMessage")
        except RuntimeError:
            logging.getLogger("aiogram").exception("failed")
    assert "getMe failed" in caplog.text and TOKEN not in caplog.text


async def test_a_page_button_past_the_end_shows_the_last_page(telegram):
    latest = await telegram.ask(1401, "/latest")
    mark = len(telegram.fake.calls)
    await telegram.fake.tap(1401, latest.result, "list:agreements::7")  # from before the store shrank
    page = await telegram.fake.reply_to(1401, after=mark, method="editMessageText")
    assert "Соглашения" in shown(page) and "2025–2029" in shown(page)
