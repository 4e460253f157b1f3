"""Inline mode: ``@bot запрос`` in any chat offers up to 10 articles; choosing one inserts the
answer made of that article, as the bot would send it."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InlineQueryResultUnion,
    InputTextMessageContent,
)

from bot.language.i18n import _
from bot.qa.dates import human_date
from bot.qa.engine import Engine
from bot.qa.render import clip
from handlers.replies import preview

MAX_RESULTS = 10


def how_to_ask() -> InlineQueryResultsButton:
    return InlineQueryResultsButton(text=_("Как спрашивать?"), start_parameter="help")


async def inline_answer(query: InlineQuery, engine: Engine) -> None:
    question = query.query.strip()
    if not question:
        await query.answer([], cache_time=300, button=how_to_ask())
        return
    reply = await engine.ask(question, limit=MAX_RESULTS)
    results: list[InlineQueryResultUnion] = [
        InlineQueryResultArticle(
            id=str(result.article.id),
            title=clip(result.article.title, 120),
            description=clip(
                f"{result.article.publisher or _('издание не указано')}, "
                f"{human_date(result.article.published)} — {' '.join(result.summary)}",
                200,
            ),
            input_message_content=InputTextMessageContent(
                message_text=html, link_preview_options=preview(result.article.url)
            ),
        )
        for result, html in reply.each_result(engine.k)
    ]
    if not results:  # an honest "no information" the user can still send
        results = [
            InlineQueryResultArticle(
                id="none",
                title=_("Нет информации"),
                description=clip(question, 100),
                input_message_content=InputTextMessageContent(
                    message_text=reply.html, link_preview_options=preview(None)
                ),
            )
        ]
    await query.answer(results, cache_time=300, button=how_to_ask())


def make_router() -> Router:
    router = Router(name="inline")
    router.inline_query.register(inline_answer)
    return router
