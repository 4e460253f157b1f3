"""Browsing the store: regions and topics with their article counts, a region's or a topic's
cooperation overview, agreements and articles newest first — paged, plain data for ``views``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from math import ceil
from typing import Generic, TypeVar

from bot.models import Agreement, Figure, Place, StoredArticle, Topic
from bot.text.knowledge import Knowledge
from storage import Store
from storage.catalog import StoreSummary

T = TypeVar("T")
PAGE_SIZE = 8


@dataclass(slots=True)
class Page(Generic[T]):
    items: list[T]
    page: int  # from 0
    pages: int

    @classmethod
    def of(cls, items: list[T], page: int, total: int, size: int = PAGE_SIZE) -> Page[T]:
        """A page the store already cut out of ``total`` items."""
        return cls(items, page, max(1, ceil(total / size)))

    @classmethod
    def slice(cls, everything: list[T], page: int, size: int = PAGE_SIZE) -> Page[T]:
        pages = max(1, ceil(len(everything) / size))
        page = min(max(page, 0), pages - 1)
        return cls(everything[page * size : (page + 1) * size], page, pages)


@dataclass(slots=True)
class RegionOverview:
    place: Place
    articles: int
    partners: list[tuple[Place, int]]
    agreements: list[tuple[Agreement, list[StoredArticle]]]  # each deal with every article reporting it
    agreements_total: int
    figures: list[tuple[Figure, StoredArticle]]
    latest: list[StoredArticle]


@dataclass(slots=True)
class TopicOverview:
    topic: Topic
    articles: int
    regions: list[tuple[Place, int]]
    latest: list[StoredArticle]


@dataclass(slots=True)
class AgreementPage:
    region: Place | None
    page: Page[tuple[Agreement, list[StoredArticle]]]
    total: int


async def _paged(fetch: Callable[[int, int], Awaitable[tuple[list[T], int]]], page: int) -> tuple[Page[T], int]:
    """Page ``page`` of what ``fetch(limit, offset)`` returns, and the total; a page past the end
    (a button from before the store changed) shows the last one instead of an empty list."""
    page = max(page, 0)
    found, total = await fetch(PAGE_SIZE, page * PAGE_SIZE)
    last = max(0, ceil(total / PAGE_SIZE) - 1)
    if page > last:
        page = last
        found, total = await fetch(PAGE_SIZE, page * PAGE_SIZE)
    return Page.of(found, page, total), total


class Catalog:
    def __init__(self, store: Store, k: Knowledge) -> None:
        self.store = store
        self.queries = store.catalog
        self.k = k

    def _places(self, counted: list[tuple[str, int]]) -> list[tuple[Place, int]]:
        return [(self.k.gazetteer.places[pid], n) for pid, n in counted if pid in self.k.gazetteer.places]

    async def regions(self, page: int) -> Page[tuple[Place, int]]:
        return Page.slice(self._places(await self.queries.region_counts()), page)

    async def topics(self, page: int) -> Page[tuple[Topic, int]]:
        topics = self.k.lexicon.topics
        counted = [(topics[tid], n) for tid, n in await self.queries.topic_counts() if tid in topics]
        return Page.slice(counted, page)

    async def region(self, region_id: str) -> RegionOverview | None:
        place = self.k.gazetteer.places.get(region_id)
        if place is None:
            return None
        latest, total = await self.queries.latest(3, region_id=region_id)
        agreements, agreements_total = await self.queries.agreements(region_id, 5)
        return RegionOverview(
            place,
            total,
            self._places(await self.queries.partners(region_id, 8)),
            agreements,
            agreements_total,
            await self.queries.figures(region_id, 5),
            latest,
        )

    async def topic(self, topic_id: str) -> TopicOverview | None:
        topic = self.k.lexicon.topics.get(topic_id)
        if topic is None:
            return None
        latest, total = await self.queries.latest(5, topic_id=topic_id)
        return TopicOverview(topic, total, self._places(await self.queries.topic_regions(topic_id, 8)), latest)

    async def agreements(self, region_id: str | None, page: int) -> AgreementPage:
        region = self.k.gazetteer.places.get(region_id) if region_id else None
        found, total = await _paged(
            lambda limit, offset: self.queries.agreements(region.id if region else None, limit, offset), page
        )
        return AgreementPage(region, found, total)

    async def latest(self, page: int) -> Page[StoredArticle]:
        return (await _paged(self.queries.latest, page))[0]

    async def summary(self) -> StoreSummary:
        return await self.queries.summary()

    async def covered(self, limit: int = 12) -> list[tuple[str, int]]:
        """(place name, articles) of the places the store talks about most."""
        return [(place.name, n) for place, n in self._places(await self.store.coverage(limit))]

    def find_region(self, text: str) -> Place | None:
        """The region named in free text (``/agreements омская``), at region level."""
        tokens = self.k.morph.tokens(text)
        for mention in self.k.gazetteer.find(tokens, fuzzy=True):
            place = self.k.gazetteer.places[self.k.gazetteer.region_of(mention.place_id)]
            if not place.is_country:
                return place
        return None
