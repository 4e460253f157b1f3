"""The CoopBot engine: one object the CLI, the bot and the tests share.

It owns the store and the loaded knowledge, fills an empty store from ``data/articles`` on first
use, and turns a question into an ``Answer`` and its Telegram HTML.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from bot.models import Result
from bot.qa import answer as answers
from bot.qa.catalog import Catalog
from bot.qa.dialogue import Context, follow, remember
from bot.qa.render import render
from bot.qa.search import rank
from bot.qa.understand import Query, place_groups, suggestions, understand
from bot.text.ingest import Ingestor, IngestReport
from bot.text.knowledge import Knowledge
from storage import Store

log = logging.getLogger(__name__)
CONTEXT_TTL = 30 * 60.0  # seconds a conversation's context lasts (CONTEXT_TTL_MINUTES)


@dataclass(slots=True)
class Reply:
    answer: answers.Answer
    html: str
    has_more: bool = False  # another page of results exists
    context: Context | None = None  # what the next question of this conversation builds on

    @property
    def first_url(self) -> str | None:
        return self.answer.results[0].article.url if self.answer.results else None

    def region_id(self, k: Knowledge) -> str | None:
        """The first region (not a country) the question names, at region level."""
        return next(
            (k.gazetteer.region_of(p) for p in self.answer.query.places if not k.gazetteer.places[p].is_country), None
        )

    def each_result(self, k: Knowledge) -> list[tuple[Result, str]]:
        """Every result with the message an answer made of it alone would be (inline mode)."""
        return [(r, render(answers.Answer(self.answer.query, [r]), k)) for r in self.answer.results]

    def to_json(self, k: Knowledge) -> dict:
        q = self.answer.query
        return {
            "question": q.text,
            "regions": [_place_json(k, pid) for pid in _with_regions(q.places, k)],
            "topics": [{"id": t, "name": k.lexicon.topics[t].name} for t in q.topics],
            "intent": "off_topic" if q.off_topic else q.intent,
            "results": [
                {
                    "url": r.article.url,
                    "title": r.article.title,
                    "publisher": r.article.publisher,
                    "published": r.article.published,
                    "score": r.score,
                    "summary": r.summary,
                    "facts": r.facts,
                }
                for r in self.answer.results
            ],
            "text": self.html,
            "direct": self.answer.direct,
            "language": q.language,
            "clarify": [{"id": p, "name": k.gazetteer.names[p]} for p in self.answer.clarify],
            "suggest": [{"id": p, "name": k.gazetteer.names[p]} for p in self.answer.suggest],
            "context": self.answer.from_context,
        }


def _with_regions(places: list[str], k: Knowledge) -> list[str]:
    """Each named place, and right after a city the region it belongs to."""
    out = []
    for pid in places:
        out.append(pid)
        parent = k.gazetteer.places[pid].parent
        if parent:
            out.append(parent)
    return list(dict.fromkeys(out))


def _place_json(k: Knowledge, pid: str) -> dict:
    place = k.gazetteer.places[pid]
    return {"id": place.id, "name": place.name, "country": place.country, "kind": place.kind, "parent": place.parent}


class Engine:
    def __init__(self, store: Store, knowledge: Knowledge) -> None:
        self.store = store
        self.k = knowledge
        self.ingestor = Ingestor(knowledge, store)
        self.catalog = Catalog(store, knowledge)

    @classmethod
    async def open(
        cls, db_path: Path | str, knowledge: Knowledge | None = None, *, seed: bool = True, registry: bool = True
    ) -> Engine:
        """The engine on the store at ``db_path``; an empty store is first filled (``seed``) with
        the bundled articles and (``registry``) the registry of real events."""
        knowledge = knowledge or Knowledge()
        store = await Store.open(db_path)
        await store.sync_reference(list(knowledge.gazetteer.places.values()), list(knowledge.lexicon.topics.values()))
        engine = cls(store, knowledge)
        if seed and await store.article_count() == 0:
            sources = [knowledge.articles_dir, *([knowledge.registry_dir] if registry else [])]
            reports = await engine.ingest(sources)
            log.info(
                "empty store filled from %s: %d articles and registry events",
                ", ".join(map(str, sources)),
                sum(r.status != "error" for r in reports),
            )
        return engine

    async def close(self) -> None:
        await self.store.close()

    async def ingest(self, paths: list[Path]) -> list[IngestReport]:
        return await self.ingestor.ingest_paths(paths)

    async def ask(
        self,
        question: str,
        limit: int = 3,
        page: int = 0,
        *,
        context: Context | None = None,
        pick: str | None = None,
        now: float | None = None,
        ttl: float = CONTEXT_TTL,
    ) -> Reply:
        """The answer with results ``page * limit`` onwards (page 0: the best ones), understood
        against the conversation's ``context`` (if not older than ``ttl`` seconds at ``now``);
        ``pick``: the place chosen for an ambiguous name. Small talk gets a friendly reply, a
        name that fits places of different regions holding articles gets a clarifying question,
        and a question nothing answers is recorded (its text only) for the operator."""
        now = time.time() if now is None else now
        query = understand(question, self.k, pick)
        talk = self.k.smalltalk.kind(query.text)
        if talk and not query.places:
            answer = answers.Answer(query, smalltalk=self.k.smalltalk.reply(talk, query.language))
            return Reply(answer, render(answer, self.k))
        asks_own = bool(query.places) and (bool(query.topics) or query.intent != "overview")
        used = follow(query, context, self.k, now, ttl)
        if used and asks_own and not await rank(query, self.store, 1, self.k.gazetteer.region_of):
            # "а товарооборот новгородской области?": a question of its own about the new place; a bare
            # "а с Костанаем?" keeps the swapped pair and gets the honest reply for it
            query = understand(question, self.k, pick)
            used = False
        clarify, chosen = await self._resolve_ambiguity(query)
        if clarify:
            answer = answers.Answer(query, clarify=clarify)
            return Reply(answer, render(answer, self.k), context=context)
        start = max(page, 0) * limit
        ranked = await rank(query, self.store, start + limit + 1, self.k.gazetteer.region_of)
        answer = await answers.build(query, ranked[start : start + limit], self.store, self.k)
        answer.from_context, answer.chosen = used, chosen
        if not answer.results and page == 0 and query.text and not query.off_topic:
            answer.suggest = suggestions(query, self.k)
            await self.store.record_unanswered(" ".join(query.text.lower().split()))
        return Reply(answer, render(answer, self.k), len(ranked) > start + limit, remember(query, now) or context)

    async def _resolve_ambiguity(self, query: Query) -> tuple[list[str], str | None]:
        """For a name that fits places of different regions: the places to ask about when more
        than one holds articles; or, when only one does, that one taken (and a note saying so)."""
        for options in query.ambiguous:
            held = [p for p in options if await self.store.catalog.articles_about(self.k.gazetteer.region_of(p))]
            if len(held) > 1:
                return held, None
            if held and held[0] != options[0]:
                query.places = [held[0] if p == options[0] else p for p in query.places]
                query.groups = place_groups(query.places, self.k)
            if held:
                names = self.k.gazetteer.names
                return [], f"понял как {names[held[0]]}: о других местах с этим именем статей нет"
        return [], None
