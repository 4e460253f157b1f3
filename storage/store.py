"""The SQLite store: schema migrations, reference data, articles with their facts, and the
queries the search engine and the evaluation need. Nothing outside this package writes SQL."""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

from bot.models import (Agreement, Article, ArticleFacts, EventDate, Figure, Organisation, Person,
                        Place, StoredArticle, Topic)
from storage import rows as rows_
from storage.catalog import CatalogQueries
from storage.digests import DigestQueries
from storage.feeds import FeedQueries
from storage.transactions import Transactions


@dataclass(slots=True)
class ArticleDetails:
    sentences: list[tuple[str, str]]  # (text, lemmas)
    agreements: list[Agreement]
    figures: list[Figure]
    people: list[Person]
    organisations: list[Organisation]
    events: list[EventDate]


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("storage") / "migrations"
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.read_text(encoding="utf-8")))
    return sorted(found)


def _fts_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression that can't be a syntax error: every term quoted, OR-ed."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in dict.fromkeys(terms) if t.strip()]
    return " OR ".join(quoted)


class Store:
    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db
        self.tx = Transactions(db)
        self.catalog = CatalogQueries(db)
        self.digests = DigestQueries(db, self.tx)
        self.feeds = FeedQueries(db, self.tx)
        self._coverage: dict[int, list[tuple[str, int]]] = {}  # by limit; cleared by every write
        self._data_version = 0

    @classmethod
    async def open(cls, path: Path | str) -> "Store":
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        db = await aiosqlite.connect(str(path), isolation_level=None)  # transactions are explicit
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute("PRAGMA synchronous=NORMAL")
        await db.execute("PRAGMA busy_timeout=10000")
        store = cls(db)
        await store._migrate()
        return store

    async def close(self) -> None:
        await self.db.close()

    async def _migrate(self) -> None:
        async with self.db.execute("PRAGMA user_version") as cur:
            (version,) = await cur.fetchone()
        for number, script in _migrations():
            if number > version:
                await self.db.executescript(f"BEGIN;\n{script}\nPRAGMA user_version={number};\nCOMMIT;")

    async def schema_version(self) -> int:
        async with self.db.execute("PRAGMA user_version") as cur:
            return (await cur.fetchone())[0]

    # -- reference data ----------------------------------------------------------------------
    async def sync_reference(self, places: list[Place], topics: list[Topic]) -> None:
        """Upsert the gazetteer and topics; parents first so foreign keys hold."""
        ordered = sorted(places, key=lambda p: p.parent is not None)
        async with self.tx() as db:
            await db.executemany(
                "INSERT INTO regions(id, name, country, kind, parent_id) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET name=excluded.name, country=excluded.country, "
                "kind=excluded.kind, parent_id=excluded.parent_id",
                [(p.id, p.name, p.country, p.kind, p.parent) for p in ordered])
            await db.executemany(
                "INSERT INTO topics(id, name) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET name=excluded.name",
                [(t.id, t.name) for t in topics])

    # -- writing articles --------------------------------------------------------------------
    async def article_count(self) -> int:
        async with self.db.execute("SELECT COUNT(*) FROM articles") as cur:
            return (await cur.fetchone())[0]

    async def find_existing(self, url: str, content_hash: str) -> tuple[int, str, str] | None:
        """(id, url, content_hash) of the article with this URL, else of one with this content."""
        async with self.db.execute(
            "SELECT id, url, content_hash FROM articles WHERE url = ? OR content_hash = ? "
            "ORDER BY url = ? DESC LIMIT 1", (url, content_hash, url)) as cur:
            return await cur.fetchone()

    async def save_article(self, article: Article, facts: ArticleFacts, content_hash: str,
                           lemmas: tuple[str, str, str], name_keys: dict[str, str]) -> int:
        """Insert or replace one article and everything extracted from it, in one transaction."""
        self._coverage.clear()
        existing = await self.find_existing(article.url, content_hash)
        async with self.tx() as db:
            if existing:
                article_id = existing[0]
                await db.execute(
                    "UPDATE articles SET url=?, title=?, publisher=?, published=?, text=?, content_hash=?, "
                    "ingested_at=datetime('now') WHERE id=?",
                    (article.url, article.title, article.publisher, article.published, article.text,
                     content_hash, article_id))
                for table in ("article_terms", "sentences", "article_regions", "article_topics", "agreements", "figures",
                              "people", "organisations", "events"):
                    await db.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
                await db.execute("DELETE FROM article_lemmas WHERE rowid=?", (article_id,))
                await db.execute("DELETE FROM article_text WHERE rowid=?", (article_id,))
            else:
                cur = await db.execute(
                    "INSERT INTO articles(url, title, publisher, published, text, content_hash) VALUES (?,?,?,?,?,?)",
                    (article.url, article.title, article.publisher, article.published, article.text, content_hash))
                article_id = cur.lastrowid
            await self._write_facts(article_id, article, facts, name_keys)
            await db.execute("INSERT INTO article_lemmas(rowid, title, body, names) VALUES (?,?,?,?)",
                             (article_id, *lemmas))
            await db.executemany("INSERT OR IGNORE INTO article_terms(lemma, article_id) VALUES (?,?)",
                                 [(lemma, article_id) for lemma in set(" ".join(lemmas).split())])
            await db.execute("INSERT INTO article_text(rowid, title, body) VALUES (?,?,?)",
                             (article_id, article.title, article.text))
        return article_id

    async def _write_facts(self, article_id: int, article: Article, facts: ArticleFacts,
                           name_keys: dict[str, str]) -> None:
        db = self.db
        await db.executemany("INSERT INTO sentences(article_id, idx, text, lemmas) VALUES (?,?,?,?)",
                             [(article_id, i, s, l) for i, (s, l) in enumerate(zip(facts.sentences, facts.sentence_lemmas))])
        await db.executemany("INSERT INTO article_regions(article_id, region_id, mentions, direct) VALUES (?,?,?,?)",
                             [(article_id, rid, n, int(d)) for rid, (n, d) in facts.regions.items()])
        await db.executemany("INSERT INTO article_topics(article_id, topic_id, score) VALUES (?,?,?)",
                             [(article_id, tid, score) for tid, score in facts.topics.items()])
        for a in facts.agreements:
            deal_id = await self._deal(a.deal_key(article.published))
            cur = await db.execute(
                "INSERT INTO agreements(article_id, kind, title, signed, period_start, period_end, signatories, sentence, "
                "deal_id) VALUES (?,?,?,?,?,?,?,?,?)",
                (article_id, a.kind, a.title, a.signed, a.period_start, a.period_end,
                 json.dumps(a.signatories, ensure_ascii=False), a.sentence, deal_id))
            await db.executemany("INSERT OR IGNORE INTO agreement_parties(agreement_id, region_id) VALUES (?,?)",
                                 [(cur.lastrowid, p) for p in a.parties])
        for f in facts.figures:
            cur = await db.execute(
                "INSERT INTO figures(article_id, kind, amount, unit, currency, raw, year, sentence) VALUES (?,?,?,?,?,?,?,?)",
                (article_id, f.kind, f.amount, f.unit, f.currency, f.raw, f.year, f.sentence))
            await db.executemany("INSERT OR IGNORE INTO figure_parties(figure_id, region_id) VALUES (?,?)",
                                 [(cur.lastrowid, p) for p in f.parties])
        await db.executemany(
            "INSERT INTO people(article_id, name, name_key, post, side_region_id, sentence) VALUES (?,?,?,?,?,?)",
            [(article_id, p.name, name_keys.get(p.name, ""), p.post, p.side, p.sentence) for p in facts.people])
        await db.executemany(
            "INSERT INTO organisations(article_id, name, name_key, sentence) VALUES (?,?,?,?)",
            [(article_id, o.name, name_keys.get(o.name, ""), o.sentence) for o in facts.organisations])
        await db.executemany("INSERT INTO events(article_id, date, sentence) VALUES (?,?,?)",
                             [(article_id, e.date, e.sentence) for e in facts.events])

    async def _deal(self, key: str | None) -> int | None:
        """The deal this agreement report belongs to, created when it is the first report."""
        if key is None:
            return None
        await self.db.execute("INSERT INTO deals(key) VALUES (?) ON CONFLICT(key) DO NOTHING", (key,))  # inside save's transaction
        (deal_id,), = await self.db.execute_fetchall("SELECT id FROM deals WHERE key = ?", (key,))
        return deal_id

    # -- reading for search ------------------------------------------------------------------
    async def articles_covering(self, groups: list[list[str]], limit: int) -> list[tuple[int, int, int]]:
        """(article id, mentions of the asked places, whether one is named directly) for articles
        that mention at least one place of every group; newest first.

        The scan starts from the first one-place group (a region: a few hundred rows at most) and
        checks the others per row; with only countries asked it walks articles newest first and
        stops at ``limit``."""
        if not groups:
            return []
        driver = next((g for g in groups if len(g) == 1), None)
        others = [g for g in groups if g is not driver]
        exists = "".join(
            f" AND EXISTS (SELECT 1 FROM article_regions x WHERE x.article_id = a.id "
            f"AND x.region_id IN ({','.join('?' * len(g))}))" for g in others)
        params = [rid for g in others for rid in g]
        if driver:
            sql = (f"SELECT a.id, r.mentions, r.direct FROM article_regions r JOIN articles a ON a.id = r.article_id "
                   f"WHERE r.region_id = ?{exists} ORDER BY a.published DESC, a.id DESC LIMIT ?")
            params = [driver[0], *params]
        else:
            sql = f"SELECT a.id, 0, 0 FROM articles a WHERE 1{exists} ORDER BY a.published DESC, a.id DESC LIMIT ?"
        return [tuple(r) for r in await self.db.execute_fetchall(sql, [*params, limit])]

    async def lexical_scores(self, terms: list[str], article_ids: list[int] | None, limit: int) -> dict[int, float]:
        """bm25 of the question's lemmas over titles, texts and names (higher is better)."""
        query = _fts_query(terms)
        if not query:
            return {}
        sql = "SELECT rowid, -bm25(article_lemmas, 3.0, 1.0, 4.0) FROM article_lemmas WHERE article_lemmas MATCH ?"
        params: list = [query]
        if article_ids is not None:
            if not article_ids:
                return {}
            sql += f" AND rowid IN ({','.join('?' * len(article_ids))})"
            params += article_ids
        sql += " ORDER BY rank LIMIT ?"
        async with self.db.execute(sql, [*params, limit]) as cur:
            return {r[0]: r[1] for r in await cur.fetchall()}

    async def name_hits(self, terms: list[str], limit: int) -> dict[int, list[str]]:
        """Articles whose people or organisations contain every given lemma of one name."""
        query = _fts_query(terms)
        if not query:
            return {}
        sql = ("SELECT rowid, names FROM article_lemmas WHERE article_lemmas MATCH ? LIMIT ?")
        async with self.db.execute(sql, ["names : (" + query + ")", limit]) as cur:
            return {r[0]: r[1].split() for r in await cur.fetchall()}

    async def term_hits(self, terms: list[str], ids: list[int]) -> dict[int, set[str]]:
        """Which of ``terms`` (lemmas) each of the articles ``ids`` contains."""
        out: dict[int, set[str]] = {i: set() for i in ids}
        if not terms or not ids:
            return out
        rows = await self.db.execute_fetchall(
            f"SELECT article_id, lemma FROM article_terms WHERE lemma IN ({','.join('?' * len(terms))}) "
            f"AND article_id IN ({','.join('?' * len(ids))})", [*terms, *ids])
        for aid, lemma in rows:
            out[aid].add(lemma)
        return out

    async def baseline_text_search(self, words: list[str], limit: int) -> list[int]:
        query = _fts_query(words)
        if not query:
            return []
        async with self.db.execute("SELECT rowid FROM article_text WHERE article_text MATCH ? ORDER BY rank LIMIT ?",
                                   (query, limit)) as cur:
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

    async def article_topics(self, ids: list[int]) -> dict[int, set[str]]:
        out: dict[int, set[str]] = {i: set() for i in ids}
        if ids:
            async with self.db.execute(
                f"SELECT article_id, topic_id FROM article_topics WHERE article_id IN ({','.join('?' * len(ids))})", ids
            ) as cur:
                for aid, tid in await cur.fetchall():
                    out[aid].add(tid)
        return out

    async def details(self, ids: list[int]) -> dict[int, ArticleDetails]:
        """Sentences and facts of several articles in seven queries (not seven per article):
        every query is a hop to aiosqlite's thread, and answers are latency-bound."""
        out = {i: ArticleDetails([], [], [], [], [], []) for i in ids}
        if not ids:
            return out
        marks = ",".join("?" * len(ids))

        async def rows(sql: str) -> list:
            return await self.db.execute_fetchall(sql.format(marks=marks), ids)

        for aid, text, lemmas in await rows(
                "SELECT article_id, text, lemmas FROM sentences WHERE article_id IN ({marks}) ORDER BY article_id, idx"):
            out[aid].sentences.append((text, lemmas))
        for aid, *row in await rows(
                f"SELECT ag.article_id, {rows_.AGREEMENT_COLUMNS} FROM agreements ag "
                "WHERE ag.article_id IN ({marks}) ORDER BY ag.id"):
            out[aid].agreements.append(rows_.agreement(row))
        for aid, *row in await rows(
                f"SELECT fg.article_id, {rows_.FIGURE_COLUMNS} FROM figures fg "
                "WHERE fg.article_id IN ({marks}) ORDER BY fg.id"):
            out[aid].figures.append(rows_.figure(row))
        for aid, *person in await rows(
                "SELECT article_id, name, post, side_region_id, sentence FROM people WHERE article_id IN ({marks}) ORDER BY id"):
            out[aid].people.append(Person(*person))
        for aid, *org in await rows(
                "SELECT article_id, name, sentence FROM organisations WHERE article_id IN ({marks}) ORDER BY id"):
            out[aid].organisations.append(Organisation(*org))
        for aid, *event in await rows(
                "SELECT article_id, date, sentence FROM events WHERE article_id IN ({marks}) ORDER BY date"):
            out[aid].events.append(EventDate(*event))
        return out

    async def coverage(self, limit: int = 12) -> list[tuple[str, int]]:
        """Places named directly in the most articles: what the store can talk about (cached:
        a grouping over every article is too slow for each 'no information' reply; dropped on
        this process's writes and when another process, such as ``coopbot ingest``, commits)."""
        (version,), = await self.db.execute_fetchall("PRAGMA data_version")  # moves when another process commits
        if version != self._data_version:
            self._coverage.clear()
            self._data_version = version
        if limit in self._coverage:
            return self._coverage[limit]
        async with self.db.execute(
            "SELECT ar.region_id, COUNT(*) AS n FROM article_regions ar JOIN regions r ON r.id = ar.region_id "
            "WHERE ar.direct = 1 AND r.kind != 'country' GROUP BY ar.region_id ORDER BY n DESC, ar.region_id LIMIT ?",
            (limit,)) as cur:
            self._coverage[limit] = [tuple(r) for r in await cur.fetchall()]
        return self._coverage[limit]

    # -- questions behind "Ещё" buttons --------------------------------------------------------
    async def remember_question(self, text: str) -> int:
        """A stable id for the question text (the same text keeps its id)."""
        await self.tx.write("INSERT INTO questions(text) VALUES (?) ON CONFLICT(text) DO NOTHING", (text,))
        (qid,), = await self.db.execute_fetchall("SELECT id FROM questions WHERE text = ?", (text,))
        return qid

    async def question(self, qid: int) -> str | None:
        found = await self.db.execute_fetchall("SELECT text FROM questions WHERE id = ?", (qid,))
        return found[0][0] if found else None

    async def check_integrity(self) -> bool:
        async with self.db.execute("PRAGMA foreign_key_check") as cur:
            broken = await cur.fetchall()
        async with self.db.execute("PRAGMA integrity_check") as cur:
            (ok,) = await cur.fetchone()
        return not broken and ok == "ok"
