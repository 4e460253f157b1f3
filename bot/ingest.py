"""Ingestion: article files → cleaned text → extracted facts → the store, one file at a time.

A bad file is reported by name and skipped; every good file is committed on its own, so nothing
already stored is lost. The same URL or the same text again updates the stored article.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.documents import DocumentError, collect, read
from bot.models import Article
from bot.morph import fold

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    path: Path
    status: str  # new, updated, unchanged, error
    detail: str


class Ingestor:
    def __init__(self, knowledge, store) -> None:
        self.k = knowledge  # bot.knowledge.Knowledge
        self.store = store

    async def ingest_paths(self, paths: list[Path]) -> list[IngestReport]:
        reports = []
        for path in collect(paths):
            try:
                reports.append(await self.ingest_file(path))
            except DocumentError as exc:
                reports.append(IngestReport(path, "error", str(exc)))
            except Exception as exc:  # one broken file must not stop the batch
                log.exception("ingest failed for %s", path)
                reports.append(IngestReport(path, "error", f"{type(exc).__name__}: {exc}"))
        return reports

    async def ingest_file(self, path: Path) -> IngestReport:
        doc = read(path)
        text = self.k.cleaner.clean(doc.body, doc.title)
        if not text.strip():
            raise DocumentError("nothing left after removing page boilerplate")
        content_hash = hashlib.sha256(fold(" ".join(text.split())).encode()).hexdigest()
        existing = await self.store.find_existing(doc.url, content_hash)
        if existing and existing[1] == doc.url and existing[2] == content_hash:
            return IngestReport(path, "unchanged", doc.url)
        article = Article(doc.url, doc.title, doc.publisher, doc.published, text)
        facts = self.k.extractor().extract(doc.title, text, doc.published)
        morph = self.k.morph
        names = {p.name: morph.lemma_text(p.name) for p in facts.people}
        names |= {o.name: morph.lemma_text(self.k.extractor().search_name(o.name)) for o in facts.organisations}
        lemmas = (morph.lemma_text(doc.title), " ".join(facts.sentence_lemmas), " ".join(names.values()))
        await self.store.save_article(article, facts, content_hash, lemmas, names)
        places = ", ".join(self.k.gazetteer.places[p].name for p, (_, d) in facts.regions.items() if d)
        detail = (f"{doc.title} — places: {places or 'none'}; agreements: {len(facts.agreements)}, "
                  f"figures: {len(facts.figures)}, people: {len(facts.people)}, "
                  f"organisations: {len(facts.organisations)}")
        return IngestReport(path, "updated" if existing else "new", detail)
