"""The command line as a new user runs it."""
import json
import os
import subprocess
import sys


def _run(*args, stdin=None, db):
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    return subprocess.run([sys.executable, "-m", "bot", "--db", str(db), *args], input=stdin, text=True,
                          capture_output=True, env=env, timeout=120)


def test_ask_json_reads_questions_from_stdin(tmp_path):
    result = _run("ask", "--json", stdin="спб астана\nПогода в Караганде\n", db=tmp_path / "s.sqlite3")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    first, second = lines
    assert set(first) == {"question", "regions", "topics", "intent", "results", "text"}
    assert first["results"][0]["url"] == "http://tass.ru/novosti-partnerov/4474065"
    assert second["results"] == [] and second["regions"] == []


def test_ingest_prints_what_it_stored_and_names_bad_files(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\xff\xfe broken")
    result = _run("ingest", str(bad), db=tmp_path / "s.sqlite3")
    assert result.returncode == 1
    assert "bad.md" in result.stdout and "UTF-8" in result.stdout
    assert "5 articles in the store" in result.stdout
