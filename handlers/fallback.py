"""What no other router took: unknown commands and non-text messages in a private chat get a
short hint; in groups the bot stays silent; buttons of forgotten messages get an alert."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.language.i18n import _
from handlers.replies import STALE


async def unknown_command(message: Message) -> None:
    await message.answer(_("Такой команды нет. Что я умею — /help."))


async def not_text(message: Message) -> None:
    await message.answer(
        _("Я понимаю только текст. Напишите вопрос словами, например: <i>что подписали Питер и Астана?</i>")
    )


async def unknown_button(callback: CallbackQuery) -> None:
    await callback.answer(_(STALE), show_alert=True)


def make_router() -> Router:
    router = Router(name="fallback")
    router.message.filter(F.chat.type == "private")
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(not_text)
    router.callback_query.register(unknown_button)
    return router
