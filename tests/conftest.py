"""Shared fixtures: the knowledge (models) loads once per test session; every test that writes
gets its own store in a temporary folder, filled from ``data/articles`` like a first run."""

from __future__ import annotations

import asyncio
import html.parser
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.qa.engine import Engine
from bot.text.knowledge import Knowledge

# The digest tests' articles are dated November 2026; digests announce only deals of the last
# DIGEST_MAX_AGE_DAYS, so those tests lift the bound (test_registry checks the bound itself).
AGELESS = 100 * 365

TELEGRAM_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return Knowledge()


@pytest.fixture
async def engine(knowledge: Knowledge, tmp_path: Path):
    """A store of the five bundled articles (the registry has its own tests on the full store)."""
    engine = await Engine.open(tmp_path / "store.sqlite3", knowledge, registry=False)
    yield engine
    await engine.close()


class _TelegramHtml(html.parser.HTMLParser):
    """Rejects what Telegram's HTML parse mode rejects: unknown tags, unbalanced tags, bare '<' or '&'."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert tag in TELEGRAM_TAGS, f"unsupported tag <{tag}>"
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_entityref(self, name):
        assert name in ("lt", "gt", "amp", "quot"), f"unsupported entity &{name};"


def assert_telegram_html(text: str) -> None:
    assert 0 < len(text) <= 4096, f"message length {len(text)}"
    bare = text.replace("&lt;", "").replace("&gt;", "").replace("&amp;", "").replace("&quot;", "")
    assert "&" not in bare, "unescaped &"
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    assert not parser.stack, f"unclosed tags {parser.stack}"


@pytest.fixture(scope="session")
async def bot_engine(knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory):
    """One store of the bundled articles for the end-to-end bot tests (they only read it, and
    remember questions)."""
    engine = await Engine.open(tmp_path_factory.mktemp("bot") / "store.sqlite3", knowledge, registry=False)
    yield engine
    await engine.close()


class RunningBot:
    """The bot under test long-polling a fake Bot API server over real HTTP."""

    def __init__(self, fake, app, task) -> None:
        self.fake, self.app, self.task = fake, app, task
        self.bot, self.dp = app.bot, app.dp

    async def ask(self, user_id: int, text: str, **extra):
        """Send ``text`` and wait for the bot's reply in that chat."""
        chat_id = extra.get("chat", {}).get("id", user_id)
        mark = len(self.fake.calls)
        await self.fake.send(user_id, text, **extra)
        return await self.fake.reply_to(chat_id, after=mark)


async def start_bot(engine: Engine, clock=None, **overrides) -> RunningBot:
    from bot.app.application import build, run_polling
    from bot.settings import Settings
    from tests.fake_telegram import TOKEN, FakeTelegram

    fake = FakeTelegram()
    url = await fake.start()
    settings = Settings(_env_file=None, telegram_api_base=url, **overrides)
    app = build(engine, settings, TOKEN, clock=clock) if clock else build(engine, settings, TOKEN)
    task = asyncio.create_task(run_polling(app, handle_signals=False, polling_timeout=1))
    await asyncio.wait_for(fake.polling.wait(), 15)
    return RunningBot(fake, app, task)


async def stop_bot(running: RunningBot) -> None:
    stopping = asyncio.create_task(running.dp.stop_polling())
    await running.fake.stop()  # ends the pending long poll at once
    await stopping
    await running.task
    await running.bot.session.close()


@pytest.fixture(scope="session")
async def full_engine(knowledge: Knowledge, tmp_path_factory: pytest.TempPathFactory):
    """The store a fresh install starts with: the bundled articles and the registry."""
    engine = await Engine.open(tmp_path_factory.mktemp("full") / "store.sqlite3", knowledge)
    yield engine
    await engine.close()


@pytest.fixture
async def telegram(bot_engine: Engine):
    running = await start_bot(bot_engine)
    yield running
    await stop_bot(running)
    assert not running.fake.rejected(), [(c.method, c.error) for c in running.fake.rejected()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class WebhookBot:
    fake: Any
    app: Any
    base: str  # http://127.0.0.1:<port> of the bot's webhook server


@asynccontextmanager
async def webhook_bot(engine: Engine, path: str = "/hook", **overrides) -> AsyncIterator[WebhookBot]:
    """The bot serving a webhook at ``path`` on a free local port, talking to a fake Bot API
    server; stopped, and both servers closed, on exit."""
    from bot.app.application import build, serve_webhook
    from bot.settings import Settings
    from tests.fake_telegram import TOKEN, FakeTelegram

    fake = FakeTelegram()
    await fake.start()
    port = free_port()
    settings = Settings(
        _env_file=None,
        telegram_api_base=fake.url,
        webhook_url=f"https://bot.example.org{path}",
        webhook_host="127.0.0.1",
        webhook_port=port,
        **overrides,
    )
    app = build(engine, settings, TOKEN)
    stop = asyncio.Event()
    server = asyncio.create_task(serve_webhook(app, settings, stop))
    try:
        await fake.wait_for(lambda c: c.method == "setWebhook")
        yield WebhookBot(fake, app, f"http://127.0.0.1:{port}")
    finally:
        stop.set()
        await server
        await app.bot.session.close()
        await fake.stop()
