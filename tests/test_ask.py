"""Answers: the public questions, honest 'no information', valid Telegram HTML for any input."""

import json
from pathlib import Path

import pytest

from tests.conftest import assert_telegram_html

SHARED = Path(__file__).resolve().parents[2] / "shared"
QUESTIONS = (
    [
        json.loads(line)
        for line in (SHARED / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if (SHARED / "eval" / "questions.jsonl").exists()
    else []
)
URLS = (
    {k: v["url"] for k, v in json.loads((SHARED / "seeds" / "seeds.json").read_text(encoding="utf-8")).items()}
    if (SHARED / "seeds" / "seeds.json").exists()
    else {}
)


@pytest.mark.skipif(not QUESTIONS, reason="needs ../shared/eval beside the checkout")
@pytest.mark.parametrize("q", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
async def test_public_question(engine, q):
    reply = await engine.ask(q["question"])
    assert_telegram_html(reply.html)
    urls = [r.article.url for r in reply.answer.results]
    if q["article"] is None:
        assert urls == []
        # an honest "no information", the out-of-scope reply, or ("привет") a friendly one
        assert "Нет информации" in reply.html or "погоды и курсов валют" in reply.html or reply.answer.smalltalk
    else:
        assert urls[0] == URLS[q["article"]]
        for fact in q["facts"]:
            assert fact.casefold() in reply.html.casefold()
        assert f'href="{URLS[q["article"]]}"' in reply.html


async def test_no_information_lists_what_the_store_covers(engine):
    reply = await engine.ask("Сотрудничество Мурманской области с Казахстаном")
    assert reply.answer.results == []
    assert "Мурманская область" in reply.html and "Санкт-Петербург" in reply.html


async def test_newest_article_wins_when_nothing_else_decides(engine):
    reply = await engine.ask("Санкт-Петербург")
    assert reply.answer.results[0].article.published == "2025-10-08"


async def test_year_decides_between_articles_of_one_region(engine):
    reply = await engine.ask("Петербург 2017")
    assert reply.answer.results[0].article.published == "2017-08-10"


@pytest.mark.parametrize(
    "question",
    [
        "",
        "   ",
        "😀🤝🇰🇿",
        "a" * 10_000,
        "Астана " * 1500,
        "\x00\x07\x1b[31m Астана",
        "<script>alert(1)</script> & Омск",
        "'; DROP TABLE articles; --",
        'Омск" OR 1=1 --',
        "санкт-петербург?*(",
    ],
)
async def test_any_input_gets_a_valid_reply_and_the_store_survives(engine, question):
    reply = await engine.ask(question)
    assert_telegram_html(reply.html)
    assert "<script>" not in reply.html
    assert await engine.store.article_count() == 5
    assert await engine.store.check_integrity()


async def test_json_carries_canonical_region_names(engine, knowledge):
    reply = await engine.ask("Новгородская область Улытау меморандум")
    data = reply.to_json(knowledge)
    assert [r["name"] for r in data["regions"]] == ["Новгородская область", "область Улытау"]
    assert data["intent"] == "agreements" and data["text"] == reply.html
    city = (await engine.ask("Челябинск Астана умный город")).to_json(knowledge)
    assert [r["name"] for r in city["regions"]] == ["Челябинск", "Челябинская область", "Астана"]


async def test_oversized_answers_drop_whole_lines_never_cut_tags(engine, knowledge):
    """Long source links, long facts and a question naming every region: the message stays
    within 4096 characters, valid, and every result it still shows keeps its source link."""
    from html import escape

    from bot.models import Result, StoredArticle
    from bot.qa.render import render
    from bot.text.documents import MAX_URL

    question = " ".join(p.name for p in knowledge.gazetteer.places.values() if p.kind != "city")
    answer = (await engine.ask(question)).answer
    assert len(answer.query.places) > 40
    long_url = "https://example.kz/?"
    while len(escape(long_url + "a&b<")) <= MAX_URL - 10:  # the longest link ingestion accepts
        long_url += "a&b<"
    answer.results = [
        Result(
            StoredArticle(n, f"{long_url}{n}", "Заголовок " * 40, "Издание & Co", "2024-01-0" + str(n)),
            1.0,
            ["Предложение <с> разметкой & " * 30] * 3,
            [f"Факт №{i} & <b>" * 20 for i in range(15)],
        )
        for n in range(1, 4)
    ]
    html = render(answer, knowledge)
    assert_telegram_html(html)
    assert "и ещё" in html  # the list of understood places is capped
    shown = [r for r in answer.results if f'href="{escape(r.article.url)}"' in html]
    assert shown and html.count('<a href="') == len(shown)
    assert all(f"[{n}]" in html for n in range(1, len(shown) + 1))


async def test_a_question_in_one_aspect_finds_the_sentence_in_the_other(engine, tmp_path):
    # "что обсуждали?" (обсуждать) is answered by the sentence that says "обсудили" (обсудить)
    page = tmp_path / "expo.md"
    page.write_text(
        "---\ntitle: Алматинская область и Татарстан\nurl: https://example.kz/expo\npublished: 2017-06-12\n---\n\n"
        "На ЭКСПО-2017 в Астане прошли переговоры делегаций Алматинской области и Республики Татарстан.\n"
        "Стороны отметили давние дружеские связи и рост туристических поездок между регионами.\n"
        "Гости осмотрели павильоны выставки и встретились со студентами.\n"
        "Участники обсудили проекты в специальной экономической зоне «Хоргос - Восточные ворота».\n",
        encoding="utf-8",
    )
    await engine.ingest([page])
    reply = await engine.ask("что обсуждали Алматинская область и Татарстан?")
    assert "Хоргос" in " ".join(reply.answer.results[0].summary)
