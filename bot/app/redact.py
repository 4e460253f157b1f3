"""Keeping the bot token out of everything the process writes: log records (tracebacks
included), and — as a last resort — whatever reaches stdout or stderr by another path, such as
Python's own report of an exception that escaped."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import TextIO, cast
from urllib.parse import quote

MASK = "***"


class Redactor:
    """Replaces the token (and its URL-encoded form, as it appears in request URLs) by ***."""

    def __init__(self, token: str) -> None:
        self.secrets = sorted({token, quote(token, safe=""), quote(token)}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


class RedactToken(logging.Filter):
    """Keeps the bot token out of every log line, tracebacks included."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.redact = Redactor(token)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if (clean := self.redact(message)) != message:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class RedactingStream:
    """A text stream that writes through ``stream`` with the token masked."""

    def __init__(self, stream: TextIO, redact: Redactor) -> None:
        self._stream, self._redact = stream, redact

    def write(self, text: str) -> int:
        self._stream.write(self._redact(text))
        return len(text)

    def __getattr__(self, name: str) -> object:  # flush, fileno, isatty, encoding… of the real stream
        return getattr(self._stream, name)


def protect_token(token: str) -> None:
    """Mask ``token`` in every log handler, in stdout and stderr, and in the reports of exceptions
    that escape the main thread or any other."""
    redact = Redactor(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactToken(token))
        if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.stderr, sys.stdout):
            handler.setStream(cast(TextIO, RedactingStream(handler.stream, redact)))
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = cast(TextIO, RedactingStream(sys.stderr, redact))
        sys.stdout = cast(TextIO, RedactingStream(sys.stdout, redact))

    def report(kind: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, exc, tb))))

    def report_thread(args: threading.ExceptHookArgs) -> None:
        report(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = report
    threading.excepthook = report_thread
