"""Every inline keyboard the bot shows, built in one place."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.language.i18n import _
from bot.models import Place, Topic
from bot.qa.catalog import Page
from handlers.callbacks import Detail, Example, ListPage, More, Open, Pair, Pick, Subscribe


def _markup_or_none(builder: InlineKeyboardBuilder) -> InlineKeyboardMarkup | None:
    return builder.as_markup() if list(builder.buttons) else None


def _nav(builder: InlineKeyboardBuilder, what: str, key: str, page: int, pages: int) -> None:
    """A ◀ / ▶ row when there is more than one page."""
    row = []
    if page > 0:
        row.append(InlineKeyboardButton(text="◀", callback_data=ListPage(what=what, key=key, page=page - 1).pack()))
    if page + 1 < pages:
        row.append(InlineKeyboardButton(text="▶", callback_data=ListPage(what=what, key=key, page=page + 1).pack()))
    if row:
        builder.row(*row)


def answer(
    question_id: int,
    page: int,
    has_more: bool,
    region_id: str | None,
    subscribable: bool,
    pairs: Sequence[tuple[str, str, str]] = (),
) -> InlineKeyboardMarkup | None:
    """An answer's buttons; ``pairs`` (place, partner, label) are what an honest "no information"
    offers instead: the partners the store holds articles with."""
    builder = InlineKeyboardBuilder()
    for a, b, label in pairs:
        builder.button(text=label, callback_data=Pair(a=a, b=b).pack())
    builder.adjust(2)
    row = []
    if page > 0:
        row.append(
            InlineKeyboardButton(text=_("◀ Назад"), callback_data=More(question=question_id, page=page - 1).pack())
        )
    if has_more:
        row.append(
            InlineKeyboardButton(text=_("Ещё ▶"), callback_data=More(question=question_id, page=page + 1).pack())
        )
    if row:
        builder.row(*row)
    if region_id:
        builder.row(
            InlineKeyboardButton(
                text=_("📝 Соглашения региона"), callback_data=Open(what="agreements", key=region_id).pack()
            )
        )
    if subscribable:
        builder.row(
            InlineKeyboardButton(
                text=_("🔔 Подписаться на дайджест"), callback_data=Subscribe(question=question_id).pack()
            )
        )
    return _markup_or_none(builder)


def clarify(question_id: int, places: list[tuple[str, str]], everything: bool = True) -> InlineKeyboardMarkup:
    """One button per place an ambiguous name may mean (or a misspelt one may be), and — for an
    ambiguous name — one for all of them."""
    builder = InlineKeyboardBuilder()
    for place_id, name in places:
        builder.row(InlineKeyboardButton(text=name, callback_data=Pick(question=question_id, place=place_id).pack()))
    if everything:
        builder.row(InlineKeyboardButton(text=_("все"), callback_data=Pick(question=question_id, place="*").pack()))
    return builder.as_markup()


def examples(questions: list[str]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, question in enumerate(questions):
        builder.row(InlineKeyboardButton(text=question, callback_data=Example(index=index).pack()))
    builder.row(
        InlineKeyboardButton(text=_("🗺 Регионы"), callback_data=ListPage(what="regions").pack()),
        InlineKeyboardButton(text=_("🏷 Темы"), callback_data=ListPage(what="topics").pack()),
    )
    return builder.as_markup()


def _listing(
    entries: list[tuple[str, str, int]], kind: str, what: str, page: Page, columns: int
) -> InlineKeyboardMarkup:
    """One button per (id, name, articles) entry opening its overview, then ◀ / ▶."""
    builder = InlineKeyboardBuilder()
    for entry_id, name, n in entries:
        builder.button(text=f"{name} ({n})", callback_data=Detail(kind=kind, id=entry_id, back=page.page))
    builder.adjust(columns)
    _nav(builder, what, "", page.page, page.pages)
    return builder.as_markup()


def regions(page: Page[tuple[Place, int]]) -> InlineKeyboardMarkup:
    return _listing([(p.id, p.name, n) for p, n in page.items], "region", "regions", page, 2)


def topics(page: Page[tuple[Topic, int]]) -> InlineKeyboardMarkup:
    return _listing([(t.id, t.name, n) for t, n in page.items], "topic", "topics", page, 1)


def region(region_id: str, back: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📝 Все соглашения"), callback_data=ListPage(what="agreements", key=region_id))
    builder.button(text=_("◀ К регионам"), callback_data=ListPage(what="regions", page=back))
    builder.adjust(1)
    return builder.as_markup()


def topic(back: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("◀ К темам"), callback_data=ListPage(what="topics", page=back))
    return builder.as_markup()


def pages(what: str, key: str, page: int, pages: int) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    _nav(builder, what, key, page, pages)
    return _markup_or_none(builder)
