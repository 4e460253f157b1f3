"""Sending and editing replies the same way from every router: HTML parse mode (the bot's
default), link preview of the first source, and edits that survive stale messages."""

from __future__ import annotations

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, LinkPreviewOptions, Message

STALE = "Сообщение устарело — отправьте команду или вопрос заново."
GROUPS = {"group", "supergroup"}


def preview(url: str | None) -> LinkPreviewOptions:
    return LinkPreviewOptions(url=url, prefer_small_media=True) if url else LinkPreviewOptions(is_disabled=True)


async def edit(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None, url: str | None = None) -> None:
    """Show ``text`` in place of the message the tapped button belongs to."""
    if not isinstance(callback.message, Message):  # too old for Telegram to let us touch it
        await callback.answer(STALE, show_alert=True)
        return
    try:
        await callback.message.edit_text(text, reply_markup=markup, link_preview_options=preview(url))
    except TelegramBadRequest as exc:
        if "message is not modified" not in exc.message:  # a double tap: already showing it
            raise
    await callback.answer()
