"""A conversation, not a search box: what the previous question was about (places, topics,
intent), so that "а кто подписал?", "а в 2023?" or "а с Павлодаром?" are understood against it.

Plain data and rules; where a context is kept (per private chat, per reply chain in a group,
in the store or Redis) is the bot's business (``bot/app/fsm``)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.qa.understand import Query, place_groups
from bot.text.knowledge import Knowledge

# "а с Павлодаром?", "и Костанай?", "and Pavlodar?", "ал Павлодар ше?": a follow-up that swaps one side
_FOLLOW_UP = re.compile(r"^\s*(а|и|ну а|а если|and|what about|how about|ал)\b", re.IGNORECASE)


@dataclass(slots=True)
class Context:
    places: list[str]
    topics: list[str] = field(default_factory=list)
    intent: str = "overview"
    asks: str | None = None
    at: float = 0.0  # when it was asked (seconds, the bot's clock)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Context | None:
        if not data or not isinstance(data.get("places"), list):
            return None
        return cls(list(data["places"]), list(data.get("topics") or []), str(data.get("intent") or "overview"),
                   data.get("asks"), float(data.get("at") or 0.0))  # fmt: skip


def remember(query: Query, now: float) -> Context | None:
    """What a question leaves for the next one: nothing when it named no place."""
    if not query.places or query.off_topic:
        return None
    return Context(list(query.places), list(query.topics), query.intent, query.asks, now)


def follow(query: Query, context: Context | None, k: Knowledge, now: float, ttl: float) -> bool:
    """Understand ``query`` against the previous question's ``context`` (not older than ``ttl``
    seconds): a question naming no place takes its places (and, if it asks nothing else, its
    intent and topics); a follow-up naming one new place ("а с Павлодаром?") keeps the other
    side and swaps the matching one. True when the context was used."""
    if context is None or not context.places or now - context.at > ttl or query.off_topic:
        return False
    if not query.places:
        query.places = list(context.places)
        if query.intent == "overview":
            query.intent = context.intent
        query.topics = query.topics or list(context.topics)
        query.groups = place_groups(query.places, k)
        return True
    if len(query.places) == 1 and len(context.places) >= 2 and _FOLLOW_UP.match(query.text):
        new = query.places[0]
        places = k.gazetteer.places
        country = places[new].country
        same_side = [p for p in context.places if places[p].country == country]
        if not same_side:
            return False
        kept = [p for p in context.places if p != same_side[-1]]
        query.places = [*kept, new]
        query.groups = place_groups(query.places, k)
        return True
    return False
