"""Ingestion: boilerplate never becomes facts, re-ingesting never duplicates, bad files are named
and skipped while everything else is stored."""

ARTICLE = """---
title: Оренбургская область и Актюбинская область подписали соглашение о сотрудничестве
url: https://example.test/orenburg-aktobe
publisher: Тестовые ведомости
published: 2024-03-15
---

Поделиться

Губернатор Оренбургской области Денис Паслер и аким Актюбинской области Асхат Шахаров подписали соглашение о торгово-экономическом сотрудничестве на 2024-2026 годы.
Товарооборот Оренбуржья и Казахстана в 2023 году составил 1,2 млрд долларов.
Компания «КазСтройСтекло» договорилась о поставках стекла в Оренбург.

Читайте также
Погода
"""  # noqa: E501 - an article line is as long as its paragraph


async def _places(engine, url):
    rows = await engine.store.db.execute_fetchall(
        "SELECT r.name FROM article_regions ar JOIN regions r ON r.id = ar.region_id "
        "JOIN articles a ON a.id = ar.article_id WHERE a.url = ? AND ar.direct = 1",
        (url,),
    )
    return {r[0] for r in rows}


async def test_first_use_fills_the_store_from_data(engine):
    assert await engine.store.article_count() == 5
    assert await engine.store.schema_version() >= 1
    assert await engine.store.check_integrity()


async def test_weather_widget_cities_are_not_regions_of_the_article(engine):
    places = await _places(engine, "https://tengrinews.kz/news/323044")
    assert {"Челябинская область", "Астана"} <= places
    assert not places & {"Актау", "Актобе", "Караганда", "Тараз", "Шымкент", "Кокшетау", "Уральск"}


async def test_name_in_quotes_is_not_a_place(engine):
    # the Omsk article mentions the ice arena «Астана»: Omsk–Astana cooperation is not in it
    places = await _places(
        engine, "https://kvnews.ru/gazeta/2015/oktyabr/-40/omsk-i-pavlodar-ofitsialno-stali-pobratimami"
    )
    assert "Астана" not in places and {"Омск", "Павлодар"} <= places


async def test_same_file_twice_does_not_duplicate(engine, knowledge):
    reports = await engine.ingest([knowledge.articles_dir])
    assert {r.status for r in reports} == {"unchanged"}
    assert await engine.store.article_count() == 5


async def test_changed_text_under_the_same_url_updates(engine, tmp_path):
    path = tmp_path / "a.md"
    path.write_text(ARTICLE, encoding="utf-8")
    assert [r.status for r in await engine.ingest([path])] == ["new"]
    path.write_text(ARTICLE.replace("1,2 млрд", "1,3 млрд"), encoding="utf-8")
    assert [r.status for r in await engine.ingest([path])] == ["updated"]
    assert await engine.store.article_count() == 6
    reply = await engine.ask("товарооборот Оренбуржья и Казахстана")
    assert "1,3 млрд долларов" in reply.html and "1,2 млрд" not in reply.html


async def test_new_article_about_other_regions_is_understood(engine, tmp_path):
    path = tmp_path / "new.md"
    path.write_text(ARTICLE, encoding="utf-8")
    await engine.ingest([path])
    reply = await engine.ask("что подписали Оренбуржье и Актобе?")
    assert reply.answer.results[0].article.url == "https://example.test/orenburg-aktobe"
    assert "2024–2026" in reply.html and "Денис Паслер" in reply.html
    by_company = await engine.ask("КазСтройСтекло")
    assert by_company.answer.results[0].article.url == "https://example.test/orenburg-aktobe"
    article_id = by_company.answer.results[0].article.id
    assert "Погода" not in (await engine.store.details([article_id]))[article_id].sentences[-1][0]


async def test_bad_files_are_named_and_the_rest_is_stored(engine, tmp_path):
    (tmp_path / "good.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "broken.md").write_text("---\ntitle: [oops\n---\nТекст", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Заголовок".encode("cp1251"))
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "bad-date.md").write_text("---\ntitle: T\npublished: вчера\n---\nТекст статьи.", encoding="utf-8")
    (tmp_path / "long-url.md").write_text(
        f"---\nurl: https://x.kz/?{'a&' * 1000}\n---\nТекст статьи.", encoding="utf-8"
    )
    reports = {r.path.name: r for r in await engine.ingest([tmp_path])}
    assert reports["good.md"].status == "new"
    assert "front matter" in reports["broken.md"].detail
    assert "UTF-8" in reports["latin1.txt"].detail
    assert reports["empty.txt"].status == "error"
    assert "published" in reports["bad-date.md"].detail
    assert "url longer than" in reports["long-url.md"].detail
    assert await engine.store.article_count() == 6
    assert await engine.store.check_integrity()


async def test_extracted_facts_of_the_seeds(engine):
    reply = await engine.ask("План мероприятий Санкт-Петербург Татарстан 2025-2029")
    facts = reply.answer.results[0].facts
    assert any(f.startswith("План мероприятий") and "2025–2029" in f for f in facts)
    novgorod = await engine.ask("Какой внешнеторговый оборот Новгородской области с Казахстаном?")
    assert any("57,1 млн долларов" in f and "2022" in f for f in novgorod.answer.results[0].facts)
