"""Sending and editing replies the same way from every router: HTML parse mode (the bot's
default), link preview of the first source, and edits that survive stale messages."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Chat, InlineKeyboardMarkup, LinkPreviewOptions, Message, User

from bot.language.i18n import _

STALE = "Сообщение устарело — отправьте команду или вопрос заново."
GROUPS = {"group", "supergroup"}


def owner(chat: Chat, user: User | None) -> tuple[int, int]:
    """Whose question an answer's buttons carry: the chat, and in a private chat its user (in a
    group every member may page through the answer everyone sees)."""
    return chat.id, (user.id if user is not None and chat.type == "private" else 0)


async def tapped_question(callback: CallbackQuery, question_id: int, engine) -> str | None:
    """The question behind a tapped button, if it was asked in the chat (and by the user) the
    button is in; None for a button forged elsewhere or forgotten."""
    if not isinstance(callback.message, Message):
        return None
    return await engine.store.question(question_id, *owner(callback.message.chat, callback.from_user))


def preview(url: str | None) -> LinkPreviewOptions:
    return LinkPreviewOptions(url=url, prefer_small_media=True) if url else LinkPreviewOptions(is_disabled=True)


async def edit(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None, url: str | None = None) -> None:
    """Show ``text`` in place of the message the tapped button belongs to."""
    if not isinstance(callback.message, Message):  # too old for Telegram to let us touch it
        await callback.answer(_(STALE), show_alert=True)
        return
    try:
        await callback.message.edit_text(text, reply_markup=markup, link_preview_options=preview(url))
    except TelegramBadRequest as exc:
        if "message is not modified" not in exc.message:  # a double tap: already showing it
            raise
    await callback.answer()
