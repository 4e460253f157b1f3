"""The bot's own place in a chat (``my_chat_member``): removed, blocked or demoted so that it can
no longer post → the chat's subscription stops at once and its pending digests are dropped;
added back → the chat's admins learn how to subscribe again (in a channel, the admin who added
the bot, privately). A group that became a supergroup takes its subscription along."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ChatMemberAdministrator, ChatMemberRestricted, ChatMemberUpdated, Message

from bot.digests import views
from bot.digests.subscriptions import resubscribe_command
from bot.qa.engine import Engine

log = logging.getLogger(__name__)


def can_post(chat_type: str, member: object) -> bool:
    """Whether the bot, as this chat member, can send the chat a digest."""
    status = getattr(member, "status", "left")
    if status in ("left", "kicked"):
        return False
    if chat_type == "channel":  # only admins with the right to post write in a channel
        return status == "creator" or (isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages))
    if isinstance(member, ChatMemberRestricted):
        return member.can_send_messages
    return True


async def membership_changed(event: ChatMemberUpdated, bot: Bot, engine: Engine) -> None:
    chat = event.chat
    could, can = can_post(chat.type, event.old_chat_member), can_post(chat.type, event.new_chat_member)
    if could == can:
        return
    digests = engine.store.digests
    sub = await digests.subscription(chat.id)
    if not can:
        if sub is not None and sub.active:
            reason = f"bot {event.new_chat_member.status} in the chat"
            await digests.deactivate(chat.id, reason)
            log.info("chat %s: %s; its subscription stopped, pending digests dropped", chat.id, reason)
        return
    if chat.type == "private":  # unblocked: the person starts again as they like
        return
    named = f"@{chat.username}" if chat.type == "channel" and chat.username else None
    restoring = sub is not None and not sub.active
    command = (
        resubscribe_command(sub, engine.k, named) if sub is not None and restoring else f"/subscribe {named or ''}"
    )
    in_channel = chat.type == "channel" and not named
    text = views.welcome(chat.type, chat.title or "", command.strip(), restoring, in_channel)
    to = event.from_user.id if chat.type == "channel" else chat.id  # a channel's readers need no instructions
    try:
        await bot.send_message(to, text)
    except TelegramAPIError as exc:  # e.g. the admin never started the bot in private
        log.info("could not tell chat %s how to subscribe: %s", to, exc)


async def became_supergroup(message: Message, engine: Engine) -> None:
    assert message.migrate_to_chat_id is not None
    await engine.store.digests.move_chat(message.chat.id, message.migrate_to_chat_id)
    log.info("chat %s became %s; its subscription follows it", message.chat.id, message.migrate_to_chat_id)


def make_router() -> Router:
    router = Router(name="membership")
    router.my_chat_member.register(membership_changed)
    router.message.register(became_supergroup, F.migrate_to_chat_id)
    return router
