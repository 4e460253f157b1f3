"""Reading article files: Markdown with YAML front matter, or plain text (title = first line)."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from bot.language.paths import load_yaml

SUFFIXES = (".md", ".markdown", ".txt")
MAX_BYTES = 2_000_000
MAX_URL = 2000  # as escaped into HTML: longer links would not fit beside an answer in one Telegram message


class DocumentError(ValueError):
    """A file that can't be read as an article; the message names the problem."""


@dataclass(slots=True)
class RawDocument:
    path: Path | str  # a file, or the URL a feed item's page came from
    url: str
    title: str
    publisher: str
    published: str | None
    body: str


def collect(paths: list[Path], suffixes: tuple[str, ...] = SUFFIXES) -> list[Path]:
    """Files named directly, and files with one of ``suffixes`` found under named folders (a
    folder's README is about the folder, not an article), in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in suffixes and not p.name.upper().startswith("README")
                )
            )
        else:
            found.append(path)
    return found


def check_url(url: str, *, local: bool = False) -> None:
    """An article's link must be http(s) (``local``: or the file:// address of a file that gave
    none) and fit beside an answer: anything else could not be shown as a link in Telegram."""
    parts = urlsplit(url)
    if not (parts.scheme in ("http", "https") and parts.netloc) and not (local and parts.scheme == "file"):
        raise DocumentError(f"url must be an http:// or https:// address: {url[:100]!r}")
    if len(html.escape(url)) > MAX_URL:
        raise DocumentError(f"url longer than {MAX_URL} characters (as written into a message)")


def read(path: Path) -> RawDocument:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_BYTES:
        raise DocumentError(f"too large ({len(data)} bytes, limit {MAX_BYTES})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"not UTF-8 text (byte {exc.start})") from exc
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")  # control characters out
    meta: dict = {}
    if text.startswith("---"):
        parts = text.split("\n---", 1)
        if len(parts) != 2:
            raise DocumentError("front matter opened with --- but never closed")
        try:
            meta = load_yaml(parts[0][3:]) or {}
        except yaml.YAMLError as exc:
            raise DocumentError(f"broken front matter: {str(exc).splitlines()[0]}") from exc
        if not isinstance(meta, dict):
            raise DocumentError("front matter is not a mapping of fields")
        text = parts[1].lstrip("-\n")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise DocumentError("no text")
    title = str(meta.get("title") or lines[0]).strip()
    published = meta.get("published")
    if isinstance(published, (dt.date, dt.datetime)):
        published = published.isoformat()[:10]
    elif published is not None:
        published = str(published).strip()
        try:
            dt.date.fromisoformat(published[:10])
        except ValueError as exc:
            raise DocumentError(f"published is not a date (YYYY-MM-DD): {published!r}") from exc
        published = published[:10]
    url = str(meta.get("url") or "").strip()
    if url:
        check_url(url)
    return RawDocument(path, url or path.resolve().as_uri(), title, str(meta.get("publisher") or ""), published, text)
