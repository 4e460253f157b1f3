"""Browsing without a question: /regions, /topics, /agreements [region], /latest, their pages
and the region and topic overviews behind their buttons."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.language.i18n import _
from bot.qa import views
from bot.qa.engine import Engine
from handlers import keyboards
from handlers.callbacks import Detail, ListPage, Open
from handlers.replies import STALE, edit

View = tuple[str, InlineKeyboardMarkup | None]


async def list_view(engine: Engine, what: str, key: str, page: int) -> View:
    catalog = engine.catalog
    if what == "regions":
        regions = await catalog.regions(page)
        return views.region_list(regions), keyboards.regions(regions)
    if what == "topics":
        topics = await catalog.topics(page)
        return views.topic_list(topics), keyboards.topics(topics)
    if what == "agreements":
        found = await catalog.agreements(key or None, page)
        return views.agreement_list(found, engine.k), keyboards.pages(what, key, found.page.page, found.page.pages)
    latest = await catalog.latest(page)
    return views.latest_list(latest), keyboards.pages("latest", "", latest.page, latest.pages)


async def detail_view(engine: Engine, detail: Detail) -> View | None:
    if detail.kind == "region" and (region := await engine.catalog.region(detail.id)):
        return views.region_overview(region, engine.k), keyboards.region(detail.id, detail.back)
    if detail.kind == "topic" and (topic := await engine.catalog.topic(detail.id)):
        return views.topic_overview(topic), keyboards.topic(detail.back)
    return None


async def list_command(message: Message, command: CommandObject, engine: Engine) -> None:
    text, markup = await list_view(engine, command.command, "", 0)
    await message.answer(text, reply_markup=markup)


async def agreements_command(message: Message, command: CommandObject, engine: Engine) -> None:
    key = ""
    if command.args and command.args.strip():
        region = engine.catalog.find_region(command.args)
        if region is None:
            await message.answer(views.region_unknown(command.args))
            return
        key = region.id
    text, markup = await list_view(engine, "agreements", key, 0)
    await message.answer(text, reply_markup=markup)


async def list_page(callback: CallbackQuery, callback_data: ListPage, engine: Engine) -> None:
    text, markup = await list_view(engine, callback_data.what, callback_data.key, callback_data.page)
    await edit(callback, text, markup)


async def open_list(callback: CallbackQuery, callback_data: Open, engine: Engine) -> None:
    if not isinstance(callback.message, Message):
        await callback.answer(_(STALE), show_alert=True)
        return
    text, markup = await list_view(engine, callback_data.what, callback_data.key, 0)
    await callback.answer()
    await callback.message.answer(text, reply_markup=markup)


async def detail(callback: CallbackQuery, callback_data: Detail, engine: Engine) -> None:
    view = await detail_view(engine, callback_data)
    if view is None:
        await callback.answer(_("Об этом в базе больше нет данных."), show_alert=True)
        return
    await edit(callback, *view)


def make_router() -> Router:
    router = Router(name="browse")
    router.message.register(list_command, Command("regions", "topics", "latest"))
    router.message.register(agreements_command, Command("agreements"))
    router.callback_query.register(list_page, ListPage.filter())
    router.callback_query.register(open_list, Open.filter())
    router.callback_query.register(detail, Detail.filter())
    return router
