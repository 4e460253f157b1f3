"""Read-only queries behind the bot's browsing commands (/regions, /topics, /agreements,
/latest, /about): counts, partners, agreements and articles of a region or topic, newest first."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from bot.models import Agreement, Figure, StoredArticle
from storage import rows

# a region's own rows plus its cities': agreements name the city ("Омск"), not always the region
_REGION_AND_CITIES = "(SELECT id FROM regions WHERE id = ? OR parent_id = ?)"
_NEWEST_AGREEMENT = "COALESCE(ag.signed, art.published) DESC, ag.id DESC"


@dataclass(slots=True)
class StoreSummary:
    articles: int  # news articles and registry events together
    first: str | None
    last: str | None
    publishers: list[tuple[str, int]]
    events: int = 0  # of them registry events
    pairs: int = 0  # pairs of regions (or a region and a country) that some article is about


# pairs of party places at region level (a city counts through its region, which is stored as
# a party beside it) that articles are about, with the number of articles
_PAIRS = (
    "SELECT a.region_id, b.region_id, COUNT(DISTINCT a.article_id) FROM article_regions a "
    "JOIN article_regions b ON b.article_id = a.article_id AND b.region_id > a.region_id AND b.party = 1 "
    "JOIN regions ra ON ra.id = a.region_id JOIN regions rb ON rb.id = b.region_id "
    "WHERE a.party = 1 AND ra.kind != 'city' AND rb.kind != 'city' "
    "AND NOT ((ra.kind = 'country' OR rb.kind = 'country') AND ra.country = rb.country) "
    "GROUP BY a.region_id, b.region_id"
)


class CatalogQueries:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    async def region_counts(self) -> list[tuple[str, int]]:
        """Regions (not cities or countries) with the number of articles about them."""
        return [
            tuple(r)
            for r in await self.db.execute_fetchall(
                "SELECT ar.region_id, COUNT(*) AS n FROM article_regions ar JOIN regions r ON r.id = ar.region_id "
                "WHERE ar.party = 1 AND r.kind NOT IN ('country', 'city') "
                "GROUP BY ar.region_id ORDER BY n DESC, ar.region_id"
            )
        ]

    async def topic_counts(self) -> list[tuple[str, int]]:
        return [
            tuple(r)
            for r in await self.db.execute_fetchall(
                "SELECT topic_id, COUNT(*) AS n FROM article_topics GROUP BY topic_id ORDER BY n DESC, topic_id"
            )
        ]

    async def partners(self, region_id: str, limit: int) -> list[tuple[str, int]]:
        """Regions that are parties of the same articles as ``region_id``, by shared articles."""
        return [
            tuple(r)
            for r in await self.db.execute_fetchall(
                "SELECT o.region_id, COUNT(*) AS n FROM article_regions me "
                "JOIN article_regions o ON o.article_id = me.article_id AND o.region_id != me.region_id "
                "AND o.party = 1 "
                "JOIN regions r ON r.id = o.region_id "
                "WHERE me.region_id = ? AND me.party = 1 AND r.kind NOT IN ('country', 'city') AND r.id != ? "
                "AND (r.parent_id IS NULL OR r.parent_id != ?) "
                "GROUP BY o.region_id ORDER BY n DESC, o.region_id LIMIT ?",
                (region_id, region_id, region_id, limit),
            )
        ]

    async def topic_regions(self, topic_id: str, limit: int) -> list[tuple[str, int]]:
        return [
            tuple(r)
            for r in await self.db.execute_fetchall(
                "SELECT ar.region_id, COUNT(*) AS n FROM article_topics t "
                "JOIN article_regions ar ON ar.article_id = t.article_id JOIN regions r ON r.id = ar.region_id "
                "WHERE t.topic_id = ? AND ar.party = 1 AND r.kind NOT IN ('country', 'city') "
                "GROUP BY ar.region_id ORDER BY n DESC, ar.region_id LIMIT ?",
                (topic_id, limit),
            )
        ]

    async def agreements(
        self, region_id: str | None, limit: int, offset: int = 0
    ) -> tuple[list[tuple[Agreement, list[StoredArticle]]], int]:
        """Deals (of a region and its cities, or all), newest first — each as its first report
        with every article reporting it (two outlets and a registry entry on one memorandum are
        one line with three sources) — and how many there are."""
        where, params = "", []
        if region_id:
            where = (
                f"WHERE EXISTS (SELECT 1 FROM agreement_parties p WHERE p.agreement_id = ag.id "
                f"AND p.region_id IN {_REGION_AND_CITIES})"
            )
            params = [region_id, region_id]
        deals = f"SELECT MIN(ag.id) AS first_id FROM agreements ag {where} GROUP BY COALESCE(ag.deal_id, -ag.id)"
        found = await rows.fetch(
            self.db,
            f"SELECT {rows.AGREEMENT_COLUMNS}, {rows.ARTICLE_COLUMNS}, ag.deal_id FROM ({deals}) d "
            f"JOIN agreements ag ON ag.id = d.first_id JOIN articles art ON art.id = ag.article_id "
            f"ORDER BY {_NEWEST_AGREEMENT} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        total = await rows.scalar(self.db, f"SELECT COUNT(*) FROM ({deals})", params)
        deal_ids = [r[-1] for r in found if r[-1] is not None]
        sources: dict[int, list[StoredArticle]] = {}
        if deal_ids:
            for r in await rows.fetch(
                self.db,
                f"SELECT DISTINCT ag.deal_id, {rows.ARTICLE_COLUMNS} FROM agreements ag "
                f"JOIN articles art ON art.id = ag.article_id WHERE ag.deal_id IN ({rows.marks(deal_ids)}) "
                f"ORDER BY art.origin = 'registry', art.published, art.id",
                deal_ids,
            ):
                sources.setdefault(r[0], []).append(rows.article(r[1:]))
        return [(rows.agreement(r[:8]), sources.get(r[-1]) or [rows.article(r[8:-1])]) for r in found], total

    async def figures(self, region_id: str, limit: int) -> list[tuple[Figure, StoredArticle]]:
        found = await self.db.execute_fetchall(
            f"SELECT {rows.FIGURE_COLUMNS}, {rows.ARTICLE_COLUMNS} FROM figures fg "
            f"JOIN articles art ON art.id = fg.article_id WHERE EXISTS (SELECT 1 FROM figure_parties p "
            f"WHERE p.figure_id = fg.id AND p.region_id IN {_REGION_AND_CITIES}) "
            f"ORDER BY COALESCE(fg.year, 0) DESC, art.published DESC LIMIT ?",
            (region_id, region_id, limit),
        )
        return [(rows.figure(r[:8]), rows.article(r[8:])) for r in found]

    async def latest(
        self, limit: int, offset: int = 0, *, region_id: str | None = None, topic_id: str | None = None
    ) -> tuple[list[StoredArticle], int]:
        """Articles newest first — all, about a region, or on a topic — and how many there are."""
        where, params = "", []
        if region_id:
            where, params = (
                "WHERE art.id IN (SELECT article_id FROM article_regions WHERE region_id = ? AND party = 1)",
                [region_id],
            )
        elif topic_id:
            where, params = "WHERE art.id IN (SELECT article_id FROM article_topics WHERE topic_id = ?)", [topic_id]
        found = await self.db.execute_fetchall(
            f"SELECT {rows.ARTICLE_COLUMNS} FROM articles art {where} "
            f"ORDER BY art.published DESC, art.id DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        total = await rows.scalar(self.db, f"SELECT COUNT(*) FROM articles art {where}", params)
        return [rows.article(r) for r in found], total

    async def summary(self, publishers: int = 10) -> StoreSummary:
        ((count, first, last),) = await self.db.execute_fetchall(
            "SELECT COUNT(*), MIN(published), MAX(published) FROM articles"
        )
        by_publisher = await self.db.execute_fetchall(
            "SELECT publisher, COUNT(*) AS n FROM articles WHERE publisher != '' GROUP BY publisher "
            "ORDER BY n DESC, publisher LIMIT ?",
            (publishers,),
        )
        events = await rows.scalar(self.db, "SELECT COUNT(*) FROM articles WHERE origin = 'registry'")
        pairs = await rows.scalar(self.db, f"SELECT COUNT(*) FROM ({_PAIRS})")
        return StoreSummary(count, first, last, [tuple(r) for r in by_publisher], events, pairs)

    async def articles_about(self, region_id: str) -> int:
        """How many articles have the region (or one of its cities) as a party."""
        return int(
            await rows.scalar(
                self.db,
                "SELECT COUNT(DISTINCT article_id) FROM article_regions "
                f"WHERE party = 1 AND region_id IN {_REGION_AND_CITIES}",
                (region_id, region_id),
            )
        )

    async def pair_counts(self) -> list[tuple[str, str, int]]:
        """(place, place, articles about both as parties) for every pair of regions, or of a
        region and a country, at region level; ids in each pair sorted."""
        return [(a, b, n) for a, b, n in await rows.fetch(self.db, _PAIRS)]
