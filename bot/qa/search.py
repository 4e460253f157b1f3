"""Ranking articles for a question.

An article is a candidate only if it mentions every place the question names (a city counts at
its region's level, a country through any of its places). Among candidates, what the question
says besides the places decides — its words, a year, a person or company, its topic — and the
newest article wins when nothing else does. A question without places must match by words or
names strongly, or it gets no article at all: never a random one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.qa.understand import Query

CANDIDATES = 120  # newest articles about the named places that are weighed one by one
MIN_WORD_COVERAGE = 0.5  # share of a place-less question's words an article must contain


@dataclass(slots=True)
class Ranked:
    article_id: int
    score: float


def _states_a_fact_between(query: Query, fact_sides: list[set[str]], region_of) -> bool:
    """Whether one of the article's agreements or figures is between all the asked places (at
    region level; a country through any of its places): it answers the question itself, not
    only names the places."""
    if len(query.groups) < 2:
        return False
    wanted = [set(group) for group in query.groups]
    for parties in fact_sides:
        levels = parties | {region_of(p) for p in parties}
        if all(levels & group for group in wanted):
            return True
    return False


async def rank(query: Query, store, limit: int = 3, region_of=lambda p: p) -> list[Ranked]:
    if query.off_topic:
        return []
    kind_terms = [f"@{kind}" for kind in query.kinds]
    words = list(dict.fromkeys([*query.terms, *query.years, *kind_terms]))
    lexical: dict[int, float] = {}
    if query.groups:
        # the places already narrow the field: the words are weighed on the candidates' lemmas,
        # not by an FTS query that would first score every article containing them
        found = await store.candidates(query.groups, CANDIDATES, query.names, words, bool(query.topics))
        shortlist = ids = [row[0] for row in found.covering]
        direct = {row[0]: row[2] for row in found.covering}
        news = {row[0]: row[3] for row in found.covering}
        names, hits, topics, titles, sides = found.names, found.hits, found.topics, found.titles, found.sides
    else:
        if not query.terms:
            return []
        lexical = await store.lexical_scores(query.terms, 30)
        names = await store.name_hits(query.names, CANDIDATES) if query.names else {}
        ids, direct, news, titles, sides = list(dict.fromkeys([*lexical, *names])), {}, {}, {}, {}
        shortlist = _shortlist(ids, lexical, limit * 10)
        hits = await store.term_hits(words, shortlist)
        topics = await store.article_topics(shortlist) if query.topics else {}  # weighed only for a topic asked
    if not ids:
        return []
    best_lex = max(lexical.values(), default=0.0) or 1.0
    scored = []
    for aid in shortlist:
        found = hits.get(aid, set())
        matched = [t for t in query.terms if t in found]
        coverage = len(matched) / len(query.terms) if query.terms else 0.0
        name_hit = bool(query.names) and all(n in names.get(aid, ()) for n in query.names)
        if (
            not query.groups
            and not name_hit
            and (coverage < MIN_WORD_COVERAGE or len(matched) < min(2, len(query.terms)))
        ):
            continue
        score = 1.0 + 2.0 * coverage + 0.5 * lexical.get(aid, 0.0) / best_lex
        score += 1.5 * name_hit
        score += 1.0 * any(y in found for y in query.years)
        score += 0.8 * any(t in found for t in kind_terms)  # it reports the kind of event asked about
        score += 0.3 * len(set(query.topics) & topics.get(aid, set()))
        score += 0.2 * direct.get(aid, 0)
        if query.terms:  # the title says what the article is about
            score += 0.6 * len(set(query.terms) & titles.get(aid, set())) / len(query.terms)
        score += 0.8 * _states_a_fact_between(query, sides.get(aid, []), region_of)
        score += 0.7 * news.get(aid, 0)  # a news article's full text before a registry summary, among equals
        score += 0.1 / (1 + ids.index(aid))  # newest first among equals (ids come newest first)
        scored.append(Ranked(aid, round(score, 4)))
    scored.sort(key=lambda r: -r.score)
    return scored[:limit]


def _shortlist(ids: list[int], lexical: dict[int, float], size: int) -> list[int]:
    """The best by words, then the newest, without repeats."""
    by_words = sorted((i for i in ids if i in lexical), key=lambda i: -lexical[i])
    return list(dict.fromkeys([*by_words[:size], *ids[:size]]))
