"""The console chat: the real bot — the same dispatcher, routers and middlewares — with the
terminal in Telegram's place. What you type becomes a private-chat message update; what the bot
sends is printed as the user would see it, with its buttons numbered: type a number to tap one.
Needs no token and no network, so a new user sees the bot work on the bundled data at once."""

from __future__ import annotations

import asyncio
import html.parser
import itertools
import time
from typing import Any, TextIO

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetMe, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.app.application import build
from bot.qa.engine import Engine
from bot.settings import Settings

CONSOLE_TOKEN = "1:console"  # a well-formed token that no Telegram bot has
USER = {"id": 100, "is_bot": False, "first_name": "Вы", "language_code": "ru"}
BOT = {"id": 1, "is_bot": True, "first_name": "CoopBot", "username": "coopbot_console"}
CHAT = {"id": USER["id"], "type": "private", "first_name": "Вы"}
HINT = (
    "Консольный чат CoopBot (BOT_TOKEN не задан — бот работает здесь, без Telegram).\n"
    "Пишите вопросы или команды (/help, /regions, /agreements омск…); число — нажать кнопку; "
    "Ctrl-D — выход."
)


class _PlainText(html.parser.HTMLParser):
    """Telegram HTML as a chat shows it: tags dropped, links followed by their address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            self.parts.append(f" ‹{self.links.pop()}›")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(text: str) -> str:
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


class ConsoleSession(BaseSession):
    """Stands in for the Bot API: prints what the bot sends and remembers the last buttons."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self.out = out
        self.ids = itertools.count(1)
        self.buttons: list[InlineKeyboardButton] = []
        self.keyboard_message: Message | None = None

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - BaseSession's signature
    ) -> Any:
        if isinstance(method, GetMe):
            return _model(bot, "User", BOT)
        if isinstance(method, AnswerCallbackQuery):
            if method.text:
                self.out.write(f"  ⓘ {method.text}\n")
            return True
        if isinstance(method, (SendMessage, EditMessageText)):
            text = method.text or ""
            message_id = method.message_id if isinstance(method, EditMessageText) else next(self.ids)
            markup = method.reply_markup if isinstance(method.reply_markup, InlineKeyboardMarkup) else None
            message = _model(
                bot,
                "Message",
                {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": CHAT,
                    "from": BOT,
                    "text": plain_text(text),
                    "reply_markup": markup.model_dump(exclude_none=True) if markup else None,
                },
            )
            self._show(text, markup, edited=isinstance(method, EditMessageText), message=message)
            return message
        if method.__returning__ is bool:  # setMyCommands, sendChatAction…: nothing to show in a terminal
            return True
        # getChat, getChatMember…: there is no Telegram behind the terminal to ask
        raise TelegramBadRequest(method, "Bad Request: chat not found (no Telegram in the console chat)")

    def _show(self, text: str, markup: InlineKeyboardMarkup | None, *, edited: bool, message: Message) -> None:
        title = "CoopBot (сообщение обновлено)" if edited else "CoopBot"
        lines = [f"── {title} " + "─" * max(0, 60 - len(title)), plain_text(text)]
        if markup:
            self.buttons = [button for row in markup.inline_keyboard for button in row]
            self.keyboard_message = message
            lines.append("  ".join(f"[{n}] {b.text}" for n, b in enumerate(self.buttons, 1)))
        self.out.write("\n".join(lines) + "\n\n")
        self.out.flush()

    async def close(self) -> None:
        return None

    async def stream_content(
        self,
        url,
        headers=None,
        timeout=30,  # noqa: ASYNC109 - BaseSession's signature
        chunk_size=65536,
        raise_for_status=True,
    ):
        raise NotImplementedError("the console chat downloads nothing")
        yield b""  # pragma: no cover


def _model(bot: Bot, kind: str, data: dict) -> Any:
    """A Telegram object mounted on ``bot``, so that handlers can reply through it."""
    from aiogram import types

    return getattr(types, kind).model_validate(data, context={"bot": bot})


class ConsoleChat:
    def __init__(self, engine: Engine, settings: Settings, out: TextIO) -> None:
        # one person typing never floods; a pasted script of questions must not be throttled
        quiet = settings.model_copy(update={"throttle_messages": 0})
        self.session = ConsoleSession(out)
        app = build(engine, quiet, CONSOLE_TOKEN, self.session)
        self.bot, self.dp = app.bot, app.dp
        self.out = out
        self.update_ids = itertools.count(1)

    def _update(self, **event: Any) -> Update:
        return Update.model_validate({"update_id": next(self.update_ids), **event}, context={"bot": self.bot})

    async def say(self, line: str) -> None:
        """One line typed by the user: a button number, or a message."""
        if line.isdigit() and len(line) < 3:
            if not 1 <= int(line) <= len(self.session.buttons):
                self.out.write(f"  нет кнопки {line}\n\n")
                return
            button = self.session.buttons[int(line) - 1]
            if button.url:
                self.out.write(f"  ↗ {button.url}\n\n")
                return
            message = self.session.keyboard_message
            update = self._update(
                callback_query={
                    "id": str(next(self.update_ids)),
                    "from": USER,
                    "chat_instance": "console",
                    "message": message.model_dump(exclude_none=True, by_alias=True) if message else None,
                    "data": button.callback_data,
                }
            )
        else:
            update = self._update(
                message={
                    "message_id": next(self.session.ids),
                    "date": int(time.time()),
                    "chat": CHAT,
                    "from": USER,
                    "text": line,
                }
            )
        await self.dp.feed_update(self.bot, update)

    async def run(self, stdin: TextIO) -> None:
        self.out.write(HINT + "\n\n")
        interactive = stdin.isatty()
        await self.say("/start")
        while True:
            if interactive:
                self.out.write("вы › ")
                self.out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:  # end of input
                break
            if not line.strip():
                continue
            if not interactive:
                self.out.write(f"вы › {line.strip()}\n")
            await self.say(line.strip())
        await self.bot.session.close()
