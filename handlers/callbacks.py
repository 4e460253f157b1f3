"""Callback data factories: what a button carries back (Telegram allows 64 bytes, so ids and
page numbers only — a question is stored and referred to by its id).

Every number is bounded: a forged button with a negative or huge number fails to parse, so no
handler takes it and the fallback answers "stale button" instead of an exception."""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

from bot.models import QUESTION_IDS

QuestionId = Annotated[int, Field(ge=1, lt=QUESTION_IDS)]
PageNumber = Annotated[int, Field(ge=0, le=10_000)]
Index = Annotated[int, Field(ge=0, le=1_000)]


class More(CallbackData, prefix="more"):
    """Another page of an answer's results."""

    question: QuestionId
    page: PageNumber


class Example(CallbackData, prefix="ex"):
    """One of /start's example questions."""

    index: Index


class ListPage(CallbackData, prefix="list"):
    """A page of a browsing list: regions, topics, agreements (of ``key``, a region), latest."""

    what: str
    key: str = ""
    page: PageNumber = 0


class Detail(CallbackData, prefix="item"):
    """A region's or a topic's overview; ``back`` is the list page to return to."""

    kind: str
    id: str
    back: PageNumber = 0


class Open(CallbackData, prefix="open"):
    """A browsing list sent as a new message (from an answer, which stays as it is)."""

    what: str
    key: str = ""


class Pair(CallbackData, prefix="pair"):
    """Ask about two places the store does hold articles on (offered by an honest "no information")."""

    a: str
    b: str


class Pick(CallbackData, prefix="pick"):
    """The place meant by an ambiguous name ("*": all of them) for a stored question."""

    question: QuestionId
    place: str


class Language(CallbackData, prefix="lang"):
    """The interface language chosen with /language."""

    code: str


class Subscribe(CallbackData, prefix="sub"):
    """Subscribe this chat to digests filtered by the question's regions and topics."""

    question: QuestionId
