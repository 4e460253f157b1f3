"""The ``coopbot`` command: the bot (Telegram, or the console chat without a token), ingesting
articles, asking questions."""
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
    sub.add_parser("run", help="serve Telegram: long polling, or a webhook when WEBHOOK_URL is set (needs BOT_TOKEN)")
    sub.add_parser("chat", help="the console chat: the bot in this terminal, no Telegram needed")
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


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.engine import Engine

    engine = await Engine.open(args.db or settings.database_path)
    try:
        if args.command == "ingest":
            return await _ingest(engine, args.paths)
        if args.command == "ask":
            return await _ask(engine, args.question, args.json)
        if args.command == "run":
            from aiogram.exceptions import TelegramUnauthorizedError

            from bot.app import run

            try:
                await run(settings, engine)
            except TelegramUnauthorizedError:
                print("coopbot run: Telegram rejected BOT_TOKEN (401 Unauthorized): check the token.", file=sys.stderr)
                return 2
            return 0
        from bot.console import ConsoleChat

        await ConsoleChat(engine, settings, sys.stdout).run(sys.stdin)
        return 0
    finally:
        await engine.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings()
    if args.command is None:  # the main job: the bot in Telegram, or in this terminal
        args.command = "run" if settings.bot_token else "chat"
    if args.command == "run" and not settings.bot_token:
        print("coopbot run: BOT_TOKEN is not set (environment or .env). "
              "`coopbot chat` runs the bot in this terminal without Telegram.", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for chatty in ("pymorphy2", "pymorphy3"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if args.command == "chat":  # the console shows the chat; only problems go to the log
        logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    try:
        return asyncio.run(_run(args, settings))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
