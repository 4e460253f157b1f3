"""Benchmark: ingest throughput, warm in-process `ask` latency and peak memory on a synthetic
corpus, beside SQLite FTS5 bm25 on the same store in the same run.

    python scripts/bench.py [--articles 10000] [--questions 500]

Targets (issue 2): ask p50 ≤ 5 ms, p99 ≤ 25 ms; ingest ≥ 50 articles/s; peak RSS ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.qa.engine import Engine  # noqa: E402
from bot.text.knowledge import Knowledge  # noqa: E402
from scripts.gen_corpus import generate  # noqa: E402

TEMPLATES = [
    "что подписали {a} и {b}?",
    "товарооборот {a} с Казахстаном",
    "{a} {b}",
    "кто встречался в {b}?",
    "соглашения {a}",
    "{a} {b} энергетика",
    "компании {a} в {b}",
    "погода в {b}",
]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def peak_rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


async def run(n_articles: int, n_questions: int) -> None:
    k = Knowledge()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        t = time.perf_counter()
        generate(n_articles, corpus)
        print(f"generated {n_articles} articles in {time.perf_counter() - t:.1f} s")
        engine = await Engine.open(Path(tmp) / "bench.sqlite3", k)  # as installed: seeds and registry
        t = time.perf_counter()
        reports = await engine.ingest([corpus])
        elapsed = time.perf_counter() - t
        errors = sum(r.status == "error" for r in reports)
        print(
            f"ingest: {len(reports)} articles in {elapsed:.1f} s = {len(reports) / elapsed:.1f} articles/s "
            f"({errors} errors; 2 worker processes)"
        )

        names = [p.name for p in k.gazetteer.places.values() if not p.is_country]
        questions = [rng.choice(TEMPLATES).format(a=rng.choice(names), b=rng.choice(names)) for _ in range(n_questions)]
        for q in questions[:20]:  # warm caches
            await engine.ask(q)
        ask_ms, fts_ms, answered = [], [], 0
        for q in questions:
            t = time.perf_counter()
            reply = await engine.ask(q)
            ask_ms.append((time.perf_counter() - t) * 1000)
            answered += bool(reply.answer.results)
            words = [w.strip("?,.").lower() for w in q.split() if len(w) > 2]
            t = time.perf_counter()
            await engine.store.baseline_text_search(words, 3)
            fts_ms.append((time.perf_counter() - t) * 1000)
        print(
            f"ask (coopbot, warm, in-process): p50 {statistics.median(ask_ms):.2f} ms, "
            f"p99 {percentile(ask_ms, 0.99):.2f} ms over {len(questions)} questions ({answered} with results)"
        )
        print(
            f"fts5 bm25 top-3 (baseline):      p50 {statistics.median(fts_ms):.2f} ms, "
            f"p99 {percentile(fts_ms, 0.99):.2f} ms"
        )
        await engine.close()
    print(
        f"peak RSS: main process {peak_rss_mb(resource.RUSAGE_SELF):.0f} MB, "
        f"largest worker {peak_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(run(args.articles, args.questions))


if __name__ == "__main__":
    main()
