"""Operations: answers overtake a running digest broadcast; the bot leaves a chat gracefully
and says how to subscribe when it comes back; /healthz and /metrics in polling and webhook
mode; JSON logs without the token; the Docker files."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from aiogram.types import ChatMemberAdministrator

from bot.digests.digest import plan
from bot.models import Subscription
from tests.conftest import AGELESS, free_port, start_bot, stop_bot, webhook_bot
from tests.fake_telegram import BOT_USER, TOKEN, FakeTelegram, parse_html

ROOT = Path(__file__).resolve().parents[1]
NEW_ARTICLE = Path(__file__).parent / "data" / "omsk-kostanay.md"
GROUP = {"id": -3001, "type": "supergroup", "title": "Экспортёры Омска"}
CHANNEL = {"id": -1003002, "type": "channel", "title": "Омск — Казахстан"}
ADMIN = 31


def _member(status: str, **rights: bool) -> dict:
    """The bot as a chat member, with every field Telegram sends for that status."""
    member: dict = {"user": BOT_USER, "status": status}
    if status == "administrator":
        required = [n for n, f in ChatMemberAdministrator.model_fields.items() if f.is_required() and n != "user"]
        member |= dict.fromkeys(required, False) | {"can_manage_chat": True} | rights
    if status == "kicked":
        member["until_date"] = 0
    return member


async def _membership(fake: FakeTelegram, chat: dict, old: dict, new: dict, by: int = ADMIN) -> None:
    await fake.push(
        my_chat_member={
            "chat": chat,
            "from": fake.user(by),
            "date": 1,
            "old_chat_member": old,
            "new_chat_member": new,
        }
    )


async def _until(condition, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - a test's deadline
    async with asyncio.timeout(timeout):
        while not await condition():  # noqa: ASYNC110 - polling the store, which has no event
            await asyncio.sleep(0.02)


async def test_answers_overtake_a_running_broadcast(engine):
    groups = [-5000 - n for n in range(40)]
    for chat in groups:
        await engine.store.digests.subscribe(Subscription(chat, "supergroup", f"group {chat}"))
    await engine.ingest([NEW_ARTICLE])
    # 4 messages a second: the broadcast of 40 digests lasts 10 s, and ten of them wait in the queue
    running = await start_bot(engine, send_per_second=4, digest_poll_seconds=3600, digest_max_age_days=AGELESS)
    fake = running.fake
    try:
        broadcast = asyncio.create_task(running.app.digests.round())
        await fake.wait_for(lambda _: fake.delivered >= 6, timeout=20)
        people = [901, 902, 903]
        asked = {}
        for person in people:
            asked[person] = asyncio.get_running_loop().time()
            await fake.send(person, "омск павлодар")
        replies = {person: await fake.reply_to(person, timeout=10) for person in people}
        digests = [c for c in fake.calls if c.method == "sendMessage" and int(c.params["chat_id"]) < 0]
        for person, reply in replies.items():
            assert "Омск" in parse_html(reply.params["text"])
            assert reply.at - asked[person] < 2.0  # in FIFO behind ten digests at 4/s it would be 2.5 s
            overtaken = [c for c in digests if asked[person] < c.at < reply.at]
            assert len(overtaken) <= 3, len(overtaken)
        assert not broadcast.done()  # the broadcast was still running: the answers went first
        broadcast.cancel()
        await asyncio.gather(broadcast, return_exceptions=True)
        sent = [int(c.params["chat_id"]) for c in digests if c.status == 200]
        assert len(sent) == len(set(sent))  # no group got its digest twice
    finally:
        await stop_bot(running)


@pytest.fixture
async def member_bot(engine):
    running = await start_bot(engine, digest_poll_seconds=3600, digest_max_age_days=AGELESS)
    yield running
    await stop_bot(running)
    assert not running.fake.rejected(), [(c.method, c.error) for c in running.fake.rejected()]


async def test_removed_from_a_group_stops_its_digests_and_readded_says_how_to_resubscribe(member_bot, engine):
    fake, digests = member_bot.fake, engine.store.digests
    fake.members[(GROUP["id"], ADMIN)] = "administrator"
    await member_bot.ask(ADMIN, "/subscribe Омск", chat=GROUP)
    sub = await digests.subscription(GROUP["id"])
    assert sub is not None and sub.active
    await engine.ingest([NEW_ARTICLE])  # a new Omsk agreement: its digest waits in the outbox
    planned = await plan(engine.store, engine.k, dt.datetime.now(dt.UTC), AGELESS)
    assert [p.subscription.chat_id for p in planned] == [GROUP["id"]]
    assert (await digests.outbox_counts()).get("pending")

    await _membership(fake, GROUP, _member("member"), _member("kicked"))

    async def stopped() -> bool:
        found = await digests.subscription(GROUP["id"])
        return found is not None and not found.active

    await _until(stopped)
    counts = await digests.outbox_counts()
    assert not counts.get("pending") and counts.get("dropped")  # dropped, not retried
    mark = len(fake.calls)
    await member_bot.app.digests.round()
    assert not fake.sent_to(GROUP["id"])[mark:] and not [c for c in fake.calls[mark:] if c.method == "sendMessage"]

    await _membership(fake, GROUP, _member("left"), _member("member"))
    welcome = parse_html((await fake.reply_to(GROUP["id"], after=mark)).params["text"])
    assert "/subscribe Омская область" in welcome  # the old filters, ready to send again
    again = await member_bot.ask(ADMIN, "/subscribe Омская область", chat=GROUP)
    assert "Подписка оформлена" in parse_html(again.params["text"])
    restored = await digests.subscription(GROUP["id"])
    assert (
        restored is not None and restored.active and restored.regions == sub.regions and restored.topics == sub.topics
    )


async def test_a_channel_that_demotes_the_bot_loses_its_digest_and_its_admin_hears_when_it_is_back(member_bot, engine):
    fake, digests = member_bot.fake, engine.store.digests
    await digests.subscribe(Subscription(CHANNEL["id"], "channel", CHANNEL["title"], created_by=ADMIN))
    poster = _member("administrator", can_post_messages=True)
    await _membership(fake, CHANNEL, poster, _member("administrator", can_post_messages=False))

    async def stopped() -> bool:
        found = await digests.subscription(CHANNEL["id"])
        return found is not None and not found.active

    await _until(stopped)
    mark = len(fake.calls)
    await _membership(fake, CHANNEL, _member("administrator", can_post_messages=False), poster)
    told = parse_html((await fake.reply_to(ADMIN, after=mark)).params["text"])
    assert "/subscribe" in told and CHANNEL["title"] in told
    assert not fake.sent_to(CHANNEL["id"])  # the channel's readers are not spammed with instructions


async def test_a_group_that_becomes_a_supergroup_keeps_its_subscription(member_bot, engine):
    fake, digests = member_bot.fake, engine.store.digests
    old = {"id": -3100, "type": "group", "title": "Старая группа"}
    await digests.subscribe(Subscription(old["id"], "group", old["title"]))
    await fake.send(ADMIN, None, chat=old, migrate_to_chat_id=-1003100)

    async def moved() -> bool:
        return await digests.subscription(-1003100) is not None

    await _until(moved)
    assert await digests.subscription(old["id"]) is None


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def test_health_and_metrics_in_polling_mode(bot_engine):
    port = free_port()
    running = await start_bot(bot_engine, metrics_port=port)
    base = f"http://127.0.0.1:{port}"
    try:
        await running.ask(77, "омск павлодар")
        status, body = await _get(f"{base}/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok"}
        status, metrics = await _get(f"{base}/metrics")
        assert status == 200
        assert 'coopbot_updates_total{type="message"}' in metrics
        assert 'coopbot_messages_sent_total{class="answer"}' in metrics
        assert "coopbot_answer_seconds_bucket" in metrics and "coopbot_answer_seconds_count 1.0" in metrics
        assert 'coopbot_send_queue{class="broadcast"} 0.0' in metrics
        assert 'coopbot_outbox_messages{status="pending"}' in metrics
        assert "coopbot_feed_errors_total 0.0" in metrics
        store_bytes = next(line for line in metrics.splitlines() if line.startswith("coopbot_store_bytes "))
        assert float(store_bytes.split()[1]) > 100_000

        running.fake.fail("getMe", 502, times=1)
        running.app.monitor.telegram_ok_at = 0.0  # the cached verdict is older than the check interval
        status, body = await _get(f"{base}/healthz")
        assert status == 503
        reason = json.loads(body)["reason"]
        assert reason.startswith("telegram:") and TOKEN.split(":")[1] not in reason
    finally:
        await stop_bot(running)
    with pytest.raises(aiohttp.ClientConnectionError):  # the side server ends with the bot
        await _get(f"{base}/healthz")


async def test_health_and_metrics_beside_the_webhook(bot_engine):
    side_port = free_port()  # polling only: the webhook server serves them itself
    async with webhook_bot(bot_engine, "/tg", metrics_port=side_port) as running:
        status, body = await _get(f"{running.base}/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        status, metrics = await _get(f"{running.base}/metrics")
        assert status == 200 and "coopbot_messages_sent_total" in metrics
        with pytest.raises(aiohttp.ClientConnectionError):
            await _get(f"http://127.0.0.1:{side_port}/healthz")


def test_json_logs_are_one_object_per_line_without_the_token():
    script = (
        "import logging\n"
        "from bot.app import logs\n"
        "from bot.settings import Settings\n"
        f"logs.setup(Settings(_env_file=None, bot_token={TOKEN!r}, log_format='json'))\n"
        f"logging.getLogger('coopbot').warning('calling https://api.telegram.org/bot%s/getMe', {TOKEN!r})\n"
        "try:\n"
        f"    raise RuntimeError('bad token ' + {TOKEN!r})\n"
        "except RuntimeError:\n"
        "    logging.getLogger('coopbot').exception('start failed')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [entry["message"] for entry in lines] == ["calling https://api.telegram.org/bot***/getMe", "start failed"]
    assert {"time", "level", "logger"} <= set(lines[0]) and lines[1]["level"] == "ERROR"
    assert "RuntimeError: bad token ***" in lines[1]["exc"]
    assert TOKEN.split(":")[1] not in done.stderr


def test_the_container_runs_the_bot_unprivileged_with_its_store_on_a_volume():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = [line for line in dockerfile.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2 and all("-slim" in line for line in stages)  # multi-stage, slim
    runtime = dockerfile[dockerfile.rindex("\nFROM ") :]
    assert "USER coopbot" in runtime and "useradd --system" in runtime  # never root at run time
    assert "COPY --from=build /opt/coopbot /opt/coopbot" in runtime
    assert "Knowledge().extractor()" in dockerfile  # the NLP models are loaded, so inside, at build time
    assert 'CMD ["coopbot", "run"]' in runtime and "coopbot health" in runtime.replace('", "', " ")
    assert not [
        line for line in dockerfile.splitlines() if "BOT_TOKEN" in line and not line.startswith("#")
    ]  # the token comes from the environment, never baked in
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".git", ".venv", "*.sqlite3*"} <= set(ignored)
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "build: ." in compose and "store:/data" in compose and "DATABASE_PATH: /data/coopbot.sqlite3" in compose
    unit = (ROOT / "docs" / "coopbot.service").read_text()
    assert "ExecStart=/opt/coopbot/bin/coopbot run" in unit and "User=coopbot" in unit
    copied = {line.split()[1] for line in dockerfile.splitlines() if line.startswith("COPY ") and "--from" not in line}
    assert {"bot", "handlers", "storage", "data", "pyproject.toml"} <= copied  # what pip install . needs


def _docker_daemon() -> bool:
    if not shutil.which("docker"):
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not _docker_daemon(), reason="no Docker daemon on this machine")
def test_the_image_builds_and_knows_its_command():
    env = {**os.environ, "DOCKER_BUILDKIT": "1"}
    subprocess.run(["docker", "build", "-t", "coopbot:test", str(ROOT)], check=True, timeout=1800, env=env)
    done = subprocess.run(
        ["docker", "run", "--rm", "coopbot:test", "coopbot", "--help"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and "coopbot" in done.stdout
    user = subprocess.run(
        ["docker", "run", "--rm", "coopbot:test", "id", "-u"], capture_output=True, text=True, timeout=120
    )
    assert user.stdout.strip() != "0"


def test_the_resubscribe_command_restores_every_filter(knowledge):
    from bot.digests.subscriptions import parse_request, resubscribe_command

    topics = list(knowledge.lexicon.topics)
    regions = ["ru-oms", "kz-pav", "ru-spe", "kz-ast"]
    regions = [r for r in regions if r in knowledge.gazetteer.places]
    assert len(regions) == 4
    for n, topic in enumerate(topics):
        sub = Subscription(-1, "supergroup", regions=regions[: n % 4 + 1], topics=[topic])
        if n % 2:
            sub.frequency, sub.send_at, sub.timezone = "daily", "08:30", "Asia/Almaty"
        command = resubscribe_command(sub, knowledge, "@news" if n % 3 == 0 else None)
        request = parse_request(command.removeprefix("/subscribe"), knowledge)
        assert not request.unknown, command
        assert (request.regions, request.topics, request.frequency, request.send_at, request.timezone) == (
            sub.regions,
            sub.topics,
            sub.frequency,
            sub.send_at,
            sub.timezone,
        ), command
        assert request.channel == ("@news" if n % 3 == 0 else None)
