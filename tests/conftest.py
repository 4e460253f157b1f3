"""Shared fixtures: the knowledge (models) loads once per test session; every test that writes
gets its own store in a temporary folder, filled from ``data/articles`` like a first run."""
from __future__ import annotations

import html.parser
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge import Knowledge

TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
                 "code", "pre", "blockquote", "tg-emoji"}


@pytest.fixture(scope="session")
def knowledge() -> Knowledge:
    return Knowledge()


@pytest.fixture
async def engine(knowledge: Knowledge, tmp_path: Path):
    engine = await Engine.open(tmp_path / "store.sqlite3", knowledge)
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
