"""New articles from RSS/Atom feeds: conditional GET (ETag / Last-Modified) with httpx, parsing
with feedparser, each new item's page fetched and its text extracted with trafilatura, kept only
when it is about cooperation between regions, then ingested like a file. A broken feed or page
is logged on that feed and the others go on; an item is retried until it is settled."""

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

from bot.models import ArticleFacts
from bot.qa.engine import Engine
from bot.text.documents import RawDocument
from bot.text.knowledge import Knowledge
from storage.feeds import Feed

log = logging.getLogger(__name__)
MAX_ITEMS = 50  # per poll and feed: a feed that dumps its archive is taken in portions
USER_AGENT = "CoopBot/0.1 (+https://github.com/coopbot; interregional cooperation news)"


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
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._http: httpx.AsyncClient | None = None  # opened on the first poll

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=20, follow_redirects=True, headers={"User-Agent": USER_AGENT})
        return self._http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def poll_all(self) -> list[FeedReport]:
        return [await self.poll(feed) for feed in await self.engine.store.feeds.feeds()]

    async def poll(self, feed: Feed) -> FeedReport:
        report = FeedReport(feed.url)
        feeds = self.engine.store.feeds
        headers = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        try:
            response = await self.http.get(feed.url, headers=headers)
            if response.status_code == 304:
                report.not_modified = True
                await feeds.checked(feed.id)
                return report
            response.raise_for_status()
            parsed = feedparser.parse(response.content)
            if parsed.bozo and not parsed.entries:
                raise ValueError(f"not a feed: {parsed.get('bozo_exception') or 'no entries'}")
        except (httpx.HTTPError, ValueError) as exc:
            report.error = f"{type(exc).__name__}: {exc}"
            log.warning("feed %s: %s", feed.url, report.error)
            await feeds.checked(feed.id, error=report.error)
            return report
        publisher = parsed.feed.get("title", "")
        for entry in parsed.entries[:MAX_ITEMS]:
            key = entry.get("id") or entry.get("link")
            if key and not await feeds.seen(feed.id, key):
                await self._item(feed, key, entry, publisher, report)
        await feeds.checked(
            feed.id, etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified")
        )
        return report

    async def _item(self, feed: Feed, key: str, entry, publisher: str, report: FeedReport) -> None:
        feeds = self.engine.store.feeds
        link = entry.get("link")
        try:
            page = await self.http.get(link)
            page.raise_for_status()
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code < 500:  # gone for good: do not ask again
                await feeds.mark(feed.id, key, "error")
            report.failed += 1
            log.warning("feed %s: item %s: %s", feed.url, link, exc)
            return
        except httpx.HTTPError as exc:  # the network: the next poll tries again
            report.failed += 1
            log.warning("feed %s: item %s: %s", feed.url, link, exc)
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
