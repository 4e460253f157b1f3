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

log = logging.getLogger("coopbot")


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
    ask.add_argument(
        "--dialogue",
        action="store_true",
        help="stdin is one conversation: each line follows the last; a blank line starts anew",
    )
    ask.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    digest = sub.add_parser("digest", help="plan digests of new agreements and send them (needs BOT_TOKEN)")
    digest.add_argument("--dry-run", action="store_true", help="print what would be sent; change nothing")
    digest.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    feeds = sub.add_parser("feeds", help="RSS/Atom feeds the running bot polls for new articles")
    feeds.add_argument("action", choices=["add", "add-defaults", "list", "remove", "poll"])
    feeds.add_argument("url", nargs="?")
    feeds.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    facts = sub.add_parser("facts", help="print what extraction finds in article files, without storing them")
    facts.add_argument("paths", nargs="+", type=Path)
    facts.add_argument("--json", action="store_true", help="one JSON object per article, in input order")
    unanswered = sub.add_parser("unanswered", help="questions answered 'no information' in the last 30 days")
    unanswered.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    cover = sub.add_parser("coverage", help="Russian × Kazakh regions with the articles and events held per pair")
    cover.add_argument("--json", action="store_true", help="one JSON object: pairs, holes")
    cover.add_argument("--db", type=Path, default=argparse.SUPPRESS)
    sub.add_parser("health", help="ask the running bot's /healthz (exit 0 when healthy): for Docker and monitors")
    return parser


def _health(settings: Settings) -> int:
    """``coopbot health``: the running bot's own verdict — the webhook server's /healthz, or the
    METRICS_PORT side server's in polling mode."""
    import urllib.error
    import urllib.request

    if settings.webhook_url:
        host, port = settings.webhook_host, settings.webhook_port
    elif settings.metrics_port:
        host, port = settings.metrics_host, settings.metrics_port
    else:
        print("coopbot health: no health endpoint: set METRICS_PORT (polling) or WEBHOOK_URL", file=sys.stderr)
        return 2
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::', '') else host}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            print(response.read().decode())
            return 0
    except urllib.error.HTTPError as exc:
        print(f"coopbot health: {exc.code}: {exc.read().decode()}", file=sys.stderr)
    except OSError as exc:
        print(f"coopbot health: {url}: {exc}", file=sys.stderr)
    return 1


async def _coverage(engine, as_json: bool) -> int:
    from bot.qa.coverage import as_text, coverage

    found = await coverage(engine.store, engine.k)
    print(json.dumps(found.to_json(), ensure_ascii=False) if as_json else as_text(found, engine.k))
    return 0


async def _ingest(engine, paths: list[Path]) -> int:
    reports = await engine.ingest(paths)
    for r in reports:
        print(f"{r.status:9} {r.path}: {r.detail}")
    errors = sum(r.status == "error" for r in reports)
    total = await engine.store.article_count()
    print(f"{len(reports) - errors} stored or up to date, {errors} failed; {total} articles in the store")
    return 1 if errors else 0


async def _ask(engine, question: list[str], as_json: bool, dialogue: bool, ttl: float) -> int:
    context = None

    async def one(text: str) -> None:
        nonlocal context
        reply = await engine.ask(text, context=context, ttl=ttl)
        if dialogue:
            context = reply.context
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
            elif dialogue:
                context = None  # a blank line: a new conversation
    return 0


async def _digest(engine, settings: Settings, dry_run: bool) -> int:
    import datetime as dt

    from bot.app.console import plain_text
    from bot.digests.digest import plan

    if dry_run:
        planned = await plan(
            engine.store, engine.k, dt.datetime.now(dt.UTC), settings.digest_max_age_days, dry_run=True
        )
        for p in planned:
            sub = p.subscription
            print(
                f"── to chat {sub.chat_id} ({sub.chat_type} {sub.chat_title}): {len(p.deals)} new agreements, "
                f"{len(p.parts)} messages"
            )
            for part in p.parts:
                print(plain_text(part) + "\n")
        print(f"{len(planned)} subscriptions would get a digest; nothing was sent or marked")
        return 0
    if not settings.bot_token:
        print("coopbot digest: BOT_TOKEN is not set; --dry-run shows what would be sent.", file=sys.stderr)
        return 2
    from bot.app.application import build

    app = build(engine, settings, settings.bot_token.get_secret_value())
    try:
        planned, report = await app.digests.round()
    finally:
        await app.bot.session.close()
    print(
        f"{len(planned)} subscriptions with new agreements; sent {report.sent}, postponed {report.postponed}, "
        f"deactivated {len(report.deactivated)}, failed {report.failed}"
    )
    return 0


async def _feeds(engine, action: str, url: str | None, settings: Settings) -> int:
    from bot.digests.feeds import FeedPoller, FeedSettings

    feeds = engine.store.feeds
    if action in ("add", "remove") and not url:
        print(f"coopbot feeds {action}: give the feed's URL", file=sys.stderr)
        return 2
    url = url or ""
    if action == "add-defaults":
        for default in engine.k.default_feeds():
            print("added" if await feeds.add(default) else "already there", default)
        return 0
    if action == "add":
        if not url.startswith(("http://", "https://")):
            print("coopbot feeds add: the URL must start with http:// or https://", file=sys.stderr)
            return 2
        print("added" if await feeds.add(url) else "already there", url)
    elif action == "remove":
        if not await feeds.remove(url):
            print("no such feed:", url, file=sys.stderr)
            return 1
        print("removed", url)
    elif action == "list":
        for feed in await feeds.feeds():
            state = f"error: {feed.last_error}" if feed.last_error else f"checked {feed.last_checked_at or 'never'}"
            print(f"{feed.url}  ({state})")
    else:
        poller = FeedPoller(engine, FeedSettings.of(settings))
        try:
            for report in await poller.poll_all():
                state = report.error or (
                    "not modified"
                    if report.not_modified
                    else f"{len(report.stored)} stored, {report.skipped} skipped, {report.failed} failed"
                )
                print(f"{report.url}: {state}")
                for link in report.stored:
                    print("  +", link)
        finally:
            await poller.close()
    return 0


async def _serve(engine, settings: Settings) -> int:
    """``coopbot run``: serve until stopped; a start that fails (Telegram refusing the token or
    the webhook, an unreachable or misconfigured Bot API server, a busy port) is one clear log
    line and exit status 1 (2 for a rejected token), never a traceback carrying the token."""
    from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
    from aiohttp import ClientError

    from bot.app.application import run

    try:
        await run(settings, engine)
    except TelegramUnauthorizedError:
        print("coopbot run: Telegram rejected BOT_TOKEN (401 Unauthorized): check the token.", file=sys.stderr)
        return 2
    except (TelegramAPIError, ClientError, OSError) as exc:
        log.error("coopbot run: could not start serving Telegram: %s: %s", type(exc).__name__, exc)
        return 1
    return 0


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.qa.engine import Engine

    engine = await Engine.open(args.db or settings.database_path)
    try:
        if args.command == "ingest":
            return await _ingest(engine, args.paths)
        if args.command == "ask":
            return await _ask(engine, args.question, args.json, args.dialogue, settings.context_ttl_minutes * 60)
        if args.command == "digest":
            return await _digest(engine, settings, args.dry_run)
        if args.command == "feeds":
            return await _feeds(engine, args.action, args.url, settings)
        if args.command == "coverage":
            return await _coverage(engine, args.json)
        if args.command == "unanswered":
            for question, asked in await engine.store.unanswered(30, 100):
                print(f"{asked:5}  {question}")
            return 0
        if args.command == "run":
            return await _serve(engine, settings)
        from bot.app.console import ConsoleChat

        await ConsoleChat(engine, settings, sys.stdout).run(sys.stdin)
        return 0
    finally:
        await engine.close()


def _facts(paths: list[Path], as_json: bool) -> int:
    """``coopbot facts``: the extraction of each article file, in input order; needs no store."""
    from bot.text.documents import SUFFIXES, DocumentError, collect
    from bot.text.ingest import extract_file
    from bot.text.knowledge import Knowledge
    from bot.text.report import record

    k = Knowledge()
    failed = 0
    for path in collect(paths, SUFFIXES):
        try:
            doc, found = extract_file(path, k)
        except DocumentError as exc:
            failed += 1
            print(f"coopbot facts: {path}: {exc}", file=sys.stderr)
            continue
        data = record(doc, found, k)
        print(json.dumps(data, ensure_ascii=False) if as_json else _facts_text(data))
    return 1 if failed else 0


def _facts_text(data: dict) -> str:
    lines = [f"── {data['file']}: {data['title']} [{data['language']}]"]
    lines.append("places: " + ", ".join(f"{p['name']} ({p['role']})" for p in data["places"]))
    for a in data["agreements"]:
        parties = " — ".join(p["name"] for p in a["parties"])
        when = "; ".join(x for x in (a["signed"] and f"signed {a['signed']}", a["period"]) if x)
        signers = ", ".join(s["name"] for s in a["signers"])
        lines.append(
            f"agreement: {a['kind']} «{a['title']}»: {parties}; {when or 'no date'}; signers: {signers or '—'}"
        )
    for f in data["figures"]:
        sides = " — ".join(p["name"] for p in f["sides"])
        lines.append(f"figure: {f['indicator']} {f['value']} {f['unit']} ({f['year'] or 'no year'}): {sides}")
    lines += [f"person: {p['name']}" + (f" — {p['post']}" if p["post"] else "") for p in data["people"]]
    if data["organisations"]:
        lines.append("organisations: " + "; ".join(data["organisations"]))
    lines += [f"summary: {s}" for s in data["summary"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "facts":
        logging.basicConfig(level=logging.WARNING)
        return _facts(args.paths, args.json)
    settings = Settings()
    if args.command == "health":
        return _health(settings)
    if args.command is None:  # the main job: the bot in Telegram, or in this terminal
        args.command = "run" if settings.bot_token else "chat"
    if args.command == "run" and not settings.bot_token:
        print(
            "coopbot run: BOT_TOKEN is not set (environment or .env). "
            "`coopbot chat` runs the bot in this terminal without Telegram.",
            file=sys.stderr,
        )
        return 2
    from bot.app import logs

    logs.setup(settings, quiet=args.command == "chat")  # the console shows the chat; only problems go to the log
    try:
        return asyncio.run(_run(args, settings))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
