"""The process's logging: plain lines, or one JSON object per line (LOG_FORMAT=json) for log
collectors; the token masked either way; never a statement of people's questions from the
database driver."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from bot.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """time, level, logger, message (and the traceback as ``exc``): what collectors index."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class _Ours(logging.StreamHandler):
    """The handler ``setup`` installs, replaced when it runs again."""


def setup(settings: Settings, quiet: bool = False) -> None:
    """Log to stderr at LOG_LEVEL (``quiet``: warnings and worse only, for the console chat)."""
    handler = _Ours(sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not isinstance(h, _Ours)] + [handler]  # others' stay
    level = logging.getLevelName(settings.log_level.upper())
    root.setLevel(max(logging.WARNING, level) if quiet else level)
    for chatty in ("pymorphy2", "pymorphy3"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    # aiosqlite logs every statement with its parameters (people's questions) at DEBUG: never
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    if settings.bot_token:
        from bot.app.redact import protect_token

        protect_token(settings.bot_token.get_secret_value())
