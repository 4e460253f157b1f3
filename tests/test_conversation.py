"""A conversation, not a search box, through the fake Bot API: follow-ups in a private chat and
in a group's reply chain, a clarifying question and its tap, the answer first, small talk in
three languages, Kazakh and English questions, context that expires and that survives a
restart, and what nobody got an answer to, for the admins."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import start_bot, stop_bot
from tests.fake_telegram import BOT_USER
from tests.test_bot import button, buttons, shown

GROUP = {"id": -100900, "type": "supergroup", "title": "Омичи"}
ADMIN = 4242


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_a_follow_up_is_understood_against_the_previous_question(telegram):
    first = await telegram.ask(5001, "Омск и Павлодар побратимы?")
    assert "kvnews.ru" in first.params["text"]
    follow = await telegram.ask(5001, "а кто подписал?")
    text = shown(follow)
    assert "Омск, Павлодар (из прошлого вопроса)" in text
    assert text.split("\n")[2].startswith("Подписали: Вячеслав Двораковский")  # the answer first
    fresh = await telegram.ask(5001, "/reset")
    assert "сначала" in shown(fresh)
    after = await telegram.ask(5001, "а кто подписал?")
    assert "из прошлого вопроса" not in shown(after) and "Регионы:</b> не названы" in after.params["text"]


async def test_a_follow_up_naming_a_new_place_swaps_its_side(telegram):
    await telegram.ask(5002, "Омск и Костанай")
    swapped = shown(await telegram.ask(5002, "а с Павлодаром?"))
    assert "Омск, Павлодар (из прошлого вопроса)" in swapped and "Нет информации" not in swapped
    # a swapped pair the store knows nothing about gets the honest reply for that pair, not the new place alone
    empty = shown(await telegram.ask(5002, "а с Костанаем?"))
    assert "Омск, Костанай (из прошлого вопроса)" in empty and "Нет информации" in empty


async def test_a_group_reply_chain_keeps_its_own_context(telegram):
    asked = await telegram.ask(5101, "/ask Омск и Павлодар", chat=GROUP)
    bot_message = {**asked.result, "from": BOT_USER}
    follow = await telegram.ask(5102, "а кто подписал?", chat=GROUP, reply_to_message=bot_message)
    assert "из прошлого вопроса" in shown(follow) and "Двораковский" in shown(follow)
    alone = await telegram.ask(5103, "/ask кто подписал?", chat=GROUP)  # no reply: a question of its own
    assert "из прошлого вопроса" not in shown(alone)


async def test_context_expires_and_survives_a_restart(bot_engine):
    clock = Clock()
    running = await start_bot(bot_engine, clock=clock, context_ttl_minutes=30)
    try:
        await running.ask(5201, "спб астана")
        clock.now += 29 * 60
        assert "из прошлого вопроса" in shown(await running.ask(5201, "а что подписали?"))
        clock.now += 31 * 60
        assert "из прошлого вопроса" not in shown(await running.ask(5201, "а что подписали?"))
        await running.ask(5202, "спб астана")
    finally:
        await stop_bot(running)
    restarted = await start_bot(bot_engine, clock=clock, context_ttl_minutes=30)  # the same store
    try:
        assert "из прошлого вопроса" in shown(await restarted.ask(5202, "а что подписали?"))
    finally:
        await stop_bot(restarted)


async def test_an_ambiguous_name_gets_a_clarifying_question_and_the_tap_answers(full_engine):
    running = await start_bot(full_engine)
    try:
        question = await running.ask(5301, "Алтай и ВКО сотрудничество")
        assert "Какой регион вы имели в виду?" in shown(question)
        labels = [t for t, _ in buttons(question)]
        assert {"Алтайский край", "Республика Алтай", "все"} <= set(labels)
        mark = len(running.fake.calls)
        await running.fake.tap(5301, question.result, button(question, "Алтайский край"))
        answer = await running.fake.reply_to(5301, after=mark)
        assert "Алтайский край, Восточно-Казахстанская область" in shown(answer) and "Источники" in shown(answer)
    finally:
        await stop_bot(running)
    assert not running.fake.rejected()


async def test_a_misspelt_place_gets_suggestions_and_the_tap_answers(telegram):
    question = await telegram.ask(5351, "сотрудничество с Павлдаром")
    assert "Возможно, вы имели в виду: Павлодар?" in shown(question)
    assert [t for t, _ in buttons(question)] == ["Павлодар"]  # a suggestion, never assumed
    mark = len(telegram.fake.calls)
    await telegram.fake.tap(5351, question.result, button(question, "Павлодар"))
    answer = await telegram.fake.reply_to(5351, after=mark)
    assert "Павлодар" in shown(answer).split("\n")[0] and "kvnews.ru" in answer.params["text"]


async def test_small_talk_in_three_languages(telegram):
    for text, expected in (("привет!", "Здравствуйте"), ("Сәлем", "Сәлеметсіз бе"), ("thanks", "You're welcome")):
        reply = shown(await telegram.ask(5401, text))
        assert expected in reply and "Нет информации" not in reply


async def test_kazakh_and_english_questions_find_their_places(bot_engine):
    kazakh = (await bot_engine.ask("Омбы мен Павлодар ынтымақтастығы")).to_json(bot_engine.k)
    assert kazakh["language"] == "kk" and {"ru-oms", "kz-pav"} <= {r["id"] for r in kazakh["regions"]}
    assert kazakh["results"] and "kvnews.ru" in kazakh["results"][0]["url"]
    english = (await bot_engine.ask("Astana St Petersburg memorandum")).to_json(bot_engine.k)
    assert english["language"] == "en" and english["intent"] == "agreements"
    assert english["results"][0]["url"] == "http://tass.ru/novosti-partnerov/4474065"


async def test_the_answer_comes_first_or_says_the_articles_do_not_hold_it(bot_engine):
    figure = (await bot_engine.ask("сколько товарооборот питера с казахстаном")).to_json(bot_engine.k)
    assert figure["direct"] == "Товарооборот Санкт-Петербург — Казахстан за 2016 год — $682 млн [1]."
    assert figure["text"].split("\n")[2] == f"<b>{figure['direct']}</b>"
    missing = (await bot_engine.ask("сколько инвестиций в Омск из Павлодара")).to_json(bot_engine.k)
    assert missing["direct"].startswith("Точной цифры в статьях нет")


async def test_unanswered_questions_are_for_admins_only(bot_engine):
    running = await start_bot(bot_engine, admin_ids=[ADMIN])
    try:
        await running.ask(5501, "сотрудничество Чукотки и Жамбылской области")
        refused = await running.ask(5502, "/unanswered")
        assert "только для администраторов" in shown(refused)
        listed = shown(await running.ask(ADMIN, "/unanswered"))
        assert "сотрудничество чукотки и жамбылской области — 1" in listed
    finally:
        await stop_bot(running)


def test_ask_dialogue_reads_one_conversation_per_paragraph(tmp_path):
    dialogue = "Омск и Павлодар побратимы?\nа кто подписал?\n\nа кто подписал?\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(tmp_path / "s.sqlite3"), "ask", "--dialogue", "--json"],
        input=dialogue, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    import json

    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["context"] for a in answers] == [False, True, False]
    assert answers[1]["direct"].startswith("Подписали:")
