"""The ``coopbot`` command: ingest articles, ask questions."""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from pathlib import Path

from bot.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopbot", description="CoopBot: cooperation of Russian and Kazakh regions")
    parser.add_argument("--db", type=Path, help="SQLite store (default: DATABASE_PATH or ./coopbot.sqlite3)")
    sub = parser.add_subparsers(dest="command")
    ingest = sub.add_parser("ingest", help="store articles from files or folders (.md with front matter, .txt)")
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    ask = sub.add_parser("ask", help="answer a question (or one per line from stdin)")
    ask.add_argument("question", nargs="*")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    return parser


async def _ingest(engine, paths: list[Path]) -> int:
    reports = await engine.ingest(paths)
    for r in reports:
        print(f"{r.status:9} {r.path}: {r.detail}")
    errors = sum(r.status == "error" for r in reports)
    print(f"{len(reports) - errors} stored or up to date, {errors} failed; {await engine.store.article_count()} articles in the store")
    return 1 if errors else 0


async def _ask(engine, question: list[str], as_json: bool) -> int:
    async def one(text: str) -> None:
        reply = await engine.ask(text)
        if as_json:
            print(json.dumps(reply.to_json(engine.k), ensure_ascii=False), flush=True)
        else:
            print(reply.html + "\n", flush=True)

    if question:
        await one(" ".join(question))
    else:
        for line in sys.stdin:
            if line.strip():
                await one(line.strip())
    return 0


async def _run(args: argparse.Namespace) -> int:
    from bot.engine import Engine

    settings = Settings()
    engine = await Engine.open(args.db or settings.database_path)
    try:
        if args.command == "ingest":
            return await _ingest(engine, args.paths)
        return await _ask(engine, args.question, args.json)
    finally:
        await engine.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    logging.basicConfig(level=Settings().log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("pymorphy2", "pymorphy3"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    return asyncio.run(_run(args))


if __name__ == "__main__":
    raise SystemExit(main())
