"""New articles from RSS/Atom feeds: conditional GET (ETag / Last-Modified) through the guarded
fetcher (``fetch``: public http(s) addresses only, bounded size and time), parsing with feedparser
(a feed declaring XML entities is refused before parsing), each new item's page fetched and its
text extracted with trafilatura, kept only when it is about cooperation between regions, then
ingested like a file. A broken, refused or cut feed or page is recorded on that feed and the
others go on; an item is retried only when asking again could help."""

from __future__ import annotations

import asyncio
import calendar
import datetime as dt
import html
import logging
import re
from dataclasses import dataclass, field

import feedparser
import httpx
import trafilatura

from bot.digests.fetch import Fetcher, FetchRefused, Limits
from bot.models import ArticleFacts
from bot.qa.engine import Engine
from bot.settings import Settings
from bot.text.documents import RawDocument
from bot.text.knowledge import Knowledge
from storage.feeds import Feed

log = logging.getLogger(__name__)
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """How feeds are fetched (see ``fetch``): the bounds, how many feeds at once, the guard."""

    max_feed_bytes: int = 5_000_000
    max_page_bytes: int = 3_000_000
    deadline: float = 30.0
    max_redirects: int = 5
    max_items: int = 50  # per poll and feed: a feed that dumps its archive is taken in portions
    concurrency: int = 4
    allow_private: bool = False
    allow_hosts: frozenset[str] = frozenset()

    @classmethod
    def of(cls, settings: Settings) -> FeedSettings:
        return cls(settings.feed_max_bytes, settings.page_max_bytes, settings.feed_deadline_seconds, 5,
                   settings.feed_max_items, settings.feed_concurrency, settings.feeds_allow_private,
                   frozenset(settings.feeds_allow_hosts))  # fmt: skip


@dataclass(slots=True)
class FeedReport:
    url: str
    not_modified: bool = False
    stored: list[str] = field(default_factory=list)
    skipped: int = 0
    failed: int = 0
    error: str | None = None


def about_cooperation(facts: ArticleFacts, k: Knowledge) -> bool:
    """At least two sides — regions, cities at their region's level, or a country none of whose
    regions is named — and a sign of working together: an agreement, a figure, cooperation words."""
    places = k.gazetteer.places
    regions = {k.gazetteer.region_of(p) for p, m in facts.regions.items() if m.direct and m.party}
    countries_with_region = {places[r].country for r in regions if not places[r].is_country}
    sides = {r for r in regions if not (places[r].is_country and places[r].country in countries_with_region)}
    if len(sides) < 2:
        return False
    if facts.agreements or facts.figures:
        return True
    lemmas = " ".join(facts.sentence_lemmas).split()
    return k.lexicon.has_words("agreements", lemmas) or k.lexicon.has_words("partners", lemmas)


def _plain(fragment: str) -> str:
    """A feed's HTML summary as text, for pages trafilatura finds nothing in."""
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment)).strip()


def _published(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC).date().isoformat()


class FeedPoller:
    """Polls every feed — a few at a time, so one slow feed never holds up the rest — through
    one guarded fetcher (``fetch``); a refused, cut or broken response is recorded on its feed."""

    def __init__(self, engine: Engine, settings: FeedSettings | None = None) -> None:
        self.engine = engine
        self.settings = settings or FeedSettings()
        self._fetcher: Fetcher | None = None  # opened on the first poll
        self.errors = 0  # failed polls since start, for the metrics

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.settings.allow_private, self.settings.allow_hosts)
        return self._fetcher

    async def close(self) -> None:
        if self._fetcher is not None:
            await self._fetcher.close()

    async def poll_all(self) -> list[FeedReport]:
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def one(feed: Feed) -> FeedReport:
            async with gate:
                return await self.poll(feed)

        return list(await asyncio.gather(*(one(feed) for feed in await self.engine.store.feeds.feeds())))

    async def poll(self, feed: Feed) -> FeedReport:
        report = FeedReport(feed.url)
        feeds = self.engine.store.feeds
        headers = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        limits = Limits(self.settings.max_feed_bytes, self.settings.deadline, self.settings.max_redirects)
        try:
            response = await self.fetcher.get(feed.url, limits, headers)
            if response.status_code == 304:
                report.not_modified = True
                await feeds.checked(feed.id)
                return report
            if response.status_code >= 400:
                raise ValueError(f"HTTP {response.status_code}")
            if _ENTITY_DECLARATION.search(response.content[:65536]):
                raise FetchRefused("refused: the feed declares XML entities (no real feed needs them)")
            parsed = feedparser.parse(response.content, resolve_relative_uris=False, sanitize_html=True)
            if parsed.bozo and not parsed.entries:
                raise ValueError(f"not a feed: {parsed.get('bozo_exception') or 'no entries'}")
        except (httpx.HTTPError, ValueError, FetchRefused) as exc:
            report.error = exc.reason if isinstance(exc, FetchRefused) else f"{type(exc).__name__}: {exc}"
            log.warning("feed %s: %s", feed.url, report.error)
            self.errors += 1
            await feeds.checked(feed.id, error=report.error)
            return report
        publisher = parsed.feed.get("title", "")
        for entry in parsed.entries[: self.settings.max_items]:
            key = entry.get("id") or entry.get("link")
            if key and not await feeds.seen(feed.id, key):
                await self._item(feed, key, entry, publisher, report)
        await feeds.checked(
            feed.id, etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified")
        )
        return report

    async def _item(self, feed: Feed, key: str, entry, publisher: str, report: FeedReport) -> None:
        feeds = self.engine.store.feeds
        link = str(entry.get("link") or "")
        limits = Limits(self.settings.max_page_bytes, self.settings.deadline, self.settings.max_redirects)
        try:
            page = await self.fetcher.get(link, limits)
        except FetchRefused as exc:
            if exc.permanent:  # asking again would be refused again
                await feeds.mark(feed.id, key, "error")
            report.failed += 1
            log.warning("feed %s: item %s: %s", feed.url, link[:200], exc.reason)
            return
        except httpx.HTTPError as exc:  # the network: the next poll tries again
            report.failed += 1
            log.warning("feed %s: item %s: %s", feed.url, link[:200], exc)
            return
        if page.status_code >= 400:
            if page.status_code < 500:  # gone for good: do not ask again
                await feeds.mark(feed.id, key, "error")
            report.failed += 1
            log.warning("feed %s: item %s: HTTP %d", feed.url, link[:200], page.status_code)
            return
        text = await asyncio.to_thread(trafilatura.extract, page.text) or _plain(entry.get("summary", ""))
        title = entry.get("title") or link
        doc = RawDocument(link, link, title, publisher, _published(entry), text)
        result = await self.engine.ingestor.ingest_document(doc, lambda facts: about_cooperation(facts, self.engine.k))
        await feeds.mark(feed.id, key, result.status)
        if result.status in ("new", "updated"):
            report.stored.append(link)
        elif result.status == "error":
            report.failed += 1
        else:
            report.skipped += 1

    async def run_forever(self, interval: float, on_new: asyncio.Event | None = None) -> None:
        """Poll every feed every ``interval`` seconds; wake ``on_new`` when articles were stored."""
        while True:
            try:
                reports = await self.poll_all()
                stored = sum(len(r.stored) for r in reports)
                if stored:
                    log.info("feeds: %d new articles", stored)
                    if on_new:
                        on_new.set()
            except Exception:  # one bad poll must not end polling for good
                log.exception("feed poll failed")
            await asyncio.sleep(interval)
