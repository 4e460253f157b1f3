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
    articles: int
    first: str | None
    last: str | None
    publishers: list[tuple[str, int]]


class CatalogQueries:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    async def region_counts(self) -> list[tuple[str, int]]:
        """Regions (not cities or countries) with the number of articles about them."""
        return [
            tuple(r)
            for r in await self.db.execute_fetchall(
                "SELECT ar.region_id, COUNT(*) AS n FROM article_regions ar JOIN regions r ON r.id = ar.region_id "
                "WHERE r.kind NOT IN ('country', 'city') GROUP BY ar.region_id ORDER BY n DESC, ar.region_id"
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
        """Regions named in the same articles as ``region_id``, by shared articles."""
        return [
            tuple(r)
            for r in await self.db.execute_fetchall(
                "SELECT o.region_id, COUNT(*) AS n FROM article_regions me "
                "JOIN article_regions o ON o.article_id = me.article_id AND o.region_id != me.region_id "
                "JOIN regions r ON r.id = o.region_id "
                "WHERE me.region_id = ? AND r.kind NOT IN ('country', 'city') AND r.id != ? "
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
                "WHERE t.topic_id = ? AND r.kind NOT IN ('country', 'city') "
                "GROUP BY ar.region_id ORDER BY n DESC, ar.region_id LIMIT ?",
                (topic_id, limit),
            )
        ]

    async def agreements(
        self, region_id: str | None, limit: int, offset: int = 0
    ) -> tuple[list[tuple[Agreement, StoredArticle]], int]:
        """Agreements (of a region and its cities, or all), newest first, and how many there are."""
        where, params = "", []
        if region_id:
            where = (
                f"WHERE EXISTS (SELECT 1 FROM agreement_parties p WHERE p.agreement_id = ag.id "
                f"AND p.region_id IN {_REGION_AND_CITIES})"
            )
            params = [region_id, region_id]
        found = await self.db.execute_fetchall(
            f"SELECT {rows.AGREEMENT_COLUMNS}, {rows.ARTICLE_COLUMNS} FROM agreements ag "
            f"JOIN articles art ON art.id = ag.article_id {where} ORDER BY {_NEWEST_AGREEMENT} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        total = await rows.scalar(self.db, f"SELECT COUNT(*) FROM agreements ag {where}", params)
        return [(rows.agreement(r[:8]), rows.article(r[8:])) for r in found], total

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
            where, params = "WHERE art.id IN (SELECT article_id FROM article_regions WHERE region_id = ?)", [region_id]
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
        return StoreSummary(count, first, last, [tuple(r) for r in by_publisher])
