"""Row ↔ model conversions shared by the store's queries, so each fact is read one way."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

from bot.models import Agreement, Figure, StoredArticle

ARTICLE_COLUMNS = "art.id, art.url, art.title, art.publisher, art.published"
AGREEMENT_COLUMNS = (
    "ag.kind, ag.title, ag.signed, ag.period_start, ag.period_end, ag.signatories, ag.sentence, "
    "(SELECT group_concat(region_id) FROM agreement_parties WHERE agreement_id = ag.id)"
)
FIGURE_COLUMNS = (
    "fg.kind, fg.amount, fg.unit, fg.currency, fg.raw, fg.year, fg.sentence, "
    "(SELECT group_concat(region_id) FROM figure_parties WHERE figure_id = fg.id)"
)


async def scalar(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> Any:
    """The first column of a query that always returns one row (COUNT, MAX, PRAGMA)."""
    async with db.execute(sql, params) as cur:
        row = await cur.fetchone()
    if row is None:
        raise LookupError(f"no row for: {sql}")
    return row[0]


async def fetch(db: aiosqlite.Connection, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
    return list(await db.execute_fetchall(sql, params))


def inserted_id(cur: aiosqlite.Cursor) -> int:
    """The rowid an INSERT just gave (SQLite always sets it; the driver types it as optional)."""
    if cur.lastrowid is None:
        raise LookupError("the INSERT gave no rowid")
    return cur.lastrowid


def terms(lemmas: str) -> set[str]:
    """The searchable words of space-separated lemmas: each, and the parts of a hyphenated one
    ("город-побратим" is found by "побратим" too)."""
    out = set()
    for lemma in lemmas.split():
        out.add(lemma)
        if "-" in lemma:
            out.update(part for part in lemma.split("-") if len(part) > 1)
    return out


def kind_terms(kinds: Iterable[str]) -> set[str]:
    """Kinds of event as searchable terms ("@forum"): no lemma of a word starts with @."""
    return {f"@{kind}" for kind in kinds}


def marks(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


def _parties(joined: str | None) -> list[str]:
    return joined.split(",") if joined else []


def agreement(row) -> Agreement:
    kind, title, signed, p1, p2, signatories, sentence, joined = row
    return Agreement(kind, title, _parties(joined), signed, p1, p2, json.loads(signatories), sentence)


def figure(row) -> Figure:
    kind, amount, unit, currency, raw, year, sentence, joined = row
    return Figure(kind, amount, unit, currency, raw, year, _parties(joined), sentence)


def article(row) -> StoredArticle:
    return StoredArticle(*row)
