"""The command line as a new user runs it."""

import json
import os
import subprocess
import sys

from tests.conftest import AGELESS


def _run(*args, stdin=None, db):
    env = {**os.environ, "LOG_LEVEL": "WARNING", "BOT_TOKEN": "", "DIGEST_MAX_AGE_DAYS": str(AGELESS)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), *args],
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        timeout=120,
    )


def test_ask_json_reads_questions_from_stdin(tmp_path):
    result = _run("ask", "--json", stdin="спб астана\nПогода в Караганде\n", db=tmp_path / "s.sqlite3")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert set(first) == {"question", "regions", "topics", "intent", "results", "text", "direct", "language",
                          "clarify", "suggest", "context"}  # fmt: skip
    assert first["results"][0]["url"] == "http://tass.ru/novosti-partnerov/4474065"
    assert second["results"] == [] and second["regions"] == []


def test_ingest_prints_what_it_stored_and_names_bad_files(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe broken")
    result = _run("ingest", str(bad), db=tmp_path / "s.sqlite3")
    assert result.returncode == 1
    assert "bad.md" in result.stdout and "UTF-8" in result.stdout
    assert "0 stored or up to date, 1 failed" in result.stdout
    stored = int(result.stdout.rsplit(";", 1)[1].split()[0])  # the first start stored the bundled five and the registry
    assert stored > 300


def test_main_command_without_token_is_the_console_chat(tmp_path):
    """The README's run command: no token, so the real bot answers in the terminal."""
    result = _run(stdin="что подписали Питер и Астана?\n2\n9\n/stats\n", db=tmp_path / "s.sqlite3")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Консольный чат CoopBot" in out
    assert "[1] что подписали Питер и Астана?" in out  # /start's example buttons
    assert "меморандум" in out and "‹http://tass.ru/novosti-partnerov/4474065›" in out
    assert "[1] Ещё ▶  [2] 📝 Соглашения региона" in out  # more sources than one page holds
    assert "Соглашения: Санкт-Петербург" in out  # the tapped button
    assert "нет кнопки 9" in out
    assert "Такой команды нет" in out
    assert "<b>" not in out and "&lt;" not in out


def test_run_without_token_says_what_to_do(tmp_path):
    result = _run("run", db=tmp_path / "s.sqlite3")
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in result.stderr and "coopbot chat" in result.stderr


def test_digest_dry_run_prints_and_changes_nothing(tmp_path):
    import asyncio
    from pathlib import Path

    from bot.models import Subscription
    from bot.qa.engine import Engine

    db = tmp_path / "s.sqlite3"

    async def prepare():
        engine = await Engine.open(db)
        await engine.store.digests.subscribe(Subscription(-500, "supergroup", "Омичи", regions=["ru-oms"]))
        await engine.ingest([Path(__file__).parent / "data" / "omsk-kostanay.md"])
        await engine.close()

    asyncio.run(prepare())
    for _ in range(2):  # a dry run changes nothing: the second prints the same
        result = _run("digest", "--dry-run", db=db)
        assert result.returncode == 0, result.stderr
        assert "to chat -500 (supergroup Омичи): 1 new agreements, 1 messages" in result.stdout
        assert "Костанайская область — Омская область" in result.stdout
        assert "1 subscriptions would get a digest; nothing was sent or marked" in result.stdout
    assert "BOT_TOKEN is not set" in _run("digest", db=db).stderr
