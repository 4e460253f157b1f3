"""The SQLite store: schema migrations, reference data, articles with their facts, and the
queries the search engine and the evaluation need. Nothing outside this package writes SQL."""

from __future__ import annotations

import asyncio
import json
import secrets
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.models import QUESTION_IDS, Article, ArticleFacts, Place, StoredArticle, Topic
from storage import reads, rows
from storage.catalog import CatalogQueries
from storage.conversations import ConversationQueries
from storage.digests import DigestQueries
from storage.feeds import FeedQueries
from storage.transactions import Transactions


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


class Store:
    def __init__(self, db: aiosqlite.Connection, reader: sqlite3.Connection) -> None:
        self.db = db
        # a second, read-only connection on its own thread, for reads batched into one hop
        self._reader = reader
        self._reader_thread = ThreadPoolExecutor(1, thread_name_prefix="store-reader")
        self.tx = Transactions(db)
        self.catalog = CatalogQueries(db)
        self.digests = DigestQueries(db, self.tx)
        self.feeds = FeedQueries(db, self.tx)
        self.conversations = ConversationQueries(db, self.tx)
        self._coverage: dict[int, list[tuple[str, int]]] = {}  # by limit; cleared by every write
        self._data_version = 0

    @classmethod
    async def open(cls, path: Path | str) -> Store:
        """The store in the file ``path`` (a file: WAL and the reader connection need one)."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(str(path), isolation_level=None)  # transactions are explicit
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA busy_timeout=10000")
        store = cls(db, sqlite3.connect(str(path), check_same_thread=False))  # used on one thread only
        await store._migrate()
        await store._read(lambda reader: reader.execute("PRAGMA query_only=ON"))
        return store

    async def size_bytes(self) -> int:
        """The store's size on disk as SQLite counts it; raises when the store cannot be read —
        which is what a health check wants to know."""
        return int(await rows.scalar(self.db, "PRAGMA page_count")) * int(
            await rows.scalar(self.db, "PRAGMA page_size")
        )

    async def close(self) -> None:
        await self._read(lambda reader: reader.close())
        self._reader_thread.shutdown()
        await self.db.close()

    async def _migrate(self) -> None:
        version = await rows.scalar(self.db, "PRAGMA user_version")
        for number, script in _migrations():
            if number > version:
                await self.db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")

    async def schema_version(self) -> int:
        return int(await rows.scalar(self.db, "PRAGMA user_version"))

    # -- reference data ----------------------------------------------------------------------
    async def sync_reference(self, places: list[Place], topics: list[Topic]) -> None:
        """Upsert the gazetteer and topics; parents first so foreign keys hold."""
        ordered = sorted(places, key=lambda p: p.parent is not None)
        async with self.tx() as db:
            await db.executemany(
                "INSERT INTO regions(id, name, country, kind, parent_id) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, country=excluded.country, "
                "kind=excluded.kind, parent_id=excluded.parent_id",
                [(p.id, p.name, p.country, p.kind, p.parent) for p in ordered],
            )
            await db.executemany(
                "INSERT INTO topics(id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name",
                [(t.id, t.name) for t in topics],
            )

    # -- writing articles --------------------------------------------------------------------
    async def article_count(self) -> int:
        return int(await rows.scalar(self.db, "SELECT COUNT(*) FROM articles"))

    async def find_existing(self, url: str, content_hash: str) -> tuple[int, str, str] | None:
        """(id, url, content_hash) of the article with this URL, else of one with this content."""
        found = await self.db.execute_fetchall(  # one thread hop: ingestion calls this per article
            "SELECT id, url, content_hash FROM articles WHERE url = ? OR content_hash = ? "
            "ORDER BY url = ? DESC LIMIT 1",
            (url, content_hash, url),
        )
        return next(((row[0], row[1], row[2]) for row in found), None)

    async def save_article(
        self,
        article: Article,
        facts: ArticleFacts,
        content_hash: str,
        lemmas: tuple[str, str, str],
        name_keys: dict[str, str],
    ) -> int:
        """Insert or replace one article and everything extracted from it, in one transaction."""
        self._coverage.clear()
        existing = await self.find_existing(article.url, content_hash)
        async with self.tx() as db:
            if existing:
                article_id = existing[0]
                await db.execute(
                    "UPDATE articles SET url=?, title=?, publisher=?, published=?, text=?, content_hash=?, "
                    "origin=?, ingested_at=datetime('now') WHERE id=?",
                    (
                        article.url,
                        article.title,
                        article.publisher,
                        article.published,
                        article.text,
                        content_hash,
                        facts.origin,
                        article_id,
                    ),
                )
                for table in (
                    "article_terms",
                    "sentences",
                    "article_regions",
                    "article_topics",
                    "agreements",
                    "figures",
                    "people",
                    "organisations",
                    "events",
                ):
                    await db.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
                await db.execute("DELETE FROM article_lemmas WHERE rowid=?", (article_id,))
                await db.execute("DELETE FROM article_text WHERE rowid=?", (article_id,))
            else:
                cur = await db.execute(
                    "INSERT INTO articles(url, title, publisher, published, text, content_hash, origin) "
                    "VALUES (?,?,?,?,?,?,?)",
                    (
                        article.url,
                        article.title,
                        article.publisher,
                        article.published,
                        article.text,
                        content_hash,
                        facts.origin,
                    ),
                )
                article_id = rows.inserted_id(cur)
            await self._write_facts(article_id, article, facts, name_keys)
            await db.execute(
                "INSERT INTO article_lemmas(rowid, title, body, names) VALUES (?,?,?,?)", (article_id, *lemmas)
            )
            await db.executemany(
                "INSERT OR IGNORE INTO article_terms(lemma, article_id) VALUES (?,?)",
                [(lemma, article_id) for lemma in rows.terms(" ".join(lemmas)) | rows.kind_terms(facts.kinds())],
            )
            await db.execute(
                "INSERT INTO article_text(rowid, title, body) VALUES (?,?,?)", (article_id, article.title, article.text)
            )
        return article_id

    async def _write_facts(
        self, article_id: int, article: Article, facts: ArticleFacts, name_keys: dict[str, str]
    ) -> None:
        db = self.db
        await db.executemany(
            "INSERT INTO sentences(article_id, idx, text, lemmas, quotable) VALUES (?,?,?,?,?)",
            [
                (article_id, i, text, lemmas, int(quotable))
                for i, (text, lemmas, quotable) in enumerate(
                    zip(
                        facts.sentences,
                        facts.sentence_lemmas,
                        facts.quotable or [True] * len(facts.sentences),
                        strict=True,
                    )  # fmt: skip
                )
            ],
        )
        await db.executemany(
            "INSERT INTO article_regions(article_id, region_id, mentions, direct, party) VALUES (?,?,?,?,?)",
            [(article_id, rid, m.count, int(m.direct), int(m.party)) for rid, m in facts.regions.items()],
        )
        await db.executemany(
            "INSERT INTO article_topics(article_id, topic_id, score) VALUES (?,?,?)",
            [(article_id, tid, score) for tid, score in facts.topics.items()],
        )
        for a in facts.agreements:
            deal_id = await self._deal(a.deal)
            cur = await db.execute(
                "INSERT INTO agreements(article_id, kind, title, signed, period_start, period_end, signatories, "
                "sentence, deal_id) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    article_id,
                    a.kind,
                    a.title,
                    a.signed,
                    a.period_start,
                    a.period_end,
                    json.dumps(a.signatories, ensure_ascii=False),
                    a.sentence,
                    deal_id,
                ),
            )
            await db.executemany(
                "INSERT OR IGNORE INTO agreement_parties(agreement_id, region_id) VALUES (?,?)",
                [(cur.lastrowid, p) for p in a.parties],
            )
        for f in facts.figures:
            cur = await db.execute(
                "INSERT INTO figures(article_id, kind, amount, unit, currency, raw, year, sentence) "
                "VALUES (?,?,?,?,?,?,?,?)",
                (article_id, f.kind, f.amount, f.unit, f.currency, f.raw, f.year, f.sentence),
            )
            await db.executemany(
                "INSERT OR IGNORE INTO figure_parties(figure_id, region_id) VALUES (?,?)",
                [(cur.lastrowid, p) for p in f.parties],
            )
        await db.executemany(
            "INSERT INTO people(article_id, name, name_key, post, side_region_id, sentence) VALUES (?,?,?,?,?,?)",
            [(article_id, p.name, name_keys.get(p.name, ""), p.post, p.side, p.sentence) for p in facts.people],
        )
        await db.executemany(
            "INSERT INTO organisations(article_id, name, name_key, sentence) VALUES (?,?,?,?)",
            [(article_id, o.name, name_keys.get(o.name, ""), o.sentence) for o in facts.organisations],
        )
        await db.executemany(
            "INSERT INTO events(article_id, date, sentence) VALUES (?,?,?)",
            [(article_id, e.date, e.sentence) for e in facts.events],
        )

    async def _deal(self, key: str | None) -> int | None:
        """The deal this agreement report belongs to, created when it is the first report."""
        if key is None:
            return None
        ((deal_id,),) = await self.db.execute_fetchall(  # inside save's transaction; one hop
            "INSERT INTO deals(key) VALUES (?) ON CONFLICT(key) DO UPDATE SET key = excluded.key RETURNING id", (key,)
        )
        return deal_id

    # -- reading for search ------------------------------------------------------------------
    async def candidates(
        self, groups: list[list[str]], limit: int, names: list[str], words: list[str], with_topics: bool
    ) -> reads.Candidates:
        """The newest ``limit`` articles mentioning every group's places, with which of the
        question's names, words and (if asked) topics each has — in one hop."""
        return await self._read(reads.candidates, groups, limit, names, words, with_topics)

    async def lexical_scores(self, terms: list[str], limit: int) -> dict[int, float]:
        return await self._read(reads.lexical_scores, terms, limit)

    async def name_hits(self, terms: list[str], limit: int) -> dict[int, list[str]]:
        return await self._read(reads.name_hits, terms, limit)

    async def term_hits(self, terms: list[str], ids: list[int]) -> dict[int, set[str]]:
        return await self._read(reads.term_hits, terms, ids)

    async def article_topics(self, ids: list[int]) -> dict[int, set[str]]:
        return await self._read(reads.article_topics, ids)

    async def baseline_text_search(self, words: list[str], limit: int) -> list[int]:
        query = reads.fts_query(words)
        if not query:
            return []
        async with self.db.execute(
            "SELECT rowid FROM article_text WHERE article_text MATCH ? ORDER BY rank LIMIT ?", (query, limit)
        ) as cur:
            return [r[0] for r in await cur.fetchall()]

    async def all_texts(self) -> list[tuple[int, str]]:
        async with self.db.execute("SELECT id, title || ' ' || text FROM articles") as cur:
            return [tuple(r) for r in await cur.fetchall()]

    async def articles(self, ids: list[int]) -> dict[int, StoredArticle]:
        if not ids:
            return {}
        async with self.db.execute(
            f"SELECT id, url, title, publisher, published FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
        ) as cur:
            return {r[0]: StoredArticle(*r) for r in await cur.fetchall()}

    async def details(self, ids: list[int]) -> dict[int, reads.ArticleDetails]:
        """Each article with its sentences and facts, read in one hop to the reader thread: an
        answer is latency-bound, and every aiosqlite query is a hop of its own."""
        if not ids:
            return {}
        return await self._read(reads.details, ids)

    async def _read(self, fn, *args):
        """Run ``fn(connection, *args)`` — several plain sqlite3 reads — on the reader thread."""
        return await asyncio.get_running_loop().run_in_executor(self._reader_thread, fn, self._reader, *args)

    async def coverage(self, limit: int = 12) -> list[tuple[str, int]]:
        """Places named directly in the most articles: what the store can talk about (cached:
        a grouping over every article is too slow for each 'no information' reply; dropped on
        this process's writes and when another process, such as ``coopbot ingest``, commits)."""
        ((version,),) = await self.db.execute_fetchall("PRAGMA data_version")  # moves when another process commits
        if version != self._data_version:
            self._coverage.clear()
            self._data_version = version
        if limit in self._coverage:
            return self._coverage[limit]
        async with self.db.execute(
            "SELECT ar.region_id, COUNT(*) AS n FROM article_regions ar JOIN regions r ON r.id = ar.region_id "
            "WHERE ar.direct = 1 AND ar.party = 1 AND r.kind != 'country' "
            "GROUP BY ar.region_id ORDER BY n DESC, ar.region_id LIMIT ?",
            (limit,),
        ) as cur:
            self._coverage[limit] = [tuple(r) for r in await cur.fetchall()]
        return self._coverage[limit]

    # -- questions behind "Ещё" buttons --------------------------------------------------------
    async def remember_question(self, text: str, chat_id: int, user_id: int = 0) -> int:
        """The id an answer's buttons carry for this question of this chat (and user): random,
        so it cannot be guessed; the same question in the same chat keeps its id."""
        for _ in range(3):  # a new random id collides with a stored one once in 2^63
            await self.tx.write(
                "INSERT INTO questions(id, chat_id, user_id, text) VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                (secrets.randbelow(QUESTION_IDS - 1) + 1, chat_id, user_id, text),
            )
            found = await rows.fetch(
                self.db,
                "SELECT id FROM questions WHERE chat_id = ? AND user_id = ? AND text = ?",
                (chat_id, user_id, text),
            )
            if found:
                return int(found[0][0])
        raise LookupError("no free question id")

    async def question(self, qid: int, chat_id: int, user_id: int = 0) -> str | None:
        """The question behind a button, only for the chat (and user) it was asked in."""
        found = await rows.fetch(
            self.db,
            "SELECT text FROM questions WHERE id = ? AND chat_id = ? AND user_id = ?",
            (qid, chat_id, user_id),
        )
        return found[0][0] if found else None

    # -- what people asked and did not get -------------------------------------------------------
    async def record_unanswered(self, question: str) -> None:
        """One more "no information" for this question (its text only: who asked is not kept)."""
        await self.tx.write(
            "INSERT INTO unanswered(question) VALUES (?) "
            "ON CONFLICT(question) DO UPDATE SET asked = asked + 1, last_at = datetime('now')",
            (question[:500],),
        )

    async def unanswered(self, days: int = 30, limit: int = 20) -> list[tuple[str, int]]:
        """The most frequent unanswered questions of the last ``days`` days."""
        found = await rows.fetch(
            self.db,
            "SELECT question, asked FROM unanswered WHERE last_at >= datetime('now', ?) "
            "ORDER BY asked DESC, last_at DESC LIMIT ?",
            (f"-{int(days)} days", limit),
        )
        return [(q, n) for q, n in found]

    async def check_integrity(self) -> bool:
        async with self.db.execute("PRAGMA foreign_key_check") as cur:
            broken = await cur.fetchall()
        ok = await rows.scalar(self.db, "PRAGMA integrity_check")
        return not broken and ok == "ok"
