"""Callback data factories: what a button carries back (Telegram allows 64 bytes, so ids and
page numbers only — a question is stored and referred to by its id)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class More(CallbackData, prefix="more"):
    """Another page of an answer's results."""

    question: int
    page: int


class Example(CallbackData, prefix="ex"):
    """One of /start's example questions."""

    index: int


class ListPage(CallbackData, prefix="list"):
    """A page of a browsing list: regions, topics, agreements (of ``key``, a region), latest."""

    what: str
    key: str = ""
    page: int = 0


class Detail(CallbackData, prefix="item"):
    """A region's or a topic's overview; ``back`` is the list page to return to."""

    kind: str
    id: str
    back: int = 0


class Open(CallbackData, prefix="open"):
    """A browsing list sent as a new message (from an answer, which stays as it is)."""

    what: str
    key: str = ""


class Subscribe(CallbackData, prefix="sub"):
    """Subscribe this chat to digests filtered by the question's regions and topics."""

    question: int
