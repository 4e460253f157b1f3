"""The reads an answer is made of, as plain sqlite3 functions run on the store's reader thread:
several of them in one hop cost one thread switch instead of one each (answers are latency-bound)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Agreement, EventDate, Figure, Organisation, Person, StoredArticle
from storage import rows as rows_


@dataclass(slots=True)
class ArticleDetails:
    article: StoredArticle
    sentences: list[tuple[str, str]]  # (text, lemmas), the ones fit to be quoted
    agreements: list[Agreement]
    figures: list[Figure]
    people: list[Person]
    organisations: list[Organisation]
    events: list[EventDate]
    origin: str = "article"  # or "registry"


@dataclass(slots=True)
class Candidates:
    """Articles about the asked places, and what ranking weighs them by."""

    covering: list[tuple[int, int, int, int]]  # (article id, mentions, named directly, news), newest first
    names: dict[int, list[str]]
    hits: dict[int, set[str]]
    topics: dict[int, set[str]]
    titles: dict[int, set[str]]  # lemmas of each candidate's title
    sides: dict[int, list[set[str]]]  # each candidate's agreements' and figures' parties


def fts_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression that can't be a syntax error: every term quoted, OR-ed."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in dict.fromkeys(terms) if t.strip()]
    return " OR ".join(quoted)


def covering(
    db: sqlite3.Connection, groups: list[list[str]], limit: int, words: Sequence[str] = ()
) -> list[tuple[int, int, int, int]]:
    """(article id, mentions of the asked places, whether one is named directly, whether it is a
    news article rather than a registry entry) for articles about (with a party of) at least one
    place of every group: those with most of the question's ``words`` first, then newest first.

    The scan starts from the first one-place group (a region: a few hundred rows at most) and
    checks the others per row; with only countries asked it walks every article about both
    countries, so the ``limit`` kept are the ones the question's words (a year) point at."""
    if not groups:
        return []
    driver = next((g for g in groups if len(g) == 1), None)
    others = [g for g in groups if g is not driver]
    exists = "".join(
        " AND EXISTS (SELECT 1 FROM article_regions x WHERE x.article_id = a.id AND x.party = 1 "
        f"AND x.region_id IN ({rows_.marks(g)}))"
        for g in others
    )
    params = [rid for g in others for rid in g]
    order = "a.published DESC, a.id DESC"
    if words:
        order = (
            "(SELECT COUNT(*) FROM article_terms t WHERE t.article_id = a.id "
            f"AND t.lemma IN ({rows_.marks(words)})) DESC, {order}"
        )
    if driver:
        sql = (
            "SELECT a.id, r.mentions, r.direct, a.origin = 'article' FROM article_regions r "
            f"JOIN articles a ON a.id = r.article_id "
            f"WHERE r.region_id = ? AND r.party = 1{exists} ORDER BY {order} LIMIT ?"
        )
        params = [driver[0], *params]
    else:
        sql = f"SELECT a.id, 0, 0, a.origin = 'article' FROM articles a WHERE 1{exists} ORDER BY {order} LIMIT ?"
    return [tuple(r) for r in db.execute(sql, [*params, *words, limit])]


def lexical_scores(db: sqlite3.Connection, terms: list[str], limit: int) -> dict[int, float]:
    """bm25 of the question's lemmas over titles, texts and names (higher is better)."""
    query = fts_query(terms)
    if not query:
        return {}
    return dict(
        db.execute(
            "SELECT rowid, -bm25(article_lemmas, 3.0, 1.0, 4.0) FROM article_lemmas "
            "WHERE article_lemmas MATCH ? ORDER BY rank LIMIT ?",
            (query, limit),
        )
    )


def name_hits(db: sqlite3.Connection, terms: list[str], limit: int) -> dict[int, list[str]]:
    """Articles whose people or organisations contain every given lemma of one name."""
    query = fts_query(terms)
    if not query:
        return {}
    found = db.execute(
        "SELECT rowid, names FROM article_lemmas WHERE article_lemmas MATCH ? LIMIT ?",
        ("names : (" + query + ")", limit),
    )
    return {aid: names.split() for aid, names in found}


def term_hits(db: sqlite3.Connection, terms: list[str], ids: list[int]) -> dict[int, set[str]]:
    """Which of ``terms`` (lemmas) each of the articles ``ids`` contains."""
    out: dict[int, set[str]] = {i: set() for i in ids}
    if terms and ids:
        for aid, lemma in db.execute(
            f"SELECT article_id, lemma FROM article_terms WHERE lemma IN ({rows_.marks(terms)}) "
            f"AND article_id IN ({rows_.marks(ids)})",
            [*terms, *ids],
        ):
            out[aid].add(lemma)
    return out


def article_topics(db: sqlite3.Connection, ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {i: set() for i in ids}
    if ids:
        for aid, tid in db.execute(
            f"SELECT article_id, topic_id FROM article_topics WHERE article_id IN ({rows_.marks(ids)})", ids
        ):
            out[aid].add(tid)
    return out


def candidates(
    db: sqlite3.Connection, groups: list[list[str]], limit: int, names: list[str], words: list[str], with_topics: bool
) -> Candidates:
    found = covering(db, groups, limit, words)
    ids = [row[0] for row in found]
    return Candidates(
        found,
        name_hits(db, names, limit) if names else {},
        term_hits(db, words, ids),
        article_topics(db, ids) if with_topics else {},
        title_lemmas(db, ids) if words else {},
        fact_sides(db, ids),
    )


def fact_sides(db: sqlite3.Connection, ids: list[int]) -> dict[int, list[set[str]]]:
    """The parties of each article's agreements and figures (place ids as stored)."""
    out: dict[int, list[set[str]]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = rows_.marks(ids)
    for aid, joined in db.execute(
        f"SELECT ag.article_id, group_concat(p.region_id) FROM agreements ag "
        f"JOIN agreement_parties p ON p.agreement_id = ag.id WHERE ag.article_id IN ({marks}) GROUP BY ag.id "
        f"UNION ALL SELECT fg.article_id, group_concat(p.region_id) FROM figures fg "
        f"JOIN figure_parties p ON p.figure_id = fg.id WHERE fg.article_id IN ({marks}) GROUP BY fg.id",
        [*ids, *ids],
    ):
        out[aid].append(set(joined.split(",")))
    return out


def title_lemmas(db: sqlite3.Connection, ids: list[int]) -> dict[int, set[str]]:
    if not ids:
        return {}
    found = db.execute(f"SELECT rowid, title FROM article_lemmas WHERE rowid IN ({rows_.marks(ids)})", ids)
    return {aid: rows_.terms(title) for aid, title in found}


def details(db: sqlite3.Connection, ids: list[int]) -> dict[int, ArticleDetails]:
    """Each article with its sentences and facts."""
    marks = rows_.marks(ids)

    def rows(sql: str) -> list:
        return db.execute(sql.format(marks=marks), ids).fetchall()

    out = {
        r[0]: ArticleDetails(rows_.article(r[:-1]), [], [], [], [], [], [], r[-1])
        for r in rows(f"SELECT {rows_.ARTICLE_COLUMNS}, art.origin FROM articles art WHERE art.id IN ({{marks}})")
    }
    for aid, text, lemmas in rows(
        "SELECT article_id, text, lemmas FROM sentences WHERE article_id IN ({marks}) AND quotable = 1 "
        "ORDER BY article_id, idx"
    ):
        out[aid].sentences.append((text, lemmas))
    for aid, *row in rows(
        f"SELECT ag.article_id, {rows_.AGREEMENT_COLUMNS} FROM agreements ag "
        "WHERE ag.article_id IN ({marks}) ORDER BY ag.id"
    ):
        out[aid].agreements.append(rows_.agreement(row))
    for aid, *row in rows(
        f"SELECT fg.article_id, {rows_.FIGURE_COLUMNS} FROM figures fg "
        "WHERE fg.article_id IN ({marks}) ORDER BY fg.id"
    ):
        out[aid].figures.append(rows_.figure(row))
    for aid, *person in rows(
        "SELECT article_id, name, post, side_region_id, sentence FROM people WHERE article_id IN ({marks}) ORDER BY id"
    ):
        out[aid].people.append(Person(*person))
    for aid, *org in rows(
        "SELECT article_id, name, sentence FROM organisations WHERE article_id IN ({marks}) ORDER BY id"
    ):
        out[aid].organisations.append(Organisation(*org))
    for aid, *event in rows(
        "SELECT article_id, date, sentence FROM events WHERE article_id IN ({marks}) ORDER BY date"
    ):
        out[aid].events.append(EventDate(*event))
    return out
