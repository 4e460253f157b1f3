"""The registry of real events (data/registry): every entry holds up, a fresh install answers
about people's own regions from it with the source link, one deal stays one deal whoever reports
it, history never goes out as a digest, and what the store covers is said plainly."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from bot.digests.digest import plan
from bot.models import Subscription
from bot.qa.coverage import as_text, coverage
from bot.qa.engine import Engine
from bot.text import registry
from tests.conftest import assert_telegram_html, start_bot, stop_bot
from tests.test_bot import buttons, shown

BORDER = ["ru-ast", "ru-vgg", "ru-sar", "ru-sam", "ru-ore", "ru-che", "ru-kgn", "ru-tyu", "ru-oms", "ru-nvs",
          "ru-alt", "ru-al"]  # fmt: skip

ENTRY = """
- id: test-kgn-kos-memorandum
  date: {date}
  kind: memorandum
  sides: [ru-kgn, kz-kos]
  title: Меморандум о сотрудничестве Курганской и Костанайской областей
  summary: >-
    Губернатор Курганской области и аким Костанайской области подписали меморандум о
    сотрудничестве в сельском хозяйстве и образовании на форуме в Кургане; документ рассчитан на
    три года и предусматривает обмен делегациями фермеров.
  period: 2024–2026
  people:
    - {{name: Вадим Шумков, post: губернатор Курганской области}}
  topics: [agriculture, education]
  sources:
    - {{url: "https://example.kz/kurgan-kostanay", publisher: Пример, date: {date}}}
- id: test-kgn-kos-visit
  date: 2023-05-04
  kind: visit
  sides: [c-kgn, c-kst]
  title: Делегация Кургана в Костанае обсудила поставки зерна
  summary: >-
    Делегация Кургана во главе с главой города приехала в Костанай; стороны обсудили поставки
    зерна и совместную ярмарку, а также договорились о визите костанайских предпринимателей осенью.
  sources:
    - {{url: "https://example.kz/kurgan-kostanay", publisher: Пример, date: 2023-05-05}}
"""

ARTICLE = """---
title: Курганская и Костанайская области подписали меморандум
url: https://other.example.ru/kurgan-kostanay
publisher: Другое издание
published: {date}
---
Губернатор Курганской области Вадим Шумков и аким Костанайской области подписали меморандум о сотрудничестве.
"""


def test_every_registry_entry_holds_up(knowledge):
    known = registry.Vocabulary.of(knowledge)
    entries, errors = registry.check(knowledge.registry_dir, known)
    errors += registry.duplicate_deals(entries, known, knowledge.gazetteer.region_of)
    assert errors == []
    places = knowledge.gazetteer.places
    russia_kazakhstan = [e for e in entries if {places[s].country for s in e.sides} == {"RU", "KZ"}]
    assert len(entries) >= 300 and len(russia_kazakhstan) >= 180
    with_kazakh_partner = {knowledge.gazetteer.region_of(s) for e in russia_kazakhstan for s in e.sides}
    assert set(BORDER) <= with_kazakh_partner  # every border region finds its Kazakh neighbours
    assert all(e.sources[0]["url"].startswith(("http://", "https://")) for e in entries)


def test_a_bad_entry_is_named_with_its_file_and_every_problem(tmp_path, knowledge):
    bad = tmp_path / "ru-kgn.yaml"
    bad.write_text(
        ENTRY.format(date="2031-01-01")
        .replace("ru-kgn, kz-kos", "ru-kgn, kz-nowhere")
        .replace("https://", "ftp://", 1),
        encoding="utf-8",
    )
    entries, errors = registry.read(bad, registry.Vocabulary.of(knowledge))
    assert [e.id for e in entries] == ["test-kgn-kos-visit"]  # the good one still loads
    assert len(errors) == 1 and errors[0].startswith("ru-kgn.yaml: entry test-kgn-kos-memorandum:")
    for problem in ("in the future", "'kz-nowhere' is not in the gazetteer", "http:// or https://"):
        assert problem in errors[0]
    (tmp_path / "broken.yaml").write_text("- id: [unclosed", encoding="utf-8")
    assert registry.read(tmp_path / "broken.yaml", registry.Vocabulary.of(knowledge))[1][0].startswith(
        "broken.yaml: not a readable YAML file"
    )


async def test_a_fresh_install_answers_about_ones_own_region_with_the_source(full_engine):
    reply = await full_engine.ask("что подписали Курган и Петропавловск?")
    assert reply.answer.results
    first = reply.answer.results[0].article
    assert "#" in first.url and f'href="{first.url}"' in reply.html  # the registry entry's source page
    assert "Курган" in reply.html and "Петропавловск" in reply.html
    assert_telegram_html(reply.html)
    forum = await full_engine.ask("где проходил форум межрегионального сотрудничества в 2018 году?")
    assert "Петропавловск" in forum.html and "2018" in forum.html


async def test_an_entry_and_an_article_about_one_deal_are_one_deal_with_both_sources(knowledge, tmp_path):
    engine = await Engine.open(tmp_path / "s.sqlite3", knowledge, seed=False)
    try:
        (tmp_path / "ru-kgn.yaml").write_text(ENTRY.format(date="2024-03-01"), encoding="utf-8")
        (tmp_path / "article.md").write_text(ARTICLE.format(date="2024-03-02"), encoding="utf-8")
        reports = await engine.ingest([tmp_path])
        assert sorted(r.status for r in reports) == ["new", "new", "new"]
        page = await engine.catalog.agreements(None, 0)
        assert page.total == 1
        ((agreement, articles),) = page.page.items
        assert {a.url for a in articles} == {
            "https://other.example.ru/kurgan-kostanay",
            "https://example.kz/kurgan-kostanay#test-kgn-kos-memorandum",
        }
        # the registry again: nothing duplicated; a changed entry updates its article
        assert {r.status for r in await engine.ingest([tmp_path / "ru-kgn.yaml"])} == {"unchanged"}
        changed = ENTRY.format(date="2024-03-01").replace("обмен делегациями фермеров", "обмен делегациями")
        (tmp_path / "ru-kgn.yaml").write_text(changed, encoding="utf-8")
        assert [r.status for r in await engine.ingest([tmp_path / "ru-kgn.yaml"])] == ["updated", "unchanged"]
        assert await engine.store.article_count() == 3
    finally:
        await engine.close()


async def test_loading_the_registry_never_sends_a_digest(knowledge, tmp_path):
    engine = await Engine.open(tmp_path / "s.sqlite3", knowledge, seed=False)
    try:
        await engine.store.digests.subscribe(Subscription(555, "private"))
        today = dt.date.today().isoformat()
        (tmp_path / "ru-kgn.yaml").write_text(ENTRY.format(date=today), encoding="utf-8")
        await engine.ingest([tmp_path / "ru-kgn.yaml"])
        now = dt.datetime.now(dt.UTC)
        assert await plan(engine.store, knowledge, now, dry_run=True) == []  # dated today, yet history
        old = tmp_path / "old.md"
        old.write_text(ARTICLE.format(date="2019-05-05").replace("меморандум", "соглашение"), encoding="utf-8")
        await engine.ingest([old])  # news, but of a deal seven years old
        assert await plan(engine.store, knowledge, now, dry_run=True) == []
        fresh = tmp_path / "fresh.md"
        fresh.write_text(ARTICLE.format(date=today).replace("меморандум", "дорожную карту"), encoding="utf-8")
        await engine.ingest([fresh])
        (planned,) = await plan(engine.store, knowledge, now, dry_run=True)
        assert [d.agreement.kind for d in planned.deals] == ["roadmap"]
    finally:
        await engine.close()


async def test_coverage_shows_pairs_and_holes(knowledge, tmp_path):
    engine = await Engine.open(tmp_path / "s.sqlite3", knowledge, seed=False)
    try:
        (tmp_path / "ru-kgn.yaml").write_text(ENTRY.format(date="2024-03-01"), encoding="utf-8")
        await engine.ingest([tmp_path / "ru-kgn.yaml"])
        found = await coverage(engine.store, knowledge)
        text = as_text(found, knowledge)
        assert "Курганская область: Костанайская область 2" in text  # a city counts for its region
        assert "Омская область: — nothing yet" in text
        data = found.to_json()
        assert data["pairs"] == [{"ru": "ru-kgn", "kz": "kz-kos", "events": 2}]
        assert "ru-oms" in data["holes"] and "ru-kgn" not in data["holes"]
    finally:
        await engine.close()


def test_coverage_and_starter_feeds_from_the_command_line(tmp_path):
    def coopbot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "--db", str(tmp_path / "s.sqlite3"), *args],
                              capture_output=True, text=True, timeout=300)  # fmt: skip

    shown_json = json.loads(coopbot("coverage", "--json").stdout)
    assert {"ru": "ru-kgn", "kz": "kz-sko"} in [{"ru": p["ru"], "kz": p["kz"]} for p in shown_json["pairs"]]
    assert "Курганская область:" in coopbot("coverage").stdout
    added = coopbot("feeds", "add-defaults").stdout
    assert "added https://www.inform.kz/rss/rus.xml" in added
    assert "already there https://www.inform.kz/rss/rus.xml" in coopbot("feeds", "add-defaults").stdout
    assert "https://tass.ru/rss/v2.xml  (checked never)" in coopbot("feeds", "list").stdout


async def test_the_full_store_pages_its_regions(full_engine):
    running = await start_bot(full_engine)
    try:
        regions = await running.ask(3101, "/regions")
        assert "(стр. 1 из" in shown(regions)
        mark = len(running.fake.calls)
        await running.fake.tap(3101, regions.result, dict(buttons(regions))["▶"])
        page2 = await running.fake.reply_to(3101, after=mark, method="editMessageText")
        assert "(стр. 2 из" in shown(page2) and "◀" in dict(buttons(page2))
    finally:
        await stop_bot(running)


async def test_no_information_offers_the_partners_the_store_does_hold(full_engine):
    running = await start_bot(full_engine)
    try:
        reply = await running.ask(3001, "Курганская область и Мангистауская область")
        text = shown(reply)
        assert "Нет информации" in text and "Курганская область" in text
        assert "в базе есть материалы с партнёрами" in text and "Северо-Казахстанская область (" in text
        labels = dict(buttons(reply))
        pair = next(data for label, data in labels.items() if label.startswith("Северо-Казахстанская"))
        mark = len(running.fake.calls)
        await running.fake.tap(3001, reply.result, pair)
        answer = await running.fake.reply_to(3001, after=mark)
        assert "Северо-Казахстанская область" in shown(answer) and "Источники" in shown(answer)
    finally:
        await stop_bot(running)
    assert not running.fake.rejected()
