"""The interface in three languages: Russian (the source text), Kazakh and English, from the
gettext catalogs in ``data/locales/<lang>/LC_MESSAGES/messages.po`` (read directly: no compile
step). Every text the bot writes itself goes through ``_``; the language of the update being
handled is set with ``use`` (the bot's locale middleware does it), and stays Russian elsewhere
(the CLI, digests, the registry)."""

from __future__ import annotations

import ast
import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

from bot.language.paths import data_dir

LANGUAGES = ("ru", "kk", "en")
_current: ContextVar[str] = ContextVar("language", default="ru")
_catalogs: dict[str, dict[str, str]] = {}


def parse_po(text: str) -> dict[str, str]:
    """msgid → msgstr of a .po file (untranslated entries left out)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    target: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None and "".join(msgid) and "".join(msgstr):
            entries["".join(msgid)] = "".join(msgstr)

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [ast.literal_eval(line[6:])], None
            target = msgid
        elif line.startswith("msgstr "):
            msgstr = [ast.literal_eval(line[7:])]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(ast.literal_eval(line))
        elif not line or line.startswith("#"):
            continue
    flush()
    return entries


def catalog(language: str, folder: Path | None = None) -> dict[str, str]:
    if language not in _catalogs:
        path = (folder or data_dir()) / "locales" / language / "LC_MESSAGES" / "messages.po"
        _catalogs[language] = parse_po(path.read_text(encoding="utf-8")) if path.exists() else {}
    return _catalogs[language]


def _(text: str) -> str:
    """``text`` (Russian) in the current language; Russian when no translation exists."""
    language = _current.get()
    return text if language == "ru" else catalog(language).get(text, text)


def current() -> str:
    return _current.get()


@contextlib.contextmanager
def use(language: str) -> Iterator[None]:
    token = _current.set(language if language in LANGUAGES else "ru")
    try:
        yield
    finally:
        _current.reset(token)


def set_language(language: str) -> None:
    """For the rest of the current task (an update's handling): the bot's locale middleware."""
    _current.set(language if language in LANGUAGES else "ru")


def from_telegram(code: str | None) -> str:
    """A Telegram client's language_code as ours: kk → kk, en… → en, anything else → ru."""
    code = (code or "").lower()
    if code.startswith("kk"):
        return "kk"
    if code.startswith("en"):
        return "en"
    return "ru"
