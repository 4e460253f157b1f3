"""Digest subscriptions: /subscribe, /unsubscribe, /subscriptions in private chats, groups (the
chat's admins only, checked with getChatMember) and channels (posted in the channel, or from a
private chat as ``/subscribe @channel`` by its creator or an administrator); the answer's
"Подписаться" button; and /digest_now for the bot's admins."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Chat, Message, User

from bot.digests import views
from bot.digests.delivery import DigestService
from bot.digests.subscriptions import Request, parse_request
from bot.language.i18n import _, use
from bot.models import Subscription
from bot.qa.engine import Engine
from bot.settings import Settings
from handlers.callbacks import Subscribe
from handlers.replies import GROUPS, STALE, tapped_question

ADMINS = {"creator", "administrator"}


async def _is_admin(bot: Bot, chat_id: int, user_id: int) -> bool:
    try:
        member = await bot.get_chat_member(chat_id, user_id)
    except (TelegramBadRequest, TelegramForbiddenError):
        return False
    return member.status in ADMINS


async def _may_manage(message: Message, bot: Bot) -> bool:
    """Whoever sent this may change the subscription of the chat it was sent in."""
    chat = message.chat
    if chat.type == "private":
        return True
    if chat.type == "channel":  # only admins can post in a channel; the bot must be one to send there
        return await _is_admin(bot, chat.id, bot.id)
    if message.sender_chat and message.sender_chat.id == chat.id:  # an anonymous group admin
        return True
    return message.from_user is not None and await _is_admin(bot, chat.id, message.from_user.id)


async def _channel(bot: Bot, name: str, user: User) -> Chat | str:
    """The channel ``@name`` if ``user`` runs it and the bot can post there, else why not."""
    try:
        chat = await bot.get_chat(name)
    except (TelegramBadRequest, TelegramForbiddenError):
        return views.channel_not_found(name)
    if chat.type != "channel":
        return views.not_a_channel(name)
    if not await _is_admin(bot, chat.id, user.id):
        return views.not_channel_admin(name)
    if not await _is_admin(bot, chat.id, bot.id):
        return views.bot_not_channel_admin(name)
    return Chat(id=chat.id, type="channel", title=chat.title)


async def _subscribe(engine: Engine, chat: Chat, request: Request, user: User | None) -> str:
    sub = Subscription(
        chat.id,
        chat.type,
        chat.title or chat.full_name or "",
        request.regions,
        request.topics,
        request.frequency,
        request.send_at,
        request.timezone,
        created_by=user.id if user else None,
    )
    return views.subscribed(await engine.store.digests.subscribe(sub), engine.k)


async def subscribe(message: Message, command: CommandObject, bot: Bot, engine: Engine) -> None:
    request = parse_request(command.args or "", engine.k)
    if request.unknown:
        await message.answer(views.subscribe_not_understood(request.unknown))
        return
    chat = message.chat
    if request.channel:
        if chat.type != "private" or message.from_user is None:
            await message.answer(views.channel_from_private())
            return
        target = await _channel(bot, request.channel, message.from_user)
        if isinstance(target, str):
            await message.answer(target)
            return
        chat = target
    elif not await _may_manage(message, bot):
        await message.answer(views.admins_only(chat.type))
        return
    await message.answer(await _subscribe(engine, chat, request, message.from_user))


async def unsubscribe(message: Message, command: CommandObject, bot: Bot, engine: Engine) -> None:
    chat_id, name = message.chat.id, None
    if command.args and command.args.strip().startswith("@"):
        name = command.args.strip().split()[0]
        if message.chat.type != "private" or message.from_user is None:
            await message.answer(views.channel_from_private())
            return
        target = await _channel(bot, name, message.from_user)
        if isinstance(target, str):
            await message.answer(target)
            return
        chat_id = target.id
    elif not await _may_manage(message, bot):
        await message.answer(views.admins_only(message.chat.type))
        return
    removed = await engine.store.digests.unsubscribe(chat_id)
    await message.answer(views.unsubscribed(removed, name))


async def subscriptions(message: Message, engine: Engine) -> None:
    digests = engine.store.digests
    found = [s for s in [await digests.subscription(message.chat.id)] if s]
    if message.chat.type == "private" and message.from_user:
        found += [
            s
            for s in await digests.subscriptions(active=None, created_by=message.from_user.id)
            if s.chat_id != message.chat.id
        ]
    await message.answer(views.subscription_list(found, engine.k))


async def subscribe_button(callback: CallbackQuery, callback_data: Subscribe, bot: Bot, engine: Engine) -> None:
    if not isinstance(callback.message, Message):
        await callback.answer(_(STALE), show_alert=True)
        return
    chat = callback.message.chat
    if chat.type in GROUPS and not await _is_admin(bot, chat.id, callback.from_user.id):
        await callback.answer(views.admins_only(chat.type), show_alert=True)
        return
    question = await tapped_question(callback, callback_data.question, engine)
    if question is None:
        await callback.answer(_(STALE), show_alert=True)
        return
    request = parse_request(question, engine.k)
    await callback.answer()
    await callback.message.answer(
        await _subscribe(engine, chat, Request(request.regions, request.topics), callback.from_user)
    )


async def digest_now(message: Message, settings: Settings, digests: DigestService) -> None:
    if not message.from_user or message.from_user.id not in settings.admin_ids:
        await message.answer(_("Эта команда — только для администраторов бота."))
        return
    with use("ru"):  # the digests themselves are Russian, as in the scheduled rounds
        planned, report = await digests.round()
    await message.answer(
        views.digest_round(
            len(planned), sum(len(p.parts) for p in planned), report.sent, len(report.deactivated), report.postponed
        )
    )


def make_router() -> Router:
    router = Router(name="subscriptions")
    for observer in (router.message, router.channel_post):
        observer.register(subscribe, Command("subscribe"))
        observer.register(unsubscribe, Command("unsubscribe"))
        observer.register(subscriptions, Command("subscriptions"))
    router.message.register(digest_now, Command("digest_now"), F.chat.type == "private")
    router.callback_query.register(subscribe_button, Subscribe.filter())
    return router
