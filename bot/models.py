"""Plain data that crosses module boundaries: places, extracted facts, articles, answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

QUESTION_IDS = 2**63  # stored questions have random ids in [1, 2^63): SQLite's INTEGER range


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: a country, a region (RU federal subject, KZ region) or a city."""

    id: str
    name: str
    kind: str
    country: str
    parent: str | None = None

    @property
    def is_country(self) -> bool:
        return self.kind == "country"


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    name: str


@dataclass(slots=True)
class Agreement:
    kind: str  # memorandum, agreement, contract, roadmap, plan, protocol, twinning
    title: str  # the phrase as the article words it: "меморандум о сотрудничестве"
    parties: list[str]  # place ids
    signed: str | None = None  # ISO date, "YYYY-MM" or "YYYY", as precise as the article is
    period_start: int | None = None
    period_end: int | None = None
    signatories: list[str] = field(default_factory=list)
    sentence: str = ""
    deal: str | None = None  # the deal it is (see ``deal_key``), set before it is stored

    def year(self, published: str | None) -> str:
        """Its year: signed, else the start of its period, else the article's."""
        return (self.signed or "")[:4] or (str(self.period_start) if self.period_start else (published or "")[:4])


def deal_key(kind: str, regions: set[str], year: str) -> str | None:
    """What makes two reports one agreement: its kind, its parties at region level (Omsk the
    city and the Omsk region are one side) and its year. None without two sides."""
    return f"{kind}|{','.join(sorted(regions))}|{year}" if len(regions) >= 2 else None


@dataclass(slots=True)
class Figure:
    kind: str  # trade_turnover, export, import, investment, amount
    amount: float
    unit: str  # "млн", "млрд", "тыс" or ""
    currency: str  # USD, RUB, KZT, EUR
    raw: str  # as written: "$682 млн", "57,1 млн долларов"
    year: int | None
    parties: list[str]
    sentence: str = ""


@dataclass(slots=True)
class Person:
    name: str
    post: str = ""
    side: str | None = None  # place id the post belongs to
    sentence: str = ""


@dataclass(slots=True)
class Organisation:
    name: str
    sentence: str = ""


@dataclass(slots=True)
class EventDate:
    date: str  # ISO date or "YYYY-MM"
    sentence: str


@dataclass(frozen=True, slots=True)
class Mention:
    """How an article names a place: how often; whether by its own name (not only through one
    of its cities); and whether as a party — a side of what the article reports — or only in
    passing (a venue, a comparison). Only parties make an article "about" a place for search."""

    count: int
    direct: bool = True
    party: bool = True


@dataclass(slots=True)
class ArticleFacts:
    """Everything extraction found in one article (or a registry entry declares), ready for the store."""

    sentences: list[str]
    sentence_lemmas: list[str]
    regions: dict[str, Mention]  # place id -> how the article names it
    topics: dict[str, float]
    agreements: list[Agreement]
    figures: list[Figure]
    people: list[Person]
    organisations: list[Organisation]
    events: list[EventDate]
    quotable: list[bool] = field(default_factory=list)  # per sentence: fit for a summary (not a dateline, a caption…)
    origin: str = "article"  # or "registry": an entry of data/registry, its facts declared
    kind: str | None = None  # a registry entry's kind of event (visit, forum…)

    def kinds(self) -> set[str]:
        """Kinds of event the article reports: its agreements' and (a registry entry) its own."""
        return {a.kind for a in self.agreements} | ({self.kind} if self.kind else set())


@dataclass(slots=True)
class Article:
    url: str
    title: str
    publisher: str
    published: str | None  # ISO date
    text: str  # cleaned text


@dataclass(slots=True)
class StoredArticle:
    id: int
    url: str
    title: str
    publisher: str
    published: str | None


@dataclass(slots=True)
class Result:
    """One ranked article with what the answer shows of it."""

    article: StoredArticle
    score: float
    summary: list[str]
    facts: list[str]


DEFAULT_TZ = "Asia/Almaty"
WEEKLY_DAY = 0  # Monday


@dataclass(slots=True)
class Subscription:
    chat_id: int
    chat_type: str
    chat_title: str = ""
    regions: list[str] = field(default_factory=list)  # place ids; empty = any
    topics: list[str] = field(default_factory=list)  # topic ids; empty = any
    frequency: str = "instant"
    send_at: str = "09:00"
    timezone: str = DEFAULT_TZ
    active: bool = True
    created_by: int | None = None
    id: int | None = None
    seen_deal: int = 0
    last_digest_at: str | None = None  # ISO datetime, UTC

    def is_due(self, now: dt.datetime) -> bool:
        """Instant: always. Daily/weekly: once the local send time of the period has passed
        and no digest went out since it."""
        if self.frequency == "instant":
            return True
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        hour, minute = map(int, self.send_at.split(":"))
        slot = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if self.frequency == "weekly":
            slot -= dt.timedelta(days=(slot.weekday() - WEEKLY_DAY) % 7)
        if slot > local:
            slot -= dt.timedelta(days=7 if self.frequency == "weekly" else 1)
        last = dt.datetime.fromisoformat(self.last_digest_at) if self.last_digest_at else None
        return last is None or last < slot.astimezone(dt.UTC)
