"""Feeds against a local HTTP server: RSS and Atom, article pages, a 304 on the second poll,
a broken feed, a page that is gone; only articles about cooperation between regions are kept,
and a new agreement from a feed reaches an instant subscriber."""

from __future__ import annotations

import pytest
from aiohttp import web

from bot.app.cli import main
from bot.digests.feeds import FeedPoller, FeedSettings
from tests.conftest import AGELESS, start_bot, stop_bot

LOCAL = FeedSettings(allow_private=True)  # the test servers are on 127.0.0.1 (test_feed_safety: the default refuses)

ARTICLE = """<html><head><title>Омск и Костанай</title></head><body><nav>Главная | Новости | Погода</nav>
<article><h1>Омская и Костанайская области подписали соглашение</h1>
<p>Губернатор Омской области Виталий Хоценко и аким Костанайской области Кумар Аксакалов подписали
соглашение о торгово-экономическом сотрудничестве на 2026–2028 годы.</p>
<p>Документ предусматривает совместные проекты в сельском хозяйстве и энергетике.</p></article>
<footer>© 2026 Пример</footer></body></html>"""
WEATHER = """<html><body><article><h1>Погода в Астане</h1><p>В Астане завтра ожидается снег и до минус
двадцати градусов, сообщает синоптик. Ветер северный, местами метель.</p><p>В выходные потеплеет.</p>
</article></body></html>"""


def rss(base: str) -> str:
    items = [
        ("omsk-kostanay", "Омская и Костанайская области подписали соглашение"),
        ("weather", "Погода в Астане"),
        ("gone", "Удалённая новость"),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>{base}/news/{slug}</link><guid>{base}/news/{slug}</guid>"
        f"<pubDate>Fri, 20 Nov 2026 10:00:00 +0500</pubDate></item>"
        for slug, title in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Пример Новости</title>'
        f"<link>{base}</link><description>d</description>{body}</channel></rss>"
    )


ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Атом</title>
<id>urn:a</id><updated>2026-11-21T10:00:00Z</updated><entry><title>Погода в Астане</title><id>urn:w</id>
<link href="{base}/news/weather"/><updated>2026-11-21T10:00:00Z</updated></entry></feed>"""


@pytest.fixture
async def site():
    hits: list[tuple[str, str | None]] = []

    async def feed(request: web.Request) -> web.Response:
        hits.append((request.path, request.headers.get("If-None-Match")))
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(text=rss(base), content_type="application/rss+xml", headers={"ETag": '"v1"'})

    async def atom(request: web.Request) -> web.Response:
        return web.Response(text=ATOM.replace("{base}", base), content_type="application/atom+xml")

    async def broken(request: web.Request) -> web.Response:
        return web.Response(text="<html><body>Oops, 500 inside</body>", content_type="text/html")

    async def page(request: web.Request) -> web.Response:
        hits.append((request.path, None))
        slug = request.match_info["slug"]
        if slug == "gone":
            return web.Response(status=404)
        return web.Response(text=ARTICLE if slug == "omsk-kostanay" else WEATHER, content_type="text/html")

    app = web.Application()
    app.router.add_get("/rss.xml", feed)
    app.router.add_get("/atom.xml", atom)
    app.router.add_get("/broken.xml", broken)
    app.router.add_get("/news/{slug}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    base = f"http://127.0.0.1:{server._server.sockets[0].getsockname()[1]}"
    yield base, hits
    await runner.cleanup()


async def test_feeds_keep_cooperation_articles_and_use_conditional_get(engine, site):
    base, hits = site
    feeds = engine.store.feeds
    for path in ("/rss.xml", "/atom.xml", "/broken.xml"):
        assert await feeds.add(base + path)
    poller = FeedPoller(engine, LOCAL)
    try:
        rss_report, atom_report, broken_report = await poller.poll_all()
        assert rss_report.stored == [f"{base}/news/omsk-kostanay"]
        assert rss_report.skipped == 1 and rss_report.failed == 1  # the weather; the page that is gone
        assert atom_report.stored == [] and atom_report.skipped == 1
        assert "not a feed" in broken_report.error
        reply = await engine.ask("соглашение Омской и Костанайской областей")
        assert reply.answer.results[0].article.url == f"{base}/news/omsk-kostanay"
        assert reply.answer.results[0].article.publisher == "Пример Новости"
        assert await engine.store.article_count() == 6

        pages_before = sum(1 for path, _ in hits if path.startswith("/news/"))
        rss_report, _, _ = await poller.poll_all()
        assert rss_report.not_modified and ("/rss.xml", '"v1"') in hits
        assert sum(1 for path, _ in hits if path.startswith("/news/")) == pages_before  # nothing fetched again
        listed = {f.url: f for f in await feeds.feeds()}
        assert listed[base + "/broken.xml"].last_error and not listed[base + "/rss.xml"].last_error
    finally:
        await poller.close()
    assert await engine.store.check_integrity()


async def test_a_feed_agreement_reaches_an_instant_subscriber(engine, site):
    base, _ = site
    running = await start_bot(engine, digest_poll_seconds=3600, digest_max_age_days=AGELESS, feeds_allow_private=True)
    try:
        await running.ask(71, "/subscribe Костанай")
        await engine.store.feeds.add(base + "/rss.xml")
        await running.app.feeds.poll_all()
        planned, report = await running.app.digests.round()
        assert report.sent == 1
        digest = running.fake.sent_to(71)[-1].params["text"]
        assert f"{base}/news/omsk-kostanay" in digest and "Новые соглашения" in digest
    finally:
        await running.app.feeds.close()
        await stop_bot(running)


def test_feeds_command_adds_lists_and_removes(tmp_path, capsys):
    db = str(tmp_path / "s.sqlite3")
    assert main(["--db", db, "feeds", "add", "https://example.kz/rss"]) == 0
    assert main(["--db", db, "feeds", "add", "https://example.kz/rss"]) == 0
    assert main(["--db", db, "feeds", "add", "ftp://nope"]) == 2
    assert main(["--db", db, "feeds", "list"]) == 0
    assert main(["--db", db, "feeds", "remove", "https://example.kz/rss"]) == 0
    assert main(["--db", db, "feeds", "remove", "https://example.kz/rss"]) == 1
    out = capsys.readouterr()
    assert "added https://example.kz/rss" in out.out and "already there" in out.out
    assert "https://example.kz/rss  (checked never)" in out.out and "removed" in out.out
    assert "must start with http" in out.err and "no such feed" in out.err
