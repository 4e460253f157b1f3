"""The last line of defence: an exception in any handler is logged with the update it broke
on, the user (when it was a private message or a tap) is told, and the bot carries on."""

from __future__ import annotations

import contextlib
import logging

from aiogram.exceptions import TelegramAPIError
from aiogram.types import ErrorEvent

from bot.language.i18n import _

log = logging.getLogger(__name__)
SORRY = "Не получилось ответить — попробуйте ещё раз чуть позже."


async def on_error(event: ErrorEvent) -> bool:
    log.error("update %s failed: %r", event.update.update_id, event.exception, exc_info=event.exception)
    update = event.update
    with contextlib.suppress(TelegramAPIError):  # telling the user may fail the same way
        if update.callback_query:
            await update.callback_query.answer(_(SORRY))
        elif update.message and update.message.chat.type == "private":
            await update.message.answer(_(SORRY))
    return True
