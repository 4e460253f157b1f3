"""Subscriptions to digests of new agreements: who gets them, filtered how, and when.

Plain data and rules, no Telegram: parsing ``/subscribe Омск энергетика daily 09:00``, deciding
whether a deal matches a subscription's filters and whether a daily or weekly digest is due."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.models import DEFAULT_TZ, Subscription
from bot.text.knowledge import Knowledge

FREQUENCIES = {"instant": "сразу", "daily": "раз в день", "weekly": "раз в неделю"}
_FREQUENCY_WORDS = {
    "instant": "instant",
    "сразу": "instant",
    "мгновенно": "instant",
    "daily": "daily",
    "ежедневно": "daily",
    "день": "daily",
    "weekly": "weekly",
    "еженедельно": "weekly",
    "неделя": "weekly",
    "неделю": "weekly",
}
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


@dataclass(slots=True)
class Request:
    """What ``/subscribe …`` asked for, and what in it was not understood."""

    regions: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    frequency: str = "instant"
    send_at: str = "09:00"
    timezone: str = DEFAULT_TZ
    channel: str | None = None  # "@name" when subscribing a channel from a private chat
    unknown: list[str] = field(default_factory=list)


def parse_request(text: str, k: Knowledge) -> Request:
    request = Request()
    words = []
    for word in text.split():
        lower = word.lower().strip(",;")
        if word.startswith("@") and len(word) > 1 and request.channel is None:
            request.channel = word
        elif lower in _FREQUENCY_WORDS:
            request.frequency = _FREQUENCY_WORDS[lower]
        elif m := _TIME.match(lower):
            request.send_at = f"{int(m.group(1)):02d}:{m.group(2)}"
        elif "/" in word and _zone(word):
            request.timezone = word
        else:
            words.append(word)
    rest = " ".join(words)
    if rest:
        tokens = k.morph.tokens(rest)
        mentions = k.gazetteer.find(tokens, fuzzy=True)
        # a city filters at its region's level: Omsk's subscribers want the Omsk region's agreements too
        request.regions = list(dict.fromkeys(k.gazetteer.region_of(m.place_id) for m in mentions))
        lemmas = [t.info.lemma for t in tokens if t.is_word]
        request.topics = [tid for tid, _ in k.lexicon.topic_counts(lemmas).most_common()]
        covered = {i for m in mentions for i in range(m.start, m.stop)}
        topic_lemmas = k.lexicon.topic_lemmas(request.topics)
        request.unknown = [
            t.text
            for i, t in enumerate(tokens)
            if t.is_word
            and i not in covered
            and t.info.lemma not in topic_lemmas
            and t.info.lemma not in k.lexicon.stopwords
        ]
    return request


def _zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def matches(sub: Subscription, parties: list[str], topics: set[str], k: Knowledge) -> bool:
    """A deal is for a subscriber when one of its parties is (in) a region of the filter — a
    city counts for its region, a country for all its places — and it touches a filtered topic."""
    if sub.topics and not topics & set(sub.topics):
        return False
    if not sub.regions:
        return True
    places = k.gazetteer.places
    wanted = set(sub.regions)
    for party in parties:
        place = places.get(party)
        if place is None:
            continue
        levels = {party, k.gazetteer.region_of(party)}
        if levels & wanted or any(places[w].is_country and places[w].country == place.country for w in wanted):
            return True
    return False


def resubscribe_command(sub: Subscription, k: Knowledge, channel: str | None = None) -> str:
    """The ``/subscribe`` command that restores ``sub``'s filters and schedule — what a chat's
    admin needs when the bot comes back to it (``channel``: sent from a private chat)."""
    words = ["/subscribe"]
    if channel:
        words.append(channel)
    words += [k.gazetteer.names.get(region, region) for region in sub.regions]
    words += [_topic_word(topic, k) for topic in sub.topics if topic in k.lexicon.topics]
    if sub.frequency != "instant":
        words += [sub.frequency, sub.send_at]
        if sub.timezone != DEFAULT_TZ:
            words.append(sub.timezone)
    return " ".join(words)


def _topic_word(topic_id: str, k: Knowledge) -> str:
    """How to name a topic in ``/subscribe`` so that it reads back as that topic alone: its
    name when that works («Энергетика»), else its shortest keyword that does («побратимство»)."""
    name = k.lexicon.topics[topic_id].name
    for word in [name, *sorted(k.lexicon.topic_lemmas([topic_id]), key=lambda w: (len(w), w))]:
        request = parse_request(word, k)
        if request.topics == [topic_id] and not request.unknown and not request.regions:
            return word
    return name
