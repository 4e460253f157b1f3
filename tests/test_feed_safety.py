"""Feeds from a hostile web, against local servers: items and redirects pointing at internal
addresses are never requested, huge and trickling responses are cut, redirect loops and
entity bombs refused, javascript: links stored nowhere and linked nowhere, and a few hanging
feeds do not hold up the others.

A server on 127.0.0.2 plays a public site (``allow_hosts``); everything on 127.0.0.1 plays the
internal network the guard must keep feeds away from."""

from __future__ import annotations

import asyncio
import inspect
import time

from aiohttp import web

from bot.digests.feeds import FeedPoller, FeedSettings
from bot.qa.render import link
from tests.test_feeds import ARTICLE

PUBLIC = "127.0.0.2"


def rss(*links: str) -> str:
    items = "".join(
        f"<item><title>Новость {n}</title><link>{u}</link><guid>{u}</guid></item>" for n, u in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Пример</title>{items}</channel></rss>'


class Server:
    """An aiohttp server on ``host`` that counts what it was asked."""

    def __init__(self, host: str) -> None:
        self.host, self.hits = host, []
        self.app = web.Application()
        self.runner: web.AppRunner | None = None
        self.url = ""

    def route(self, path: str, handler) -> None:
        async def counted(request: web.Request):
            self.hits.append(request.path)
            answer = handler(request)
            return await answer if inspect.isawaitable(answer) else answer

        self.app.router.add_get(path, counted)

    async def __aenter__(self) -> Server:
        self.runner = web.AppRunner(self.app, shutdown_timeout=0.5)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.host, 0)
        await site.start()
        self.url = f"http://{self.host}:{site._server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc) -> None:
        assert self.runner
        await self.runner.cleanup()


def redirect(location: str):
    raise web.HTTPFound(location)


def poller(engine, **bounds) -> FeedPoller:
    return FeedPoller(engine, FeedSettings(allow_hosts=frozenset({PUBLIC}), **bounds))


async def report_of(engine, url: str, **bounds):
    await engine.store.feeds.add(url)
    p = poller(engine, **bounds)
    try:
        (report,) = [r for r in await p.poll_all() if r.url == url]
    finally:
        await p.close()
    return report


async def test_items_and_redirects_to_internal_addresses_are_never_requested(engine):
    internal, public = Server("127.0.0.1"), Server(PUBLIC)
    internal.route("/{tail:.*}", lambda r: web.Response(text=ARTICLE, content_type="text/html"))

    def items() -> list[str]:
        return [f"{internal.url}/secret", "http://localhost:1/admin", "http://169.254.169.254/latest/meta-data",
                "http://[::ffff:127.0.0.1]/x", "http://0.0.0.0/", f"{public.url}/hop"]  # fmt: skip

    public.route("/rss.xml", lambda r: web.Response(text=rss(*items()), content_type="application/rss+xml"))
    public.route("/hop", lambda r: redirect(f"{internal.url}/after-redirect"))
    async with internal, public:
        report = await report_of(engine, f"{public.url}/rss.xml")
        assert internal.hits == []  # not one request reached the internal server
        assert report.failed == len(items()) and report.stored == []
        assert await engine.store.article_count() == 5
        # refused items are not asked for again
        await report_of(engine, f"{public.url}/rss.xml")
        assert public.hits.count("/hop") == 1


async def test_by_default_local_feed_servers_are_refused(engine):
    local = Server("127.0.0.1")
    local.route("/rss.xml", lambda r: web.Response(text=rss(), content_type="application/rss+xml"))
    async with local:
        await engine.store.feeds.add(f"{local.url}/rss.xml")
        p = FeedPoller(engine)  # default settings: no private addresses
        try:
            (report,) = await p.poll_all()
        finally:
            await p.close()
        assert local.hits == [] and "refused" in report.error and "loopback" in report.error
        (feed,) = await engine.store.feeds.feeds()
        assert feed.last_error == report.error  # shown by `coopbot feeds list`


async def test_a_huge_feed_is_cut_at_the_limit(engine):
    sent = []

    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await response.prepare(request)
        chunk = b"<!-- " + b"x" * 65_000 + b" -->"
        try:
            for _ in range(300 * 16):  # 300 MB if nobody stops reading
                await response.write(chunk)
                sent.append(len(chunk))
        except (ConnectionResetError, RuntimeError):
            pass
        return response

    public = Server(PUBLIC)
    public.route("/rss.xml", endless)
    async with public:
        report = await report_of(engine, f"{public.url}/rss.xml", max_feed_bytes=1_000_000)
    assert report.error.startswith("cut: more than 1000000 bytes")
    assert sum(sent) < 20_000_000  # the reader stopped; the 300 MB were never taken in


async def test_a_trickling_feed_is_cut_at_the_deadline(engine):
    async def trickle(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(60):
            await response.write(b" ")
            await asyncio.sleep(0.5)
        return response

    public = Server(PUBLIC)
    public.route("/rss.xml", trickle)
    async with public:
        started = time.monotonic()
        report = await report_of(engine, f"{public.url}/rss.xml", deadline=1.5)
    assert time.monotonic() - started < 5
    assert report.error == "cut: no complete answer within 1.5 s"


async def test_a_redirect_loop_and_an_entity_bomb_are_refused_quickly(engine):
    levels = [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    bomb = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' + "".join(levels)
            + ']><rss version="2.0"><channel><title>&lol9;</title></channel></rss>')  # fmt: skip
    public = Server(PUBLIC)
    public.route("/loop", lambda r: redirect("/loop"))
    public.route("/bomb.xml", lambda r: web.Response(text=bomb, content_type="application/rss+xml"))
    async with public:
        started = time.monotonic()
        looped = await report_of(engine, f"{public.url}/loop")
        bombed = await report_of(engine, f"{public.url}/bomb.xml")
    assert time.monotonic() - started < 5
    assert looped.error == "refused: more than 5 redirects"
    assert bombed.error.startswith("refused: the feed declares XML entities")


async def test_javascript_links_are_stored_nowhere_and_linked_nowhere(engine, tmp_path):
    bad = tmp_path / "bad.md"
    text = "---\ntitle: Омск и Павлодар\nurl: javascript:alert(1)\n---\nОмск и Павлодар подписали соглашение.\n"
    bad.write_text(text, encoding="utf-8")
    (report,) = await engine.ingest([bad])
    assert report.status == "error" and "http:// or https://" in report.detail
    public = Server(PUBLIC)
    public.route("/rss.xml", lambda r: web.Response(text=rss("javascript:alert(1)", "data:text/html,x"),
                                                    content_type="application/rss+xml"))  # fmt: skip
    async with public:
        feed = await report_of(engine, f"{public.url}/rss.xml")
    assert feed.failed == 2 and feed.stored == []
    assert await engine.store.find_existing("javascript:alert(1)", "") is None
    assert link("javascript:alert(1)", "статья") == "статья"  # a link is never rendered unchecked


async def test_hanging_feeds_do_not_hold_up_the_others(engine):
    hanging = 3

    async def hang(request: web.Request) -> web.Response:
        await asyncio.sleep(60)
        return web.Response(text="")

    public = Server(PUBLIC)
    for n in range(20):
        quick = lambda r: web.Response(text=rss(), content_type="application/rss+xml")  # noqa: E731
        public.route(f"/{n}.xml", hang if n < hanging else quick)
    async with public:
        for n in range(20):
            await engine.store.feeds.add(f"{public.url}/{n}.xml")
        p = poller(engine, deadline=2.0)
        started = time.monotonic()
        try:
            reports = await p.poll_all()
        finally:
            await p.close()
        elapsed = time.monotonic() - started
    assert elapsed < 2.0 + 3.0  # about one deadline, not three in a row (and not 20 feeds one by one)
    errors = [r.error for r in reports if r.error]
    assert len(errors) == hanging and all(e.startswith("cut: no complete answer") for e in errors)
