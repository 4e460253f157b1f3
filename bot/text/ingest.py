"""Ingestion: article files → cleaned text → extracted facts → the store.

A bad file is reported by name and skipped; every good file is committed on its own, so nothing
already stored is lost. The same URL or the same text again updates the stored article. Large
batches extract in worker processes (NER is CPU-bound); only the main process writes the store.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot.language.morph import fold
from bot.models import Article, ArticleFacts, deal_key
from bot.text import registry
from bot.text.documents import SUFFIXES, DocumentError, RawDocument, check_url, collect, read

log = logging.getLogger(__name__)
POOL_FROM = 40  # files in a batch before worker processes pay for their start-up


@dataclass(slots=True)
class IngestReport:
    path: Path | str  # a file, or the URL of a feed item's page
    status: str  # new, updated, unchanged, skipped, error
    detail: str


@dataclass(slots=True)
class _Extracted:
    facts: ArticleFacts
    lemmas: tuple[str, str, str]  # title, body, names
    name_keys: dict[str, str]


# a document ready for extraction: (document, cleaned text, content hash, the stored article it updates)
_Prepared = tuple[RawDocument, str, str, tuple[int, str, str] | None]


def extract_file(path: Path, k) -> tuple[RawDocument, ArticleFacts]:
    """An article file's facts exactly as ingesting it would store them, without storing them."""
    doc = read(path)
    check_url(doc.url, local=True)
    text = k.cleaner.clean(doc.body, doc.title)
    if not text.strip():
        raise DocumentError("nothing left after removing page boilerplate")
    return doc, _extract(k, doc.title, text, doc.published).facts


def _extract(k, title: str, text: str, published: str | None) -> _Extracted:
    extractor = k.extractor()
    facts = extractor.extract(title, text, published)
    names = {p.name: k.morph.lemma_text(p.name) for p in facts.people}
    names |= {o.name: k.morph.lemma_text(extractor.search_name(o.name)) for o in facts.organisations}
    lemmas = (k.morph.lemma_text(title), " ".join(facts.sentence_lemmas), " ".join(names.values()))
    return _Extracted(facts, lemmas, names)


_worker_knowledge = None  # one per worker process, built by its initializer


def _worker_init(folder: Path) -> None:
    global _worker_knowledge
    # one BLAS thread per worker: two workers with two threads each on two cores run 4x slower
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    from bot.text.knowledge import Knowledge

    _worker_knowledge = Knowledge(folder)
    _worker_knowledge.extractor()


def _worker_extract(title: str, text: str, published: str | None) -> _Extracted:
    return _extract(_worker_knowledge, title, text, published)


class Ingestor:
    def __init__(self, knowledge, store) -> None:
        self.k = knowledge  # bot.text.knowledge.Knowledge
        self.store = store

    async def ingest_paths(self, paths: list[Path], workers: int | None = None) -> list[IngestReport]:
        """Article files and registry files (YAML), from files or folders: a report per article
        and per registry entry; a bad one is named and the rest are stored."""
        found = collect(paths, SUFFIXES + registry.SUFFIXES)
        files = [path for path in found if path.suffix.lower() not in registry.SUFFIXES]
        reports = await self._articles(files, workers)
        for path in found:
            if path.suffix.lower() in registry.SUFFIXES:
                reports += await self._registry_file(path)
        return reports

    async def _registry_file(self, path: Path) -> list[IngestReport]:
        """Each entry as an article with its declared facts; a changed entry updates its article."""
        entries, errors = registry.read(path, registry.Vocabulary.of(self.k))
        reports = [IngestReport(path, "error", message) for message in errors]
        for entry in entries:
            stored, facts, content_hash, lemmas, names = registry.article(entry, self.k)
            existing = await self.store.find_existing(stored.url, content_hash)
            where = f"{path}#{entry.id}"
            if existing and existing[1] == stored.url and existing[2] == content_hash:
                reports.append(IngestReport(where, "unchanged", stored.url))
                continue
            await self.store.save_article(stored, facts, content_hash, lemmas, names)
            reports.append(IngestReport(where, "updated" if existing else "new", entry.title))
        return reports

    async def _articles(self, files: list[Path], workers: int | None) -> list[IngestReport]:
        workers = workers if workers is not None else min(2, os.cpu_count() or 1)
        if len(files) < POOL_FROM or workers < 2:
            return [await self._one(path) for path in files]
        loop = asyncio.get_running_loop()
        spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: numpy not yet loaded
        with ProcessPoolExecutor(
            workers, mp_context=spawn, initializer=_worker_init, initargs=(self.k.folder,)
        ) as pool:
            reports: list[IngestReport] = []
            window = workers * 4
            pending: list[tuple[Path, asyncio.Future | None, IngestReport | _Prepared]] = []
            for path in files:
                pending.append(await self._submit(path, pool, loop))
                if len(pending) >= window:
                    reports.append(await self._finish(*pending.pop(0)))
            for item in pending:
                reports.append(await self._finish(*item))
            return reports

    async def _submit(
        self, path: Path, pool: ProcessPoolExecutor, loop: asyncio.AbstractEventLoop
    ) -> tuple[Path, asyncio.Future | None, IngestReport | _Prepared]:
        try:
            prepared = await self._prepare(path)
        except DocumentError as exc:
            return path, None, IngestReport(path, "error", str(exc))
        if isinstance(prepared, IngestReport):
            return path, None, prepared
        doc, text, content_hash, existing = prepared
        future = loop.run_in_executor(pool, _worker_extract, doc.title, text, doc.published)
        return path, future, (doc, text, content_hash, existing)

    async def _finish(self, path: Path, future: asyncio.Future | None, state: IngestReport | _Prepared) -> IngestReport:
        if isinstance(state, IngestReport):
            return state
        assert future is not None  # a prepared document always has its extraction under way
        try:
            return await self._save(*state, await future)
        except Exception as exc:  # one broken file must not stop the batch
            log.exception("ingest failed for %s", path)
            return IngestReport(path, "error", f"{type(exc).__name__}: {exc}")

    async def _one(self, path: Path) -> IngestReport:
        try:
            prepared = await self._prepare(path)
            if isinstance(prepared, IngestReport):
                return prepared
            doc, text, content_hash, existing = prepared
            return await self._save(doc, text, content_hash, existing, _extract(self.k, doc.title, text, doc.published))
        except DocumentError as exc:
            return IngestReport(path, "error", str(exc))
        except Exception as exc:  # one broken file must not stop the batch
            log.exception("ingest failed for %s", path)
            return IngestReport(path, "error", f"{type(exc).__name__}: {exc}")

    async def ingest_document(self, doc: RawDocument, relevant: Callable[[ArticleFacts], bool]) -> IngestReport:
        """A document from memory (a feed item's page), stored only if ``relevant`` accepts its
        facts. Extraction runs in a thread, so a running bot keeps answering meanwhile."""
        try:
            prepared = await self._prepare_document(doc)
            if isinstance(prepared, IngestReport):
                return prepared
            doc, text, content_hash, existing = prepared
            extracted = await asyncio.to_thread(_extract, self.k, doc.title, text, doc.published)
            if not relevant(extracted.facts):
                return IngestReport(doc.path, "skipped", "not about cooperation between regions")
            return await self._save(doc, text, content_hash, existing, extracted)
        except DocumentError as exc:
            return IngestReport(doc.path, "error", str(exc))

    async def _prepare(self, path: Path) -> IngestReport | _Prepared:
        return await self._prepare_document(read(path))

    async def _prepare_document(self, doc: RawDocument) -> IngestReport | _Prepared:
        check_url(doc.url, local=isinstance(doc.path, Path))
        text = self.k.cleaner.clean(doc.body, doc.title)
        if not text.strip():
            raise DocumentError("nothing left after removing page boilerplate")
        content_hash = hashlib.sha256(fold(" ".join(text.split())).encode()).hexdigest()
        existing = await self.store.find_existing(doc.url, content_hash)
        if existing and existing[1] == doc.url and existing[2] == content_hash:
            return IngestReport(doc.path, "unchanged", doc.url)
        return doc, text, content_hash, existing

    async def _save(
        self,
        doc: RawDocument,
        text: str,
        content_hash: str,
        existing: tuple[int, str, str] | None,
        extracted: _Extracted,
    ) -> IngestReport:
        facts = extracted.facts
        region_of = self.k.gazetteer.region_of
        for a in facts.agreements:
            a.deal = deal_key(a.kind, {region_of(p) for p in a.parties}, a.year(doc.published))
        article = Article(doc.url, doc.title, doc.publisher, doc.published, text)
        await self.store.save_article(article, facts, content_hash, extracted.lemmas, extracted.name_keys)
        places = ", ".join(self.k.gazetteer.places[p].name for p, m in facts.regions.items() if m.direct)
        detail = (
            f"{doc.title} — places: {places or 'none'}; agreements: {len(facts.agreements)}, "
            f"figures: {len(facts.figures)}, people: {len(facts.people)}, "
            f"organisations: {len(facts.organisations)}"
        )
        return IngestReport(doc.path, "updated" if existing else "new", detail)
